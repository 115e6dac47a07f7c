# shellcheck shell=sh disable=SC2034
# Boots one kernel + initramfs under qemu-system, console to a log file.

OPENSBI_DIR=/usr/lib/riscv64-linux-gnu/opensbi/generic

# kvm_maybe: /dev/kvm is there and qemu can initialise the KVM accelerator.
# That is not enough (a nested /dev/kvm may run firmware but hang the kernel),
# so boot() also watches the first KVM boot and falls back to TCG.
kvm_maybe() {
	if [ -z "${KVM_OK:-}" ]; then
		KVM_OK=no
		if [ "${KERNEL_NO_KVM:-0}" != 1 ] && [ -r /dev/kvm ] && [ -w /dev/kvm ] &&
			printf 'quit\n' | timeout 20 qemu-system-x86_64 -machine none,accel=kvm \
				-nodefaults -display none -monitor stdio >/dev/null 2>&1; then
			KVM_OK=maybe
		fi
		log "x86_64: KVM: $KVM_OK"
	fi
	[ "$KVM_OK" != no ]
}

# boot_timeout MANIFEST VARIANT: the wall-clock limit of one boot. Every test
# that the VM's init runs has its own limit (timeout= in the manifest, else
# KERNEL_TEST_TIMEOUT), after which init kills it and goes on with the next:
# the boot may take their sum, plus KERNEL_BOOT_SLACK for the kernel itself.
# KERNEL_BOOT_TIMEOUT, when set, overrides.
boot_timeout() {
	if [ -n "${KERNEL_BOOT_TIMEOUT:-}" ]; then
		echo "$KERNEL_BOOT_TIMEOUT"
		return
	fi
	awk -F'|' -v variant="$2" -v dflt="$KERNEL_TEST_TIMEOUT" -v slack="$KERNEL_BOOT_SLACK" '
		/^[ \t]*(#|$)/ || NF < 3 { next }
		{
			n = split($2, v, ",")
			match_ = 0
			t = dflt
			for (i = 1; i <= n; i++) {
				gsub(/ /, "", v[i])
				if (v[i] == "any" || v[i] == variant) match_ = 1
				else if (v[i] ~ /^timeout=[0-9]+$/) t = substr(v[i], 9) + 0
			}
			if (match_) sum += t
		}
		END { print sum + slack }' "$1"
}

# qemu_run LOG ARGS...: runs qemu under the wall-clock timeout; sets BOOT_RC.
# With KVM_WATCH set, gives up after $KERNEL_KVM_PROBE seconds without any
# console output and sets BOOT_RC=kvm-silent.
qemu_run() {
	_qlog=$1
	shift
	rm -f "$_qlog"
	: >"$_qlog"
	BOOT_RC=0
	timeout -k 10 "$BOOT_LIMIT" "$ARCH_QEMU" "$@" -serial "file:$_qlog" \
		</dev/null >"$_qlog.qemu" 2>&1 &
	_qpid=$!
	if [ -n "${KVM_WATCH:-}" ]; then
		_i=0
		while [ ! -s "$_qlog" ] && [ "$_i" -lt "${KERNEL_KVM_PROBE:-20}" ] &&
			kill -0 "$_qpid" 2>/dev/null; do
			sleep 1
			_i=$((_i + 1))
		done
		if [ ! -s "$_qlog" ]; then
			kill "$_qpid" 2>/dev/null || true
			wait "$_qpid" || true
			BOOT_RC=kvm-silent
			return 0
		fi
	fi
	wait "$_qpid" || BOOT_RC=$?
}

# boot ARCH VARIANT IMAGE INITRD LOG: runs qemu on $MANIFEST's tests; sets BOOT_RC (124 = timeout)
# and BOOT_ACCEL
boot() {
	_arch=$1 _variant=$2 _img=$3 _initrd=$4 _log=$5
	arch_info "$_arch"
	BOOT_LIMIT=$(boot_timeout "$MANIFEST" "$_variant")
	log "$_arch/$_variant: booting, at most $BOOT_LIMIT s (console: $_log)"
	_cmd="panic=-1 sudvariant=$_variant sudtimeout=$KERNEL_TEST_TIMEOUT"
	_common="-m 512M -smp 1 -nodefaults -display none -monitor none -no-reboot"
	case "$_arch" in
	x86_64)
		_cmd="console=ttyS0 sudpoweroff=reboot $_cmd"
		if kvm_maybe; then
			BOOT_ACCEL=kvm
			[ "$KVM_OK" = maybe ] && KVM_WATCH=1
			# shellcheck disable=SC2086
			qemu_run "$_log" -machine q35,accel=kvm -cpu host $_common \
				-kernel "$_img" -initrd "$_initrd" -append "$_cmd"
			KVM_WATCH=
			if [ "$BOOT_RC" = kvm-silent ] || { [ "$KVM_OK" = maybe ] &&
				! grep -q 'Linux version' "$_log"; }; then
				log "x86_64: no console output under KVM ($(head -c 200 "$_log.qemu")); using TCG"
				KVM_OK=no
			else
				KVM_OK=yes
				return 0
			fi
		fi
		BOOT_ACCEL=tcg
		set -- -machine q35,accel=tcg -cpu max ;;
	aarch64)
		BOOT_ACCEL=tcg
		# ci/kernel-mte boots an MTE machine instead
		# shellcheck disable=SC2086
		set -- ${KERNEL_QEMU_AARCH64:--machine virt -cpu cortex-a57}
		_cmd="console=ttyAMA0 $_cmd" ;;
	riscv64)
		_fw=$OPENSBI_DIR/fw_jump.bin
		[ -f "$_fw" ] || _fw=$OPENSBI_DIR/fw_dynamic.bin
		BOOT_ACCEL=tcg
		set -- -machine virt -bios "$_fw"
		_cmd="console=ttyS0 earlycon=sbi $_cmd" ;;
	esac
	# shellcheck disable=SC2086
	qemu_run "$_log" "$@" $_common -kernel "$_img" -initrd "$_initrd" -append "$_cmd"
}
