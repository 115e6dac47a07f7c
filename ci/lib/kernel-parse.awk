# Reads a test VM's console log and prints one result line per manifest test:
#   ARCH|VARIANT|NAME|PASS|FAIL|SKIP|detail
# plus a "(boot)" line. Variables: arch, variant, manifest, bootrc.
#   PASS: "# END NAME rc=0" and no "not ok" line (TAP SKIP/TODO excepted)
#   SKIP: rc=77;  FAIL: anything else, a missing END, a panic, no "# SUDVM DONE".
function matches(v,    n, i, f) {
	n = split(v, f, ",")
	for (i = 1; i <= n; i++) {
		gsub(/^ +| +$/, "", f[i])
		if (f[i] == "any" || f[i] == variant)
			return 1
	}
	return 0
}
BEGIN {
	FS = "|"
	ntests = 0
	while ((getline line < manifest) > 0) {
		if (line ~ /^[ \t]*(#|$)/)
			continue
		split(line, f, "|")
		if (matches(f[2]))
			tests[++ntests] = f[1]
	}
	close(manifest)
	FS = " "
	cur = ""
}
{
	sub(/\r+$/, "")
	gsub(/\r/, "")
	if (index($0, "Kernel panic") && !panic)
		panic = $0
	if (index($0, "# SUDVM DONE"))
		done = 1
	if ((p = index($0, "# BEGIN ")) > 0) {
		name = substr($0, p + 8)
		sub(/[ \t].*/, "", name)
		begun[name] = 1
		cur = name
		ok[name] = 0
		notok[name] = 0
		next
	}
	if ((p = index($0, "# END ")) > 0) {
		rest = substr($0, p + 6)
		name = rest
		sub(/[ \t].*/, "", name)
		status = substr(rest, length(name) + 2)
		ended[name] = status
		if (p > 1 && cur != "")
			tail_line(cur, substr($0, 1, p - 1))
		cur = ""
		next
	}
	if (cur != "")
		tail_line(cur, $0)
}
function tail_line(n, s) {
	if (s ~ /^[ \t]*not ok/ && s !~ /#[ \t]*(SKIP|TODO)/) {
		notok[n]++
		if (!firstfail[n])
			firstfail[n] = s
	} else if (s ~ /^[ \t]*ok /)
		ok[n]++
}
END {
	for (i = 1; i <= ntests; i++) {
		n = tests[i]
		if (!(n in begun)) {
			res = "FAIL"; det = "never started"
		} else if (!(n in ended)) {
			res = "FAIL"; det = "no END: crashed or hung the VM"
		} else {
			st = ended[n]
			tap = ok[n] + notok[n] ? sprintf(" (TAP %d ok, %d not ok)", ok[n], notok[n]) : ""
			if (st ~ /^rc=0( |$)/ && notok[n] == 0) {
				res = "PASS"; det = st tap
			} else if (st ~ /^rc=77( |$)/) {
				res = "SKIP"; det = st tap
			} else {
				res = "FAIL"; det = st tap
				if (firstfail[n])
					det = det ": " substr(firstfail[n], 1, 80)
			}
		}
		gsub(/\|/, "/", det)
		printf "%s|%s|%s|%s|%s\n", arch, variant, n, res, det
	}
	if (bootrc == 124)
		det = "qemu killed by timeout"
	else if (panic)
		det = substr(panic, 1, 100)
	else if (!done)
		det = "no '# SUDVM DONE' (qemu rc=" bootrc ")"
	else if (bootrc != 0)
		det = "qemu exited with rc=" bootrc
	else
		det = ""
	printf "%s|%s|(boot)|%s|%s\n", arch, variant, det == "" ? "PASS" : "FAIL", det == "" ? ntests " tests framed" : det
}
