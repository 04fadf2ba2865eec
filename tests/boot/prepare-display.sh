#!/bin/sh
# tests/boot/prepare-display.sh - the initramfs of `make check-boot`'s
# display cases (vesafb, bochsdrm), never committed: busybox,
# tests/boot/init-display as /init, and Linux's bochs DRM driver (module
# bochs, drivers/gpu/drm/tiny) with every module it depends on, taken from
# the kernel package tests/boot/prepare.sh unpacked, in load order
# (dependencies first, from each module's own depends= list: the package
# ships no modules.dep, depmod makes it at install).
#
# usage: tests/boot/prepare-display.sh [CACHE]
#   CACHE  as tests/boot/prepare.sh's ($JET86_GUEST_CACHE, else build/guests)
# Prints the directory holding vmlinuz and initrd-display.gz (CACHE/linux).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${1:-${JET86_GUEST_CACHE:-build/guests}}
out=$("$here/prepare.sh" "$cache")
cache=$(cd "$cache" && pwd)
root=$cache/root

die() {
    echo "tests/boot/prepare-display.sh: $*" >&2
    exit 1
}

kdir=$(ls -d "$root"/lib/modules/*/kernel 2>/dev/null | head -n 1)
[ -n "$kdir" ] || die "no lib/modules/*/kernel in $root (rerun tests/boot/prepare.sh)"

# Made already from this unpacking and this /init: done.
if [ -f "$out/initrd-display.gz" ] &&
    [ -n "$(find "$out/initrd-display.gz" -newer "$root.stamp")" ] &&
    [ -n "$(find "$out/initrd-display.gz" -newer "$here/init-display")" ] &&
    [ -n "$(find "$out/initrd-display.gz" -newer "$here/prepare-display.sh")" ]; then
    echo "$out"
    exit 0
fi

# find_mod NAME: the module file (- and _ are the same in module names).
find_mod() {
    n1=$(echo "$1" | tr - _)
    n2=$(echo "$1" | tr _ -)
    find "$kdir" \( -name "$n1.ko" -o -name "$n2.ko" \) | head -n 1
}

# add NAME: its dependencies, then it, once each, into $order.
order=
add() {
    case " $order " in *" $1 "*) return 0 ;; esac
    f=$(find_mod "$1")
    [ -n "$f" ] || die "module $1 not found under $kdir"
    deps=$(tr '\0' '\n' <"$f" | sed -n 's/^depends=//p' | tr , ' ')
    for d in $deps; do
        add "$d"
    done
    case " $order " in *" $1 "*) return 0 ;; esac
    order="$order $1"
}
add bochs

stage=$cache/initramfs-display.$$
rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/proc" "$stage/sys" "$stage/dev" "$stage/lib/modules"
cp "$root/bin/busybox" "$stage/bin/busybox"
cp "$here/init-display" "$stage/init"
chmod 755 "$stage/init" "$stage/bin/busybox"
: >"$stage/modules.order"
for m in $order; do
    cp "$(find_mod "$m")" "$stage/lib/modules/$m.ko"
    echo "$m.ko" >>"$stage/modules.order"
done
find "$stage" -exec touch -h -d @0 {} +
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --reproducible --quiet) |
    gzip -n -9 >"$stage.gz"
mv "$stage.gz" "$out/initrd-display.gz"
rm -rf "$stage"
echo "$out"
