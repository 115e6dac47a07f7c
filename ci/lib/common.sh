# shellcheck shell=sh
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
	$CI_SUDO apt-get $CI_APT_OPTS update -qq
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
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $CI_SUDO apt-get $CI_APT_OPTS install -y -qq \
		--no-install-recommends $_np_missing >&2
}
