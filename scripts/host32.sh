#!/bin/sh
# host32.sh - does this x86-64 host run 32-bit x86 programs? Some kernels
# are built without IA-32 emulation (or boot with it off): there a 32-bit
# ELF gives "Exec format error". The test suites that run code on the host
# CPU (check-diff, check-guest-host) and make bench ask this once and say
# what they could check.
#
# The probe assembles and links a 32-bit program of three instructions
# (exit(42) through int 0x80) with binutils alone, so it needs no multilib
# C library, and runs it.
#
# usage: scripts/host32.sh [--quiet]
#   prints "host runs 32-bit code: yes|no (why)" and exits 0 for yes, 1 for no.
#   JET86_HOST32=yes|no forces the answer (to imitate a host without 32-bit
#   support on one that has it, or the other way round); the line says so.
set -u

quiet=0
[ "${1:-}" = --quiet ] && quiet=1

answer() {
    [ "$quiet" = 1 ] || echo "host runs 32-bit code: $1"
    case $1 in
    yes*) exit 0 ;;
    *) exit 1 ;;
    esac
}

case ${JET86_HOST32:-} in
yes) answer "yes (forced by JET86_HOST32=yes)" ;;
no) answer "no (forced by JET86_HOST32=no)" ;;
'') ;;
*) echo "host32.sh: JET86_HOST32=$JET86_HOST32: expected yes or no" >&2; exit 2 ;;
esac

case $(uname -m) in
x86_64 | i?86) ;;
*) answer "no (the host is $(uname -m), not x86)" ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jet86-host32.XXXXXX") || answer "no (cannot make a temporary directory)"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM
cat >"$tmp/p.s" <<'EOF'
    .globl _start
_start:
    movl $1, %eax
    movl $42, %ebx
    int $0x80
EOF
if ! as --32 -o "$tmp/p.o" "$tmp/p.s" 2>"$tmp/err" ||
   ! ld -m elf_i386 -o "$tmp/p" "$tmp/p.o" 2>>"$tmp/err"; then
    answer "no (cannot build a 32-bit program: $(head -n 1 "$tmp/err"))"
fi
"$tmp/p" 2>"$tmp/err"
rc=$?
if [ "$rc" = 42 ]; then
    answer "yes (a 32-bit program ran)"
fi
why=$(sed -n '$s/.*: //p' "$tmp/err")
answer "no (a 32-bit program gives ${why:-exit status $rc})"
