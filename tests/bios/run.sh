#!/bin/sh
# Boots the disk images of tests/bios (NAME.asm, built with nasm to
# NAME.img: a hard disk, a floppy or an El Torito CD) through the BIOS of
# jet86 (the built-in one) or of qemu-system-i386 (SeaBIOS), compares what
# each prints on the debug console (port 0xE9) with NAME.expected and
# prints PASS/FAIL per image (and backend), then "bios: N passed, M
# failed". Per image:
#   NAME.drive     the -drive options after file=IMG (both emulators)
#   NAME.qemu-expected  under QEMU: what its BIOSes print where they
#                  legitimately differ from ours (OEM strings, mode
#                  lists, what SeaBIOS leaves out); NAME.expected if none
#   NAME.args      more flags for both (-boot d)
#   NAME.com1      under jet86: what COM1 must show (INT 10h output); QEMU's
#                  SeaBIOS prints its banner there, so it is not compared
#   NAME.screen    under jet86: the VGA text screen at the exit (-d screen,
#                  vga_text_dump: trailing blanks dropped, one line a row)
#   NAME.written   "OFFSET TEXT": the image file must hold TEXT at OFFSET
#                  after the run (a guest write reached the file); the same
#                  run with -snapshot must leave the file unchanged
# Each run works on a copy of the image.
#
# usage: run.sh --emu jet86|qemu [--cmd CMD] [--backend "B1 B2"|all]
#               [--dir BUILD_DIR] [--timeout SECS] [NAME...]
set -u

here=$(cd "$(dirname "$0")" && pwd)
emu=jet86
cmd=
backends=all
tmo=60
dir=$(cd "$here/../.." && pwd)/build/tests/bios

while [ $# -gt 0 ]; do
    case "$1" in
    --emu) emu=$2; shift 2 ;;
    --cmd) cmd=$2; shift 2 ;;
    --backend) backends=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --timeout) tmo=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    --*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
done

case "$emu" in
jet86) cmd=${cmd:-./jet86} ;;
qemu) cmd=${cmd:-qemu-system-i386}; backends=tcg ;;
*) echo "run.sh: --emu jet86 or qemu" >&2; exit 2 ;;
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

# run IMG EXTRA...: one boot of IMG, debug console in $tmp/out, COM1 in
# $tmp/com1; the exit status in $st
run() {
    img=$1
    shift
    st=0
    : > "$tmp/com1"
    case "$emu" in
    jet86)
        timeout "$tmo" $cmd -accel tcg,backend=$b \
            -drive "file=$img,$drive" $args $screen_args "$@" \
            -serial "file:$tmp/com1" -debugcon stdio -icount shift=0 \
            -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4 \
            > "$tmp/out" 2> "$tmp/err" < /dev/null || st=$? ;;
    qemu)
        timeout "$tmo" $cmd -drive "file=$img,$drive" $args "$@" \
            -display none -net none -serial "file:$tmp/com1" \
            -debugcon stdio -icount shift=0 -no-reboot \
            -device isa-debug-exit,iobase=0xf4,iosize=4 \
            > "$tmp/out" 2> "$tmp/err" < /dev/null || st=$? ;;
    esac
}

pass=0
fail=0
for name in $names; do
    src=$dir/$name.img
    drive=$(cat "$here/$name.drive")
    expected=$here/$name.expected
    if [ "$emu" = qemu ] && [ -f "$here/$name.qemu-expected" ]; then
        expected=$here/$name.qemu-expected
    fi
    args=$(cat "$here/$name.args" 2>/dev/null || true)
    screen_args=
    if [ "$emu" = jet86 ] && [ -f "$here/$name.screen" ]; then
        screen_args="-d screen -D $tmp/log"
    fi
    for b in $backends; do
        label="$name [$b]"
        why=
        if [ ! -f "$src" ]; then
            echo "FAIL $label: $src missing (make bios-images)"
            fail=$((fail + 1))
            continue
        fi
        cp "$src" "$tmp/img"
        run "$tmp/img"
        if [ "$st" -ne 1 ]; then
            why="exit status $st (1: the program's own exit)"
        elif ! cmp -s "$tmp/out" "$expected"; then
            why="output differs from $(basename "$expected")"
        elif [ "$emu" = jet86 ] && [ -f "$here/$name.com1" ] &&
            ! tr -d '\r' < "$tmp/com1" | cmp -s - "$here/$name.com1"; then
            why="COM1 differs from $name.com1"
            diff "$here/$name.com1" "$tmp/com1" | head -10 | sed 's/^/  /'
        elif [ -n "$screen_args" ] &&
            ! awk 'f { print } /^screen:$/ { f = 1 }' "$tmp/log" | cmp -s - "$here/$name.screen"; then
            why="the screen differs from $name.screen"
            awk 'f { print } /^screen:$/ { f = 1 }' "$tmp/log" | diff "$here/$name.screen" - |
                head -10 | sed 's/^/  /'
        elif [ -f "$here/$name.written" ]; then
            read -r off text < "$here/$name.written"
            got=$(dd if="$tmp/img" bs=1 skip="$off" count=${#text} 2>/dev/null)
            if [ "$got" != "$text" ]; then
                why="the guest's write is not in the image file"
            else
                cp "$src" "$tmp/img"
                if [ "$emu" = jet86 ]; then
                    run "$tmp/img" -snapshot
                else
                    saved=$drive
                    drive="$drive,snapshot=on"
                    run "$tmp/img"
                    drive=$saved
                fi
                if [ "$st" -ne 1 ] || ! cmp -s "$tmp/out" "$expected"; then
                    why="-snapshot run: status $st or output differs"
                elif ! cmp -s "$src" "$tmp/img"; then
                    why="-snapshot changed the image file"
                fi
            fi
        fi
        if [ -z "$why" ]; then
            echo "PASS $label"
            pass=$((pass + 1))
        else
            echo "FAIL $label: $why"
            diff "$expected" "$tmp/out" | head -20 | sed 's/^/  /'
            sed 's/^/  stderr: /' "$tmp/err" | head -5
            fail=$((fail + 1))
        fi
    done
done
echo "bios: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
