#!/bin/sh
# Second reference for the expected output: builds the guest programs that
# use only unprivileged instructions as 32-bit Linux programs (rt/host.c in
# place of the bare-metal runtime), runs them on the x86 build machine's own
# CPU and compares their output with tests/guest/NAME.expected, as run.sh
# does for an emulator.  Prints PASS/FAIL per program and a closing line.
# NAME.hostskip, when present, holds an extended regular expression for the
# expected lines that only a bare-metal run prints (randseq's 16-bit pass).
# usage: hostcheck.sh [--dir BUILD_DIR] [NAME...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
dir=$(cd "$here/../.." && pwd)/build/tests/guest/host
if [ "${1:-}" = --dir ]; then
    dir=$2
    shift 2
fi
names=${*:-"arith logic shifts shld_shrd mul_div movs bitops bcd control strings modrm tbstress randseq memaccess cprog"}
cc=${GUEST_CC:-gcc}
mkdir -p "$dir"
pass=0
fail=0
for n in $names; do
    exe=$dir/$n
    if ! $cc -m32 -O2 -no-pie -fno-pie -std=gnu11 -fno-builtin -I"$here" -DRT_HOST -Dmain=guest_main \
            -Wno-builtin-declaration-mismatch -c "$here/$n.c" -o "$exe.o" ||
       ! $cc -m32 -O2 -no-pie -fno-pie -std=gnu11 -I"$here" -DRT_HOST -c "$here/rt/host.c" -o "$dir/host.o" ||
       ! $cc -m32 -no-pie -o "$exe" "$exe.o" "$dir/host.o"; then
        echo "FAIL $n [host]: build failed"
        fail=$((fail + 1))
        continue
    fi
    if [ -f "$here/$n.hostskip" ]; then
        grep -Ev -f "$here/$n.hostskip" "$here/$n.expected" >"$exe.exp"
    else
        cp "$here/$n.expected" "$exe.exp"
    fi
    if "$exe" >"$exe.out" 2>"$exe.err" && cmp -s "$exe.exp" "$exe.out"; then
        echo "PASS $n [host]"
        pass=$((pass + 1))
    else
        echo "FAIL $n [host]"
        diff -u "$exe.exp" "$exe.out" | sed -n '3,30p'
        fail=$((fail + 1))
    fi
done
echo "guest on host CPU: $pass passed, $fail failed"
[ "$fail" = 0 ]
