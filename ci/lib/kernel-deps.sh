# shellcheck shell=sh
# Installs the host packages the kernel matrix needs (Debian 12), idempotently.

KERNEL_DEPS="make gcc libc6-dev patch xz-utils cpio bc flex bison libelf-dev libssl-dev
ccache qemu-system-x86 qemu-system-arm qemu-system-misc opensbi
gcc-aarch64-linux-gnu libc6-dev-arm64-cross gcc-riscv64-linux-gnu libc6-dev-riscv64-cross"

deps_install() {
	missing=
	for p in $KERNEL_DEPS; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
			missing="$missing $p"
		fi
	done
	# the tarball comes from linux-source-6.1 unless the caller gives its own
	if [ ! -f "$KERNEL_TARBALL" ]; then
		missing="$missing linux-source-6.1"
	fi
	[ -n "$missing" ] || { log "host packages present"; return 0; }
	log "installing:$missing"
	[ "$(id -u)" = 0 ] || die "need root to install:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
}
