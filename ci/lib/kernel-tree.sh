# shellcheck shell=sh disable=SC2034
# Source trees: unpack the tarball (pristine) and apply kernel-port/series (patched).

# tree_pristine: unpacks $KERNEL_TARBALL into $SRC_PRISTINE unless already done
tree_pristine() {
	stamp="$SRC_PRISTINE/.sudcompat-stamp"
	want=$(tarball_id)
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
		log "pristine tree up to date ($SRC_PRISTINE)"
		return 0
	fi
	[ -f "$KERNEL_TARBALL" ] || die "kernel tarball $KERNEL_TARBALL not found"
	log "unpacking $KERNEL_TARBALL (about a minute)"
	_t0=$(now)
	rm -rf "$SRC_PRISTINE" "$SRC_PRISTINE.tmp"
	mkdir -p "$SRC_PRISTINE.tmp"
	tar -xJf "$KERNEL_TARBALL" -C "$SRC_PRISTINE.tmp" --strip-components=1
	mv "$SRC_PRISTINE.tmp" "$SRC_PRISTINE"
	printf '%s\n' "$want" >"$stamp"
	timing all pristine unpack "$(($(now) - _t0))"
}

# patch_files PATCH: paths (relative to the tree) that the patch touches
patch_files() {
	sed -n -e 's/^--- [^/]*\/\([^[:space:]]*\).*/\1/p' \
		-e 's/^+++ [^/]*\/\([^[:space:]]*\).*/\1/p' "$1" | sort -u
}

# tree_patched: hard-linked copy of the pristine tree plus the series.
# Returns 1, with $PATCH_FAILED set, when a patch does not apply.
tree_patched() {
	PATCH_FAILED=
	stamp="$SRC_PATCHED/.sudcompat-stamp"
	want="$(tarball_id) $(series_hash)"
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
		log "patched tree up to date ($SRC_PATCHED)"
		return 0
	fi
	log "creating the patched tree: $(series_patches | wc -l) patches of kernel-port/series"
	rm -rf "$SRC_PATCHED"
	mkdir -p "$SRC_PATCHED"
	# the pristine tree's build directories stay out of the copy
	for e in "$SRC_PRISTINE"/* "$SRC_PRISTINE"/.[!.]*; do
		case "${e##*/}" in
		"$KERNEL_OUT_PREFIX"* | .sudcompat-stamp) continue ;;
		esac
		cp -al "$e" "$SRC_PATCHED/"
	done
	for p in $(series_patches); do
		pf="$KERNEL_SERIES_DIR/$p"
		[ -f "$pf" ] || die "patch $p named in kernel-port/series does not exist"
		# never write through a hard link into the pristine tree
		for f in $(patch_files "$pf"); do
			if [ -f "$SRC_PATCHED/$f" ]; then
				cp -p "$SRC_PATCHED/$f" "$SRC_PATCHED/$f.unlink" &&
					mv -f "$SRC_PATCHED/$f.unlink" "$SRC_PATCHED/$f"
			fi
		done
		if ! out=$(cd "$SRC_PATCHED" && patch -p1 --batch --forward \
			--no-backup-if-mismatch <"$pf" 2>&1); then
			printf '%s\n' "$out" >&2
			printf '\n*** PATCH FAILED TO APPLY: %s ***\n\n' "$p" >&2
			PATCH_FAILED="$p does not apply"
			return 1
		fi
	done
	printf '%s\n' "$want" >"$stamp"
}
