#!/bin/sh
# Runs the guest test programs under an emulator (jet86 or qemu-system-i386),
# compares each program's COM1 output with tests/guest/NAME.expected and
# prints PASS/FAIL per program and backend, then "guest: N passed, M failed".
#
# usage: run.sh [--emu CMD] [--backend "B1 B2"|all] [--timeout SECS]
#               [--dir BUILD_DIR] [NAME...]
#   --emu CMD      emulator command (may include a runner such as
#                  qemu-aarch64-static); default ./jet86
#   --backend B    jet86 backends to run (-accel tcg,backend=B); "all" runs
#                  those the binary lists (-accel tcg,backend=help); default
#                  interp; ignored for QEMU
#   --dir DIR      where the kernels NAME.elf (or NAME.bin) are; default
#                  build/tests/guest
set -u

here=$(cd "$(dirname "$0")" && pwd)
emu=./jet86
backends=interp
tmo=120
dir=$(cd "$here/../.." && pwd)/build/tests/guest

while [ $# -gt 0 ]; do
    case "$1" in
    --emu) emu=$2; shift 2 ;;
    --backend) backends=$2; shift 2 ;;
    --timeout) tmo=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    --*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
done

if [ $# -gt 0 ]; then
    names="$*"
else
    names=$(cd "$here" && ls *.expected | sed 's/\.expected$//')
fi

# QEMU's -nographic lets SeaBIOS print on the serial line too, so QEMU gets
# the equivalent flags without the BIOS serial console.
case "$emu" in
*qemu-system*)
    is_qemu=1
    display="-display none -serial stdio"
    backends=tcg ;;
*)
    is_qemu=0
    display="-nographic" ;;
esac

if [ "$is_qemu" = 0 ] && [ "$backends" = all ]; then
    # the backends this binary lists, among those jet86 knows; interp is
    # always built, so it is the fallback when the listing is unavailable
    listed=$($emu -accel tcg,backend=help 2>&1 | tr ',:' '  ')
    backends=
    for b in interp x86_64; do
        case " $(echo $listed) " in
        *" $b "*) backends="$backends $b" ;;
        esac
    done
    [ -n "$backends" ] || backends=interp
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
skipped=0

for be in $backends; do
    if [ "$is_qemu" = 1 ]; then
        accel="-accel tcg"
    else
        accel="-accel tcg,backend=$be"
    fi
    for n in $names; do
        elf=$dir/$n.elf
        [ -f "$elf" ] || [ ! -f "$dir/$n.bin" ] || elf=$dir/$n.bin
        exp=$here/$n.expected
        label="$n [$be]"
        # Per-reference files, each for what QEMU's TCG does differently
        # from the SDM (the program's comment says what and why):
        # NAME.noqemu: QEMU cannot run it at all (the file says why);
        # NAME.qemuargs: flags QEMU alone needs (e.g. -cpu qemu32,+nx);
        # NAME.qemu-expected: QEMU's own output, compared instead.
        qextra=
        if [ "$is_qemu" = 1 ]; then
            if [ -f "$here/$n.noqemu" ]; then
                echo "SKIP $label: $(head -n 1 "$here/$n.noqemu")"
                skipped=$((skipped + 1))
                continue
            fi
            [ -f "$here/$n.qemuargs" ] && qextra=$(cat "$here/$n.qemuargs")
            [ -f "$here/$n.qemu-expected" ] && exp=$here/$n.qemu-expected
        fi
        if [ ! -f "$elf" ] || [ ! -f "$exp" ]; then
            echo "FAIL $label: missing $elf or $exp"
            fail=$((fail + 1))
            continue
        fi
        # NAME.args: extra flags for that program (quoted words allowed);
        # NAME.accel: extra -accel tcg options (e.g. tb-size=1)
        extra=
        [ -f "$here/$n.args" ] && extra=$(cat "$here/$n.args")
        acc=$accel
        [ -f "$here/$n.accel" ] && acc="$accel,$(cat "$here/$n.accel")"
        eval "timeout \"\$tmo\" \$emu \$acc -kernel \"\$elf\" \$display -no-reboot \
            -device isa-debug-exit,iobase=0xf4,iosize=4 -icount shift=0 $extra $qextra" \
            </dev/null >"$tmp/raw" 2>"$tmp/err"
        st=$?
        tr -d '\r' <"$tmp/raw" >"$tmp/out"
        why=
        if [ "$st" = 124 ]; then
            why="timed out after ${tmo}s"
        elif [ "$st" -gt 128 ]; then
            why="killed by signal $((st - 128)) (the emulator crashed)"
        else
            # NAME.status: the exit status a program ends with otherwise
            # (pm: 0, an ACPI power-off)
            want=1
            [ -f "$here/$n.status" ] && want=$(cat "$here/$n.status")
            if [ "$st" != "$want" ]; then
                why="exit status $st (expected $want"
                [ "$want" = 1 ] && why="$why: debug-exit with 0"
                why="$why)"
            fi
        fi
        if ! cmp -s "$exp" "$tmp/out"; then
            why="${why:+$why; }output differs"
        fi
        if [ -z "$why" ]; then
            echo "PASS $label"
            pass=$((pass + 1))
        else
            echo "FAIL $label: $why"
            msg=$(cmp "$exp" "$tmp/out" 2>&1)
            line=$(echo "$msg" | sed -n 's/.* line \([0-9]*\).*/\1/p')
            case "$msg" in
            *EOF*) [ -n "$line" ] && line=$((line + 1)) ;;
            esac
            case "$msg" in
            *"EOF on $tmp/out"*) [ -n "$line" ] || line=1 ;;
            esac
            if [ -n "$line" ]; then
                echo "  first difference at line $line:"
                echo "  expected: $(sed -n "${line}p" "$exp")"
                echo "  got:      $(sed -n "${line}p" "$tmp/out")"
            fi
            diff -u "$exp" "$tmp/out" | sed -n '3,30p'
            if [ -s "$tmp/err" ]; then
                echo "--- stderr:"
                tail -n 10 "$tmp/err"
            fi
            fail=$((fail + 1))
        fi
    done
done

if [ "$skipped" = 0 ]; then
    echo "guest: $pass passed, $fail failed"
else
    echo "guest: $pass passed, $fail failed, $skipped skipped (see SKIP lines)"
fi
[ "$fail" = 0 ]
