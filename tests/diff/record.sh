#!/bin/sh
# record.sh - records the results of the differential test's 32-bit-only
# cases (diff_mode64.c) on this host's CPU, for hosts whose kernel runs no
# 32-bit code: run.sh compares the emulator with these files there. One
# file per run configuration, tests/diff/recorded/seed-S-n-N-chunk-C.txt
# (and ...-ref-qemu.txt for check-diff-qemu, which skips some cases), with
# the per-chunk hashes of the 32-bit-only class, a digest per form, and the
# digest of the cases' inputs (a recording made with another generator is
# refused, not compared). Needs a host that runs 32-bit code; says so
# otherwise. `make diff-record` runs it.
#
# usage: record.sh --native32 PROG --out DIR [--args "seed=.. n=.."]
set -u

here=$(cd "$(dirname "$0")" && pwd)
native32=
out=
args=
while [ $# -gt 0 ]; do
    case $1 in
    --native32) native32=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --args) args=$2; shift 2 ;;
    *) echo "record.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
if [ -z "$native32" ] || [ -z "$out" ]; then
    echo "usage: record.sh --native32 PROG --out DIR [--args ARGS]" >&2
    exit 2
fi
if ! probe=$("$here/../../scripts/host32.sh"); then
    echo "record.sh: $probe" >&2
    echo "record.sh: recording needs a host that runs 32-bit code (the results must come from the CPU)" >&2
    exit 1
fi
echo "record.sh: $probe"
case $probe in
*forced*) echo "record.sh: refusing to record on a forced answer (unset JET86_HOST32)" >&2; exit 1 ;;
esac
mkdir -p "$out" || exit 1
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
tmp=$(mktemp "${TMPDIR:-/tmp}/jet86-record.XXXXXX") || exit 1
trap 'rm -f "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

for variant in plain ref-qemu; do
    a=$args
    [ "$variant" = ref-qemu ] && a="ref=qemu $args"
    "$native32" $a > "$tmp" || { echo "record.sh: $native32 failed" >&2; exit 1; }
    seed=$(sed -n 's/^diff: seed=\(0x[0-9a-f]*\).*/\1/p' "$tmp")
    n=$(sed -n 's/^diff:.* n=\([0-9]*\).*/\1/p' "$tmp")
    chunk=$(sed -n 's/^diff:.* chunk=\([0-9]*\).*/\1/p' "$tmp")
    forms=$(sed -n 's/^diff:.* forms=\([0-9]*\).*/\1/p' "$tmp")
    inputs=$(sed -n 's/^done.* inputs32=\([0-9a-f]*\).*/\1/p' "$tmp")
    kind=
    case " $a " in *" seq=1 "*) kind=-seq ;; esac
    name=$out/seed-$seed-n-$n-chunk-$chunk$kind.txt
    [ "$variant" = ref-qemu ] && name=$out/seed-$seed-n-$n-chunk-$chunk$kind-ref-qemu.txt
    {
        echo "# Results of the differential test's 32-bit-only cases on a real CPU,"
        echo "# for hosts that run no 32-bit code (tests/diff/run.sh compares them)."
        echo "# Regenerate on a host that runs 32-bit code: make diff-record"
        echo "# (DIFF_ARGS=\"$args\")."
        echo "cpu $cpu"
        echo "kernel $(uname -sr)"
        echo "date $(date -u +%Y-%m-%d)"
        echo "forms $forms"
        echo "inputs32 $inputs"
        grep '^chunk ' "$tmp" | awk '{ print $1, $2, $4 }'
        grep '^form ' "$tmp"
    } > "$name"
    echo "record.sh: wrote $name ($(grep -c '^form ' "$name") forms, $(sed -n 's/^done.* cls32=\([0-9]*\).*/\1/p' "$tmp") cases)"
done
