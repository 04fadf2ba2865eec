#!/bin/bash
# tests/display/screenref.sh - the screen pixel for pixel against QEMU's.
#
# The screenref guest (tests/display/screenref.c) draws five screens by
# programming the VGA directly: text with 8-dot and with 9-dot characters,
# mode 13h, mode X and a 640x480x32 VBE mode. At each, jet86's monitor
# takes a screendump (.png) and tests/monitor/pngcheck -c compares it
# with the PNG qemu-system-i386 7.2 (-vga std) wrote of the same screen
# (tests/display/screenref/NAME.png): every pixel must be the same. QEMU
# draws 256-colour modes 640 dots wide with each scan-doubled row twice
# (640x400, 640x480); jet86's frame is the mode's own 320x200 and 320x240,
# each of its pixels standing for a 2x2 block of QEMU's.
# The text cursor blinks: the reference of each text screen comes in its
# two phases (NAME.png shown, NAME-off.png hidden); the screen is dumped
# again (the guest runs meanwhile) until both phases have been seen, each
# dump matching one of them exactly.
# Cases: -display none, then the same under Xvfb with -display sdl (the
# dump must not depend on the window); the second skips, saying so,
# without SDL or xvfb-run.
#
# usage: screenref.sh --emu CMD --guest ELF --pngcheck CMD [--timeout SECS]
#        screenref.sh --make-references [--qemu CMD] --guest ELF --pngcheck CMD
# --make-references runs the guest under QEMU and writes the references
# (make screenref-qemu; not part of make check).
set -u

emu=./jet86
guest=build/tests/display/screenref.elf
pngcheck=build/tests/monitor/pngcheck
qemu="qemu-system-i386"
tmo=60
mode=check
case_only=
here=$(cd "$(dirname "$0")" && pwd)
refs=$here/screenref
while [ $# -gt 0 ]; do
    case "$1" in
    --emu) emu=$2; shift 2 ;;
    --guest) guest=$2; shift 2 ;;
    --pngcheck) pngcheck=$2; shift 2 ;;
    --qemu) qemu=$2; shift 2 ;;
    --timeout) tmo=$2; shift 2 ;;
    --make-references) mode=refs; shift ;;
    --case) case_only=$2; shift 2 ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "screenref.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

# step number, name, and whether the cursor blinks on it
steps="1:text:blink 2:text9:blink 3:13h: 4:modex: 5:vbe:"

. "$here/../lib/monitor.sh"
pass=0
fail=0

# start PROMPT CMD...: the emulator with its monitor on stdio, until its
# first prompt
start() {
    prompt=$1
    shift
    mon_start "$@" -monitor stdio
    wait_for "$tmp/out" "$prompt"
}

# ---- the references, from QEMU ----
if [ $mode = refs ]; then
    command -v "${qemu%% *}" >/dev/null || { echo "screenref.sh: $qemu not found" >&2; exit 1; }
    mkdir -p "$refs"
    # shellcheck disable=SC2086
    start "(qemu) " $qemu -vga std -display none -kernel "$guest" -no-reboot \
        -device isa-debug-exit,iobase=0xf4,iosize=4
    for s in $steps; do
        n=${s%%:*}; rest=${s#*:}; name=${rest%%:*}; blink=${rest#*:}
        wait_for "$tmp/com1" "step $n $name ready" || break
        if [ -z "$blink" ]; then
            cmd "screendump $refs/$name.png -f png"
        else
            # QEMU's cursor changes phase at a screen update 250 ms (of
            # its clock) after the last change: dumps 0.3 s apart
            # alternate. The cursor's cell (row 12, column 40): its scan
            # line 5 is the cursor's, scan line 1 is background.
            [ $name = text ] && cw=8 || cw=9
            x=$((40 * cw + 1))
            rm -f "$refs/$name.png" "$refs/$name-off.png"
            for i in 1 2 3 4 5 6; do
                cmd "screendump $tmp/q$i.png -f png"
                p=$($pngcheck "$tmp/q$i.png" "$x,197" "$x,193" | awk '/^pixel/ { printf "%s ", $4 }')
                set -- $p
                if [ "$1" = "$2" ]; then cp "$tmp/q$i.png" "$refs/$name-off.png"
                else cp "$tmp/q$i.png" "$refs/$name.png"; fi
                sleep 0.3
            done
            [ -f "$refs/$name.png" ] && [ -f "$refs/$name-off.png" ] ||
                err "$name: QEMU showed only one cursor phase"
        fi
        cmd "sendkey spc"
    done
    wait_for "$tmp/com1" "done"
    mon_stop
    [ -z "$errs" ] || { echo "screenref.sh:$errs" >&2; exit 1; }
    ls -l "$refs"
    exit 0
fi

# ---- jet86 against the references ----
# run_case NAME DISPLAY-FLAGS...
run_case() {
    local case=$1
    shift
    start "(jet86) " $emu -kernel "$guest" -icount shift=0 -no-reboot \
        -device isa-debug-exit,iobase=0xf4,iosize=4 "$@"
    for s in $steps; do
        n=${s%%:*}; rest=${s#*:}; name=${rest%%:*}; blink=${rest#*:}
        wait_for "$tmp/com1" "step $n $name ready" || break
        if [ -z "$blink" ]; then
            cmd "screendump $tmp/$name.png"
            if r=$($pngcheck -c "$tmp/$name.png" "$refs/$name.png" 2>&1); then
                echo "PASS $case: $name: $r"
                pass=$((pass + 1))
            else
                echo "FAIL $case: $name: $r"
                fail=$((fail + 1))
            fi
        else
            local on=0 off=0 i=0 bad=
            while [ $((on * off)) = 0 ] && [ $i -lt $((tmo * 10)) ] && [ -z "$bad" ]; do
                i=$((i + 1))
                cmd "screendump $tmp/$name.png"
                if r=$($pngcheck -c "$tmp/$name.png" "$refs/$name.png" 2>&1); then
                    on=$((on + 1))
                elif r2=$($pngcheck -c "$tmp/$name.png" "$refs/$name-off.png" 2>&1); then
                    off=$((off + 1))
                else
                    bad="cursor shown: $r; cursor hidden: $r2"
                fi
                [ $((on * off)) = 0 ] && sleep 0.05
            done
            if [ -z "$bad" ] && [ $((on * off)) != 0 ]; then
                echo "PASS $case: $name: the same as one of its two references in each of $i dumps (cursor shown $on, hidden $off)"
                pass=$((pass + 1))
            else
                echo "FAIL $case: $name: ${bad:-only one cursor phase in $i dumps ($on shown, $off hidden)}"
                fail=$((fail + 1))
            fi
        fi
        cmd "sendkey spc"
    done
    wait_for "$tmp/com1" "done"
    mon_stop
    st=$(cat "$tmp/status" 2>/dev/null)
    [ "$st" = 1 ] || err "exit status $st, want 1 (isa-debug-exit 0)"
    if [ -z "$errs" ]; then
        echo "PASS $case: the guest ran to its end"
        pass=$((pass + 1))
    else
        echo "FAIL $case:$errs"
        echo "  --- COM1:"; sed 's/^/  | /' "$tmp/com1" 2>/dev/null | tail -10
        echo "  --- stderr:"; sed 's/^/  | /' "$tmp/err" | tail -10
        fail=$((fail + 1))
    fi
    errs=""
}

if [ -n "$case_only" ]; then
    run_case "$case_only" -display "$case_only"
    echo "screenref ($case_only): $pass passed, $fail failed"
    [ $fail = 0 ]
    exit
fi

run_case none -display none
if [ "${JET86_HAVE_SDL-1}" != 1 ]; then
    echo "SKIP screenref sdl: jet86 was built without SDL (libsdl2-dev)"
elif ! command -v xvfb-run >/dev/null 2>&1; then
    echo "SKIP screenref sdl: xvfb-run not found (Debian packages: xvfb xauth)"
else
    xvfb-run -a -s "-screen 0 1024x768x24" bash "$0" --case sdl --emu "$emu" \
        --guest "$guest" --pngcheck "$pngcheck" --timeout "$tmo" >"$tmp/sdl.log" 2>&1
    rc=$?
    grep -E '^(PASS|FAIL|SKIP|  )' "$tmp/sdl.log"
    p=$(grep -c '^PASS' "$tmp/sdl.log"); f=$(grep -c '^FAIL' "$tmp/sdl.log")
    pass=$((pass + p)); fail=$((fail + f))
    if [ $rc != 0 ] && [ "$f" = 0 ]; then
        echo "FAIL sdl: status $rc"; tail -5 "$tmp/sdl.log"; fail=$((fail + 1))
    fi
fi
echo "screenref: $pass passed, $fail failed"
[ $fail = 0 ]
