# Reads a test VM's console, the TAP that tests/vm/init.c prints, and writes
# one result line per test, ARCH|VARIANT|NAME|PASS|FAIL|SKIP|detail, and a
# "(boot)" line. Only the top level counts: a test's own output is indented.
# Variables: arch, variant, bootrc (qemu's exit status, 124 on a timeout),
# and optionally bench: a file that gets the output of the test named
# sud_bench (bench/sud_bench -v), its indent removed, for the bench's rows.
{
	sub(/\r+$/, "")
	if (index($0, "Kernel panic") && !panic)
		panic = $0
	if ($0 == "# SUDVM DONE")
		done = 1
}
# the bench's output, from its first line to its verdict (kernel messages may come between)
/^    sud_bench( -v)?: / { inbench = 1 }
inbench && /^    / { out = out substr($0, 5) "\n" }
/^1\.\.[0-9]+$/ { plan = substr($0, 4) + 0 }
/^(not )?ok [0-9]+ - / {
	res = /^not / ? "FAIL" : "PASS"
	name = $0
	sub(/^(not )?ok [0-9]+ - /, "", name)
	det = ""
	if ((p = index(name, " # ")) > 0) {
		det = substr(name, p + 3)
		name = substr(name, 1, p - 1)
	}
	if (res == "PASS" && det ~ /^SKIP/) {
		res = "SKIP"
		sub(/^SKIP */, "", det)
	}
	gsub(/\|/, "/", det)
	printf "%s|%s|%s|%s|%s\n", arch, variant, name, res, substr(det, 1, 120)
	reported++
	if (bench != "" && name == "sud_bench")
		printf "%s", out >bench
	out = ""
	inbench = 0
}
END {
	if (bootrc == 124)
		det = "qemu killed by timeout"
	else if (panic)
		det = substr(panic, 1, 100)
	else if (plan == "")
		det = "no TAP plan: init never ran (qemu rc=" bootrc ")"
	else if (reported < plan)
		det = (plan - reported) " of " plan " tests never reported: the VM crashed or hung"
	else if (!done)
		det = "no '# SUDVM DONE' (qemu rc=" bootrc ")"
	else if (bootrc != 0)
		det = "qemu exited with rc=" bootrc
	else
		det = ""
	printf "%s|%s|(boot)|%s|%s\n", arch, variant, det == "" ? "PASS" : "FAIL",
	       det == "" ? reported " tests" : det
}
