#!/bin/bash
# tests/boot/gfxterm.sh - GRUB 2's graphical menu through our BIOS's VBE
# and keyboard: jet86 (-icount shift=0, -monitor stdio fed through a fifo)
# boots the disks of tests/boot/prepare-media.sh's gfxterm32 case (gfxmode
# 1024x768x32) and gfxterm16 case (800x600x16) and, for each,
#   1. screendumps the menu until it equals gfxterm<BPP>-menu.png pixel
#      for pixel (the first entry highlighted)
#   2. sendkey down (the grey arrow, E0 50): the screen must become
#      gfxterm<BPP>-down.png (the second entry highlighted)
#   3. sendkey ret: the second entry runs and prints
#      "jet86-gfxterm: second entry" on COM1; quit ends jet86 with 0
# The reference PNGs were made by qemu-system-i386 7.2 (-vga std, SeaBIOS
# and its vgabios-stdvga) booting the same disks, its monitor's
# `screendump FILE -f png` (run this script with --make-refs); they hold
# only for the GRUB they were made with, whose files' sums are in
# gfxterm.sums: when Debian's GRUB differs, the case is skipped (saying
# so), as it is when the disk cannot be made (a package missing).
# Waits are bounded by --timeout seconds: the guest is deterministic, the
# wait is only for the host to get there.
#
# usage: gfxterm.sh [--emu CMD] [--pngdiff CMD] [--cache DIR]
#                   [--timeout SECS] [--make-refs]
# Prints PASS/FAIL/SKIP per case, then "gfxterm: N passed, M failed,
# K skipped".
set -u

here=$(cd "$(dirname "$0")" && pwd)
emu=./jet86
pngdiff=build/tests/boot/pngdiff
cache=${JET86_GUEST_CACHE:-build/guests}
tmo=120
make_refs=no
while [ $# -gt 0 ]; do
    case "$1" in
    --emu) emu=$2; shift 2 ;;
    --pngdiff) pngdiff=$2; shift 2 ;;
    --cache) cache=$2; shift 2 ;;
    --timeout) tmo=$2; shift 2 ;;
    --make-refs) make_refs=yes; shift ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "gfxterm.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

. "$here/../lib/monitor.sh"
pass=0
fail=0
skip=0

# The GRUB files the disks are made of: boot.img, kernel.img, the font
# and the modules core.img holds with the ones they need (moddep.lst).
grub_files() {
    local dir=/usr/lib/grub/i386-pc
    local want="biosdisk part_msdos fat normal serial terminal echo configfile vbe gfxterm font"
    local seen="" m
    while [ -n "$want" ]; do
        set -- $want
        m=$1
        shift
        want="$*"
        case " $seen " in *" $m "*) continue ;; esac
        seen="$seen $m"
        want="$want $(sed -n "s/^$m://p" "$dir/moddep.lst")"
    done
    echo "$dir/boot.img"
    echo "$dir/kernel.img"
    echo /usr/share/grub/ascii.pf2
    for m in $(echo $seen | tr ' ' '\n' | sort); do
        echo "$dir/$m.mod"
    done
}

# start DISK EMULATOR...: the emulator with the monitor on stdio, until
# its first prompt
start() {
    local disk=$1
    shift
    mon_start "$@" -m 64 -hda "$disk" -snapshot -display none -monitor stdio
    wait_for "$tmp/out" "$prompt"
}

# screen_is REF: screendump until the screen equals REF (or time is up)
screen_is() {
    local t=0 got
    while :; do
        rm -f "$tmp/screen.png"
        cmd "screendump $tmp/screen.png" || return 1
        got=$($pngdiff "$tmp/screen.png" "$1" 2>&1) && return 0
        t=$((t + 1))
        if [ $t -gt $((tmo * 2)) ]; then
            err "the screen is not $(basename "$1"): $got"
            cp "$tmp/screen.png" "${BUILD:-build}/tests/boot/$(basename "$1" .png).got.png" 2>/dev/null
            return 1
        fi
        sleep 0.5
    done
}

# finish: quit, wait for the emulator's exit status
finish() {
    printf 'quit\n' >&3
    mon_stop
    if [ -f "$tmp/status" ] && [ "$(cat "$tmp/status")" != 0 ]; then
        err "exit status $(cat "$tmp/status")"
    fi
}

# report CASE
report() {
    if [ -z "$errs" ]; then
        echo "PASS $1"
        pass=$((pass + 1))
    else
        echo "FAIL $1:$errs"
        echo "  --- COM1:"
        tr -d '\r' <"$tmp/com1" 2>/dev/null | tail -c 300 | sed 's/^/  | /'
        echo "  --- stderr:"
        sed 's/^/  | /' "$tmp/err" | tail -10
        fail=$((fail + 1))
    fi
    errs=""
}

mkdir -p "${BUILD:-build}/tests/boot"
if [ "$make_refs" = yes ]; then
    # The references, from QEMU (fixed waits: not a test, a recording).
    prompt="(qemu) "
    for bpp in 32 16; do
        disk=$("$here/prepare-media.sh" "$cache" gfxterm$bpp) || exit 1
        start "$disk" qemu-system-i386 -vga std
        sleep 8
        cmd "screendump $here/gfxterm$bpp-menu.png -f png"
        cmd "sendkey down"
        sleep 2
        cmd "screendump $here/gfxterm$bpp-down.png -f png"
        finish
        [ -z "$errs" ] || { echo "gfxterm.sh: QEMU:$errs" >&2; exit 1; }
    done
    (cd / && sha256sum $(grub_files)) >"$here/gfxterm.sums"
    echo "gfxterm.sh: wrote tests/boot/gfxterm{32,16}-{menu,down}.png and gfxterm.sums"
    exit 0
fi

prompt="(jet86) "
grub_ok=yes
why=$(cd / && sha256sum --quiet -c "$here/gfxterm.sums" 2>&1) || grub_ok=no
for bpp in 32 16; do
    name=gfxterm$bpp
    if [ "$grub_ok" = no ]; then
        echo "SKIP $name: the installed GRUB is not the one the reference screens were made with (tests/boot/gfxterm.sums: $(echo "$why" | head -n 1))"
        skip=$((skip + 1))
        continue
    fi
    if ! disk=$("$here/prepare-media.sh" "$cache" $name 2>"$tmp/prepare"); then
        echo "SKIP $name: no disk: $(tail -n 1 "$tmp/prepare")"
        skip=$((skip + 1))
        continue
    fi
    start "$disk" $emu -icount shift=0
    [ -n "$errs" ] || screen_is "$here/$name-menu.png"
    [ -n "$errs" ] || cmd "sendkey down"
    [ -n "$errs" ] || screen_is "$here/$name-down.png"
    [ -n "$errs" ] || cmd "sendkey ret"
    [ -n "$errs" ] || wait_for "$tmp/com1" "jet86-gfxterm: second entry"
    if grep -aqF "jet86-gfxterm: first entry" "$tmp/com1" 2>/dev/null; then
        err "the first entry ran"
    fi
    finish
    report $name
done
echo "gfxterm: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
