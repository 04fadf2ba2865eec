#!/bin/sh
# Runs guest test programs under Bochs, the reference where QEMU's TCG
# departs from the SDM (a program with NAME.qemu-expected): Bochs has no
# Multiboot loader, so each program's loadable image goes into a ROM
# (rt/bochs_rom.asm) that copies it to 1 MiB and jumps to its entry. COM1
# goes to a file; Bochs has no isa-debug-exit, so rt_exit ends the run
# through Bochs's shutdown port (or the timeout does). Bochs keeps
# real-time devices (the PIT), so programs that count ticks or iterations
# are not for it. Prints PASS/FAIL per program and "bochs: N passed, M
# failed".
#
# usage: bochs.sh [--dir BUILD_DIR] [--timeout SECS] NAME...
#   the programs must be built (make guest-progs); needs bochs, nasm,
#   objcopy and nm.
set -u
here=$(cd "$(dirname "$0")" && pwd)
dir=$(cd "$here/../.." && pwd)/build/tests/guest
tmo=120
while [ $# -gt 0 ]; do
    case "$1" in
    --dir) dir=$2; shift 2 ;;
    --timeout) tmo=$2; shift 2 ;;
    --*) echo "bochs.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
done
[ $# -gt 0 ] || { echo "usage: bochs.sh [--dir DIR] [--timeout SECS] NAME..." >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
for n in "$@"; do
    elf=$dir/$n.elf
    objcopy -O binary "$elf" "$tmp/$n.bin" || { fail=$((fail + 1)); continue; }
    entry=$(nm "$elf" | awk '$3 == "_start" { print "0x" $1 }')
    nasm -f bin -DPAYLOAD="\"$tmp/$n.bin\"" -DENTRY="$entry" \
        -o "$tmp/rom.bin" "$here/rt/bochs_rom.asm" || { fail=$((fail + 1)); continue; }
    cat > "$tmp/bochsrc" <<EOR
megs: 128
romimage: file=$tmp/rom.bin, address=0xfffe0000
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
display_library: term
com1: enabled=1, mode=file, dev=$tmp/com1
speaker: enabled=0
log: $tmp/bochs.log
panic: action=fatal
EOR
    : > "$tmp/com1"
    # Bochs's debugger is told to continue; it takes SIGTERM as a break
    # into the debugger, so the timeout sends SIGKILL.
    echo c > "$tmp/in"
    TERM=dumb timeout -s KILL "$tmo" bochs -q -f "$tmp/bochsrc" \
        < "$tmp/in" > "$tmp/raw" 2> "$tmp/err"
    tr -d '\r' < "$tmp/com1" > "$tmp/out"
    if cmp -s "$tmp/out" "$here/$n.expected"; then
        echo "PASS $n [bochs]"
        pass=$((pass + 1))
    else
        echo "FAIL $n [bochs]: output differs"
        diff -u "$here/$n.expected" "$tmp/out" | head -40
        fail=$((fail + 1))
    fi
done
echo "bochs: $pass passed, $fail failed"
[ "$fail" = 0 ]
