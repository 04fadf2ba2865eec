#!/bin/sh
# tests/gdb/run.sh - the gdb stub (-gdb, -s, -S) driven by Debian's gdb.
#
# 1. Protected mode (tests/guest/hello.elf, with its symbols): a write
#    watchpoint on a variable the runtime sets, a breakpoint on main by
#    name, continue, single steps, registers and memory read,
#    the breakpoint deleted, continue to the end: gdb hears the exit code,
#    and the guest's COM1 output and its instruction count (-icount, -d
#    icount) are those of a run without gdb.
# 2. Real mode (the firmware image tests/firmware/hello_rom.rom under
#    -bios): gdb is told the target is i8086 and disassembles 16-bit code
#    at the linear CS:IP; a step, a breakpoint at a linear address,
#    register (general and x87) and memory writes read back, and gdb's
#    interrupt (Ctrl-C)
#    stops the guest halted in its final loop; kill ends jet86.
#
# usage: run.sh --emu "RUNNER JET86" --guest DIR --rom FILE
set -u
emu=./jet86
guest=build/tests/guest
rom=build/tests/firmware/hello_rom.rom
here=$(cd "$(dirname "$0")" && pwd)
while [ $# -gt 0 ]; do
    case "$1" in
    --emu) emu=$2; shift 2 ;;
    --guest) guest=$2; shift 2 ;;
    --rom) rom=$2; shift 2 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
if ! command -v gdb >/dev/null 2>&1; then
    echo "FAIL gdb: gdb is not installed (apt-get install gdb)"
    exit 1
fi
tmp=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

# start_jet86 OUT ARGS...: jet86 -S on a free port ($port), in the
# background ($pid), once it waits for gdb.
start_jet86() {
    out=$1
    shift
    port=$((20000 + $$ % 20000))
    for try in 1 2 3 4 5 6 7 8; do
        port=$((port + try))
        $emu -S -gdb tcp::$port "$@" >"$out" 2>"$out.err" </dev/null &
        pid=$!
        for i in $(seq 100); do
            grep -q "waiting for gdb" "$out.err" 2>/dev/null && return 0
            kill -0 $pid 2>/dev/null || break
            sleep 0.05
        done
        wait $pid 2>/dev/null
        pid=
        grep -q "cannot listen" "$out.err" || break
    done
    echo "  jet86 did not start its gdb stub:"
    sed 's/^/  /' "$out.err"
    return 1
}

# finish: jet86's exit status ($st), killed if it is still there after 30 s
finish() {
    for i in $(seq 600); do
        kill -0 $pid 2>/dev/null || break
        sleep 0.05
    done
    kill $pid 2>/dev/null
    wait $pid
    st=$?
    pid=
}

# has FILE PATTERN WHAT: the gdb transcript has a line matching PATTERN
has() {
    if grep -Eq "$2" "$1"; then
        ok "$3"
    else
        bad "$3 (no line matching '$2' in gdb's output)"
        sed 's/^/  | /' "$1" | head -40
    fi
}

# ---- 1. protected mode, determinism ----
elf=$guest/hello.elf
args="-nographic -no-reboot -icount shift=0 -device isa-debug-exit,iobase=0xf4,iosize=4"
$emu $args -d icount -D "$tmp/plain.log" -kernel "$elf" >"$tmp/plain.out" 2>"$tmp/plain.err" </dev/null
if start_jet86 "$tmp/pm.out" $args -d icount -D "$tmp/pm.log" -kernel "$elf"; then
    timeout 60 gdb -q -nx -batch "$elf" \
        -ex "target remote :$port" \
        -ex "watch *(int *)&rt_mb_magic" -ex "continue" -ex "delete" \
        -ex "break main" -ex "continue" \
        -ex "stepi" -ex "stepi" -ex "stepi" \
        -ex "info registers eip cs eflags" \
        -ex 'x/4xb $pc' \
        -ex "delete" -ex "continue" >"$tmp/pm.gdb" 2>&1
    finish
    has "$tmp/pm.gdb" "^Hardware watchpoint 1: \*\(int \*\)&rt_mb_magic" "gdb: a hardware watchpoint on a variable"
    has "$tmp/pm.gdb" "^New value = 732803074" "gdb: the watchpoint stops right after the write (0x2badb002)"
    has "$tmp/pm.gdb" "^Breakpoint 2, 0x[0-9a-f]+ in main \(\)" "gdb: a breakpoint on main by name"
    has "$tmp/pm.gdb" "^eip +0x[0-9a-f]+ +0x[0-9a-f]+ <main\+[0-9]+>" "gdb: three single steps stay in main"
    has "$tmp/pm.gdb" "^cs +0x8 +8" "gdb: segment registers (CS = the runtime's 0x08)"
    has "$tmp/pm.gdb" "^0x[0-9a-f]+ <main\+[0-9]+>:(\s+0x[0-9a-f]{2}){4}" "gdb: memory at the pc"
    has "$tmp/pm.gdb" "exited with code 01" "gdb: hears the guest's exit status"
    tr -d '\r' <"$tmp/pm.out" >"$tmp/pm.txt"
    if [ "$st" = 1 ] && cmp -s "$tmp/plain.out" "$tmp/pm.out" &&
        cmp -s "$here/../guest/hello.expected" "$tmp/pm.txt"; then
        ok "hello under gdb: the expected COM1 output, exit status 1"
    else
        bad "hello under gdb: exit status $st, output differs from a run without gdb"
        diff "$tmp/plain.out" "$tmp/pm.out" | head -5
    fi
    a=$(sed -n 's/^icount: \([0-9]*\) guest.*/\1/p' "$tmp/plain.log")
    b=$(sed -n 's/^icount: \([0-9]*\) guest.*/\1/p' "$tmp/pm.log")
    if [ -n "$a" ] && [ "$a" = "$b" ]; then
        ok "hello under gdb: the same $a instructions as without gdb (-icount)"
    else
        bad "hello under gdb: ${b:-?} instructions, ${a:-?} without gdb"
    fi
else
    bad "gdb: protected-mode session"
fi

# ---- 2. real mode, writes, interrupt ----
# No isa-debug-exit: the image halts for ever at its end.
if start_jet86 "$tmp/rm.out" -nographic -no-reboot -icount shift=0 -bios "$rom" \
        -debugcon file:"$tmp/rm.dbg"; then
    {
        echo "target remote :$port"
        echo "show architecture"
        echo 'x/i $pc'
        echo "stepi"
        echo "info registers eip cs"
        echo "break *0xf0003"
        echo "continue"
        echo 'set $old = $eax'
        echo 'set $eax = 0x1234abcd'
        echo 'p/x $eax'
        echo 'set $eax = $old'
        echo 'set $st0 = 1.5'
        echo 'p $st0'
        echo "set {int}0x7000 = 0x55aa1234"
        echo "x/xw 0x7000"
        echo "delete"
        echo "continue &"
        sleep 1
        echo "interrupt"
        sleep 1
        echo 'x/2i $pc-1'
        echo "kill"
        echo "quit"
    } | timeout 60 gdb -q -nx >"$tmp/rm.gdb" 2>&1
    finish
    has "$tmp/rm.gdb" 'currently "i8086"' "gdb: connected in real mode, the target is i8086"
    has "$tmp/rm.gdb" "0xfffffff0:\s+ljmp\s+\\\$0xf000,\\\$0x0" "gdb: 16-bit code at the reset vector (linear F000:FFF0)"
    has "$tmp/rm.gdb" "(^|\(gdb\) )eip +0xf0000 " "gdb: a step of the far jump lands at linear F000:0000"
    has "$tmp/rm.gdb" "(^|\(gdb\) )Breakpoint 1, 0x000f0003" "gdb: a breakpoint at a real-mode linear address"
    has "$tmp/rm.gdb" "= 0x1234abcd" "gdb: a register written and read back"
    has "$tmp/rm.gdb" "(^|\(gdb\) )0x7000:\s+0x55aa1234" "gdb: memory written and read back"
    has "$tmp/rm.gdb" "= 1.5$" "gdb: an x87 register (st0) written and read back"
    has "$tmp/rm.gdb" "Program received signal SIGINT" "gdb: Ctrl-C stops the running guest"
    has "$tmp/rm.gdb" "=> 0xf[0-9a-f]+:\s+jmp" "gdb: stopped in the image's final HLT loop"
    has "$tmp/rm.gdb" "killed" "gdb: kill ends jet86"
else
    bad "gdb: real-mode session"
fi

echo "gdb: $pass passed, $fail failed"
[ "$fail" = 0 ]
