#!/bin/sh
# tests/boot/run.sh - boots real software headless on COM1 and checks that
# the lines of tests/boot/CASE.expected appear in the console output, in
# that order (each line is a fixed string that must appear in a line).
# The cases (media from tests/boot/prepare.sh and prepare-media.sh, from
# Debian's packages, cached, never committed):
#   linux     Debian's i386 kernel and a busybox initramfs, -kernel
#   isolinux  the same through ISOLINUX on a CD (El Torito), -cdrom -boot d
#   grub      the same through GRUB 2 on a FAT-partitioned disk, -hda
#   memtest   memtest86+'s 32-bit image, -kernel, until its first pass ends
#   seabios   Debian's SeaBIOS (-bios) booting the isolinux case's CD
#   vesafb    the Linux case with vga=0x318 (VESA mode 118h, 1024x768x24):
#             vesafb draws the console on the PCI VGA's framebuffer
#   bochsdrm  the Linux case with the bochs DRM driver loaded from the
#             initramfs (tests/boot/prepare-display.sh): it binds the PCI
#             VGA (1234:1111) and gives fbcon 1024x768x32
# Each case has its own memory size, emulator flags, time limit and way to
# end: the Linux cases end by themselves (/init powers the machine off
# through ACPI's \_S5, status 0); memtest never ends, so the run is stopped once all its
# lines are there; the display cases (vesafb, bochsdrm) print their lines
# on COM1 (a file) up to "jet86-display: ready", then the monitor (stdio)
# takes a screendump of the console, kept as OUT/CASE-BACKEND.png (QEMU
# 7.2: CASE-qemu.ppm), and quits.
#
# usage: tests/boot/run.sh --emu jet86|qemu [--cmd EMULATOR] [--backend
#          "NAME..."] [--cache DIR] [--timeout SECONDS] [--cases "CASE..."]
#   jet86:     deterministic (-icount), on each backend named ("all": those
#              the binary lists, -accel tcg,backend=help); the slow
#              bootloader and memtest cases run on the native backends
#              only, linux on every one; prints the wall time and, for
#              runs that end by themselves, the guest instructions (-d
#              icount)
#   qemu:      qemu-system-i386 (TCG, SeaBIOS) as the reference, wall time
#   --timeout  overrides every case's own time limit
#   --cases    default: all of them
# A case whose media cannot be made (a Debian package missing) fails,
# naming the package. The closing line says how many boots passed and
# failed.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
emu=jet86
cmd=
backends=x86_64
cache=${JET86_GUEST_CACHE:-build/guests}
timeout_s=
cases="linux isolinux grub memtest seabios vesafb bochsdrm"
usage="usage: $0 --emu jet86|qemu [--cmd EMU] [--backend \"NAMES\"] [--cache DIR] [--timeout S] [--cases \"linux isolinux grub memtest seabios vesafb bochsdrm\"]"
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
    case "$1" in
    --emu) emu=$2 ;;
    --cmd) cmd=$2 ;;
    --backend) backends=$2 ;;
    --cache) cache=$2 ;;
    --timeout) timeout_s=$2 ;;
    --cases) cases=$2 ;;
    *) echo "$usage" >&2; exit 2 ;;
    esac
    shift 2
done
case "$emu" in
jet86|qemu) ;;
*) echo "$0: --emu jet86 or qemu" >&2; exit 2 ;;
esac

out_dir=${BUILD:-build}/tests/boot
mkdir -p "$out_dir"
pass=0
fail=0

# case_setup CASE: the case's settings.
#   media    its image (made here; empty and $media_err set if it fails)
#   args     emulator flags for jet86 and QEMU alike
#   append   the kernel command line (-append), if any
#   jet86    jet86's own (the -icount shift)
#   qemu     QEMU's own
#   limit    seconds before it counts as hung (at most; on a loaded host
#            or under qemu-user, --timeout raises it)
#   ends     exit: the guest ends the run; lines: stopped once all the
#            expected lines are there; screendump: a display case (above)
#   filter   what the output goes through before the check
#   slow     yes: run on the native backends only
case_setup() {
    media=
    media_err=
    append=
    jet86="-icount shift=0 -d icount"
    qemu=
    ends="exit"
    filter="tr -d \\r"
    slow=yes
    case "$1" in
    linux)
        if dir=$("$here/prepare.sh" "$cache" 2>"$out_dir/$1.prepare"); then
            media=$dir/vmlinuz
        fi
        args="-m 128 -kernel $dir/vmlinuz -initrd $dir/initrd.gz"
        append=console=ttyS0
        # interp takes about 65 s of CPU, twice that on a loaded host
        limit=600
        slow=no ;;
    isolinux)
        media=$("$here/prepare-media.sh" "$cache" "$1" 2>"$out_dir/$1.prepare") || media=
        args="-m 128 -cdrom $media -boot d"
        limit=300 ;;
    grub)
        media=$("$here/prepare-media.sh" "$cache" "$1" 2>"$out_dir/$1.prepare") || media=
        # -snapshot: GRUB may write its environment block; keep the image
        args="-m 128 -hda $media -snapshot"
        limit=300 ;;
    seabios)
        # Debian's SeaBIOS as the firmware (-bios; fw_cfg tells it the
        # machine) booting the isolinux case's CD; QEMU runs the same file.
        media=$("$here/prepare-media.sh" "$cache" isolinux 2>"$out_dir/$1.prepare") || media=
        fw=/usr/share/seabios/bios-256k.bin
        if [ ! -f "$fw" ]; then
            media=
            echo "$fw is missing: install Debian's seabios package (scripts/deps.sh install build)" >"$out_dir/$1.prepare"
        fi
        args="-m 128 -bios $fw -cdrom $media -boot d"
        limit=300 ;;
    vesafb|bochsdrm)
        if dir=$("$here/prepare-display.sh" "$cache" 2>"$out_dir/$1.prepare"); then
            media=$dir/initrd-display.gz
        fi
        args="-m 128 -kernel $dir/vmlinuz -initrd $dir/initrd-display.gz"
        if [ "$1" = vesafb ]; then
            append="console=ttyS0 vga=0x318"
        else
            append="console=ttyS0 jet86drm"
        fi
        # QEMU's std VGA as jet86's: no EDID block in its MMIO BAR
        qemu="-vga std -global VGA.edid=off"
        ends=screendump
        limit=300 ;;
    memtest)
        media=$("$here/prepare-media.sh" "$cache" "$1" 2>"$out_dir/$1.prepare") || media=
        # 16 MiB keeps a pass short; nopause: no wait for a key at start.
        # Its screen goes out as VT100 cursor moves: one ESC, one line.
        args="-m 8 -kernel $media"
        append="console=ttyS0,115200 nopause"
        # The bit fade test waits 2 x 90 s by the TSC: with 1 us of virtual
        # time an instruction (shift=10) that is 180 M instructions.
        jet86="-icount shift=10"
        qemu="-icount shift=10,sleep=off"
        ends=lines
        filter="tr \\033\\r \\n\\n"
        limit=300 ;;
    *)
        echo "$0: unknown case '$1' (linux isolinux grub memtest seabios vesafb bochsdrm)" >&2
        exit 2 ;;
    esac
    [ -n "$media" ] || media_err=$(tail -n 1 "$out_dir/$1.prepare")
    [ -z "$timeout_s" ] || limit=$timeout_s
}

# console_flags NAME: COM1 and the monitor: the console on stdio, or for
# a display case COM1 into NAME.out and the monitor on stdio.
console_flags() {
    if [ "$ends" = screendump ]; then
        echo "-display none -serial file:$out_dir/$1.out -monitor stdio"
    else
        echo "-nographic"
    fi
}

# screendump_run NAME COMMAND...: a display case: COM1 in $out, the monitor
# fed through a FIFO; once COM1 says ready, a screendump into NAME.png and
# quit. Sets $why on a failure.
screendump_run() {
    name=$1
    shift
    png=$(cd "$out_dir" && pwd)/$name.png
    # QEMU 7.2's screendump writes PPM only
    [ "$emu" = qemu ] && png=${png%.png}.ppm
    fifo=$out_dir/$name.monitor-in
    rm -f "$fifo" "$png" "$out"
    : >"$out"
    mkfifo "$fifo"
    "$@" <"$fifo" >"$out_dir/$name.monitor" 2>"$err" &
    pid=$!
    exec 3>"$fifo"
    waited=0
    while ! grep -q "jet86-display: ready" "$out"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid" || rc=$?
            why="exit status $rc before the end"
            break
        fi
        if [ "$waited" -ge "$limit" ]; then
            why="not ready within ${limit}s"
            break
        fi
        sleep 1
        waited=$((waited + 1))
    done
    if [ -z "$why" ]; then
        echo "screendump $png" >&3
        n=0
        while [ ! -s "$png" ] && [ "$n" -lt 30 ]; do
            sleep 1
            n=$((n + 1))
        done
        [ -s "$png" ] || why="no screendump $png"
    fi
    echo quit >&3 2>/dev/null || true
    exec 3>&-
    n=0
    while kill -0 "$pid" 2>/dev/null && [ "$n" -lt 10 ]; do
        sleep 1
        n=$((n + 1))
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -f "$fifo"
}

# check_lines CASE OUT: every expected line, in order, in OUT; one output
# line may hold several (under QEMU, SeaBIOS's echo of the screen can run
# ISOLINUX's last line and the kernel's first together).
check_lines() {
    $filter <"$2" | awk -v wantfile="$here/$1.expected" '
        BEGIN { k = 0; while ((getline l < wantfile) > 0) want[n++] = l }
        {
            rest = $0
            while (k < n && (p = index(rest, want[k])) > 0) {
                rest = substr(rest, p + length(want[k]))
                k++
            }
        }
        END { if (k < n) { print "missing: " want[k]; exit 1 } }'
}

# boot CASE NAME COMMAND...: run it, check its output and how it ended.
boot() {
    c=$1
    name=$2
    shift 2
    out=$out_dir/$name.out
    err=$out_dir/$name.err
    if [ -n "$media_err" ]; then
        fail=$((fail + 1))
        echo "FAIL $name: no boot media: $media_err"
        return
    fi
    t0=$(date +%s.%N)
    rc=0
    why=
    png=
    if [ "$ends" = screendump ]; then
        screendump_run "$name" "$@"
    elif [ "$ends" = exit ]; then
        timeout "$limit" "$@" >"$out" 2>"$err" </dev/null || rc=$?
        if [ "$rc" = 124 ]; then
            why="no exit within ${limit}s"
        elif [ "$rc" != 0 ] && ! { [ "$rc" = 1 ] && grep -q "triple fault" "$err"; }; then
            # The ACPI power-off ends the run with status 0; a reboot would
            # too (a reset with -no-reboot), or, where no reset register
            # answers, with the ROM's triple fault (status 1).
            why="exit status $rc"
        fi
    else
        # Poll the output once a second; the guest's run itself stays
        # deterministic, only when it is stopped depends on the host.
        "$@" >"$out" 2>"$err" </dev/null &
        pid=$!
        waited=0
        while :; do
            if check_lines "$c" "$out" >/dev/null; then
                kill "$pid" 2>/dev/null || true
                wait "$pid" 2>/dev/null || true
                break
            fi
            if ! kill -0 "$pid" 2>/dev/null; then
                wait "$pid" || rc=$?
                why="exit status $rc before the end"
                break
            fi
            if [ "$waited" -ge "$limit" ]; then
                kill "$pid" 2>/dev/null || true
                wait "$pid" 2>/dev/null || true
                why="not done within ${limit}s"
                break
            fi
            sleep 1
            waited=$((waited + 1))
        done
    fi
    t1=$(date +%s.%N)
    wall=$(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }')
    missing=$(check_lines "$c" "$out") || why="${why:+$why, }$missing"
    icount=$(sed -n 's/^icount: \([0-9]*\) guest instructions.*/\1/p' "$err")
    if [ -z "$why" ]; then
        pass=$((pass + 1))
        echo "PASS $name: ${wall}s${icount:+, $icount guest instructions}${png:+, screen in $png}"
    else
        fail=$((fail + 1))
        echo "FAIL $name: $why (${wall}s; output in $out, $err)"
    fi
}

case "$emu" in
jet86)
    cmd=${cmd:-./jet86}
    if [ "$backends" = all ]; then
        # shellcheck disable=SC2086
        listed=$($cmd -accel tcg,backend=help 2>&1 | tr ',:' '  ')
        backends=
        for b in interp x86_64; do
            case " $(echo $listed) " in
            *" $b "*) backends="$backends $b" ;;
            esac
        done
        [ -n "$backends" ] || backends=interp
    fi
    # The slow cases skip interp when a native backend is there too.
    native=
    for b in $backends; do
        [ "$b" = interp ] || native="$native $b"
    done
    [ -n "$native" ] || native=$backends
    for c in $cases; do
        case_setup "$c"
        run_on=$backends
        [ "$slow" = no ] || run_on=$native
        for b in $run_on; do
            # shellcheck disable=SC2086
            boot "$c" "$c-$b" $cmd -accel tcg,backend=$b $(console_flags "$c-$b") -no-reboot \
                $jet86 $args ${append:+-append} ${append:+"$append"}
        done
    done ;;
qemu)
    cmd=${cmd:-qemu-system-i386}
    for c in $cases; do
        case_setup "$c"
        # shellcheck disable=SC2086
        boot "$c" "$c-qemu" $cmd $(console_flags "$c-qemu") -no-reboot $qemu $args \
            ${append:+-append} ${append:+"$append"}
    done ;;
esac
echo "check-boot: $pass passed, $fail failed"
[ "$fail" = 0 ]
