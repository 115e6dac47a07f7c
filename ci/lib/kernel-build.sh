# shellcheck shell=sh
# Kernel configuration and build: tinyconfig + kernel-port/configs/{common,<arch>}.config,
# and for the patched variant kernel-port/configs/patched.config (options the series adds).

# kmake SRC OUT ARGS...: make in SRC with O=OUT for the current arch_info
kmake() {
	_km_src=$1 _km_out=$2
	shift 2
	make -s -C "$_km_src" O="$_km_out" ARCH="$ARCH_KERNEL" CROSS_COMPILE="$ARCH_CROSS_COMPILE" \
		CC="ccache ${ARCH_CROSS_COMPILE}gcc" "$@"
}

# config_check OUT FRAGMENT...: every CONFIG_X=y / "is not set" line must have
# stuck. A later fragment may override an earlier one (ci/kernel-extra's
# aarch64-compat.config turns on the COMPAT that aarch64.config turns off):
# the last setting of a symbol is the one checked.
config_check() {
	_ck_cfg=$1/.config
	shift
	_ck_bad=0
	_ck_eff=$(awk '
		/^CONFIG_[A-Za-z0-9_]+=/ { sym = $0; sub(/=.*/, "", sym) }
		/^# CONFIG_[A-Za-z0-9_]+ is not set$/ { sym = $2 }
		sym != "" {
			if (!(sym in want)) order[++n] = sym
			want[sym] = $0
			from[sym] = FILENAME
			sym = ""
		}
		END { for (i = 1; i <= n; i++) print from[order[i]] "\t" want[order[i]] }' "$@")
	_ck_tab=$(printf '\t')
	while IFS=$_ck_tab read -r _ck_frag _ck_want; do
		[ -n "$_ck_want" ] || continue
		_ck_sym=$(printf '%s\n' "$_ck_want" | sed -e 's/^# //' -e 's/[= ].*//')
		_ck_have=$(grep -E "^(# )?${_ck_sym}[= ]" "$_ck_cfg" || true)
		# a disabled symbol may also simply be absent (dependency off)
		case "$_ck_want" in
		"# "*) [ -z "$_ck_have" ] && continue ;;
		esac
		if [ "$_ck_have" != "$_ck_want" ]; then
			log "config: wanted '$_ck_want', got '${_ck_have:-<absent>}' ($_ck_frag)"
			_ck_bad=1
		fi
	done <<EOF_CK
$_ck_eff
EOF_CK
	return $_ck_bad
}

# kernel_out SRC ARCH: the O= directory of ARCH's build of SRC. It is an
# immediate subdirectory of the tree, so kbuild uses srctree=.. and every path
# it gives the compiler is the same in the pristine and the patched tree: a
# file that the series does not touch hits the pristine build's ccache entry.
kernel_out() {
	printf '%s/%s%s\n' "$1" "$KERNEL_OUT_PREFIX" "$2"
}

# kernel_frags VARIANT ARCH: the config fragments of that kernel, in merge order.
# patched.config holds options that only the patched tree knows (a symbol the
# pristine tree lacks would fail config_check there).
kernel_frags() {
	_kf_dir="$KERNEL_SERIES_DIR/configs"
	printf '%s\n' "$_kf_dir/common.config" "$_kf_dir/$2.config"
	if [ "$1" = patched ] && [ -f "$_kf_dir/patched.config" ]; then
		printf '%s\n' "$_kf_dir/patched.config"
	fi
	# extra fragments of a special tier (ci/kernel-mte), after all others
	for _kf in ${KERNEL_EXTRA_FRAGMENTS:-}; do
		printf '%s\n' "$_kf"
	done
}

# kernel_build ARCH VARIANT SRC: builds into $(kernel_out SRC ARCH),
# sets KERNEL_IMAGE. Skips when the stamp (tree + fragments + compiler) matches.
kernel_build() {
	_arch=$1 _variant=$2 _src=$3
	arch_info "$_arch"
	_out=$(kernel_out "$_src" "$_arch")
	# the fragment paths have no blanks (kernel-port/configs/NAME.config)
	_frags=$(kernel_frags "$_variant" "$_arch")
	KERNEL_IMAGE="$_out/$ARCH_KIMAGE"
	_want=$({
		cat "$_src/.sudcompat-stamp"
		# shellcheck disable=SC2086 # a list of paths
		cat $_frags
		"${ARCH_CROSS_COMPILE}gcc" --version | head -n1
	} | hash_stdin)
	if [ -f "$KERNEL_IMAGE" ] && [ "$(cat "$_out/.sudcompat-stamp" 2>/dev/null)" = "$_want" ]; then
		log "$_arch/$_variant: kernel up to date, build skipped"
		timing "$_arch" "$_variant" build 0 "(cached)"
		return 0
	fi
	mkdir -p "$_out" || return 1
	rm -f "$_out/.sudcompat-stamp"
	_t0=$(now)
	log "$_arch/$_variant: configuring (tinyconfig + fragments)"
	kmake "$_src" "$_out" tinyconfig >/dev/null || return 1
	# shellcheck disable=SC2086 # a list of paths
	"$_src/scripts/kconfig/merge_config.sh" -m -O "$_out" "$_out/.config" \
		$_frags >"$_out/merge_config.log" 2>&1 ||
		{ cat "$_out/merge_config.log" >&2; return 1; }
	kmake "$_src" "$_out" olddefconfig >/dev/null || return 1
	# shellcheck disable=SC2086 # a list of paths
	config_check "$_out" $_frags ||
		{ log "$_arch/$_variant: config fragment did not apply cleanly"; return 1; }
	log "$_arch/$_variant: building $(basename "$ARCH_KIMAGE") with -j$KERNEL_JOBS"
	if ! kmake "$_src" "$_out" -j"$KERNEL_JOBS" "$(basename "$ARCH_KIMAGE")" \
		>"$_out/build.log" 2>&1; then
		tail -n 40 "$_out/build.log" >&2
		log "$_arch/$_variant: kernel build FAILED (full log: $_out/build.log)"
		return 1
	fi
	timing "$_arch" "$_variant" build "$(($(now) - _t0))"
	printf '%s\n' "$_want" >"$_out/.sudcompat-stamp"
}
