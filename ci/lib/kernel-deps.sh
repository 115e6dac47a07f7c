# shellcheck shell=sh
# The host packages the kernel matrix needs (Debian 12).

KERNEL_DEPS="make gcc libc6-dev patch xz-utils cpio bc flex bison libelf-dev libssl-dev
ccache qemu-system-x86 qemu-system-arm qemu-system-misc opensbi
gcc-aarch64-linux-gnu libc6-dev-arm64-cross gcc-riscv64-linux-gnu libc6-dev-riscv64-cross"

deps_install() {
	# shellcheck disable=SC2086
	need_pkgs $KERNEL_DEPS
	# the tarball comes from linux-source-6.1 unless the caller gives its own
	[ -f "$KERNEL_TARBALL" ] || need_pkgs linux-source-6.1
	log "host packages present"
}
