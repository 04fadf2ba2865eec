#!/bin/bash
# The monitor driven from a script: jet86 runs tests/monitor/monguest.c
# (-icount shift=0, COM1 to a file) with -monitor stdio fed through a
# fifo, or -monitor telnet::PORT,server,nowait reached through bash's
# /dev/tcp; each case sends command lines and checks what the monitor
# answered, what the guest printed on COM1 and jet86's exit status.
#   stdio     help, info registers, x and xp in every format and size,
#             x /3i, info mem, info tlb, screendump .txt against
#             screen.expected, screendump .png read back by pngcheck.c, sendkey (the guest prints the scan codes it
#             reads from the 8042), system_powerdown (the guest sees
#             PWRBTN_STS), bad input (one error line each, the guest runs
#             on), quit (status 0)
#   pae       info mem, info tlb and x through PAE page tables
#   stop      stop: a key sent meanwhile reaches the guest only after
#             cont, the guest's counter stands still
#   -S        -S with the monitor: no instruction runs before cont
#   reset     system_reset: the guest starts again
#   telnet    the same monitor on a TCP port
#   flags     -monitor's spelling errors
# The guest's COM1 lines and the values of info mem, info tlb (2-level and
# PAE), x and xp were compared with qemu-system-i386 7.2 running the same
# guest with its own monitor (QEMU prints 16 hex digits of address).
# Waits are bounded by --timeout seconds (the guest is deterministic; the
# wait is only for the host to get there).
#
# usage: run.sh [--emu CMD] [--guest ELF] [--pngcheck CMD] [--timeout SECS]
# Prints PASS/FAIL per case, then "monitor: N passed, M failed".
set -u

emu=./jet86
guest=build/tests/guest/monitor/monguest.elf
pngcheck=build/tests/monitor/pngcheck
tmo=60
here=$(cd "$(dirname "$0")" && pwd)
while [ $# -gt 0 ]; do
    case "$1" in
    --emu) emu=$2; shift 2 ;;
    --guest) guest=$2; shift 2 ;;
    --pngcheck) pngcheck=$2; shift 2 ;;
    --timeout) tmo=$2; shift 2 ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

. "$here/../lib/monitor.sh"
pass=0
fail=0

check() { # check DESCRIPTION CONDITION-STATUS
    [ "$2" -eq 0 ] || err "$1"
}
has_out() { grep -qF -- "$1" "$tmp/out"; }

# start [EXTRA FLAGS]: jet86 running the guest, until it is ready
start() {
    mon_start $emu -kernel "$guest" -icount shift=0 -display none "$@"
    wait_for "$tmp/com1" ready
}

# finish CASE: close the monitor's input, wait for jet86, report
finish() {
    mon_stop jet86
    if [ -z "$errs" ]; then
        echo "PASS $1"
        pass=$((pass + 1))
    else
        echo "FAIL $1:$errs"
        echo "  --- monitor output:"
        sed 's/^/  | /' "$tmp/out" | tail -40
        echo "  --- COM1:"
        sed 's/^/  | /' "$tmp/com1" 2>/dev/null | tail -20
        echo "  --- stderr:"
        sed 's/^/  | /' "$tmp/err" | tail -10
        fail=$((fail + 1))
    fi
    errs=""
}

# ---- stdio: the commands one by one ----
start -monitor stdio
cmd help
has_out "info registers         the CPU state"; check "help lists info registers" $?
has_out "quit                   exit jet86 (also q)"; check "help lists quit" $?
cmd "info registers"
grep -qE '^(\(jet86\) )?EAX=[0-9a-f]{8} EBX=' "$tmp/out"; check "info registers: EAX" $?
grep -qE '^EIP=001[0-9a-f]{5} EFL=' "$tmp/out"; check "info registers: EIP in the guest" $?
has_out "CS =0008 00000000 ffffffff 00c09b00"; check "info registers: CS" $?
grep -qE '^CR0=e0000011 CR2=00000000 CR3=[0-9a-f]{5}000 CR4=00000010' "$tmp/out"
check "info registers: CR0 with PG, CR4 with PSE" $?
cmd "x /4x 0x40000000"
has_out "40000000: 0x12345678 0xdeadbeef 0xcafef00d 0x00000000"; check "x /4x linear" $?
cmd "xp /4x 0x200000"
has_out "0000000000200000: 0x12345678 0xdeadbeef 0xcafef00d 0x00000000"
check "xp /4x physical" $?
cmd "xp /2xh 0x200000"
has_out "0000000000200000: 0x5678 0x1234"; check "xp /2xh" $?
cmd "xp /xg 0x200000"
has_out "0000000000200000: 0xdeadbeef12345678"; check "xp /xg" $?
cmd "x /2dw 0x40000004"
has_out "40000004: -559038737 -889262067"; check "x /2d" $?
cmd "x/u 0x40000004"
has_out "40000004: 3735928559"; check "x/u (the last size kept, as QEMU)" $?
cmd "xp /3xb 0x200000"
has_out "0000000000200000: 0x78 0x56 0x34"; check "xp /3xb" $?
cmd "xp /ow 0x200008"
has_out "0000000000200008: 031277570015"; check "xp /o" $?
cmd "x /6c 0x40000010"
has_out "40000010: 'j' 'e' 't' '8' '6' '!'"; check "x /6c" $?
cmd "x /3i 0x40000100"
has_out "0x40000100:  nop" && has_out "0x40000101:  mov eax, 0x12345678" &&
    has_out "0x40000106:  ret"
check "x /3i disassembles" $?
cmd "info mem"
has_out "00000000-00400000 00400000 -rw" &&
    has_out "40000000-40001000 00001000 ur-" &&
    has_out "40001000-40002000 00001000 -rw"
check "info mem: the three ranges and their rights" $?
cmd "info tlb"
has_out "40000000: 000200000 -------U-" && has_out "40001000: 000201000 --------W" &&
    has_out "00000000: 000000000 --PDA---W"
check "info tlb: the large page and the two small ones" $?
cmd "screendump $tmp/screen.txt"
cmp -s "$tmp/screen.txt" "$here/screen.expected"; check "screendump .txt = screen.expected" $?
cmd "screendump $tmp/screen.png"
# 9x16 cells: (5,2) is the dot of the first line's "j"
$pngcheck "$tmp/screen.png" -r 0 31 0,0 5,2 719,399 >"$tmp/png" 2>&1
printf '%s\n' "size 720 400" "pixel 0 0 000000" "pixel 5 2 aaaaaa" \
    "pixel 719 399 000000" "colours 000000 aaaaaa" "lit 0-31 626" |
    cmp -s - "$tmp/png"
check "screendump .png: 720x400, the two lines in light grey: $(tr '\n' ' ' <"$tmp/png")" $?
$pngcheck "$tmp/screen.png" -r 32 399 >"$tmp/png" 2>&1
grep -qx "lit 32-399 0" "$tmp/png"; check "screendump .png: nothing below the two lines" $?
cmd "sendkey shift-a"
wait_for "$tmp/com1" "key aa"
cmd "system_powerdown"
wait_for "$tmp/com1" "power button"
# set 1 (the guest turned translation on): the same under QEMU
printf 'key 2a\nkey 1e\nkey 9e\nkey aa\n' >"$tmp/keys"
tr -d "\r" <"$tmp/com1" | grep "^key" | cmp -s - "$tmp/keys"
check "sendkey shift-a: pressed in order, released in reverse" $?
# bad input: one error line each, and the guest runs on
before=$(grep -c . "$tmp/out")
cmd "foo"
has_out "unknown command: 'foo' (try help)"; check "unknown command" $?
cmd "x /4x 0x40002000"
has_out "Cannot access memory at 0x40002000"; check "x: an unmapped address" $?
cmd "xp /x 0x1000000000"
has_out "Cannot access memory at 0x1000000000"; check "xp: past the physical space" $?
cmd "xp"
has_out "xp: missing address"; check "xp: missing address" $?
cmd "x /4q 0"
has_out "x: invalid format 'q'"; check "x: bad format" $?
cmd "x /4x nowhere"
has_out "x: bad address 'nowhere'"; check "x: bad address" $?
cmd "screendump $tmp/nodir/a.txt"
has_out "screendump: $tmp/nodir/a.txt: No such file or directory"
check "screendump: unwritable file" $?
cmd "screendump $tmp/a.bmp"
has_out "the name must end in .png or .txt"; check "screendump: bad suffix" $?
cmd "screendump"
has_out "screendump: expected one FILE"; check "screendump: missing file" $?
cmd "sendkey nokey"
has_out "sendkey: unknown key 'nokey'"; check "sendkey: unknown key" $?
cmd "info nothing"
has_out "info: unknown item 'nothing'"; check "info: unknown item" $?
cmd "stop now"
has_out "stop: takes no argument"; check "stop: an argument" $?
cmd "x /x $(printf '%01100d' 0)"
has_out "line too long (at most 1023 characters)"; check "a line too long" $?
after=$(grep -c . "$tmp/out")
[ $((after - before)) -eq 13 ]; check "one line per error ($((after - before)) for 13)" $?
cmd "sendkey ret"
wait_for "$tmp/com1" "key 9c"
cmd quit
finish stdio
[ "$(cat "$tmp/status" 2>/dev/null)" = 0 ] || { echo "FAIL stdio: quit: exit status $(cat "$tmp/status" 2>/dev/null)"; fail=$((fail + 1)); }

# ---- PAE page tables ----
start -monitor stdio -append pae
cmd "info registers"
grep -qE '^CR0=e0000011 CR2=00000000 CR3=[0-9a-f]{8} CR4=00000020' "$tmp/out"
check "info registers: CR4 with PAE" $?
cmd "x /4x 0x40000000"
has_out "40000000: 0x12345678 0xdeadbeef 0xcafef00d 0x00000000"; check "PAE: x /4x" $?
cmd "info mem"
has_out "00000000-00400000 00400000 -rw" &&
    has_out "40000000-40001000 00001000 ur-" &&
    has_out "40001000-40002000 00001000 -rw"
check "PAE: info mem" $?
cmd "info tlb"
has_out "00000000: 000000000 --PDA---W" && has_out "00200000: 000200000 --PDA---W" &&
    has_out "40000000: 000200000 -------U-" && has_out "40001000: 000201000 --------W"
check "PAE: info tlb" $?
cmd "x /x 0x40002000"
has_out "Cannot access memory at 0x40002000"; check "PAE: an unmapped address" $?
cmd quit
finish pae

# ---- stop and cont ----
start -monitor stdio
cmd stop
cmd "xp /x 0x200020"
c1=$(grep -oE '0000000000200020: 0x[0-9a-f]+' "$tmp/out" | tail -1)
cmd "sendkey ret"
cmd "info registers"
sleep 0.5
cmd "xp /x 0x200020"
c2=$(grep -oE '0000000000200020: 0x[0-9a-f]+' "$tmp/out" | tail -1)
[ -n "$c1" ] && [ "$c1" = "$c2" ]; check "stopped: the counter stands still ($c1, $c2)" $?
! grep -q "key 1c" "$tmp/com1"; check "stopped: the key waits" $?
cmd cont
wait_for "$tmp/com1" "key 9c"
cmd "xp /x 0x200020"
c3=$(grep -oE '0000000000200020: 0x[0-9a-f]+' "$tmp/out" | tail -1)
[ "$c3" != "$c2" ]; check "cont: the counter runs again" $?
cmd quit
finish stop

# ---- -S: stopped before the first instruction ----
mon_start $emu -kernel "$guest" -icount shift=0 -display none -S -monitor stdio
wait_for "$tmp/out" "(jet86) "
cmd "info registers"
sleep 0.5
[ ! -s "$tmp/com1" ]; check "-S: nothing runs before cont" $?
grep -qE '^(\(jet86\) )?EAX=' "$tmp/out"; check "-S: the monitor answers" $?
cmd cont
wait_for "$tmp/com1" ready
cmd quit
finish -S

# ---- system_reset ----
start -monitor stdio
cmd system_reset
wait_for "$tmp/com1" ready 2
cmd "x /4x 0x40000000"
has_out "40000000: 0x12345678 0xdeadbeef 0xcafef00d 0x00000000"; check "the guest ran again" $?
cmd quit
finish reset

# ---- telnet ----
port=$(( (($$ * 7) % 20000) + 30000 ))
start -monitor "telnet::$port,server,nowait"
t=0
until exec 4<>"/dev/tcp/127.0.0.1/$port" 2>/dev/null; do
    t=$((t + 1)); [ $t -gt 50 ] && break; sleep 0.1
done
printf 'info registers\r\nbad\r\nquit\r\n' >&4
cat <&4 >"$tmp/out" 2>/dev/null
exec 4>&-
has_out "jet86 monitor - type 'help' for more information"; check "telnet: the banner" $?
grep -qE '^EIP=001[0-9a-f]{5} ' "$tmp/out"; check "telnet: info registers" $?
has_out "unknown command: 'bad'"; check "telnet: an error" $?
finish telnet
[ "$(cat "$tmp/status" 2>/dev/null)" = 0 ] || { echo "FAIL telnet: quit: exit status $(cat "$tmp/status" 2>/dev/null)"; fail=$((fail + 1)); }

# ---- the flag's spelling ----
for bad in "tcp::4444" "telnet::4444" "vc"; do
    $emu -kernel "$guest" -serial none -monitor "$bad" >/dev/null 2>"$tmp/err"
    st=$?
    if [ $st -eq 1 ] && grep -q "^jet86: -monitor $bad: expected stdio, none or" "$tmp/err"; then
        pass=$((pass + 1)); echo "PASS flags: -monitor $bad"
    else
        fail=$((fail + 1)); echo "FAIL flags: -monitor $bad (status $st)"; cat "$tmp/err"
    fi
done
$emu -kernel "$guest" -monitor stdio </dev/null >/dev/null 2>"$tmp/err"
st=$?
if [ $st -eq 1 ] && grep -q "stdio is COM1's already" "$tmp/err"; then
    pass=$((pass + 1)); echo "PASS flags: -monitor stdio beside -serial stdio"
else
    fail=$((fail + 1)); echo "FAIL flags: -monitor stdio beside -serial stdio (status $st)"
fi

echo "monitor: $pass passed, $fail failed"
[ $fail -eq 0 ]
