#!/bin/sh
# Boots Debian's SeaBIOS (/usr/share/seabios/bios.bin, package seabios)
# with -bios under jet86 (every backend) or qemu-system-i386, on the same
# images, deterministic (-icount shift=0), each run under a time limit:
#   fwcfg  SeaBIOS's debug log (isa-debugcon on port 0x402) shows that it
#          found QEMU's board and fw_cfg with DMA, took the RAM size from
#          the etc/e820 file (-m 64: 0x4000000 bytes) and one CPU (with an
#          APIC it says "Found 1 cpu(s) max supported 1 cpu(s)", from
#          fw_cfg's CPU counts; without one, as on jet86 today, "No apic -
#          only the main cpu is present.")
#   vga    it runs the VGA BIOS from the PCI VGA's expansion ROM
#          (SeaVGABIOS's vgabios-stdvga.bin, QEMU's -vga std), and (jet86,
#          -d screen) its banner is on the text screen at the end; the
#          log shows the BARs where QEMU's SeaBIOS puts them (ROM
#          0xFEBE0000, MMIO 0xFEBF0000, framebuffer 0xFD000000) and
#          SeaVGABIOS using BAR0 for VBE
#   hd     it boots the boot sector of -hda (boot.asm), which prints
#          "SEABIOS-BOOT HD DL=80" on COM1 and exits through isa-debug-exit
#   cd     it boots an El Torito no-emulation image from -cdrom (-boot d,
#          the ISO made with xorriso), which prints "SEABIOS-BOOT CD DL=E0"
#   order  with -hda and -cdrom, -boot order=dc boots the CD first
#   kernel it boots -kernel (bzimage.asm, a minimal bzImage) with -initrd
#          and -append from fw_cfg through QEMU's linuxboot_dma.bin option
#          ROM (package qemu-system-data); the kernel's setup prints what
#          the loader gave it on COM1
# Without the seabios package (or nasm, or xorriso for cd) the cases are
# skipped with a message, and the run succeeds.
#
# Each case runs with bios.bin (128 KiB) and bios-256k.bin (QEMU's
# default, with SMM set-up code: jet86's PIIX4 says SMM is set up already,
# as QEMU's does with smm=off).
#
# usage: run.sh --emu jet86|qemu [--cmd CMD] [--backend "B1 B2"|all]
#               [--dir BUILD_DIR] [--timeout SECS] [--bios FILE]...
# Prints PASS/FAIL/SKIP per case, then "seabios: N passed, M failed".
set -u

here=$(cd "$(dirname "$0")" && pwd)
emu=jet86
cmd=
backends=all
tmo=60
dir=$(cd "$here/../.." && pwd)/build/tests/seabios
bioses=

while [ $# -gt 0 ]; do
    case "$1" in
    --emu) emu=$2; shift 2 ;;
    --cmd) cmd=$2; shift 2 ;;
    --backend) backends=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --timeout) tmo=$2; shift 2 ;;
    --bios) bioses="$bioses $2"; shift 2 ;;
    -h|--help) sed -n '2,31p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

case "$emu" in
jet86) cmd=${cmd:-./jet86} ;;
qemu) cmd=${cmd:-qemu-system-i386}; backends=tcg ;;
*) echo "run.sh: --emu jet86 or qemu" >&2; exit 2 ;;
esac

if [ -z "$bioses" ]; then
    for f in /usr/share/seabios/bios.bin /usr/share/seabios/bios-256k.bin; do
        [ -r "$f" ] && bioses="$bioses $f"
    done
fi
for f in $bioses; do
    if [ ! -r "$f" ]; then
        echo "seabios: SKIP: $f not found (install the seabios package:" \
            "scripts/deps.sh install build)"
        exit 0
    fi
done
if [ -z "$bioses" ]; then
    echo "seabios: SKIP: /usr/share/seabios/bios.bin not found (install the" \
        "seabios package: scripts/deps.sh install build)"
    exit 0
fi
if ! command -v nasm >/dev/null 2>&1; then
    echo "seabios: SKIP: nasm not found (scripts/deps.sh install build)"
    exit 0
fi

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

# ---- the images ----
mkdir -p "$dir/cdroot"
nasm -f bin -DMEDIUM='"HD"' -o "$dir/hd.bin" "$here/boot.asm" || exit 1
cp "$dir/hd.bin" "$dir/hd.img" && truncate -s 1M "$dir/hd.img" || exit 1
nasm -f bin -o "$dir/bzimage.bin" "$here/bzimage.asm" || exit 1
printf 'INITRD-DATA and more' >"$dir/initrd.bin"
linuxboot=/usr/share/qemu/linuxboot_dma.bin
have_cd=0
if command -v xorriso >/dev/null 2>&1; then
    nasm -f bin -DMEDIUM='"CD"' -o "$dir/cdroot/boot.bin" "$here/boot.asm" ||
        exit 1
    rm -f "$dir/cd.iso"
    xorriso -as mkisofs -quiet -o "$dir/cd.iso" -b boot.bin \
        -no-emul-boot -boot-load-size 4 "$dir/cdroot" >"$dir/xorriso.log" 2>&1 ||
        { cat "$dir/xorriso.log"; exit 1; }
    have_cd=1
fi

pass=0
fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

# run NAME BACKEND ARGS...: SeaBIOS with the log on 0x402, COM1 in
# NAME.com1, the exit status in $st.
run() {
    name=$1 b=$2
    shift 2
    out="$dir/$name-$b"
    set -- -bios "$bios" -m 64 -display none -no-reboot -icount shift=0 \
        -chardev "file,id=seabioslog,path=$out.log" \
        -device isa-debugcon,iobase=0x402,chardev=seabioslog \
        -device isa-debug-exit,iobase=0xf4 -serial "file:$out.com1" "$@"
    if [ "$emu" = qemu ]; then
        # the same PCI VGA as jet86's (-vga std), no NIC
        set -- -vga std -net none -monitor none "$@"
    else
        set -- -accel "tcg,backend=$b0" -d screen -D "$out.screen" "$@"
    fi
    : >"$out.log"
    : >"$out.com1"
    timeout "$tmo" $cmd "$@" >"$out.out" 2>&1
    st=$?
}

# has FILE TEXT: a line of FILE is TEXT
has() { tr -d '\r' <"$1" | grep -Fxq -- "$2"; }

for bios in $bioses; do
bn=$(basename "$bios" .bin)
for b0 in $backends; do
    b="$bn-$b0"
    run hd "$b" -drive "file=$dir/hd.img,format=raw,if=ide"
    log="$dir/hd-$b.log"
    why=
    for line in "Running on QEMU (i440fx)" "Found QEMU fw_cfg" \
        "QEMU fw_cfg DMA interface supported" \
        "qemu/e820: addr 0x0000000000000000 len 0x0000000004000000 [RAM]"; do
        has "$log" "$line" || why="${why:+$why; }no \"$line\""
    done
    has "$log" "Found 1 cpu(s) max supported 1 cpu(s)" ||
        has "$log" "No apic - only the main cpu is present." ||
        why="${why:+$why; }no CPU count"
    [ -z "$why" ] && ok "fwcfg ($b)" || bad "fwcfg ($b)" "$why (see $log)"

    why=
    tr -d '\r' <"$log" | grep -q '^Start SeaVGABIOS' ||
        why="no \"Start SeaVGABIOS\""
    for line in "Turning on vga text mode console" \
        "PCI: map device bdf=00:02.0  bar 6, addr febe0000, size 00010000 [mem]" \
        "PCI: map device bdf=00:02.0  bar 2, addr febf0000, size 00001000 [mem]" \
        "PCI: map device bdf=00:02.0  bar 0, addr fd000000, size 01000000 [prefmem]" \
        "PCI: Using 00:02.0 for primary VGA" "VBE DISPI: bdf 00:02.0, bar 0"; do
        has "$log" "$line" || why="${why:+$why; }no \"$line\""
    done
    if [ "$emu" = jet86 ] && ! grep -q '^SeaBIOS (version' "$dir/hd-$b.screen"; then
        why="${why:+$why; }the screen lacks SeaBIOS's banner"
    fi
    [ -z "$why" ] && ok "vga ($b)" || bad "vga ($b)" "$why (see $log)"

    if [ "$st" = 33 ] && has "$dir/hd-$b.com1" "SEABIOS-BOOT HD DL=80"; then
        ok "hd ($b)"
    else
        bad "hd ($b)" "status $st, COM1: $(head -c 200 "$dir/hd-$b.com1")"
    fi

    if [ "$have_cd" = 1 ]; then
        run cd "$b" -cdrom "$dir/cd.iso" -boot d
        if [ "$st" = 33 ] && has "$dir/cd-$b.com1" "SEABIOS-BOOT CD DL=E0"; then
            ok "cd ($b)"
        else
            bad "cd ($b)" "status $st, COM1: $(head -c 200 "$dir/cd-$b.com1")"
        fi
    else
        echo "SKIP cd ($b): xorriso not found (scripts/deps.sh install build)"
    fi

    if [ "$have_cd" = 1 ]; then
        run order "$b" -drive "file=$dir/hd.img,format=raw,if=ide" \
            -cdrom "$dir/cd.iso" -boot order=dc
        if [ "$st" = 33 ] && has "$dir/order-$b.com1" "SEABIOS-BOOT CD DL=E0"; then
            ok "order ($b)"
        else
            bad "order ($b)" "status $st, COM1: $(head -c 200 "$dir/order-$b.com1")"
        fi
    fi

    if [ "$emu" = qemu ] || [ -r "$linuxboot" ]; then
        run kernel "$b" -kernel "$dir/bzimage.bin" -initrd "$dir/initrd.bin" \
            -append "hello fw_cfg"
        want="LINUX loader=B0 cmdline=hello fw_cfg initrd=00000014 kernel=KERNEL32 initrd-data=INITRD-D"
        if [ "$st" = 33 ] && has "$dir/kernel-$b.com1" "$want"; then
            ok "kernel ($b)"
        else
            bad "kernel ($b)" "status $st, COM1: $(head -c 200 "$dir/kernel-$b.com1")"
        fi
    else
        echo "SKIP kernel ($b): $linuxboot not found (package qemu-system-data)"
    fi
done
done

echo "seabios: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
