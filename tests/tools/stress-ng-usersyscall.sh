#!/bin/sh
# Debian's stress-ng, an unmodified SUD client, through the library on each
# backend. Its usersyscall stressor arms with libc's text as the allowed
# range and expects glibc's syscall() to run undispatched: that holds only
# if the library hands libc's calls to libc. A fixed number of SIGSYS round
# trips, never a duration; the stressor must report exactly that many.
ops=2000
: "${top_builddir:=.}"
tools=$(cd "$top_builddir/tools" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

echo "1..2"
for backend in native seccomp; do
	n=$((n + 1))
	if ! command -v stress-ng >/dev/null 2>&1; then
		echo "ok $n - stress-ng --usersyscall [$backend] # SKIP stress-ng is not installed"
		continue
	fi
	if ! "$tools/sudcompat" probe --require "$backend" >/dev/null 2>&1; then
		echo "ok $n - stress-ng --usersyscall [$backend] # SKIP the $backend backend is not available here"
		continue
	fi
	rm -rf "$tmp/ld"
	mkdir "$tmp/ld"
	# the loader's own record shows that the library really was in stress-ng
	(cd "$tmp" && LD_DEBUG=libs LD_DEBUG_OUTPUT="$tmp/ld/log" \
		"$tools/sudcompat" run --backend "$backend" -- \
		stress-ng --usersyscall 1 --usersyscall-ops "$ops" --metrics-brief) >"$tmp/out" 2>&1
	rc=$?
	done_ops=$(awk '$2 == "metrc:" && $4 == "usersyscall" && $5 ~ /^[0-9]+$/ { print $5; exit }' "$tmp/out")
	if [ "$rc" -eq 0 ] && grep -q "successful run completed" "$tmp/out" &&
		! grep -q "unsuccessful run\|fail:" "$tmp/out" && [ "$done_ops" = "$ops" ] &&
		grep -qs "calling init: .*libsudcompat" "$tmp/ld"/log.*; then
		echo "ok $n - stress-ng --usersyscall [$backend]: exit 0, $done_ops of $ops SIGSYS system calls"
	else
		echo "not ok $n - stress-ng --usersyscall [$backend] (exit $rc, ${done_ops:-no} bogo ops of $ops)"
		grep -qs "calling init: .*libsudcompat" "$tmp/ld"/log.* ||
			echo "# libsudcompat was not loaded into stress-ng"
		grep -v "^stress-ng: metrc:" "$tmp/out" | head -8 | sed 's/^/# /'
		failed=1
	fi
done
exit $failed
