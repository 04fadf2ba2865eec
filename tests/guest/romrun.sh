#!/bin/sh
# Runs the ROM build of the guest test programs (NAME.rom: the program
# behind the reset stub rt/rom_entry.asm, built by rom.mk) under jet86
# -bios, qemu-system-i386 -bios or Bochs, compares what each prints on the debug console
# (port 0xE9) with the expected output and prints PASS/FAIL/SKIP per
# program (and backend), then "guest-rom: N passed, M failed, K skipped".
#
# usage: romrun.sh --emu jet86|qemu|bochs [--cmd CMD] [--backend "B1 B2"|all]
#                  [--dir DIR] [--timeout SECS] [NAME...]
#   --cmd CMD   the emulator command (default ./jet86, qemu-system-i386,
#               bochs); may include
#               a runner such as qemu-aarch64-static
#   --backend   jet86's backends (all: those the binary lists; default all)
#   --dir DIR   where the NAME.rom images are (default build/tests/guest/rom)
#
# Per-program files beside NAME.expected:
#   NAME.norom           no ROM build (first line: why); SKIP everywhere
#   NAME.rom-expected    the ROM build's output where it differs from the
#                        Multiboot build's by design (e.g. the boot magic)
#   NAME.nobochs         Bochs cannot run it (first line: why); SKIP
#   NAME.bochs-expected  Bochs's own output where Bochs departs from the SDM
#                        (the program's comment says what and which section)
#   NAME.noqemu, NAME.qemuargs, NAME.qemu-expected: under QEMU, as for run.sh
#   NAME.rom-qemu-expected  QEMU's output in the ROM build where it differs
#                        from its Multiboot run (there SeaBIOS ran first and
#                        left state behind, e.g. msr: MTRR_DEF_TYPE 0xc06)
#   NAME.args            extra jet86 and QEMU flags, as for run.sh
#   NAME.accel           extra -accel tcg options, as for run.sh
#   NAME.status          the exit status expected instead of 1, as for run.sh
set -u

here=$(cd "$(dirname "$0")" && pwd)
emu=jet86
cmd=
backends=all
tmo=120
dir=$(cd "$here/../.." && pwd)/build/tests/guest/rom

while [ $# -gt 0 ]; do
    case "$1" in
    --emu) emu=$2; shift 2 ;;
    --cmd) cmd=$2; shift 2 ;;
    --backend) backends=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --timeout) tmo=$2; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    --*) echo "romrun.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
done

case "$emu" in
jet86) cmd=${cmd:-./jet86} ;;
qemu) cmd=${cmd:-qemu-system-i386}; backends=tcg ;;
bochs) cmd=${cmd:-bochs}; backends=bochs ;;
*) echo "romrun.sh: --emu jet86, qemu or bochs" >&2; exit 2 ;;
esac

if [ "$emu" = jet86 ] && [ "$backends" = all ]; then
    listed=$($cmd -accel tcg,backend=help 2>&1 | tr ',:' '  ')
    backends=
    for b in interp x86_64; do
        case " $(echo $listed) " in
        *" $b "*) backends="$backends $b" ;;
        esac
    done
    [ -n "$backends" ] || backends=interp
fi

if [ $# -gt 0 ]; then
    names="$*"
else
    names=$(cd "$here" && ls *.expected | sed 's/\.expected$//')
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# Bochs: the image at the top of 4 GiB as the only ROM (no VGA BIOS: the
# programs print on port 0xE9 only), headless (the term display, no sound),
# its debugger told to continue. Bochs's clock follows the instruction
# count (sync=none, the default), so runs are deterministic. What the
# program printed is what comes between the debugger's "c" and Bochs's
# exit report.
run_bochs() {
    rom=$1
    ips=$2
    size=$(wc -c < "$rom")
    addr=$(printf '0x%x' $((4294967296 - size)))
    cat > "$tmp/bochsrc" <<EOR
megs: 128
romimage: file=$rom, address=$addr
display_library: term
port_e9_hack: enabled=1
speaker: enabled=0
cpu: ips=$ips, ignore_bad_msrs=0
log: $tmp/bochs.log
panic: action=fatal
EOR
    # (in a subshell: Bochs 2.7 now and then crashes on its way out after
    # the Shutdown request, and the shell's report of it goes to err too)
    (echo c | TERM=dumb setsid -w timeout -k 10 "$tmo" $cmd -q -f "$tmp/bochsrc" \
        > "$tmp/raw") 2> "$tmp/err"
    st=$?
    awk 'go && /^(\([0-9]+\)\.\[|=====)/ { exit }
         go { print }
         /^<bochs:[0-9]+> c$/ { go = 1 }' "$tmp/raw"
    # Bochs's exit status says nothing of the program; a timeout does
    [ "$st" -eq 124 ] && return 124
    grep -q 'Shutdown' "$tmp/bochs.log" 2>/dev/null || return 2
    [ "$st" -gt 128 ] && echo "note: Bochs ended by signal $((st - 128)) after the Shutdown request" >&2
    return 1
}

pass=0
fail=0
skipped=0
for name in $names; do
    rom=$dir/$name.rom
    exp=$here/$name.expected
    [ -f "$here/$name.rom-expected" ] && exp=$here/$name.rom-expected
    if [ -f "$here/$name.norom" ]; then
        echo "SKIP $name [rom]: $(head -n 1 "$here/$name.norom")"
        skipped=$((skipped + 1))
        continue
    fi
    if [ "$emu" = bochs ]; then
        if [ -f "$here/$name.nobochs" ]; then
            echo "SKIP $name [bochs]: $(head -n 1 "$here/$name.nobochs")"
            skipped=$((skipped + 1))
            continue
        fi
        [ -f "$here/$name.bochs-expected" ] && exp=$here/$name.bochs-expected
    fi
    qextra=
    if [ "$emu" = qemu ]; then
        if [ -f "$here/$name.noqemu" ]; then
            echo "SKIP $name [qemu]: $(head -n 1 "$here/$name.noqemu")"
            skipped=$((skipped + 1))
            continue
        fi
        [ -f "$here/$name.qemuargs" ] && qextra=$(cat "$here/$name.qemuargs")
        [ -f "$here/$name.qemu-expected" ] && exp=$here/$name.qemu-expected
        [ -f "$here/$name.rom-qemu-expected" ] && exp=$here/$name.rom-qemu-expected
    fi
    extra=
    [ -f "$here/$name.args" ] && extra=$(cat "$here/$name.args")
    # Bochs's clock: instructions per emulated second, 10^9 as jet86's
    # -icount shift=0 (1 ns an instruction), or 10^9 / 2^S for shift=S
    ips=1000000000
    shift=$(echo "$extra" | sed -n 's/.*-icount shift=\([0-9]*\).*/\1/p')
    [ -n "$shift" ] && ips=$((1000000000 >> shift))
    for b in $backends; do
        label="$name [$b]"
        if [ ! -f "$rom" ]; then
            echo "FAIL $label: $rom missing (make guest-roms)"
            fail=$((fail + 1))
            continue
        fi
        acc="tcg,backend=$b"
        [ -f "$here/$name.accel" ] && acc="$acc,$(cat "$here/$name.accel")"
        st=0
        note=
        case "$emu" in
        jet86)
            eval "timeout \"\$tmo\" \$cmd -accel \$acc -bios \"\$rom\" \
                -nographic -serial null -debugcon stdio -icount shift=0 \
                -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4 $extra" \
                < /dev/null > "$tmp/out" 2> "$tmp/err" || st=$? ;;
        qemu)
            eval "timeout \"\$tmo\" \$cmd -accel tcg -bios \"\$rom\" \
                -display none -serial null -debugcon stdio -icount shift=0 \
                -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4 \
                $extra $qextra" < /dev/null > "$tmp/out" 2> "$tmp/err" || st=$? ;;
        bochs)
            run_bochs "$rom" "$ips" > "$tmp/out" 2> "$tmp/note" || st=$?
            note=$(cat "$tmp/note") ;;
        esac
        why=
        # NAME.status: another exit status the program ends with (pm: 0,
        # an ACPI power-off); Bochs's own status says nothing
        want=1
        [ -f "$here/$name.status" ] && [ "$emu" != bochs ] &&
            want=$(cat "$here/$name.status")
        if [ "$st" = "$want" ]; then
            st=1
        elif [ "$st" = 1 ]; then
            st="1, not $want,"
        fi
        case "$st" in
        1) ;;
        124) why="timed out after ${tmo}s" ;;
        *) if [ "$emu" = bochs ]; then
               why="no Shutdown request in Bochs's log"
           else
               why="exit status $st (1: the program's own exit with 0)"
           fi ;;
        esac
        cmp -s "$tmp/out" "$exp" || why="${why:+$why; }output differs"
        # ROMRUN_SAVE=DIR keeps each run's output as DIR/NAME.out
        [ -n "${ROMRUN_SAVE:-}" ] && cp "$tmp/out" "$ROMRUN_SAVE/$name.out"
        if [ -z "$why" ]; then
            echo "PASS $label${note:+ ($note)}"
            pass=$((pass + 1))
        else
            echo "FAIL $label: $why"
            diff -u "$exp" "$tmp/out" | sed -n '3,30p' | sed 's/^/  /'
            [ -s "$tmp/err" ] && tail -n 5 "$tmp/err" | sed 's/^/  stderr: /'
            fail=$((fail + 1))
        fi
    done
done
echo "guest-rom: $pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
