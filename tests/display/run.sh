#!/bin/sh
# tests/display/run.sh - the -display sdl window, under Xvfb.
#
# usage: tests/display/run.sh --emu ./jet86 --guest build/tests/display/kbdvga.elf
#
# 1. -display sdl without $DISPLAY exits 1 and says why.
# 2. Under xvfb-run (1024x768x24): the kbdvga guest draws a known text
#    screen and prints on COM1 what the keyboard controller receives.
#    xdotool types a, Shift+B, Right, Insert, holds X (host key repeat:
#    typematic), clicks (grabs the mouse), moves it by (+20, +10), then
#    types Escape, which ends the guest. The scan codes (set 2) and the
#    mouse packet are checked; a screenshot of the window (ImageMagick's
#    import) is checked pixel by pixel, and so is the window title.
# 3. A second run, with -monitor stdio fed from a fifo beside the window:
#    the X clipboard (xclip) holds "Hi, jet86!" and three times "the quick
#    brown fox jumps over the lazy dog "; Ctrl-Alt-V types it: every scan
#    code arrives (more bytes than the keyboard's queue holds, so the
#    paste waits for the guest), the same codes QEMU 7.2's sendkey gives
#    for those keys. Ctrl-Alt-2 shows the monitor console: typed `info
#    registers` (with a Backspace) shows its EIP= line, read back from a
#    screenshot with conread (the console's font cell by cell); `stop`
#    pauses (title "paused"), a key the stdio monitor sends meanwhile is
#    not read until the console's `cont`; while paused, Ctrl-Alt-1 and a
#    resized window still show the guest screen. Ctrl-Alt-1 at the end
#    shows the guest's screen again.
# Skips (exit 0, saying so) when jet86 was built without SDL or xvfb-run,
# xdotool, xclip or ImageMagick are missing.
set -u

emu=./jet86
guest=build/tests/display/kbdvga.elf
conread=build/tests/display/conread
while [ $# -gt 0 ]; do
    case "$1" in
    --emu) emu=$2; shift 2 ;;
    --guest) guest=$2; shift 2 ;;
    --conread) conread=$2; shift 2 ;;
    --inner) inner=1; shift ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

pass=0
fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jet86-display.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

args="-kernel $guest -icount shift=0 -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4"

# --- the part that runs inside Xvfb ---------------------------------------
if [ "${inner:-0}" = 1 ]; then
    # shellcheck disable=SC2086
    $emu -display sdl $args -serial "file:$tmp/com1" 2>"$tmp/err" &
    pid=$!
    i=0
    while [ $i -lt 300 ] && ! grep -q ready "$tmp/com1" 2>/dev/null; do
        sleep 0.1; i=$((i + 1))
    done
    wid=
    i=0
    while [ $i -lt 100 ] && [ -z "$wid" ]; do
        wid=$(xdotool search --name '^jet86 - ' 2>/dev/null | head -1)
        [ -n "$wid" ] || sleep 0.1
        i=$((i + 1))
    done
    if [ -z "$wid" ]; then
        bad "the window opened"
        cat "$tmp/err"
        kill "$pid" 2>/dev/null
        echo "display: $pass passed, $fail failed"
        exit 1
    fi
    ok "the window opened"
    sleep 1 # a few refreshes
    import -window "$wid" "$tmp/shot.png"
    title=$(xdotool getwindowname "$wid")
    xdotool windowfocus --sync "$wid" 2>/dev/null
    xdotool key a
    xdotool key shift+b
    xdotool key Right Insert
    xdotool keydown x; sleep 1.2; xdotool keyup x
    xdotool mousemove --window "$wid" 100 100 click 1
    sleep 0.5
    gtitle=$(xdotool getwindowname "$wid")
    xdotool mousemove_relative 20 10
    sleep 0.5
    xdotool key Escape
    i=0
    while [ $i -lt 100 ] && kill -0 "$pid" 2>/dev/null; do
        sleep 0.1; i=$((i + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        bad "the guest ended after Escape"
    else
        wait "$pid"
        rc=$?
        [ "$rc" = 1 ] && ok "the guest ended after Escape (status 1)" ||
            bad "the guest ended after Escape (status $rc, want 1)"
    fi

    tr -d '\r' <"$tmp/com1" >"$tmp/com1.txt"
    keys=$(sed -n 's/^K //p' "$tmp/com1.txt" | tr '\n' ' ')
    expect_keys() { # NAME REGEX
        if printf '%s\n' "$keys" | grep -Eq "$2"; then ok "$1"; else
            bad "$1: got '$keys'"; fi
    }
    expect_keys "a: 1C F0 1C" "^1c f0 1c "
    expect_keys "Shift+B: 12 32 ... F0 12" "^1c f0 1c 12 32 (f0 32 f0 12|f0 12 f0 32) "
    expect_keys "Right, Insert: E0 74 E0 F0 74 E0 70 E0 F0 70" \
        " e0 74 e0 f0 74 e0 70 e0 f0 70 "
    expect_keys "X held: repeated make codes 22, then F0 22" \
        " e0 f0 70 22 22( 22)* f0 22 "
    expect_keys "Escape: 76 F0 76, nothing else" " f0 22 76 f0 76 $"
    # mouse: 3-byte packets; their sums of X and Y (PS/2 Y is up)
    mbytes=$(sed -n 's/^M //p' "$tmp/com1.txt" | tr '\n' ' ')
    set -- $mbytes
    merr=
    sx=0
    sy=0
    [ $# -gt 0 ] && [ $(($# % 3)) = 0 ] || merr="$# bytes"
    while [ -z "$merr" ] && [ $# -ge 3 ]; do
        b0=$((0x$1)); x=$((0x$2)); y=$((0x$3))
        [ $((b0 & 8)) = 8 ] || merr="first byte $1 without bit 3"
        [ $((b0 & 7)) = 0 ] || merr="buttons held in $1"
        [ $((b0 & 0x10)) = 0 ] || x=$((x - 256))
        [ $((b0 & 0x20)) = 0 ] || y=$((y - 256))
        sx=$((sx + x)); sy=$((sy + y))
        shift 3
    done
    if [ -z "$merr" ] && [ $sx = 20 ] && [ $sy = -10 ]; then
        ok "mouse: packets sum to (+20, -10)"
    else
        bad "mouse: $merr sum ($sx, $sy) of '$mbytes'"
    fi

    pix() { convert "$tmp/shot.png" -format "%[pixel:p{$1,$2}]" info: 2>/dev/null; }
    expect_pix() { # NAME X Y COLOUR
        got=$(pix "$2" "$3")
        [ "$got" = "$4" ] && ok "$1" || bad "$1: pixel ($2,$3) is $got, want $4"
    }
    # mode 3, 9x16 cells, the window at the frame's size (720x400)
    size=$(identify -format '%wx%h' "$tmp/shot.png")
    [ "$size" = 720x400 ] && ok "window 720x400" || bad "window $size, want 720x400"
    expect_pix "blocks: yellow" 184 200 "srgb(255,255,85)"
    expect_pix "title row between words: blue" 49 8 "srgb(0,0,170)"
    expect_pix "blank screen: black" 600 300 "srgb(0,0,0)"
    white=$(convert "$tmp/shot.png" -crop 162x16+0+0 +repage -fill black \
        +opaque "srgb(255,255,255)" -fill white -opaque "srgb(255,255,255)" \
        -format '%[fx:round(mean*w*h)]' info:)
    if [ "${white:-0}" -gt 100 ] && [ "${white:-0}" -lt 1296 ]; then
        ok "title text: $white white pixels"
    else
        bad "title text: $white white pixels (want glyphs: 100-1296)"
    fi
    case "$title" in
    "jet86 - "*" MIPS, "*"% real time - running") ok "title: $title" ;;
    *) bad "title: '$title'" ;;
    esac
    case "$gtitle" in
    *"Press Ctrl-Alt-G to release the mouse") ok "grabbed title" ;;
    *) bad "grabbed title: '$gtitle'" ;;
    esac
    if [ $fail != 0 ]; then
        echo "--- COM1:"; cat "$tmp/com1.txt"; echo "--- stderr:"; cat "$tmp/err"
    fi

    # --- the monitor console and the paste, -monitor stdio beside ---
    rm -f "$tmp/com1"
    mkfifo "$tmp/mon"
    # shellcheck disable=SC2086
    $emu -display sdl $args -serial "file:$tmp/com1" -monitor stdio \
        <"$tmp/mon" >"$tmp/monout" 2>"$tmp/err2" &
    pid=$!
    exec 3>"$tmp/mon"
    wait_com1() { # COUNT-OF-K-LINES: until COM1 has that many (10 s)
        i=0
        while [ $i -lt 100 ] && [ "$(grep -c '^K' "$tmp/com1" 2>/dev/null)" -lt "$1" ]; do
            sleep 0.1; i=$((i + 1))
        done
    }
    # until the title matches the pattern (10 s)
    wait_title() {
        i=0
        while [ $i -lt 100 ]; do
            case "$(xdotool getwindowname "$wid")" in $1) return 0 ;; esac
            sleep 0.1; i=$((i + 1))
        done
        return 1
    }
    # until the console's text (a screenshot read back) has the pattern
    wait_console() {
        i=0
        while [ $i -lt 50 ]; do
            import -window "$wid" "$tmp/con.png"
            "$conread" "$tmp/con.png" >"$tmp/con.txt" 2>&1
            grep -Eq "$1" "$tmp/con.txt" && return 0
            sleep 0.2; i=$((i + 1))
        done
        return 1
    }
    i=0
    while [ $i -lt 300 ] && ! grep -q ready "$tmp/com1" 2>/dev/null; do
        sleep 0.1; i=$((i + 1))
    done
    wid=$(xdotool search --name '^jet86 - ' 2>/dev/null | head -1)
    xdotool windowfocus --sync "$wid" 2>/dev/null
    fox="the quick brown fox jumps over the lazy dog "
    printf 'Hi, jet86!\r\n%s%s%s' "$fox" "$fox" "$fox" |
        xclip -selection clipboard -i
    xdotool key ctrl+alt+v
    # Ctrl and Alt went down (the guest saw them) and up before the text
    foxk="2c f0 2c 33 f0 33 24 f0 24 29 f0 29 15 f0 15 3c f0 3c 43 f0 43 21 f0 21 42 f0 42 29 f0 29 32 f0 32 2d f0 2d 44 f0 44 1d f0 1d 31 f0 31 29 f0 29 2b f0 2b 44 f0 44 22 f0 22 29 f0 29 3b f0 3b 3c f0 3c 3a f0 3a 4d f0 4d 1b f0 1b 29 f0 29 44 f0 44 2a f0 2a 24 f0 24 2d f0 2d 29 f0 29 2c f0 2c 33 f0 33 24 f0 24 29 f0 29 4b f0 4b 1c f0 1c 1a f0 1a 35 f0 35 29 f0 29 23 f0 23 44 f0 44 34 f0 34 29 f0 29"
    want="14 11 f0 14 f0 11 12 33 f0 33 f0 12 43 f0 43 41 f0 41 29 f0 29 3b f0 3b 24 f0 24 2c f0 2c 3e f0 3e 36 f0 36 12 16 f0 16 f0 12 5a f0 5a $foxk $foxk $foxk"
    nwant=$(echo "$want" | wc -w)
    # Ctrl and Alt may come twice, as key repeats (typematic make codes):
    # held past the X server's auto-repeat delay on a loaded host, or
    # reported again by SDL when it takes the focus-in after they went
    # down (it then reads the keys held). One of each, before the first
    # break code, is kept. (Until the codes are those wanted, 10 s.)
    i=0
    while [ $i -lt 100 ]; do
        got=$(tr -d '\r' <"$tmp/com1" | sed -n 's/^K //p' |
            awk '$1 == "f0" { brk = 1 }
                 brk || ($1 != "14" && $1 != "11") || !seen[$1]++ { print }' |
            tr '\n' ' ' | sed 's/ $//')
        [ "$got" = "$want" ] && break
        sleep 0.1; i=$((i + 1))
    done
    [ "$got" = "$want" ] && ok "Ctrl-Alt-V: $nwant scan codes, as typed" ||
        bad "Ctrl-Alt-V: got '$got', want '$want'"

    xdotool key ctrl+alt+2
    wait_title "*monitor (Ctrl-Alt-1: the guest)" && ok "Ctrl-Alt-2: the monitor console" ||
        bad "Ctrl-Alt-2: title '$(xdotool getwindowname "$wid")'"
    xdotool type --delay 20 "info regiss"
    xdotool key BackSpace
    xdotool type --delay 20 "ters"
    xdotool key Return
    if wait_console '^EIP=[0-9a-f]{8} EFL=[0-9a-f]{8} ' &&
        grep -q '^(jet86) info registers$' "$tmp/con.txt" &&
        grep -q "^jet86 monitor - type 'help' for more information" "$tmp/con.txt"; then
        ok "console: info registers shows EIP="
    else
        bad "console: info registers"; cat "$tmp/con.txt"
    fi
    nk=$(grep -c '^K' "$tmp/com1")
    xdotool type --delay 20 "stop"
    xdotool key Return
    wait_title "* - paused - *" && ok "console: stop, the title says paused" ||
        bad "console: stop: title '$(xdotool getwindowname "$wid")'"
    echo "sendkey a" >&3
    wait_console '^\(jet86\) #?$' # the stdio monitor has answered by now
    sleep 0.5
    [ "$(grep -c '^K' "$tmp/com1")" = "$nk" ] && ok "paused: a key sent is not read" ||
        bad "paused: the guest read a key"
    xdotool key ctrl+alt+1
    sleep 0.5
    import -window "$wid" "$tmp/paused.png"
    got=$(convert "$tmp/paused.png" -format "%[pixel:p{184,200}]" info: 2>/dev/null)
    [ "$got" = "srgb(255,255,85)" ] && ok "paused: Ctrl-Alt-1 shows the guest" ||
        bad "paused: Ctrl-Alt-1: pixel (184,200) is $got"
    # 5/4 of 720x400: the blocks (x 90-269, y 160-239) at 5/4 too
    xdotool windowmove --sync "$wid" 0 0 2>/dev/null
    xdotool windowsize --sync "$wid" 900 500 2>/dev/null
    sleep 0.5
    import -window "$wid" "$tmp/big.png"
    size=$(identify -format '%wx%h' "$tmp/big.png")
    got=$(convert "$tmp/big.png" -format "%[pixel:p{230,250}]" info: 2>/dev/null)
    [ "$size" = 900x500 ] && [ "$got" = "srgb(255,255,85)" ] &&
        ok "paused: the resized window redrawn" ||
        bad "paused: resized $size, pixel (230,250) is $got"
    xdotool windowsize --sync "$wid" 720 400 2>/dev/null
    xdotool key ctrl+alt+2
    xdotool type --delay 20 "cont"
    xdotool key Return
    wait_title "* - running - *" && ok "console: cont, running" ||
        bad "console: cont: title '$(xdotool getwindowname "$wid")'"
    # (with Ctrl and Alt of the Ctrl-Alt-2 typed in the guest's console)
    wait_com1 $((nk + 9))
    got=$(tr -d '\r' <"$tmp/com1" | sed -n 's/^K //p' | tail -n +$((nk + 1)) | tr '\n' ' ')
    case "$got" in
    *"1c f0 1c "*) ok "cont: the key sent while paused is read" ;;
    *) bad "cont: keys after stop '$got'" ;;
    esac
    grep -q "jet86 monitor - type 'help'" "$tmp/monout" && ok "-monitor stdio beside the console" ||
        bad "-monitor stdio: no banner"
    xdotool key ctrl+alt+1
    wait_title "* - running" && ok "Ctrl-Alt-1: the guest again" || bad "Ctrl-Alt-1: title"
    sleep 0.3
    import -window "$wid" "$tmp/back.png"
    got=$(convert "$tmp/back.png" -format "%[pixel:p{184,200}]" info: 2>/dev/null)
    [ "$got" = "srgb(255,255,85)" ] && ok "Ctrl-Alt-1: the guest screen" ||
        bad "Ctrl-Alt-1: pixel (184,200) is $got"
    xdotool key Escape
    i=0
    while [ $i -lt 100 ] && kill -0 "$pid" 2>/dev/null; do
        sleep 0.1; i=$((i + 1))
    done
    kill "$pid" 2>/dev/null
    exec 3>&-
    if [ $fail != 0 ]; then
        echo "--- COM1:"; tr -d '\r' <"$tmp/com1"; echo "--- stderr:"; cat "$tmp/err2"
    fi
    echo "display: $pass passed, $fail failed"
    [ $fail = 0 ]
    exit
fi

# --- outside --------------------------------------------------------------
if [ "${JET86_HAVE_SDL-1}" != 1 ]; then
    echo "SKIP display: jet86 was built without SDL (libsdl2-dev)"
    exit 0
fi

# -display sdl without a display
out=$(env -u DISPLAY -u WAYLAND_DISPLAY $emu -display sdl $args 2>&1 </dev/null)
rc=$?
if [ $rc = 1 ] && printf '%s\n' "$out" | grep -q -- "-display sdl: no usable display"; then
    ok "-display sdl without DISPLAY: exit 1, '$out'"
else
    bad "-display sdl without DISPLAY: status $rc, '$out'"
fi

for p in xvfb-run xdotool xclip import convert identify; do
    if ! command -v $p >/dev/null 2>&1; then
        echo "SKIP display (window tests): $p not found (Debian packages: xvfb xauth xdotool xclip imagemagick)"
        echo "display: $pass passed, $fail failed"
        [ $fail = 0 ]
        exit
    fi
done
xvfb-run -a -s "-screen 0 1024x768x24" sh "$0" --inner --emu "$emu" --guest "$guest" \
    --conread "$conread"
rc=$?
[ $fail = 0 ] && [ $rc = 0 ]
