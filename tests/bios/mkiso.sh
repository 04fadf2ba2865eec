#!/bin/sh
# mkiso.sh OUT.iso BOOTSECTOR - a CD image booting Debian's ISOLINUX (the
# isolinux and syslinux-common packages, scripts/deps.sh) by El Torito in
# no-emulation mode, made with xorriso; its isolinux.cfg sends ISOLINUX's
# console to COM1 and chain-loads BOOTSECTOR as /hello.bs at once.
set -eu
out=$1
bs=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM
mkdir -p "$dir/isolinux"
cp /usr/lib/ISOLINUX/isolinux.bin "$dir/isolinux/"
cp /usr/lib/syslinux/modules/bios/ldlinux.c32 "$dir/isolinux/"
cp "$bs" "$dir/hello.bs"
printf 'SERIAL 0 115200\nPROMPT 0\nTIMEOUT 0\nDEFAULT hello\nLABEL hello\n  KERNEL /hello.bs\n' \
    > "$dir/isolinux/isolinux.cfg"
xorriso -as mkisofs -quiet -o "$out" -b isolinux/isolinux.bin \
    -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 \
    -boot-info-table "$dir" 2>/dev/null
