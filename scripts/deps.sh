#!/bin/sh
# deps.sh - the one list of Debian 12 packages jet86 needs, and the code
# that installs the missing ones (used by scripts/demo.sh and .ci/run).
#
# usage: scripts/deps.sh list|missing|install [GROUP...]
#   GROUP  build      compiler, libraries, nasm and gcc -m32: ./configure,
#                     make, make check, make demo (the default); xorriso
#                     and ISOLINUX for the CD image of tests/bios;
#                     seabios, the -bios firmware of tests/seabios, and
#                     qemu-system-data's linuxboot_dma.bin it loads
#                     -kernel with; libpng-dev (the monitor's screendump);
#                     libsdl2-dev for the -display sdl window, and xvfb,
#                     xauth, xdotool, xclip (the clipboard), x11-apps
#                     (xwd), x11-utils (xprop) and imagemagick for its
#                     tests (tests/display), and evilwm, the window
#                     manager full screen needs
#          reference  qemu-system-i386 (make check-qemu, make bench) and
#                     its SDL window, qemu-system-gui (tests/display),
#                     Bochs (make check-bochs), GNU time (make bench's
#                     peak RSS) and console-setup-linux (the console fonts
#                     scripts/mkfont.py turns into bios/font_data.c)
#          cross      the aarch64 cross build and qemu-aarch64-static to
#                     run its tests (adds the arm64 dpkg architecture);
#                     its qemu-i386-static runs check-bench-linux's i386
#                     program on a host that runs no 32-bit code
#          guests     make check-boot's and make bench-linux's guests: cpio
#                     and gzip for the initramfs (tests/boot/prepare.sh
#                     fetches the i386 kernel and busybox itself, adding
#                     the i386 dpkg architecture); ISOLINUX, xorriso,
#                     GRUB's i386-pc images, mtools and memtest86+ for the
#                     media of tests/boot/prepare-media.sh
#          all        all of the above
#   list      print the packages of the groups
#   missing   print those not installed (nothing when all are)
#   install   as root: apt-get update once, then apt-get install -y the
#             missing ones; otherwise print the apt-get line and exit 1
set -eu

# gcc-12-multilib, not gcc-multilib: the meta package conflicts with the
# cross compiler, the versioned one does not.
DEPS_BUILD="build-essential pkg-config libcapstone-dev libffi-dev libpng-dev check nasm gcc-12-multilib gdb xorriso isolinux syslinux-common cpio gzip seabios qemu-system-data libsdl2-dev xvfb xauth xdotool xclip x11-apps x11-utils imagemagick evilwm"
DEPS_REFERENCE="qemu-system-x86 qemu-system-gui bochs bochs-term bochsbios vgabios time console-setup-linux"
DEPS_CROSS_TOOLS="gcc-12-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static"
DEPS_CROSS_LIBS="libcapstone-dev:arm64 libffi-dev:arm64 libpng-dev:arm64 check:arm64"
# the guests of make check-boot: the Linux initramfs (tests/boot/prepare.sh;
# cpio and gzip are also in build, since make check boots it), the
# ISOLINUX CD, the GRUB disk and memtest86+ (tests/boot/prepare-media.sh)
DEPS_GUESTS="cpio gzip isolinux syslinux-common xorriso grub-pc-bin grub-common mtools memtest86+"

deps_packages() {
    for g in "$@"; do
        case "$g" in
        build) echo $DEPS_BUILD ;;
        reference) echo $DEPS_REFERENCE ;;
        cross) echo $DEPS_CROSS_TOOLS $DEPS_CROSS_LIBS ;;
        guests) echo $DEPS_GUESTS ;;
        all) echo $DEPS_BUILD $DEPS_REFERENCE $DEPS_CROSS_TOOLS $DEPS_CROSS_LIBS $DEPS_GUESTS ;;
        esac
    done | tr ' ' '\n' | awk 'NF && !seen[$0]++'
}

# A package counts when installed for the architecture asked for (PKG:ARCH),
# or for the native one or "all" (plain PKG); multiarch lists each copy.
deps_installed() {
    case "$1" in
    *:*) name=${1%%:*}; archs=${1#*:} ;;
    *) name=$1; archs="$(dpkg --print-architecture) all" ;;
    esac
    dpkg-query -W -f='${Architecture} ${db:Status-Abbrev}\n' "$name" 2>/dev/null |
        awk -v archs=" $archs " 'index(archs, " " $1 " ") && $2 == "ii" { ok = 1 }
                                 END { exit !ok }'
}

deps_missing() {
    for p in $(deps_packages "$@"); do
        deps_installed "$p" || echo "$p"
    done
}

deps_needs_arm64() {
    case " $* " in
    *" cross "*|*" all "*) return 0 ;;
    esac
    return 1
}

deps_install() {
    missing=$(deps_missing "$@" | tr '\n' ' ')
    missing=${missing% }
    if [ -z "$missing" ]; then
        echo "deps: all packages installed ($*)"
        return 0
    fi
    if [ "$(id -u)" != 0 ]; then
        echo "deps: missing Debian packages: $missing" >&2
        echo "deps: run as root (or install them yourself):" >&2
        if deps_needs_arm64 "$@" && ! dpkg --print-foreign-architectures | grep -qx arm64; then
            echo "  sudo dpkg --add-architecture arm64 &&" >&2
        fi
        echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $missing" >&2
        exit 1
    fi
    if deps_needs_arm64 "$@" && ! dpkg --print-foreign-architectures | grep -qx arm64; then
        echo "deps: dpkg --add-architecture arm64"
        dpkg --add-architecture arm64
    fi
    echo "deps: installing $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    # shellcheck disable=SC2086
    apt-get install -y --no-install-recommends $missing
}

cmd=${1:-list}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- build
for g in "$@"; do
    case "$g" in
    build|reference|cross|guests|all) ;;
    *) echo "deps.sh: unknown group '$g' (build, reference, cross, guests, all)" >&2
       exit 2 ;;
    esac
done
case "$cmd" in
list) deps_packages "$@" ;;
missing) deps_missing "$@" ;;
install) deps_install "$@" ;;
-h|--help|help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" ;;
*) echo "deps.sh: unknown command '$cmd' (list, missing, install)" >&2; exit 2 ;;
esac
