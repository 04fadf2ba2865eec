#!/bin/sh
# tests/boot/run.sh - boots the Linux guest of tests/boot/prepare.sh (a
# Debian i386 kernel and a busybox initramfs) headless on COM1 and checks
# that the lines of tests/boot/linux.expected appear in the console output,
# in that order (each line is a fixed string that must start a line, or
# appear in it). The guest's /init powers the machine off through ACPI
# (\_S5), which ends the emulator with status 0.
#
# usage: tests/boot/run.sh --emu jet86|qemu [--cmd EMULATOR] [--backend
#          "NAME..."] [--cache DIR] [--timeout SECONDS]
#   jet86: deterministic (-icount shift=0), on each backend named ("all":
#          those the binary lists, -accel tcg,backend=help); prints
#          the wall time and the guest instructions executed (-d icount)
#   qemu:  qemu-system-i386 (TCG) as the reference, wall time
# The closing line says how many boots passed and failed.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
emu=jet86
cmd=
backends=x86_64
cache=
timeout_s=600
while [ $# -gt 0 ]; do
    case "$1" in
    --emu) emu=$2; shift 2 ;;
    --cmd) cmd=$2; shift 2 ;;
    --backend) backends=$2; shift 2 ;;
    --cache) cache=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    *) echo "usage: $0 --emu jet86|qemu [--cmd EMU] [--backend \"NAMES\"] [--cache DIR] [--timeout S]" >&2
       exit 2 ;;
    esac
done

dir=$("$here/prepare.sh" $cache) || exit 1
out_dir=${BUILD:-build}/tests/boot
mkdir -p "$out_dir"
append="console=ttyS0"
pass=0
fail=0

# check_lines OUT: every expected line, in order, in OUT.
check_lines() {
    tr -d '\r' < "$1" | awk -v wantfile="$here/linux.expected" '
        BEGIN { k = 0; while ((getline l < wantfile) > 0) want[n++] = l }
        k < n && index($0, want[k]) { k++ }
        END { if (k < n) { print "missing: " want[k]; exit 1 } }'
}

# boot NAME COMMAND...: run it, check its output and how it ended.
boot() {
    name=$1
    shift
    out=$out_dir/$name.out
    err=$out_dir/$name.err
    t0=$(date +%s.%N)
    rc=0
    timeout "$timeout_s" "$@" >"$out" 2>"$err" </dev/null || rc=$?
    t1=$(date +%s.%N)
    wall=$(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }')
    why=
    if [ "$rc" = 124 ]; then
        why="no exit within ${timeout_s}s"
    elif [ "$rc" != 0 ] && ! { [ "$rc" = 1 ] && grep -q "triple fault" "$err"; }; then
        # The ACPI power-off ends the run with status 0; a reboot would
        # too (a reset with -no-reboot), or, where no reset register
        # answers, with the ROM's triple fault (status 1).
        why="exit status $rc"
    fi
    missing=$(check_lines "$out") || why="${why:+$why, }$missing"
    icount=$(sed -n 's/^icount: \([0-9]*\) guest instructions.*/\1/p' "$err")
    if [ -z "$why" ]; then
        pass=$((pass + 1))
        echo "PASS $name: ${wall}s${icount:+, $icount guest instructions}"
    else
        fail=$((fail + 1))
        echo "FAIL $name: $why (${wall}s; output in $out, $err)"
    fi
}

case "$emu" in
jet86)
    cmd=${cmd:-./jet86}
    if [ "$backends" = all ]; then
        # shellcheck disable=SC2086
        listed=$($cmd -accel tcg,backend=help 2>&1 | tr ',:' '  ')
        backends=
        for b in interp x86_64; do
            case " $(echo $listed) " in
            *" $b "*) backends="$backends $b" ;;
            esac
        done
        [ -n "$backends" ] || backends=interp
    fi
    for b in $backends; do
        # shellcheck disable=SC2086
        boot "linux-$b" $cmd -accel tcg,backend=$b -m 128 -nographic \
            -no-reboot -icount shift=0 -d icount \
            -kernel "$dir/vmlinuz" -initrd "$dir/initrd.gz" -append "$append"
    done ;;
qemu)
    cmd=${cmd:-qemu-system-i386}
    # shellcheck disable=SC2086
    boot linux-qemu $cmd -m 128 -nographic -no-reboot \
        -kernel "$dir/vmlinuz" -initrd "$dir/initrd.gz" -append "$append" ;;
*) echo "$0: --emu jet86 or qemu" >&2; exit 2 ;;
esac
echo "check-boot: $pass passed, $fail failed"
[ "$fail" = 0 ]
