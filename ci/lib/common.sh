# shellcheck shell=sh disable=SC2034
# Shared by every ci/ script: messages, and installing Debian packages.
# The sourcing script sets CI_TOOL (its name in messages) first, and CI_T0
# (date +%s) when its messages should carry the seconds since it started.

log() {
	if [ -n "${CI_T0:-}" ]; then
		printf '[%s %4ss] %s\n' "$CI_TOOL" "$(($(date +%s) - CI_T0))" "$*" >&2
	else
		printf '[%s] %s\n' "$CI_TOOL" "$*" >&2
	fi
}
die() { log "ERROR: $*"; exit 1; }

CI_SUDO=
[ "$(id -u)" -eq 0 ] || CI_SUDO=sudo
CI_APT_OPTS="-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3"
CI_APT_UPDATED=0

# apt_update: once per script run
apt_update() {
	[ "$CI_APT_UPDATED" = 1 ] && return 0
	log "apt-get update"
	# shellcheck disable=SC2086
	$CI_SUDO apt-get $CI_APT_OPTS update -qq >&2
	CI_APT_UPDATED=1
}

# need_pkgs PKG...: install the packages that are not installed yet
need_pkgs() {
	_np_missing=
	for _np_p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$_np_p" 2>/dev/null | grep -q ' installed$' ||
			_np_missing="$_np_missing $_np_p"
	done
	[ -n "$_np_missing" ] || return 0
	log "installing:$_np_missing"
	apt_update
	_np_log=$(mktemp)
	# shellcheck disable=SC2086
	if ! DEBIAN_FRONTEND=noninteractive $CI_SUDO apt-get $CI_APT_OPTS install -y -qq \
		--no-install-recommends $_np_missing >"$_np_log" 2>&1; then
		tail -20 "$_np_log" >&2
		rm -f "$_np_log"
		die "apt-get install$_np_missing failed"
	fi
	rm -f "$_np_log"
}

# arch_info ARCH: the one table of the architectures; sets
#   ARCH_DEB      Debian's name (amd64, arm64, riscv64)
#   ARCH_TRIPLET  the GNU triplet of the cross toolchain
#   ARCH_CC       the C compiler that builds for ARCH on this host
#   ARCH_KERNEL   the kernel's ARCH=, ARCH_KIMAGE its boot image (in O=)
#   ARCH_CROSS_COMPILE  the kernel's CROSS_COMPILE= (empty on the host's own)
#   ARCH_QEMU     qemu-system binary, ARCH_QEMU_USER the qemu-user one
arch_info() {
	case "$1" in
	x86_64)
		ARCH_DEB=amd64 ARCH_KERNEL=x86_64 ARCH_KIMAGE=arch/x86/boot/bzImage ;;
	aarch64)
		ARCH_DEB=arm64 ARCH_KERNEL=arm64 ARCH_KIMAGE=arch/arm64/boot/Image ;;
	riscv64)
		ARCH_DEB=riscv64 ARCH_KERNEL=riscv ARCH_KIMAGE=arch/riscv/boot/Image ;;
	*) die "unknown architecture '$1' (x86_64, aarch64, riscv64)" ;;
	esac
	ARCH_TRIPLET=$1-linux-gnu
	ARCH_QEMU=qemu-system-$1 ARCH_QEMU_USER=qemu-$1
	if [ "$1" = "$(uname -m)" ]; then
		ARCH_CC=gcc ARCH_CROSS_COMPILE=
	else
		ARCH_CC=$ARCH_TRIPLET-gcc ARCH_CROSS_COMPILE=$ARCH_TRIPLET-
	fi
}

# automake_totals DIR: "passed failed skipped" of the last make check in DIR
# (PASS+XFAIL, FAIL+XPASS+ERROR, SKIP of its test-suite.log; "0 0 0" without one)
automake_totals() {
	[ -f "$1/test-suite.log" ] || { echo 0 0 0; return; }
	awk '/^# (PASS|XFAIL): / { p += $3 } /^# (FAIL|XPASS|ERROR): / { f += $3 }
		/^# SKIP: / { s += $3 } END { print p + 0, f + 0, s + 0 }' "$1/test-suite.log"
}
