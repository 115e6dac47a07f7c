# shellcheck shell=sh
# The test payload: a static init, the tests, /manifest, packed as a newc initramfs.

TCFLAGS="-static -O2 -Wall -Wextra -Werror"

# gen_init_cpio: host tool from the pristine tree (no root needed for /dev/console)
gen_init_cpio_tool() {
	GEN_INIT_CPIO="$KERNEL_WORKDIR/tools/gen_init_cpio"
	[ -x "$GEN_INIT_CPIO" ] && return 0
	mkdir -p "$KERNEL_WORKDIR/tools"
	gcc -O2 -o "$GEN_INIT_CPIO" "$SRC_PRISTINE/usr/gen_init_cpio.c"
}

# tcc NAME OUT SRC... : cross-compile a static test; on failure record FAIL and return 1
tcc() {
	_name=$1 _o=$2
	shift 2
	# shellcheck disable=SC2086
	if ! ccache "$ARCH_CC" "$@" -o "$_o" -lpthread >>"$PAYLOAD_LOG" 2>&1; then
		log "$P_ARCH/$P_VARIANT: build of $_name FAILED (see $PAYLOAD_LOG)"
		result "$P_ARCH" "$P_VARIANT" "$_name" FAIL "test does not compile"
		return 1
	fi
}

# series_selftests: the names of the syscall_user_dispatch selftests (sud_*.c) that
# kernel-port/series creates
series_selftests() {
	series_patches | while IFS= read -r _p; do
		sed -n 's|^+++ b/tools/testing/selftests/syscall_user_dispatch/\(sud_[A-Za-z0-9_]*\)\.c$|\1|p' "$KERNEL_SERIES_DIR/$_p"
	done
}

# project_payload DIR: ci/build-vm-payload ARCH DIR into a fresh DIR;
# its output in DIR.log, its exit code in DIR.rc
project_payload() {
	rm -rf "$1" "$1.run"
	mkdir -p "$1"
	log "$P_ARCH: ci/build-vm-payload $P_ARCH (log: $1.log)"
	_pp_rc=0
	"$REPO/ci/build-vm-payload" "$P_ARCH" "$1" >"$1.log" 2>&1 || _pp_rc=$?
	printf '%s\n' "$_pp_rc" >"$1.rc"
	printf '%s\n' "$RUN_ID" >"$1.run"
}

# payload_build ARCH VARIANT SRC: sets INITRD and MANIFEST
payload_build() {
	P_ARCH=$1 P_VARIANT=$2 _src=$3
	arch_info "$P_ARCH"
	gen_init_cpio_tool || return 1
	_w="$KERNEL_WORKDIR/payload/$P_ARCH-$P_VARIANT"
	_root="$_w/root"
	rm -rf "$_w"
	mkdir -p "$_root/bin"
	PAYLOAD_LOG="$_w/build.log"
	MANIFEST="$_root/manifest"
	INITRD="$_w/initramfs.cpio"
	: >"$PAYLOAD_LOG"
	: >"$MANIFEST"

	# shellcheck disable=SC2086
	tcc init "$_root/init" $TCFLAGS "$REPO/tests/vm/init.c" || return 1

	# (b) the SUD selftests of this very tree (tools/testing/selftests/syscall_user_dispatch),
	# built like upstream (no -O: sud_benchmark's x86 handler needs the -O0 frame layout),
	# as "upstream/NAME", 300 s each (the series' sud_test has some 35 tests).  Every
	# sud_*.c of the directory, plus any that kernel-port/series creates, so that the
	# unpatched kernels report those too.  Where the tree lacks the test, or the kernel
	# lacks SUD (unpatched aarch64 and riscv64), it is a SKIP row with the reason, never
	# a pass.
	_sud="$_src/tools/testing/selftests/syscall_user_dispatch"
	_names=$( {
		for _c in "$_sud"/sud_*.c; do [ -f "$_c" ] && basename "$_c" .c; done
		series_selftests
	} | sort -u)
	for _t in $_names; do
		if [ "$P_ARCH" != x86_64 ] && [ "$P_VARIANT" = unpatched ]; then
			result "$P_ARCH" "$P_VARIANT" "upstream/$_t" SKIP \
				"no syscall user dispatch on unpatched 6.1 $P_ARCH (the series adds it)"
			continue
		fi
		if [ ! -f "$_sud/$_t.c" ]; then
			result "$P_ARCH" "$P_VARIANT" "upstream/$_t" SKIP \
				"not in the $P_VARIANT tree's selftests (the series adds it)"
			continue
		fi
		if tcc "upstream/$_t" "$_root/bin/$_t" -static -Wall \
			-I "$_src/tools/testing/selftests" "$_sud/$_t.c"; then
			printf 'upstream/%s|any,timeout=300|%s\n' "$_t" "$_t" >>"$MANIFEST"
		fi
	done

	# (c) tests/kernel/*.c: what does not belong upstream, on the booted tree's
	# kselftest_harness.h; on both variants: they skip, with the reason, where the
	# kernel lacks what they test
	for _c in "$REPO"/tests/kernel/*.c; do
		_b=$(basename "$_c" .c)
		# shellcheck disable=SC2086
		if tcc "kernel/$_b" "$_root/bin/$_b" $TCFLAGS -I "$_src/tools/testing/selftests" "$_c"; then
			printf 'kernel/%s|any|%s\n' "$_b" "$_b" >>"$MANIFEST"
		fi
	done

	# (d) the project's own payload, built once per run and architecture;
	# whatever it shipped runs even when it failed to build something
	_pj="$KERNEL_WORKDIR/payload/project-$P_ARCH"
	[ "$(cat "$_pj.run" 2>/dev/null)" = "$RUN_ID" ] || project_payload "$_pj"
	if [ "$(cat "$_pj.rc")" != 0 ]; then
		log "$P_ARCH/$P_VARIANT: ci/build-vm-payload FAILED (see $_pj.log)"
		result "$P_ARCH" "$P_VARIANT" project-payload FAIL "ci/build-vm-payload rc=$(cat "$_pj.rc"): $_pj.log"
	fi
	if [ -f "$_pj/manifest.fragment" ]; then
		grep -v '^[[:space:]]*$' "$_pj/manifest.fragment" >>"$MANIFEST" || true
	fi
	cp -a "$_pj/." "$_root/bin/"
	rm -f "$_root/bin/manifest.fragment"

	{
		printf 'dir /dev 0755 0 0\nnod /dev/console 0600 0 0 c 5 1\n'
		printf 'dir /proc 0755 0 0\ndir /sys 0755 0 0\ndir /tmp 01777 0 0\n'
		(cd "$_root" && find . -mindepth 1 | sort) | while IFS= read -r _f; do
			_p=${_f#.}
			if [ -d "$_root$_p" ]; then
				printf 'dir %s 0755 0 0\n' "$_p"
			else
				printf 'file %s %s %s 0 0\n' "$_p" "$_root$_p" \
					"$(stat -c %a "$_root$_p")"
			fi
		done
	} >"$_w/initramfs.list"
	"$GEN_INIT_CPIO" "$_w/initramfs.list" >"$INITRD" || return 1
	log "$P_ARCH/$P_VARIANT: initramfs $(du -k "$INITRD" | cut -f1) KiB, $(grep -c . "$MANIFEST") manifest lines"
}
