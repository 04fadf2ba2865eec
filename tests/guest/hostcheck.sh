#!/bin/sh
# Second reference for the expected output: builds the guest programs that
# use only unprivileged instructions as Linux programs (rt/host.c in place
# of the bare-metal runtime), runs them on the x86 build machine's own CPU
# and compares their output with tests/guest/NAME.expected, as run.sh does
# for an emulator.  Prints PASS/FAIL/SKIP per program and a closing line.
#
# scripts/host32.sh says once whether this host runs 32-bit code.  Where it
# does, every program is built as a 32-bit program (gcc -m32), the mode it
# was written for.  Where it does not (a 64-bit kernel without IA-32
# emulation), the programs whose code means the same in 64-bit mode are
# built as 64-bit programs instead: rt/host64.h stands in for the 32-bit
# PUSH/POP/PUSHF/POPF they load and read EFLAGS with, and the program is
# linked below 4 GiB so that the addresses they keep in 32 bits still hold.
# The others (ONLY32 below) are skipped, and said so.
#
# Expected lines a run cannot print are left out of the comparison, counted
# and listed: NAME.hostskip holds extended regular expressions (one a line,
# # comments) for the lines only a bare-metal run prints (randseq's 16-bit
# pass); NAME.host64skip, for the 64-bit build, those of the sections that
# depend on 32-bit mode, which the program leaves out under #ifdef
# __x86_64__ or whose value differs there.
#
# usage: hostcheck.sh [--dir BUILD_DIR] [NAME...]
#   JET86_HOST32=yes|no forces the answer of scripts/host32.sh.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=$root/build/tests/guest/host
if [ "${1:-}" = --dir ]; then
    dir=$2
    shift 2
fi
names=${*:-"arith logic shifts rotc_of shld_shrd mul_div movs bitops bcd control strings modrm tbstress randseq memaccess cprog"}
cc=${GUEST_CC:-gcc}

# Programs that mean nothing as 64-bit code: bcd tests DAA DAS AAA AAS AAM
# AAD, which 64-bit mode does not have; randseq generates 32-bit machine
# code (INC/DEC 40+r, 32-bit PUSH and POP, disp32 addresses that 64-bit
# mode takes as RIP-relative).
ONLY32="bcd randseq"

probe=$("$root/scripts/host32.sh")
host32=$?
[ "$host32" -le 1 ] || exit 2
echo "$probe"
if [ "$host32" = 0 ]; then
    mode=32
    tag="[host]"
    cflags="-m32 -no-pie -fno-pie"
    progflags=
    ldflags="-m32 -no-pie"
    skipfiles=hostskip
else
    case $(uname -m) in
    x86_64) mode=64 ;;
    *) mode=none ;;
    esac
    tag="[host, 64-bit]"
    # -mno-red-zone: the compiler keeps nothing below the stack pointer,
    # where the asm pushes.  The programs keep addresses in uint32_t: the
    # text goes at 0x8048000 as in a 32-bit program, above the free RAM
    # host.c maps at 3-128 MiB and below 4 GiB, with the data after it.
    cflags="-m64 -no-pie -fno-pie -mno-red-zone -Wno-pointer-to-int-cast -Wno-int-to-pointer-cast"
    progflags="-include rt/host64.h"
    ldflags="-m64 -no-pie -Wl,-Ttext-segment=0x8048000"
    skipfiles="hostskip host64skip"
fi

mkdir -p "$dir"
pass=0
fail=0
skip=0
unchecked=0
if [ "$mode" != none ] &&
   ! $cc $cflags -O2 -std=gnu11 -I"$here" -DRT_HOST -c "$here/rt/host.c" -o "$dir/host.o"; then
    echo "hostcheck.sh: cannot build rt/host.c ($cc $cflags)" >&2
    host_o_failed=1
else
    host_o_failed=0
fi
for n in $names; do
    exe=$dir/$n
    case $mode:" $ONLY32 " in
    none:*)
        echo "SKIP $n [host]: skipped: this host runs no x86 code"
        skip=$((skip + 1))
        continue ;;
    64:*" $n "*)
        echo "SKIP $n [host]: skipped: this host runs no 32-bit code"
        skip=$((skip + 1))
        continue ;;
    esac
    rm -f "$exe" "$exe.o"
    if [ "$host_o_failed" = 1 ] ||
       ! $cc $cflags $progflags -O2 -std=gnu11 -fno-builtin -I"$here" -DRT_HOST -Dmain=guest_main \
            -Wno-builtin-declaration-mismatch -c "$here/$n.c" -o "$exe.o" ||
       ! $cc $ldflags -o "$exe" "$exe.o" "$dir/host.o"; then
        echo "FAIL $n $tag: build failed"
        fail=$((fail + 1))
        continue
    fi
    # the patterns of the skip files that apply, without comments
    : >"$exe.skip"
    for s in $skipfiles; do
        [ -f "$here/$n.$s" ] && sed -e '/^#/d' -e '/^$/d' "$here/$n.$s" >>"$exe.skip"
    done
    note=
    if [ -s "$exe.skip" ]; then
        grep -Ev -f "$exe.skip" "$here/$n.expected" >"$exe.exp"
        grep -E -f "$exe.skip" "$here/$n.expected" >"$exe.unchecked"
        k=$(wc -l <"$exe.unchecked")
        unchecked=$((unchecked + k))
        files=$(for s in $skipfiles; do [ -f "$here/$n.$s" ] && printf ' %s' "$n.$s"; done)
        note=" ($k of $(wc -l <"$here/$n.expected") expected lines not checked:$files)"
    else
        cp "$here/$n.expected" "$exe.exp"
        : >"$exe.unchecked"
    fi
    ok=0
    if "$exe" >"$exe.raw" 2>"$exe.err"; then
        ok=1
    fi
    if [ -s "$exe.skip" ]; then
        grep -Ev -f "$exe.skip" "$exe.raw" >"$exe.out"
    else
        cp "$exe.raw" "$exe.out"
    fi
    if [ "$ok" = 1 ] && cmp -s "$exe.exp" "$exe.out"; then
        echo "PASS $n $tag$note"
        pass=$((pass + 1))
    else
        echo "FAIL $n $tag$note"
        diff -u "$exe.exp" "$exe.out" | sed -n '3,30p'
        sed -n '1,5p' "$exe.err"
        fail=$((fail + 1))
    fi
    sed 's/^/    not checked: /' "$exe.unchecked"
done
summary="guest on host CPU: $pass passed, $fail failed"
if [ "$skip" -gt 0 ]; then
    if [ "$mode" = none ]; then
        summary="$summary, $skip skipped (this host runs no x86 code)"
    else
        summary="$summary, $skip skipped (this host runs no 32-bit code)"
    fi
fi
if [ "$unchecked" -gt 0 ]; then
    summary="$summary; $unchecked expected lines not checked (listed above)"
fi
echo "$summary"
[ "$fail" = 0 ]
