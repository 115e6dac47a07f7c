#!/bin/sh
# sudtrace, a SUD client that no test was written for, runs real programs on
# each backend: their output must be byte for byte that of a run without it,
# and the tracer must have counted their syscalls, among them one that the
# program cannot do without (sh runs its pipeline through execve; python3
# opens its modules, whether /usr/bin/python3 is the ELF itself or a wrapper).
tools="$top_builddir/tools"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

set -- \
	"pipeline|execve|sh -c 'ls -1 /usr/share | sort -r | head -5 | tr a-z A-Z; echo done'" \
	"coreutils|execve|sh -c 'seq 1 2000 | sort -n | md5sum; date -d @0 -u'" \
	"python3|openat|python3 -c 'import json, hashlib; print(json.dumps(sorted({\"x\": 1, \"y\": [1, 2]}.items()))); print(hashlib.md5(b\"x\").hexdigest())'"
echo "1..$(($# * 2))"
for backend in native seccomp; do
	for item in "$@"; do
		name=${item%%|*} rest=${item#*|}
		needed=${rest%%|*} cmd=${rest#*|}
		n=$((n + 1))
		if ! "$tools/sudcompat" probe --require "$backend" >/dev/null 2>&1; then
			echo "ok $n - $name [$backend] # SKIP the $backend backend is not available here"
			continue
		fi
		if [ "$name" = python3 ] && ! command -v python3 >/dev/null 2>&1; then
			echo "ok $n - $name [$backend] # SKIP no python3"
			continue
		fi
		eval "$cmd" >"$tmp/plain" 2>&1
		eval "\"$tools/sudtrace\" --backend $backend -o \"$tmp/counts\" -- $cmd" >"$tmp/traced" 2>&1
		if cmp -s "$tmp/plain" "$tmp/traced" && grep -q "syscalls in [1-9]" "$tmp/counts" &&
			grep -Eq "^ +[1-9][0-9]* +$needed\$" "$tmp/counts"; then
			echo "ok $n - $name [$backend]: identical output, $(head -1 "$tmp/counts" | cut -d: -f2)"
		else
			echo "not ok $n - $name [$backend] (output identical, and $needed counted?)"
			diff "$tmp/plain" "$tmp/traced" | head -5 | sed 's/^/# /'
			head -3 "$tmp/counts" | sed 's/^/# /'
			failed=1
		fi
	done
done
exit $failed
