# shellcheck shell=sh disable=SC2034
# Common settings and helpers for ci/kernel-matrix. Sourced, not executed.

: "${KERNEL_TARBALL:=/usr/src/linux-source-6.1.tar.xz}"
: "${KERNEL_WORKDIR:=$REPO/build/kernel}"
: "${KERNEL_JOBS:=2}"
: "${KERNEL_BOOT_SLACK:=300}"
: "${KERNEL_TEST_TIMEOUT:=120}"
: "${KERNEL_SERIES_DIR:=$REPO/kernel-port}"

# the host packages (the tarball comes from linux-source-6.1 unless the caller names its own)
KERNEL_DEPS="make gcc libc6-dev patch xz-utils cpio bc flex bison libelf-dev libssl-dev
ccache qemu-system-x86 qemu-system-arm qemu-system-misc opensbi
gcc-aarch64-linux-gnu libc6-dev-arm64-cross gcc-riscv64-linux-gnu libc6-dev-riscv64-cross"

SRC_PRISTINE="$KERNEL_WORKDIR/src/pristine"
SRC_PATCHED="$KERNEL_WORKDIR/src/patched"
# build directories live inside each tree as $SRC/.out-ARCH (see kernel_out)
KERNEL_OUT_PREFIX=.out-
LOGDIR="$KERNEL_WORKDIR/logs"
RESULTS="$KERNEL_WORKDIR/results.txt"
TIMINGS="$KERNEL_WORKDIR/timings.txt"
# the rows of bench/sud_bench -v from every VM of the run (ci/lib/kernel-report.sh)
BENCH="$KERNEL_WORKDIR/bench.txt"

now() { date +%s; }
CI_TOOL=kernel-matrix
# every line carries the seconds since the run started: a step's length shows as it goes
CI_T0=$(now)
# shellcheck source=ci/lib/common.sh
. "$REPO/ci/lib/common.sh"

# sha256 of stdin, hex only
hash_stdin() { sha256sum | cut -d' ' -f1; }

# result ARCH VARIANT NAME RESULT DETAIL -- appended to the results file
result() {
	printf '%s|%s|%s|%s|%s\n' "$1" "$2" "$3" "$4" "$5" >>"$RESULTS"
}

# timing ARCH VARIANT WHAT SECONDS [NOTE]
timing() {
	printf '%-8s %-9s %-6s %5ss %s\n' "$1" "$2" "$3" "$4" "${5:-}" >>"$TIMINGS"
	log "$1/$2: $3 done in $4 s ${5:-}"
}

# series_patches: prints the patch paths of kernel-port/series, one a line
series_patches() {
	sed -e 's/#.*//' -e 's/[[:space:]]\{1,\}-p[0-9]//' "$KERNEL_SERIES_DIR/series" |
		awk 'NF { print $1 }'
}

# series_hash: hash over the series file and every patch it names
series_hash() {
	# shellcheck disable=SC2046
	(cd "$KERNEL_SERIES_DIR" && cat series $(series_patches)) | hash_stdin
}

# tarball_id: cheap identity of the kernel tarball
tarball_id() {
	# shellcheck disable=SC2012
	ls -lL --time-style=+%s "$KERNEL_TARBALL" | awk '{ print $5, $6, $7 }'
}
