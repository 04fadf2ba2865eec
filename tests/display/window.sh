#!/bin/sh
# tests/display/window.sh - the window's full screen, scaling, grab and
# wheel, under Xvfb with a window manager.
#
# usage: tests/display/window.sh --emu ./jet86 --guest build/tests/display/kbdvga.elf
#
# The kbdvga guest with -append wheel: it knocks the mouse into the
# IntelliMouse protocol (rates 200, 100, 80; Get Device ID answers 03h)
# and prints every byte of the 4-byte packets on COM1.
#
# 1. Reference (when qemu-system-i386 is there): the same guest under
#    QEMU 7.2 -display none, its monitor's mouse_move 0 0 1 (the wheel
#    up, what QEMU's own SDL window sends for SDL's wheel y > 0, X's
#    button 4) and 0 0 -1: ID 03h, Z bytes FFh and 01h. So a wheel
#    turned up (away from the user) is -1, down +1, as IntelliMouse
#    drivers read it (Linux reports REL_WHEEL as minus the byte).
# 2. Under xvfb-run (1024x768x24) with evilwm (full screen needs a window
#    manager: _NET_WM_STATE_FULLSCREEN; its own Ctrl-Alt keys moved to
#    Super), jet86 -display sdl -full-screen:
#    - the window is the screen's size, and a screenshot of the screen
#      shows the 720x400 text picture scaled by 1024/720 to 1024x568,
#      centred (rows 100-667) between black bars;
#    - Ctrl-Alt-F gives back a 720x400 window, again the screen's size,
#      and back;
#    - resized to 1000x400 the picture stays 720x400 between black bars
#      of 140 at the sides; resized to 600x600 it is 600x333 between bars
#      at the top (133) and bottom (134);
#    - a click grabs the mouse (the title says "Press Ctrl-Alt-G to
#      release the mouse"); xdotool click 4, 4, 5 (the wheel up, up,
#      down) and a motion of (+5, +3) reach the guest as packets with Z
#      FFh, FFh, 01h and motion summing to (+5, -3);
#    - Ctrl-Alt-G releases it (the title no longer asks); motion and the
#      wheel then reach the guest no more (the key A typed after them
#      arrives, no mouse byte before it);
#    - a key held while the focus leaves the window goes up in the guest;
#    - closing the window (evilwm's delete: WM_DELETE_WINDOW) ends jet86
#      with status 0, as a power-off.
# 3. Reference (when QEMU has its SDL window, qemu-system-gui): the same
#    guest in QEMU 7.2's window there, grabbed by a click, the same
#    clicks 4, 4, 5 and motion: Z bytes FFh, FFh, 01h (its packets for
#    the wheel's release in between carry Z 0), motion (+5, -3).
# 4. Five buttons: the guest with -append explorer (ID 04h), in jet86's
#    window and in QEMU's, X's buttons 8, 9 (the side buttons), 4, 5, 1,
#    3, 2 and a motion give the same packets (the ones that change
#    something), those QEMU's gives.
# Skips (exit 0, saying so) when jet86 was built without SDL or xvfb-run,
# xdotool, ImageMagick or evilwm are missing.
set -u

emu=./jet86
guest=build/tests/display/kbdvga.elf
while [ $# -gt 0 ]; do
    case "$1" in
    --emu) emu=$2; shift 2 ;;
    --guest) guest=$2; shift 2 ;;
    --inner) inner=1; shift ;;
    *) echo "window.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

pass=0
fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jet86-window.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

args="-kernel $guest -append wheel -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4"

# until COM1 ($1) has $2 lines matching $3 (10 s)
wait_lines() {
    i=0
    while [ $i -lt 100 ]; do
        n=$(grep -c "$3" "$1" 2>/dev/null)
        [ "${n:-0}" -lt "$2" ] || break
        sleep 0.1; i=$((i + 1))
    done
}

# The mouse bytes of COM1 file $1 as 4-byte packets: sets zs (the
# packets' Z bytes, nonzero ones, in order), sx, sy (motion sums, PS/2 Y
# up) and merr (what is wrong with them, or empty).
packets() {
    # shellcheck disable=SC2046 # the bytes, one word each
    set -- $(tr -d '\r' <"$1" | sed -n 's/^M //p')
    merr=
    zs=
    sx=0
    sy=0
    [ $(($# % 4)) = 0 ] || merr="$# bytes, not 4-byte packets"
    while [ -z "$merr" ] && [ $# -ge 4 ]; do
        b0=$((0x$1)); x=$((0x$2)); y=$((0x$3))
        [ $((b0 & 8)) = 8 ] || merr="first byte $1 without bit 3"
        [ $((b0 & 0xc7)) = 0 ] || merr="buttons or overflow in $1"
        [ $((b0 & 0x10)) = 0 ] || x=$((x - 256))
        [ $((b0 & 0x20)) = 0 ] || y=$((y - 256))
        sx=$((sx + x)); sy=$((sy + y))
        [ "$4" = 00 ] || zs="$zs $4"
        shift 4
    done
    zs=${zs# }
}

# The mouse bytes of COM1 file $1 as IntelliMouse Explorer (ID 4) packets,
# "b0:x:y:b3" each, those that say something: motion, a wheel step, or
# buttons (b0 bits 0-2, b3 bits 4-5) other than the packet's before. So
# a packet that repeats the buttons held, without motion (QEMU sends one
# after each wheel step, jet86 does not), is left out.
events() {
    # shellcheck disable=SC2046 # the bytes, one word each
    set -- $(tr -d '\r' <"$1" | sed -n 's/^M //p')
    ev=
    prev="0 0"
    while [ $# -ge 4 ]; do
        st="$((0x$1 & 7)) $((0x$4 & 0x30))"
        if [ "$2$3" != 0000 ] || [ $((0x$4 & 0x0f)) != 0 ] || [ "$st" != "$prev" ]; then
            ev="$ev $1:$2:$3:$4"
        fi
        prev=$st
        shift 4
    done
    ev=${ev# }
}

# --- the part that runs inside Xvfb ---------------------------------------
if [ "${inner:-0}" = 1 ]; then
    # evilwm: no border, the server's built-in font, its Ctrl-Alt keys
    # (Ctrl-Alt-F is its "fix") on Super instead, where they meet none of
    # jet86's
    # (started again if it could not connect, which happens now and then
    # right after Xvfb is up)
    wm_up() { xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q "window id"; }
    tries=0
    while [ $tries -lt 3 ] && ! wm_up; do
        evilwm --fn fixed --bw 0 --mask1 mod4 --mask2 mod4 >>"$tmp/wm.log" 2>&1 &
        wm=$!
        i=0
        while [ $i -lt 50 ] && kill -0 "$wm" 2>/dev/null && ! wm_up; do
            sleep 0.1; i=$((i + 1))
        done
        tries=$((tries + 1))
    done
    if ! wm_up; then
        bad "the window manager (evilwm) started"
        cat "$tmp/wm.log"
        echo "window: $pass passed, $fail failed"
        exit 1
    fi
    # shellcheck disable=SC2086
    $emu -display sdl -full-screen -icount shift=0 $args -serial "file:$tmp/com1" 2>"$tmp/err" &
    pid=$!
    wait_lines "$tmp/com1" 1 ready
    wid=
    i=0
    while [ $i -lt 100 ] && [ -z "$wid" ]; do
        wid=$(xdotool search --name '^jet86 - ' 2>/dev/null | head -1)
        [ -n "$wid" ] || sleep 0.1
        i=$((i + 1))
    done
    if [ -z "$wid" ]; then
        bad "the window opened"
        cat "$tmp/err" "$tmp/wm.log"
        kill "$pid" "$wm" 2>/dev/null
        echo "window: $pass passed, $fail failed"
        exit 1
    fi
    tr -d '\r' <"$tmp/com1" | grep -q '^mouse id ack fa id 03$' &&
        ok "the guest's knock 200, 100, 80: mouse ID 03" ||
        bad "mouse ID: $(tr -d '\r' <"$tmp/com1" | grep '^mouse id')"

    # A click in window $1 until its title says the mouse is grabbed
    # (jet86's and QEMU's both say Ctrl-Alt-G then), again while the
    # window is not yet where the click goes (5 s)
    grab() {
        i=0
        while [ $i -lt 50 ]; do
            case "$(xdotool getwindowname "$1" 2>/dev/null)" in *Ctrl-Alt-G*) return 0 ;; esac
            if [ $((i % 10)) = 0 ]; then
                xdotool windowfocus --sync "$1" 2>/dev/null
                xdotool mousemove --window "$1" 100 100 click 1
            fi
            sleep 0.1; i=$((i + 1))
        done
        return 1
    }
    # until COM1 file $1 has the packets of the wheel up, up, down and the
    # motion (+5, +3) (10 s)
    wait_wheel() {
        i=0
        while [ $i -lt 100 ]; do
            packets "$1"
            [ "$zs" = "ff ff 01" ] && [ $sx = 5 ] && [ $sy = -3 ] && break
            sleep 0.1; i=$((i + 1))
        done
    }
    geom() { xdotool getwindowgeometry "$wid" 2>/dev/null | sed -n 's/^ *Geometry: //p'; }
    # until the window is $1 (WxH) (5 s)
    wait_geom() {
        i=0
        while [ $i -lt 50 ] && [ "$(geom)" != "$1" ]; do
            sleep 0.1; i=$((i + 1))
        done
        [ "$(geom)" = "$1" ]
    }
    # The bounding box (WxH+X+Y) of what is not black in screenshot $1:
    # ImageMagick's trim box, around which a black border makes sure that
    # black is what it trims (it takes the corners' colour).
    nonblack() {
        b=$(convert "$tmp/$1.png" -bordercolor black -border 1 -format '%@' info: 2>/dev/null)
        x=${b#*+}
        y=${x#*+}
        x=${x%+*}
        echo "${b%%+*}+$((x - 1))+$((y - 1))"
    }
    # until screenshot $1 (of window $2) has the non-black box $3 (5 s);
    # the picture is drawn once a display refresh
    wait_shot() {
        i=0
        while [ $i -lt 25 ]; do
            import -window "$2" "$tmp/$1.png" 2>/dev/null
            box=$(nonblack "$1")
            [ "$box" = "$3" ] && return 0
            sleep 0.2; i=$((i + 1))
        done
        return 1
    }
    # mean of the area $2 (WxH+X+Y) of screenshot $1, 0 to 1: 0 is black
    mean() { convert "$tmp/$1.png" -crop "$2" +repage -format '%[fx:mean]' info: 2>/dev/null; }
    pix() { convert "$tmp/$1.png" -format "%[pixel:p{$2,$3}]" info: 2>/dev/null; }
    expect_black() { # NAME SHOT AREA
        m=$(mean "$2" "$3")
        [ "$m" = 0 ] && ok "$1: black" || bad "$1: mean $m, not black"
    }
    expect_pix() { # NAME SHOT X Y COLOUR
        got=$(pix "$2" "$3" "$4")
        [ "$got" = "$5" ] && ok "$1" || bad "$1: pixel ($3,$4) is $got, want $5"
    }
    # Full screen: 720x400 scaled by 1024/720 (the width limits it) is
    # 1024x568 (568.9 rounded down), centred: 100 rows of bar above, 100
    # below. Rows 0 and 24 of the guest's text are blue across, so the
    # bounding box of what is not black is the picture.
    full_screen_checks() { # NAME SHOT
        wait_geom 1024x768 && ok "$1: the window is the screen's 1024x768" ||
            bad "$1: the window is $(geom), want 1024x768"
        if wait_shot "$2" root 1024x568+0+100; then
            ok "$1: the picture 1024x568 at (0,100), aspect kept"
        else
            bad "$1: the picture is $box, want 1024x568+0+100"
        fi
        expect_black "$1: the bar above" "$2" 1024x100+0+0
        expect_black "$1: the bar below" "$2" 1024x100+0+668
        # the blocks (x 90-269, y 160-239 of 720x400) scaled
        expect_pix "$1: the blocks scaled" "$2" 250 380 "srgb(255,255,85)"
        expect_pix "$1: row 0 at the top" "$2" 1000 105 "srgb(0,0,170)"
    }
    full_screen_checks "-full-screen" full

    xdotool windowfocus --sync "$wid" 2>/dev/null
    xdotool key ctrl+alt+f
    wait_geom 720x400 && ok "Ctrl-Alt-F: back to 720x400" ||
        bad "Ctrl-Alt-F: the window is $(geom), want 720x400"
    if wait_shot window "$wid" 720x400+0+0; then
        ok "Ctrl-Alt-F: the picture fills the window"
    else
        bad "Ctrl-Alt-F: the picture is $box, want 720x400+0+0"
    fi
    expect_pix "Ctrl-Alt-F: the blocks unscaled" window 184 200 "srgb(255,255,85)"

    xdotool windowfocus --sync "$wid" 2>/dev/null
    xdotool key ctrl+alt+f
    full_screen_checks "Ctrl-Alt-F again" full2
    xdotool windowfocus --sync "$wid" 2>/dev/null
    xdotool key ctrl+alt+f
    wait_geom 720x400 && ok "Ctrl-Alt-F: windowed again" ||
        bad "Ctrl-Alt-F: the window is $(geom), want 720x400"

    # a wide window: the height limits, 720x400 at (140,0)
    xdotool windowmove --sync "$wid" 0 0 2>/dev/null
    xdotool windowsize --sync "$wid" 1000 400 2>/dev/null
    if wait_geom 1000x400 && wait_shot wide "$wid" 720x400+140+0; then
        ok "1000x400: the picture 720x400 at (140,0)"
    else
        bad "1000x400: the window $(geom), the picture $box, want 720x400+140+0"
    fi
    expect_black "1000x400: the bar left" wide 140x400+0+0
    expect_black "1000x400: the bar right" wide 140x400+860+0
    # a tall one: the width limits, 600x333 (333.3) at (0,133)
    xdotool windowsize --sync "$wid" 600 600 2>/dev/null
    if wait_geom 600x600 && wait_shot tall "$wid" 600x333+0+133; then
        ok "600x600: the picture 600x333 at (0,133)"
    else
        bad "600x600: the window $(geom), the picture $box, want 600x333+0+133"
    fi
    expect_black "600x600: the bar above" tall 600x133+0+0
    expect_black "600x600: the bar below" tall 600x134+0+466
    xdotool windowsize --sync "$wid" 720 400 2>/dev/null

    # the grab, the wheel, Ctrl-Alt-G
    xdotool windowfocus --sync "$wid" 2>/dev/null
    xdotool mousemove --window "$wid" 100 100 click 1
    i=0
    while [ $i -lt 50 ]; do
        title=$(xdotool getwindowname "$wid")
        case "$title" in *" - Press Ctrl-Alt-G to release the mouse") break ;; esac
        sleep 0.1; i=$((i + 1))
    done
    case "$title" in
    "jet86 - "*" - running - Press Ctrl-Alt-G to release the mouse")
        ok "a click grabs: the title '$title'" ;;
    *) bad "a click grabs: the title '$title'" ;;
    esac
    xdotool click 4
    xdotool click 4
    xdotool click 5
    xdotool mousemove_relative 5 3
    wait_wheel "$tmp/com1"
    if [ -z "$merr" ] && [ "$zs" = "ff ff 01" ]; then
        ok "the wheel up, up, down: Z bytes $zs"
    else
        bad "the wheel: $merr Z bytes '$zs'"
    fi
    [ -z "$merr" ] && [ $sx = 5 ] && [ $sy = -3 ] &&
        ok "motion: 4-byte packets sum to (+5, -3)" ||
        bad "motion: $merr sum ($sx, $sy)"
    nm=$(grep -c '^M' "$tmp/com1")

    xdotool key ctrl+alt+g
    i=0
    while [ $i -lt 50 ]; do
        title=$(xdotool getwindowname "$wid")
        case "$title" in *"Ctrl-Alt-G"*) ;; *) break ;; esac
        sleep 0.1; i=$((i + 1))
    done
    case "$title" in
    "jet86 - "*" - running") ok "Ctrl-Alt-G releases: the title '$title'" ;;
    *) bad "Ctrl-Alt-G: the title '$title'" ;;
    esac
    xdotool mousemove_relative 30 20
    xdotool click 4
    xdotool click 5
    xdotool mousemove_relative -- -10 -10
    # A after them: when it has arrived, so would have their packets
    xdotool key a
    # (its make and its break: 1c, then f0 1c; the count below starts
    # after both)
    wait_lines "$tmp/com1" 2 '^K 1c'
    if ! grep -q '^K 1c' "$tmp/com1"; then
        bad "released: the key A typed after never arrived"
    elif [ "$(grep -c '^M' "$tmp/com1")" = "$nm" ]; then
        ok "released: motion and the wheel reach the guest no more"
    else
        bad "released: mouse bytes after Ctrl-Alt-G"
    fi

    # B held while the focus goes to the root window: the guest sees it
    # go up though it is still held here (SDL reports every key up when
    # its window loses the focus; the window's focus-lost handler lets go
    # of what the guest holds as well)
    nk=$(grep -c '^K' "$tmp/com1")
    xdotool windowfocus --sync "$wid" 2>/dev/null
    xdotool keydown b
    wait_lines "$tmp/com1" $((nk + 1)) '^K'
    xdotool windowfocus "$(xwininfo -root | sed -n 's/.*Window id: \(0x[0-9a-f]*\).*/\1/p')"
    i=0
    while [ $i -lt 50 ] && ! tr -d '\r' <"$tmp/com1" | grep -q '^K f0$'; do
        sleep 0.1; i=$((i + 1))
    done
    sleep 0.2 # (anything wrongly sent after the break would show)
    xdotool keyup b
    got=$(tr -d '\r' <"$tmp/com1" | sed -n 's/^K //p' | tail -n +$((nk + 1)) | tr '\n' ' ')
    case "$got" in
    "32 "*"f0 32 ") ok "focus lost: the held B goes up in the guest ($got)" ;;
    *) bad "focus lost: the codes after B went down are '$got'" ;;
    esac

    # Closing the window (the window manager's delete, WM_DELETE_WINDOW:
    # evilwm's Super-Escape here) powers the machine off: status 0
    xdotool windowfocus --sync "$wid" 2>/dev/null
    xdotool key super+Escape
    i=0
    while [ $i -lt 100 ] && kill -0 "$pid" 2>/dev/null; do
        sleep 0.1; i=$((i + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        bad "closing the window ends jet86"
    else
        wait "$pid"
        rc=$?
        [ "$rc" = 0 ] && ok "closing the window ends jet86 (status 0)" ||
            bad "closing the window: status $rc, want 0"
    fi

    # The reference: QEMU's own SDL window, the same clicks and motion
    qsdl=
    if command -v qemu-system-i386 >/dev/null 2>&1 &&
        qemu-system-i386 -display help 2>/dev/null | grep -qx sdl; then
        qsdl=1
        # shellcheck disable=SC2086
        qemu-system-i386 -display sdl $args -serial "file:$tmp/qcom1" 2>"$tmp/qerr" &
        qpid=$!
        wait_lines "$tmp/qcom1" 1 ready
        qwid=
        i=0
        while [ $i -lt 100 ] && [ -z "$qwid" ]; do
            qwid=$(xdotool search --onlyvisible --name '^QEMU' 2>/dev/null | head -1)
            [ -n "$qwid" ] || sleep 0.1
            i=$((i + 1))
        done
        grab "$qwid"
        xdotool click 4
        xdotool click 4
        xdotool click 5
        xdotool mousemove_relative 5 3
        wait_wheel "$tmp/qcom1"
        if tr -d '\r' <"$tmp/qcom1" | grep -q '^mouse id ack fa id 03$' && [ -z "$merr" ] &&
            [ "$zs" = "ff ff 01" ] && [ $sx = 5 ] && [ $sy = -3 ]; then
            ok "QEMU's window: the wheel up, up, down Z bytes $zs, motion (+5, -3)"
        else
            bad "QEMU's window: $merr Z bytes '$zs', motion ($sx, $sy)"
            tr -d '\r' <"$tmp/qcom1" | tr '\n' ' '; echo; cat "$tmp/qerr"
        fi
        kill "$qpid" 2>/dev/null
        wait "$qpid" 2>/dev/null
    else
        echo "SKIP window (QEMU's window): qemu-system-i386 with -display sdl not found (qemu-system-gui)"
    fi

    # Buttons 1-5 with the IntelliMouse Explorer protocol (-append
    # explorer: ID 4), in jet86's window and QEMU's: a click grabs, then
    # X's buttons 8, 9 (SDL's X1, X2: the side buttons), 4, 5 (the wheel
    # up, down), 1, 3, 2 (left, right, middle) and a motion (+5, +3).
    # The events as QEMU 7.2's window gives them:
    want_ev="08:00:00:10 08:00:00:00 08:00:00:20 08:00:00:00 08:00:00:0f 08:00:00:01 09:00:00:00 08:00:00:00 0a:00:00:00 08:00:00:00 0c:00:00:00 08:00:00:00 28:05:fd:00"
    explorer_run() { # NAME WINDOW-NAME-PATTERN COM1 COMMAND...
        name=$1 pattern=$2 com=$3
        shift 3
        "$@" -kernel "$guest" -append explorer -no-reboot \
            -device isa-debug-exit,iobase=0xf4,iosize=4 -serial "file:$com" 2>"$com.err" &
        epid=$!
        wait_lines "$com" 1 ready
        ewid=
        i=0
        while [ $i -lt 100 ] && [ -z "$ewid" ]; do
            ewid=$(xdotool search --onlyvisible --name "$pattern" 2>/dev/null | head -1)
            [ -n "$ewid" ] || sleep 0.1
            i=$((i + 1))
        done
        grab "$ewid"
        for b in 8 9 4 5 1 3 2; do
            xdotool click $b
        done
        xdotool mousemove_relative 5 3
        i=0
        while [ $i -lt 100 ]; do
            events "$com"
            [ "$ev" = "$want_ev" ] && break
            sleep 0.1; i=$((i + 1))
        done
        if tr -d '\r' <"$com" | grep -q '^mouse id ack fa id 04$' && [ "$ev" = "$want_ev" ]; then
            ok "$name: ID 04, buttons 4, 5, the wheel, buttons 1, 3, 2 and motion"
        else
            bad "$name: got '$ev', want '$want_ev'"
            tr -d '\r' <"$com" | tr '\n' ' '; echo; cat "$com.err"
        fi
        xdotool key Escape
        i=0
        while [ $i -lt 50 ] && kill -0 "$epid" 2>/dev/null; do
            sleep 0.1; i=$((i + 1))
        done
        kill "$epid" 2>/dev/null
        wait "$epid" 2>/dev/null
    }
    explorer_run "jet86's window" '^jet86 - ' "$tmp/ecom1" $emu -display sdl -icount shift=0
    if [ -n "$qsdl" ]; then
        explorer_run "QEMU's window" '^QEMU' "$tmp/qecom1" qemu-system-i386 -display sdl
    fi

    kill "$wm" 2>/dev/null
    if [ $fail != 0 ]; then
        echo "--- COM1:"; tr -d '\r' <"$tmp/com1" | tr '\n' ' '; echo
        echo "--- stderr:"; cat "$tmp/err"; echo "--- evilwm:"; cat "$tmp/wm.log"
    fi
    echo "window: $pass passed, $fail failed"
    [ $fail = 0 ]
    exit
fi

# --- outside --------------------------------------------------------------
# The reference: QEMU's view of the wheel (no window needed).
if command -v qemu-system-i386 >/dev/null 2>&1; then
    mkfifo "$tmp/qmon"
    # shellcheck disable=SC2086
    qemu-system-i386 -display none $args -serial "file:$tmp/qcom1" -monitor stdio \
        <"$tmp/qmon" >"$tmp/qmonout" 2>"$tmp/qerr" &
    qpid=$!
    exec 3>"$tmp/qmon"
    wait_lines "$tmp/qcom1" 1 ready
    # each a packet with the wheel's step, then one for its release
    echo "mouse_move 0 0 1" >&3
    wait_lines "$tmp/qcom1" 8 '^M'
    echo "mouse_move 0 0 -1" >&3
    wait_lines "$tmp/qcom1" 16 '^M'
    echo "quit" >&3
    exec 3>&-
    wait "$qpid" 2>/dev/null
    packets "$tmp/qcom1"
    if tr -d '\r' <"$tmp/qcom1" | grep -q '^mouse id ack fa id 03$' && [ -z "$merr" ] &&
        [ "$zs" = "ff 01" ]; then
        ok "QEMU: mouse ID 03, the wheel up then down: Z bytes $zs"
    else
        bad "QEMU: $merr Z bytes '$zs'"
        cat "$tmp/qcom1" "$tmp/qerr"
    fi
else
    echo "SKIP window (QEMU reference): qemu-system-i386 not found"
fi

if [ "${JET86_HAVE_SDL-1}" != 1 ]; then
    echo "SKIP window: jet86 was built without SDL (libsdl2-dev)"
    echo "window: $pass passed, $fail failed"
    [ $fail = 0 ]
    exit
fi
for p in xvfb-run xdotool xprop import convert evilwm; do
    if ! command -v $p >/dev/null 2>&1; then
        echo "SKIP window (window tests): $p not found (Debian packages: xvfb xauth xdotool x11-utils imagemagick evilwm)"
        echo "window: $pass passed, $fail failed"
        [ $fail = 0 ]
        exit
    fi
done
xvfb-run -a -s "-screen 0 1024x768x24" sh "$0" --inner --emu "$emu" --guest "$guest"
rc=$?
[ $fail = 0 ] && [ $rc = 0 ]
