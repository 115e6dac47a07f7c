# shellcheck shell=sh
# The result table and the final summary line.

# report RESULTS: prints the table, then "N passed, M failed, K skipped"; 1 if M > 0
report() {
	printf '\n%-8s %-9s %-34s %-4s %s\n' ARCH VARIANT TEST RES DETAIL
	awk -F'|' '{ printf "%-8s %-9s %-34s %-4s %s\n", $1, $2, $3, $4, $5 }' "$1"
	printf '\nconsole logs: %s\ntimings: %s\n' "$LOGDIR" "$TIMINGS"
	_p=$(grep -c '^[^|]*|[^|]*|[^|]*|PASS|' "$1" || true)
	_f=$(grep -c '^[^|]*|[^|]*|[^|]*|FAIL|' "$1" || true)
	_s=$(grep -c '^[^|]*|[^|]*|[^|]*|SKIP|' "$1" || true)
	printf '%s passed, %s failed, %s skipped\n' "$_p" "$_f" "$_s"
	[ "$_f" -eq 0 ]
}
