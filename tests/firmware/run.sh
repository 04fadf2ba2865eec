#!/bin/sh
# Runs the raw firmware images of tests/firmware (NAME.asm, built to
# NAME.rom) under jet86 -bios, qemu-system-i386 -bios or Bochs, compares
# what each prints on the debug console (port 0xE9) with NAME.expected and
# prints PASS/FAIL per image (and backend), then "firmware: N passed, M
# failed". Under QEMU, NAME.qemu-expected (where it exists) is compared
# instead: QEMU's own output where its TCG departs from the SDM. An image
# with NAME.nobochs (its first line says why) is not run under Bochs. The images end the run themselves: "Shutdown" to port 0x8900
# (Bochs), then isa-debug-exit at 0xF4 (jet86, QEMU).
#
# usage: run.sh --emu jet86|qemu|bochs [--cmd CMD] [--backend "B1 B2"|all]
#               [--dir BUILD_DIR] [--timeout SECS] [NAME...]
#   --cmd CMD   the emulator command (default ./jet86, qemu-system-i386,
#               bochs); may include a runner such as qemu-aarch64-static
#   --backend   jet86's backends (all: those the binary lists; default all)
#   --dir DIR   where the NAME.rom images are (default build/tests/firmware)
set -u

here=$(cd "$(dirname "$0")" && pwd)
emu=jet86
cmd=
backends=all
tmo=60
dir=$(cd "$here/../.." && pwd)/build/tests/firmware

while [ $# -gt 0 ]; do
    case "$1" in
    --emu) emu=$2; shift 2 ;;
    --cmd) cmd=$2; shift 2 ;;
    --backend) backends=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --timeout) tmo=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    --*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
done

case "$emu" in
jet86) cmd=${cmd:-./jet86} ;;
qemu) cmd=${cmd:-qemu-system-i386}; backends=tcg ;;
bochs) cmd=${cmd:-bochs}; backends=bochs ;;
*) echo "run.sh: --emu jet86, qemu or bochs" >&2; exit 2 ;;
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

# Bochs: a configuration for the image (at the top of 4 GiB, as a PC maps
# its BIOS ROM), headless (the term display, no sound), and its debugger
# told to continue; the debug console is its port_e9_hack; an unknown MSR
# is #GP, as the SDM says, not ignored (Bochs's default). What the image
# printed is what comes between the debugger's "c" and Bochs's exit report.
run_bochs() {
    rom=$1
    size=$(wc -c < "$rom")
    addr=$(printf '0x%x' $((4294967296 - size)))
    cat > "$tmp/bochsrc" <<EOR
megs: 32
romimage: file=$rom, address=$addr
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
display_library: term
port_e9_hack: enabled=1
speaker: enabled=0
log: $tmp/bochs.log
panic: action=fatal
cpu: ignore_bad_msrs=0
EOR
    echo c | TERM=dumb setsid -w timeout -k 10 "$tmo" $cmd -q -f "$tmp/bochsrc" \
        > "$tmp/raw" 2> "$tmp/err"
    awk 'go && /^(\([0-9]+\)\.\[|=====)/ { exit }
         go { print }
         /^<bochs:[0-9]+> c$/ { go = 1 }' "$tmp/raw"
}

pass=0
fail=0
for name in $names; do
    rom=$dir/$name.rom
    exp=$here/$name.expected
    # NAME.qemu-expected: QEMU's own output where its TCG departs from the
    # SDM (the image's comment says where); NAME.expected stays the SDM's,
    # which Bochs confirms.
    [ "$emu" = qemu ] && [ -f "$here/$name.qemu-expected" ] && exp=$here/$name.qemu-expected
    if [ "$emu" = bochs ] && [ -f "$here/$name.nobochs" ]; then
        echo "SKIP $name [bochs]: $(head -n 1 "$here/$name.nobochs")"
        continue
    fi
    for b in $backends; do
        label="$name [$b]"
        if [ ! -f "$rom" ]; then
            echo "FAIL $label: $rom missing (make firmware-images)"
            fail=$((fail + 1))
            continue
        fi
        st=0
        case "$emu" in
        jet86)
            timeout "$tmo" $cmd -accel tcg,backend=$b -bios "$rom" \
                -serial none -debugcon stdio -icount shift=0 -no-reboot \
                -device isa-debug-exit,iobase=0xf4,iosize=4 \
                > "$tmp/out" 2> "$tmp/err" || st=$? ;;
        qemu)
            timeout "$tmo" $cmd -bios "$rom" -display none -serial none \
                -debugcon stdio -icount shift=0 -no-reboot \
                -device isa-debug-exit,iobase=0xf4,iosize=4 \
                > "$tmp/out" 2> "$tmp/err" || st=$? ;;
        bochs)
            run_bochs "$rom" > "$tmp/out"; st=1 ;;
        esac
        if [ "$st" -ne 1 ]; then
            echo "FAIL $label: exit status $st (1: the image's own exit)"
            sed 's/^/  stderr: /' "$tmp/err" | head -5
            fail=$((fail + 1))
        elif cmp -s "$tmp/out" "$exp"; then
            echo "PASS $label"
            pass=$((pass + 1))
        else
            echo "FAIL $label: output differs from $name.expected"
            diff "$exp" "$tmp/out" | head -20 | sed 's/^/  /'
            fail=$((fail + 1))
        fi
    done
done
echo "firmware: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
