#!/bin/sh
# Runs the guest test programs under an emulator (jet86 or qemu-system-i386),
# compares each program's COM1 output with tests/guest/NAME.expected and
# prints PASS/FAIL per program and backend, then "guest: N passed, M failed".
#
# usage: run.sh [--emu CMD] [--backend "B1 B2"|all] [--timeout SECS]
#               [--dir BUILD_DIR] [NAME...]
#   --emu CMD      emulator command (may include a runner such as
#                  qemu-aarch64-static); default ./jet86
#   --backend B    jet86 backends to run (-accel tcg,backend=B); "all" asks
#                  the binary (-accel tcg,backend=help); ignored for QEMU
#   --dir DIR      where NAME.elf files are; default build/tests/guest
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
    # one backend name per line, or separated by spaces/commas
    backends=$($emu -accel tcg,backend=help 2>/dev/null | tr ',' ' ' |
        grep -v ':' | tr -s ' \t' '\n\n' | grep -E '^[a-z0-9_]+$' | tr '\n' ' ')
    [ -n "$backends" ] || backends=interp
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0

for be in $backends; do
    if [ "$is_qemu" = 1 ]; then
        accel="-accel tcg"
    else
        accel="-accel tcg,backend=$be"
    fi
    for n in $names; do
        elf=$dir/$n.elf
        exp=$here/$n.expected
        label="$n [$be]"
        if [ ! -f "$elf" ] || [ ! -f "$exp" ]; then
            echo "FAIL $label: missing $elf or $exp"
            fail=$((fail + 1))
            continue
        fi
        # shellcheck disable=SC2086
        timeout "$tmo" $emu $accel -kernel "$elf" $display -no-reboot \
            -device isa-debug-exit,iobase=0xf4,iosize=4 -icount shift=0 \
            </dev/null >"$tmp/raw" 2>"$tmp/err"
        st=$?
        tr -d '\r' <"$tmp/raw" >"$tmp/out"
        why=
        if [ "$st" = 124 ]; then
            why="timed out after ${tmo}s"
        elif [ "$st" != 1 ]; then
            why="exit status $st (expected 1: debug-exit with 0)"
        fi
        if ! cmp -s "$exp" "$tmp/out"; then
            why="${why:+$why; }output differs"
        fi
        if [ -z "$why" ]; then
            echo "PASS $label"
            pass=$((pass + 1))
        else
            echo "FAIL $label: $why"
            diff -u "$exp" "$tmp/out" | sed -n '3,40p'
            if [ -s "$tmp/err" ]; then
                echo "--- stderr:"
                tail -n 10 "$tmp/err"
            fi
            fail=$((fail + 1))
        fi
    done
done

echo "guest: $pass passed, $fail failed"
[ "$fail" = 0 ]
