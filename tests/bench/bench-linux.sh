#!/usr/bin/env bash
# bench-linux.sh - the Linux boot benchmark (`make bench-linux`, also run
# by `make bench`): boots Debian's linux-image-686 (tests/boot/prepare.sh
# fetches it) with a busybox initramfs whose /init (tests/bench/linux-init)
# prints a marker once it runs, runs the benchmark workload as a static
# i386 Linux program (workload-linux: workload.c with linux_glue.c) and
# reboots, under jet86 (each backend) and `qemu-system-i386 -accel tcg`
# with the same kernel, initramfs and RAM; runs the workload on the host
# too. Every line of COM1 is stamped with the host clock as it arrives,
# which gives, per run:
#   to kernel  process start -> the kernel's first line ("Linux version",
#              through earlyprintk): firmware, loader, decompression
#   boot       that line -> /init's "bench-linux: shell"
#   workload   the program's first line -> its checksum line
#   guest clk  the program's own clock_gettime(CLOCK_MONOTONIC) figure
# and prints the medians of N runs, the ratios (workload against the host
# run and QEMU, boot against QEMU) and checks that every run printed the
# checksum of the host run. Figures, not a test.
#
# The host run is workload-linux itself where the host runs 32-bit code
# (scripts/host32.sh), else the --host program (the same workload.c built
# for the host; bench.sh's 64-bit build), timed from the first line of
# output to the checksum line the same way.
#
# usage: bench-linux.sh --jet86 CMD --prog FILE --host CMD [--host-label TEXT]
#                       [--backends "interp x86_64"|auto] [--qemu CMD]
#                       [--cache DIR] [--out DIR]
#        bench-linux.sh --check --prog FILE --host CMD
#   --check: the functional test of `make check` (no timing): workload-linux
#   at scale 1 on the host (or under qemu-i386-static where the host runs
#   no 32-bit code) must print the host program's lines and checksum, its
#   start marker and its clock_gettime line; /init must parse (sh -n).
# environment: BENCH_RUNS (default 3), BENCH_LINUX_SCALE (default 150: a
#   few seconds on jet86's native backend), BENCH_LINUX_MEM (MiB, default
#   128), BENCH_LINUX_TIMEOUT (seconds a run, default 900),
#   JET86_GUEST_CACHE (the guest cache of tests/boot/prepare.sh)
set -uo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
jet86=./jet86
backends=auto
qemu=qemu-system-i386
prog=
host=
host_label=
cache=${JET86_GUEST_CACHE:-build/guests}
out=build/bench/linux
check=0
runs=${BENCH_RUNS:-3}
scale=${BENCH_LINUX_SCALE:-150}
mem=${BENCH_LINUX_MEM:-128}
tmo=${BENCH_LINUX_TIMEOUT:-900}

while [ $# -gt 0 ]; do
    case "$1" in
    --jet86) jet86=$2; shift 2 ;;
    --backends) backends=$2; shift 2 ;;
    --qemu) qemu=$2; shift 2 ;;
    --prog) prog=$2; shift 2 ;;
    --host) host=$2; shift 2 ;;
    --host-label) host_label=$2; shift 2 ;;
    --cache) cache=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --check) check=1; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "bench-linux.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ -n "$prog" ] && [ -n "$host" ] || { echo "bench-linux.sh: --prog and --host are required" >&2; exit 2; }
[ -f "$prog" ] || { echo "bench-linux.sh: no workload program $prog" >&2; exit 2; }
for v in "runs=$runs" "scale=$scale" "mem=$mem" "tmo=$tmo"; do
    case "${v#*=}" in
    ''|*[!0-9]*|0) echo "bench-linux.sh: BENCH_RUNS, BENCH_LINUX_SCALE, BENCH_LINUX_MEM and BENCH_LINUX_TIMEOUT must be positive numbers (${v%%=*}: '${v#*=}')" >&2
                   exit 2 ;;
    esac
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# The host (or, without 32-bit support, qemu-i386-static) runs
# workload-linux: sets prog_cmd, or leaves it empty.
prog_cmd=
prog_how=
"$here/../../scripts/host32.sh" --quiet
case $? in
0) prog_cmd=$prog; prog_how="on the host" ;;
1)
    for q in qemu-i386-static qemu-i386; do
        if command -v "$q" >/dev/null 2>&1; then
            prog_cmd="$q $prog"
            prog_how="under $q (this host runs no 32-bit code)"
            break
        fi
    done ;;
*) exit 2 ;;
esac

if [ "$check" = 1 ]; then
    sh -n "$here/linux-init" || { echo "check-bench-linux: FAIL: $here/linux-init does not parse"; exit 1; }
    if [ -z "$prog_cmd" ]; then
        echo "check-bench-linux: SKIP running $prog: this host runs no 32-bit code and has no qemu-i386-static (built only)"
        exit 0
    fi
    # shellcheck disable=SC2086
    $prog_cmd scale=1 </dev/null >"$tmp/prog" 2>&1 || { echo "check-bench-linux: FAIL: $prog exited with $?"; cat "$tmp/prog"; exit 1; }
    # shellcheck disable=SC2086
    $host 1 </dev/null >"$tmp/host" 2>&1 || { echo "check-bench-linux: FAIL: $host exited with $?"; exit 1; }
    why=
    [ "$(head -n 1 "$tmp/prog")" = "bench-linux: workload start" ] || why="no start line"
    grep -Eq '^bench-linux: workload time [0-9]+\.[0-9]{9} s \(clock_gettime\)$' "$tmp/prog" || why="${why:+$why, }no clock_gettime line"
    grep -v '^bench-linux: ' "$tmp/prog" | diff -u "$tmp/host" - >"$tmp/diff" || why="${why:+$why, }output differs from the host program's"
    sum=$(awk '$1 == "checksum" { print $2 }' "$tmp/host")
    [ -n "$sum" ] || why="${why:+$why, }no checksum"
    if [ -n "$why" ]; then
        echo "check-bench-linux: FAIL: $prog $prog_how: $why"
        cat "$tmp/prog" "$tmp/diff"
        exit 1
    fi
    echo "check-bench-linux: PASS: $prog $prog_how printed the host program's lines, checksum $sum (scale 1)"
    exit 0
fi

# --- the guest: kernel and busybox from the boot test's cache, our own
# initramfs beside the build --------------------------------------------
if [ ! -f "$cache/linux/vmlinuz" ] || [ ! -f "$cache/root/bin/busybox" ]; then
    "$here/../boot/prepare.sh" "$cache" >/dev/null || exit 1
fi
kernel=$cache/linux/vmlinuz
mkdir -p "$out"
stage=$out/initramfs
rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/proc" "$stage/sys" "$stage/dev"
cp "$cache/root/bin/busybox" "$stage/bin/busybox"
cp "$prog" "$stage/bin/workload"
cp "$here/linux-init" "$stage/init"
chmod 755 "$stage/init" "$stage/bin/busybox" "$stage/bin/workload"
find "$stage" -exec touch -h -d @0 {} +
(cd "$stage" && find . | sort | cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -n -6 >"$out/initrd.gz" ||
    { echo "bench-linux.sh: cannot build $out/initrd.gz (cpio, gzip: scripts/deps.sh install guests)" >&2; exit 1; }
initrd=$out/initrd.gz
append="console=ttyS0 earlyprintk=serial,ttyS0,115200 panic=-1 bench_scale=$scale"

if [ "$backends" = auto ]; then
    # shellcheck disable=SC2086
    backends=$($jet86 -accel tcg,backend=help 2>/dev/null |
        grep -E '^[[:space:]]*[a-z0-9_]+[[:space:]]*$' | tr -d ' \t' | tr '\n' ' ')
    [ -n "$backends" ] || backends=interp
fi

# stamp: each line of stdin as "SECONDS LINE", SECONDS the host's clock
# (bash's EPOCHREALTIME, microseconds) when the line arrived; CRs dropped.
stamp() {
    local l
    while IFS= read -r l || [ -n "$l" ]; do
        printf '%s %s\n' "$EPOCHREALTIME" "${l//$'\r'/}"
    done
}

median() {
    sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# measure NAME CMD...: run CMD $runs times with its stdout stamped. Sets
# ok (1 if every run ended well and printed every mark), sum (checksum,
# "?" if runs disagree) and the medians k_s (to kernel), b_s (boot), w_s
# (workload), g_s (guest clock), "-" where a run has no such figure.
# from_start=1: the workload starts with the process (no start line).
measure() {
    local name=$1
    shift
    local i st t0 ks=() bs=() ws=() gs=() f a b w g c
    ok=1; sum=""
    for ((i = 0; i < runs; i++)); do
        t0=$EPOCHREALTIME
        timeout "$tmo" "$@" </dev/null 2>"$tmp/err" | stamp >"$tmp/out"
        st=${PIPESTATUS[0]}
        # A reboot ends an emulator's run: status 0, or where the reset
        # ends in the ROM's triple fault, 1 (as in tests/boot/run.sh).
        if [ "$st" != 0 ] && ! { [ "$st" = 1 ] && grep -q "triple fault" "$tmp/err"; }; then
            ok=0
            echo "  $name: exit status $st$([ "$st" = 124 ] && echo " (no exit within ${tmo}s)"); last output:" >&2
            tail -n 5 "$tmp/out" "$tmp/err" >&2
            break
        fi
        [ "$i" = 0 ] && cp "$tmp/out" "$tmp/$name.first"
        f=$(awk -v t0="$t0" -v from_start="${from_start:-0}" '
            !tk && /Linux version/ { tk = $1 }
            !ts && index($0, "bench-linux: shell") { ts = $1 }
            !tb && index($0, "bench-linux: workload start") { tb = $1 }
            $2 == "checksum" { tc = $1; ck = $3 }
            index($0, "bench-linux: workload time") && $5 ~ /^[0-9.]+$/ { g = $5 }
            END {
                if (from_start) tb = t0  # the host program has no start line
                printf "%s %s %s %s %s\n", tk ? tk - t0 : "-", (tk && ts) ? ts - tk : "-",
                    (tb && tc) ? tc - tb : "-", g ? g : "-", ck ? ck : "-"
            }' "$tmp/out")
        read -r a b w g c <<<"$f"
        [ "$a" != - ] && ks+=("$a")
        [ "$b" != - ] && bs+=("$b")
        [ "$w" != - ] && ws+=("$w")
        [ "$g" != - ] && gs+=("$g")
        [ "$w" != - ] && [ "$c" != - ] || { ok=0; echo "  $name: no workload start or checksum line" >&2; tail -n 5 "$tmp/out" >&2; break; }
        if [ -z "$sum" ]; then sum=$c; elif [ "$sum" != "$c" ]; then sum="?"; fi
    done
    k_s=$(printf '%s\n' "${ks[@]}" | grep . | median)
    b_s=$(printf '%s\n' "${bs[@]}" | grep . | median)
    w_s=$(printf '%s\n' "${ws[@]}" | grep . | median)
    g_s=$(printf '%s\n' "${gs[@]}" | grep . | median)
}

names=()
declare -A kern boot work gclk cks good label
record() {
    names+=("$1")
    label[$1]=$2
    kern[$1]=$k_s
    boot[$1]=$b_s
    work[$1]=$w_s
    gclk[$1]=$g_s
    cks[$1]=$sum
    good[$1]=$ok
}

kver=$(file -b "$kernel" 2>/dev/null | sed -n 's/.*version \([^ ]*\).*/\1/p')
echo "make bench-linux: Debian linux-image-686${kver:+ $kver}, busybox initramfs, -m $mem;" \
    "workload scale $scale (BENCH_LINUX_SCALE), median of $runs runs"

if [ -n "$prog_cmd" ] && [ "$prog_how" = "on the host" ]; then
    echo "running the workload on the host ($prog, static i386)..."
    # shellcheck disable=SC2086
    measure host $prog_cmd "scale=$scale"
    record host "host: workload-linux, i386"
else
    host_label=${host_label:-host program}
    echo "running the workload on the host ($host_label; this host runs no 32-bit code)..."
    # shellcheck disable=SC2086
    from_start=1 measure host $host "$scale"
    record host "host: $host_label"
fi

have_qemu=0
if command -v "${qemu%% *}" >/dev/null 2>&1; then
    have_qemu=1
    echo "booting under $qemu -accel tcg..."
    # shellcheck disable=SC2086
    measure qemu $qemu -accel tcg -m "$mem" -nographic -no-reboot \
        -kernel "$kernel" -initrd "$initrd" -append "$append"
    record qemu "qemu-system-i386 tcg"
fi

for b in $backends; do
    echo "booting under jet86 ($b)..."
    # shellcheck disable=SC2086
    measure "jet86-$b" $jet86 -accel "tcg,backend=$b" -m "$mem" -nographic -no-reboot \
        -kernel "$kernel" -initrd "$initrd" -append "$append"
    record "jet86-$b" "jet86 $b"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "-" && b != "-" && b > 0) printf "%.1f", a / b; else print "-" }'; }
fmt() { awk -v a="$1" 'BEGIN { if (a == "-") print "-"; else printf "%.3f", a }'; }

lw=24
for n in "${names[@]}"; do
    [ ${#label[$n]} -lt "$lw" ] || lw=$((${#label[$n]} + 1))
done
echo
printf '%-*s %9s %8s %7s %9s %7s %7s %9s  %s\n' "$lw" "" "to kernel" "boot" "x qemu" "workload" "x host" "x qemu" "guest clk" "checksum"
printf '%-*s %9s %8s %7s %9s %7s %7s %9s\n' "$lw" "" "(s)" "(s)" "" "(s)" "" "" "(s)"
for n in "${names[@]}"; do
    if [ "${good[$n]}" != 1 ]; then
        printf '%-*s %9s\n' "$lw" "${label[$n]}" "failed"
        continue
    fi
    bq=-; wq=-; wh=-
    [ "$have_qemu" = 1 ] && [ "${good[qemu]}" = 1 ] && {
        bq=$(ratio "${boot[$n]}" "${boot[qemu]}")
        wq=$(ratio "${work[$n]}" "${work[qemu]}")
    }
    [ "${good[host]}" = 1 ] && wh=$(ratio "${work[$n]}" "${work[host]}")
    [ "$n" = host ] && bq=-
    printf '%-*s %9s %8s %7s %9s %7s %7s %9s  %s\n' "$lw" "${label[$n]}" "$(fmt "${kern[$n]}")" \
        "$(fmt "${boot[$n]}")" "$bq" "$(fmt "${work[$n]}")" "$wh" "$wq" "$(fmt "${gclk[$n]}")" "${cks[$n]}"
done
echo
echo "to kernel: process start to the kernel's first line (earlyprintk); boot: that line to"
echo "/init's 'bench-linux: shell'; workload: the program's first line to its checksum line"
echo "(host clock, as the lines arrive on COM1); guest clk: the program's own clock_gettime."

status=0
ref=${cks[host]}
for n in "${names[@]}"; do
    [ "${good[$n]}" = 1 ] || { status=1; continue; }
    if [ "${cks[$n]}" != "$ref" ]; then
        echo "checksum mismatch: ${label[$n]} printed ${cks[$n]}, host run $ref"
        status=1
    fi
done
[ "$status" = 0 ] && echo "checksums: all equal ($ref)"
exit $status
