# shellcheck shell=sh
# The result table and the final summary line.

# bench_echo ARCH VARIANT FILE: the rows sud_bench printed in that VM (FILE, from
# kernel-parse.awk's bench=), logged as they come and added to $BENCH for report
bench_echo() {
	[ -s "$3" ] || return 0
	printf '%s %s:\n' "$1" "$2" >>"$BENCH"
	while IFS= read -r _l; do
		[ -n "$_l" ] || continue
		log "$1/$2: $_l"
		printf '  %s\n' "$_l" >>"$BENCH"
	done <"$3"
}

# report RESULTS [BENCH]: prints the table (and BENCH's rows, when there are
# any), then "N passed, M failed, K skipped"; 1 if M > 0
report() {
	printf '\n%-8s %-9s %-34s %-4s %s\n' ARCH VARIANT TEST RES DETAIL
	awk -F'|' '{ printf "%-8s %-9s %-34s %-4s %s\n", $1, $2, $3, $4, $5 }' "$1"
	if [ -s "${2:-}" ]; then
		printf '\nsud_bench in the VMs (ns/op under TCG are emulated times; each ratio is to '
		printf 'native SUD in the same VM and run):\n'
		cat "$2"
	fi
	printf '\nconsole logs: %s\ntimings: %s\n' "$LOGDIR" "$TIMINGS"
	_p=$(grep -c '^[^|]*|[^|]*|[^|]*|PASS|' "$1" || true)
	_f=$(grep -c '^[^|]*|[^|]*|[^|]*|FAIL|' "$1" || true)
	_s=$(grep -c '^[^|]*|[^|]*|[^|]*|SKIP|' "$1" || true)
	printf '%s passed, %s failed, %s skipped\n' "$_p" "$_f" "$_s"
	[ "$_f" -eq 0 ]
}
