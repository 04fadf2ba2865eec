#!/bin/sh
# tests/boot/prepare.sh - prepares the Linux guest of `make check-boot` from
# Debian's packages, never committed: the i386 kernel of linux-image-686
# (the package its metapackage depends on) and busybox-static:i386, fetched
# with `apt-get download`, unpacked with `dpkg -x`, and an initramfs (newc
# cpio, gzip) holding busybox and tests/boot/init.
#
# usage: tests/boot/prepare.sh [CACHE]
#   CACHE  where to keep it all: $JET86_GUEST_CACHE, else build/guests
# Prints the directory holding vmlinuz and initrd.gz (CACHE/linux).
# Fetching needs the i386 dpkg architecture and apt's lists: as root the
# script adds them; otherwise it says what to run. The packages it needs on
# the host (cpio, gzip) are the `guests` group of scripts/deps.sh.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${1:-${JET86_GUEST_CACHE:-build/guests}}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
debs=$cache/debs
root=$cache/root
out=$cache/linux

die() {
    echo "tests/boot/prepare.sh: $*" >&2
    exit 1
}

for tool in cpio gzip dpkg apt-get apt-cache; do
    command -v "$tool" >/dev/null 2>&1 ||
        die "$tool is missing: run scripts/deps.sh install guests (as root)"
done

# The i386 package lists, once: as root add them, else say how.
need_i386() {
    if ! dpkg --print-foreign-architectures | grep -qx i386; then
        [ "$(id -u)" = 0 ] ||
            die "the i386 dpkg architecture is needed to fetch the guest; run as root: dpkg --add-architecture i386 && apt-get update"
        echo "prepare: dpkg --add-architecture i386" >&2
        dpkg --add-architecture i386
    fi
    if [ -z "$(apt-cache madison busybox-static:i386 2>/dev/null)" ]; then
        [ "$(id -u)" = 0 ] ||
            die "apt knows no i386 packages yet; run as root: apt-get update"
        echo "prepare: apt-get update" >&2
        # A mirror in mid-sync can fail one index; the ones needed may
        # still be there, which the look-up below checks.
        apt-get update >&2 || true
    fi
}

# The kernel package the metapackage linux-image-686 depends on.
kernel_package() {
    apt-cache depends linux-image-686:i386 2>/dev/null |
        awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }'
}

fetch() {
    need_i386
    kpkg=$(kernel_package)
    [ -n "$kpkg" ] || die "apt finds no linux-image-686:i386; check /etc/apt/sources.list"
    case "$kpkg" in *:i386) ;; *) kpkg=$kpkg:i386 ;; esac
    rm -rf "$debs.tmp"
    mkdir -p "$debs.tmp"
    echo "prepare: apt-get download $kpkg busybox-static:i386" >&2
    (cd "$debs.tmp" && apt-get download "$kpkg" busybox-static:i386 >&2) ||
        die "apt-get download $kpkg busybox-static:i386 failed"
    rm -rf "$debs"
    mv "$debs.tmp" "$debs"
}

ls "$debs"/linux-image-*.deb "$debs"/busybox-static_*.deb >/dev/null 2>&1 || fetch

# Unpacked once per download: dpkg -x gives $root the package's own
# (older) time, so a stamp file records when. Unpacked beside and moved in,
# so a run reading $root never sees half of it.
if [ ! -f "$root.stamp" ] || [ ! -d "$root" ] ||
    [ -n "$(find "$debs" -newer "$root.stamp" -name '*.deb')" ]; then
    rm -rf "$root.tmp.$$"
    mkdir -p "$root.tmp.$$"
    for d in "$debs"/*.deb; do
        dpkg -x "$d" "$root.tmp.$$"
    done
    rm -rf "$root"
    mv "$root.tmp.$$" "$root"
    touch "$root.stamp"
fi

# newer A B: file A was modified after B.
newer() {
    [ -n "$(find "$1" -prune -newer "$2")" ]
}

# Made already from this unpacking and this /init: done.
if [ -f "$out/vmlinuz" ] && [ -f "$out/initrd.gz" ] &&
    newer "$out/vmlinuz" "$root.stamp" && newer "$out/initrd.gz" "$root.stamp" &&
    newer "$out/initrd.gz" "$here/init"; then
    echo "$out"
    exit 0
fi

# put SRC DEST: copy SRC to DEST unless it holds the same bytes already,
# so DEST keeps its time and what is made from it is not made again.
put() {
    cmp -s "$1" "$2" && return 0
    cp "$1" "$2.tmp.$$"
    mv "$2.tmp.$$" "$2"
}

mkdir -p "$out"
kernel=$(ls "$root"/boot/vmlinuz-* 2>/dev/null | head -n 1)
[ -n "$kernel" ] || die "no /boot/vmlinuz-* in $debs"
put "$kernel" "$out/vmlinuz"

# The initramfs: fixed owners, times and order, so it is the same bytes
# every time.
stage=$cache/initramfs.$$
rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/proc" "$stage/sys" "$stage/dev"
cp "$root/bin/busybox" "$stage/bin/busybox"
cp "$here/init" "$stage/init"
chmod 755 "$stage/init" "$stage/bin/busybox"
find "$stage" -exec touch -h -d @0 {} +
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --reproducible --quiet) |
    gzip -n -9 > "$stage.gz"
put "$stage.gz" "$out/initrd.gz"
rm -rf "$stage" "$stage.gz"
echo "$out"
