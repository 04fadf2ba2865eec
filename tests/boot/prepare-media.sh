#!/bin/sh
# tests/boot/prepare-media.sh - the boot media of `make check-boot`'s
# bootloader cases, made from Debian's packages installed on the host and
# the Linux guest of tests/boot/prepare.sh, never committed, no root and no
# loop devices:
#   isolinux  CACHE/media/isolinux.iso: ISOLINUX (isolinux.bin, ldlinux.c32)
#             booted by El Torito in no-emulation mode (xorriso), its
#             console on COM1 (serial 0 115200), loading vmlinuz and
#             initrd.gz with console=ttyS0
#   grub      CACHE/media/grub.img: a 32 MiB raw disk, an MBR with one FAT16
#             partition at 1 MiB (mtools) holding vmlinuz, initrd.gz and
#             /boot/grub/grub.cfg; GRUB 2's boot.img in the MBR and its
#             core.img (grub-mkimage -O i386-pc) in the sectors after it,
#             as grub-install would put them
#   gfxterm32, gfxterm16
#             CACHE/media/gfxterm32.img, gfxterm16.img: 8 MiB disks made
#             as grub's, no kernel: GRUB's menu on its graphical terminal
#             (vbe, gfxterm, ascii.pf2) at 1024x768x32 or 800x600x16, two
#             entries that each print their name on COM1 (make check-gfxterm)
#   memtest   CACHE/media/memtest.bin: memtest86+'s 32-bit image (a Linux
#             boot protocol kernel)
#
# usage: tests/boot/prepare-media.sh CACHE CASE
#   CACHE  as tests/boot/prepare.sh's (it holds CACHE/linux)
# Prints the image's path. A missing package is named with the command
# that installs it (the `guests` group of scripts/deps.sh), and exit 1.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=$1
what=$2
media=$cache/media

die() {
    echo "tests/boot/prepare-media.sh: $*" >&2
    exit 1
}

# need FILE PACKAGE: FILE comes from the Debian package PACKAGE.
need() {
    [ -e "$1" ] || command -v "$1" >/dev/null 2>&1 ||
        die "$1 is missing: install the Debian package $2 (apt-get install $2, or scripts/deps.sh install guests as root)"
}

# le32 N: N as 4 little-endian bytes.
# shellcheck disable=SC2059
le32() {
    printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) \
        $(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"
}

# linux: the kernel and initramfs of the linux case.
linux_dir() {
    "$here/prepare.sh" "$cache"
}

# fresh OUT INPUT...: OUT is missing or older than one of the INPUTs.
fresh() {
    out=$1
    shift
    [ -f "$out" ] || return 1
    for f in "$@"; do
        [ -z "$(find "$f" -prune -newer "$out")" ] || return 1
    done
    return 0
}

# grub_tools: the GRUB and mtools commands and files a GRUB disk is made
# with (grubdir: GRUB's i386-pc directory).
grub_tools() {
    grubdir=/usr/lib/grub/i386-pc
    need grub-mkimage grub-common
    need $grubdir/boot.img grub-pc-bin
    need mformat mtools
    need mcopy mtools
}

# grub_part LABEL SERIAL: $tmp/part.img, the FAT16 file system of a GRUB
# disk's partition ($count sectors, the $start before it hidden), with
# the directory /boot/grub.
grub_part() {
    dd if=/dev/zero of="$tmp/part.img" bs=512 count=0 seek=$count 2>/dev/null
    mformat -i "$tmp/part.img" -T $count -h 64 -s 32 -H $start -v "$1" -N "$2" :: ||
        die "mformat failed"
    mmd -i "$tmp/part.img" ::/boot ::/boot/grub
}

# grub_disk OUT: OUT, a disk of $total sectors as grub-install would make
# it: boot.img and $tmp/core.img before the partition, $tmp/part.img at
# sector $start; $tmp removed, OUT printed.
grub_disk() {
    core_sectors=$((($(wc -c <"$tmp/core.img") + 511) / 512))
    [ "$core_sectors" -lt "$start" ] || die "core.img ($core_sectors sectors) does not fit before the partition"
    # The MBR: boot.img's code (446 bytes), one partition entry (active,
    # type 0x0E FAT16 LBA, CHS fields all 0xFE/0xFF: use LBA), 55 AA.
    # boot.img loads the sector its kernel_sector field names (1, the
    # default) from the boot drive; that is the first of core.img, whose
    # block list grub-mkimage filled in for the sectors after it.
    dd if=/dev/zero of="$tmp/disk.img" bs=512 count=0 seek=$total 2>/dev/null
    {
        head -c 446 "$grubdir/boot.img"
        printf '\200\376\377\377\016\376\377\377'
        le32 $start
        le32 $count
        head -c 48 /dev/zero
        printf '\125\252'
    } | dd of="$tmp/disk.img" conv=notrunc 2>/dev/null
    dd if="$tmp/core.img" of="$tmp/disk.img" bs=512 seek=1 conv=notrunc 2>/dev/null
    dd if="$tmp/part.img" of="$tmp/disk.img" bs=512 seek=$start conv=notrunc 2>/dev/null
    mv "$tmp/disk.img" "$1"
    rm -rf "$tmp"
    echo "$1"
}

make_isolinux() {
    need xorriso xorriso
    need /usr/lib/ISOLINUX/isolinux.bin isolinux
    need /usr/lib/syslinux/modules/bios/ldlinux.c32 syslinux-common
    lin=$(linux_dir)
    out=$media/isolinux.iso
    if fresh "$out" "$lin/vmlinuz" "$lin/initrd.gz" "$0"; then
        echo "$out"
        return
    fi
    dir=$media/isolinux.tree
    rm -rf "$dir"
    mkdir -p "$dir/isolinux"
    cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 \
        "$dir/isolinux/"
    cp "$lin/vmlinuz" "$lin/initrd.gz" "$dir/"
    cat >"$dir/isolinux/isolinux.cfg" <<'EOF'
serial 0 115200
prompt 0
timeout 0
default linux
label linux
  kernel /vmlinuz
  append initrd=/initrd.gz console=ttyS0
EOF
    find "$dir" -exec touch -h -d @0 {} +
    xorriso -as mkisofs -quiet -o "$out.tmp" -b isolinux/isolinux.bin \
        -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 \
        -boot-info-table "$dir" 2>"$media/isolinux.log" ||
        die "xorriso failed: $(cat "$media/isolinux.log")"
    rm -rf "$dir"
    mv "$out.tmp" "$out"
    echo "$out"
}

make_grub() {
    grub_tools
    lin=$(linux_dir)
    out=$media/grub.img
    if fresh "$out" "$lin/vmlinuz" "$lin/initrd.gz" "$0"; then
        echo "$out"
        return
    fi
    tmp=$media/grub.tmp
    rm -rf "$tmp"
    mkdir -p "$tmp"
    # The disk: 65536 sectors, the partition from sector 2048 to the end.
    total=65536
    start=2048
    count=$((total - start))
    # core.img: GRUB's kernel with what it needs to read the FAT partition
    # through INT 13h and run grub.cfg on COM1; its prefix names the
    # partition so no search is needed.
    grub-mkimage -O i386-pc -o "$tmp/core.img" -p '(hd0,msdos1)/boot/grub' \
        biosdisk part_msdos fat normal linux serial terminal echo configfile \
        2>"$tmp/log" || die "grub-mkimage failed: $(cat "$tmp/log")"
    cat >"$tmp/grub.cfg" <<'EOF'
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
set timeout=0
set default=0
menuentry "Debian i386 Linux (jet86 check-boot)" {
    echo "jet86-grub: loading the kernel"
    linux /vmlinuz console=ttyS0
    initrd /initrd.gz
}
EOF
    # The FAT16 partition, made apart and then put in place.
    grub_part JET86BOOT 4a383631
    mcopy -i "$tmp/part.img" -m "$lin/vmlinuz" "$lin/initrd.gz" ::/
    mcopy -i "$tmp/part.img" "$tmp/grub.cfg" ::/boot/grub/grub.cfg
    grub_disk "$out"
}

# make_gfxterm BPP WxHxBPP: GRUB's graphical menu, its modules in core.img
# (only the BIOS's VBE draws the mode: no video_bochs), the font on the
# disk, no kernel.
make_gfxterm() {
    grub_tools
    font=/usr/share/grub/ascii.pf2
    need $font grub-common
    out=$media/gfxterm$1.img
    if fresh "$out" "$0" $grubdir/kernel.img $grubdir/gfxterm.mod $font; then
        echo "$out"
        return
    fi
    tmp=$media/gfxterm$1.tmp
    rm -rf "$tmp"
    mkdir -p "$tmp"
    total=16384
    start=2048
    count=$((total - start))
    grub-mkimage -O i386-pc -o "$tmp/core.img" -p '(hd0,msdos1)/boot/grub' \
        biosdisk part_msdos fat normal serial terminal echo configfile \
        vbe gfxterm font 2>"$tmp/log" || die "grub-mkimage failed: $(cat "$tmp/log")"
    # Keys come from the BIOS (INT 16h), the picture through VBE; the
    # chosen entry says its name on COM1.
    cat >"$tmp/grub.cfg" <<CFG
serial --unit=0 --speed=115200
terminal_input console
set gfxmode=$2
loadfont /boot/grub/ascii.pf2
terminal_output gfxterm
set timeout=-1
set default=0
menuentry "jet86 gfxterm: first entry" {
    terminal_output serial
    echo "jet86-gfxterm: first entry"
}
menuentry "jet86 gfxterm: second entry" {
    terminal_output serial
    echo "jet86-gfxterm: second entry"
}
CFG
    grub_part JET86GFX 4a383632
    mcopy -i "$tmp/part.img" "$tmp/grub.cfg" ::/boot/grub/grub.cfg
    mcopy -i "$tmp/part.img" $font ::/boot/grub/ascii.pf2
    grub_disk "$out"
}

make_memtest() {
    src=/boot/memtest86+ia32.bin
    need $src memtest86+
    out=$media/memtest.bin
    if ! fresh "$out" "$src"; then
        cp "$src" "$out.tmp"
        mv "$out.tmp" "$out"
    fi
    echo "$out"
}

mkdir -p "$media"
case "$what" in
isolinux) make_isolinux ;;
grub) make_grub ;;
memtest) make_memtest ;;
gfxterm32) make_gfxterm 32 1024x768x32 ;;
gfxterm16) make_gfxterm 16 800x600x16 ;;
*) die "unknown case '$what' (isolinux, grub, memtest, gfxterm32, gfxterm16)" ;;
esac
