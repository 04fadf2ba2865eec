#!/usr/bin/env bash
# bench.sh - times the benchmark workload in one run: under jet86 (each
# backend), under qemu-system-i386 -accel tcg when installed, and as a host
# program; prints the median wall time of N runs, the ratios, peak RSS (for
# jet86 also the part beyond guest RAM, from -d stats), the start-up time
# (jet86: to the first guest instruction, from -d stats; every emulator: a
# whole run of a guest whose first instruction exits), the targets of
# issue 4 beside the figures, and checks that all runs printed the same
# checksum. With --paged-elf, the same workload run at CPL 3 under 32-bit
# paging (guest_paged.c) is timed too, under jet86 and QEMU, in rows of
# its own ("paged ring 3"), compared with QEMU's paged run. Run by
# `make bench`.
#
# The host program is the reference. Given a 32-bit build of it (--host32),
# bench.sh asks scripts/host32.sh whether this host runs 32-bit code and
# times that build if so, the --host build if not; the table names the one
# it timed, with its compiler flags (--host-label, --host32-label).
#
# usage: bench.sh --jet86 CMD --elf FILE [--paged-elf FILE] --exit-elf FILE --host CMD
#                 [--host-label TEXT] [--host32 FILE --host32-label TEXT]
#                 [--backends "interp x86_64"|auto] [--qemu CMD]
#                 [--smc "KERNEL..."]
#   --smc: random real-mode kernels that rewrite their code (randreal-N.bin
#   of tests/backends): user CPU time on each backend, side by side
#   --backends auto (the default) asks jet86 -accel tcg,backend=help
# environment: BENCH_RUNS (default 5), BENCH_SCALE (default: the workload's),
#   JET86_HOST32=yes|no (forces the answer of scripts/host32.sh)
set -uo pipefail

jet86=./jet86
backends=auto
qemu=qemu-system-i386
host=
host_label=
host32=
host32_label=
elf=
paged_elf=
exit_elf=
smc=
runs=${BENCH_RUNS:-5}
scale=${BENCH_SCALE:-}

while [ $# -gt 0 ]; do
    case "$1" in
    --jet86) jet86=$2; shift 2 ;;
    --backends) backends=$2; shift 2 ;;
    --qemu) qemu=$2; shift 2 ;;
    --host) host=$2; shift 2 ;;
    --host-label) host_label=$2; shift 2 ;;
    --host32) host32=$2; shift 2 ;;
    --host32-label) host32_label=$2; shift 2 ;;
    --elf) elf=$2; shift 2 ;;
    --paged-elf) paged_elf=$2; shift 2 ;;
    --exit-elf) exit_elf=$2; shift 2 ;;
    --smc) smc=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ -n "$elf" ] && [ -n "$exit_elf" ] && [ -n "$host" ] ||
    { echo "bench.sh: --elf, --exit-elf and --host are required" >&2; exit 2; }
case "$runs" in
''|*[!0-9]*|0) echo "bench.sh: BENCH_RUNS must be a positive number" >&2; exit 2 ;;
esac

# The host reference: the 32-bit build where this host runs it.
host_label=${host_label:-host program}
probe=
if [ -n "$host32" ]; then
    probe=$("$(dirname "$0")/../../scripts/host32.sh")
    case $? in
    0)
        if [ -x "$host32" ]; then
            host=$host32
            host_label=${host32_label:-32-bit build}
        else
            host_label="$host_label; no 32-bit build"
        fi ;;
    1) host_label="$host_label; this host runs no 32-bit code" ;;
    *) exit 2 ;;
    esac
fi

if [ "$backends" = auto ]; then
    # shellcheck disable=SC2086
    backends=$($jet86 -accel tcg,backend=help 2>/dev/null |
        grep -E '^[[:space:]]*[a-z0-9_]+[[:space:]]*$' | tr -d ' \t' | tr '\n' ' ')
    [ -n "$backends" ] || backends=interp
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

exit_dev="-device isa-debug-exit,iobase=0xf4,iosize=4"
append=()
host_arg=()
if [ -n "$scale" ]; then
    append=(-append "scale=$scale")
    host_arg=("scale=$scale")
fi
timer=()
if [ -x /usr/bin/time ]; then
    timer=(/usr/bin/time -f '%M' -o "$tmp/rss")
fi

# measure NAME EXPECTED_STATUS CMD...: run CMD $runs times. Sets med_wall
# (seconds), rss_kb (largest peak RSS), sum (checksum, "-" if none, "?" if
# runs disagree), ok (1 if every run exited with EXPECTED_STATUS); for a
# jet86 command given -d stats -D $tmp/stats, beyond_mib (largest peak RSS
# beyond guest RAM) and first_ms (median time to the first guest
# instruction), else "-".
measure() {
    local name=$1 want=$2
    shift 2
    local walls=() firsts=() i t0 t1 st c
    ok=1; sum=""; rss_kb=0; beyond_mib=-; first_ms=-
    for ((i = 0; i < runs; i++)); do
        rm -f "$tmp/stats"
        t0=$(date +%s%N)
        "${timer[@]}" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
        st=$?
        t1=$(date +%s%N)
        walls+=($(((t1 - t0) / 1000)))
        if [ "$st" != "$want" ]; then
            ok=0
            echo "  $name: exit status $st (expected $want); last output:" >&2
            tail -n 5 "$tmp/out" "$tmp/err" >&2
            break
        fi
        if [ -s "$tmp/rss" ]; then
            local r
            r=$(tail -n 1 "$tmp/rss")
            [ "$r" -gt "$rss_kb" ] 2>/dev/null && rss_kb=$r
        fi
        if [ -s "$tmp/stats" ]; then
            local b f
            b=$(sed -n 's/.*beyond guest RAM \([0-9.]*\) MiB.*/\1/p' "$tmp/stats")
            f=$(sed -n 's/.*first guest instruction \([0-9.]*\) ms.*/\1/p' "$tmp/stats")
            [ -n "$b" ] && beyond_mib=$(awk -v a="$beyond_mib" -v b="$b" 'BEGIN { print (a == "-" || b > a) ? b : a }')
            [ -n "$f" ] && firsts+=("$f")
        fi
        c=$(tr -d '\r' <"$tmp/out" | awk '$1 == "checksum" { print $2 }' | tail -n 1)
        [ -n "$c" ] || c="-"
        if [ -z "$sum" ]; then sum=$c; elif [ "$sum" != "$c" ]; then sum="?"; fi
        [ "$i" = 0 ] && tr -d '\r' <"$tmp/out" >"$tmp/$name.first"
    done
    med_wall=$(printf '%s\n' "${walls[@]}" | median | awk '{ printf "%.3f", $1 / 1e6 }')
    [ ${#firsts[@]} -gt 0 ] && first_ms=$(printf '%s\n' "${firsts[@]}" | median | awk '{ printf "%.1f", $1 }')
}

median() {
    sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

names=()
declare -A wall rss cks good beyond first
record() {
    names+=("$1")
    wall[$1]=$med_wall
    rss[$1]=$rss_kb
    beyond[$1]=$beyond_mib
    first[$1]=$first_ms
    cks[$1]=$sum
    good[$1]=$ok
}

echo "make bench: workload scale ${scale:-default}, median of $runs runs"
[ -n "$probe" ] && echo "$probe"
echo "running the host build ($host_label)..."
# shellcheck disable=SC2086
measure host 0 $host "${host_arg[@]}"
record host

have_qemu=0
if command -v "${qemu%% *}" >/dev/null 2>&1; then
    have_qemu=1
    echo "running $qemu -accel tcg..."
    # shellcheck disable=SC2086
    measure qemu 1 $qemu -accel tcg -m 64 -kernel "$elf" "${append[@]}" -nographic $exit_dev
    record qemu
    if [ -n "$paged_elf" ]; then
        echo "running $qemu -accel tcg, paged ring 3..."
        # shellcheck disable=SC2086
        measure qemu-paged 1 $qemu -accel tcg -m 64 -kernel "$paged_elf" "${append[@]}" -nographic $exit_dev
        record qemu-paged
    fi
fi

for b in $backends; do
    echo "running jet86 ($b)..."
    # shellcheck disable=SC2086
    measure "jet86-$b" 1 $jet86 -accel "tcg,backend=$b" -m 64 -kernel "$elf" "${append[@]}" -nographic $exit_dev \
        -d stats -D "$tmp/stats"
    record "jet86-$b"
    if [ -n "$paged_elf" ]; then
        echo "running jet86 ($b), paged ring 3..."
        # shellcheck disable=SC2086
        measure "jet86-paged-$b" 1 $jet86 -accel "tcg,backend=$b" -m 64 -kernel "$paged_elf" "${append[@]}" \
            -nographic $exit_dev -d stats -D "$tmp/stats"
        record "jet86-paged-$b"
    fi
done

# Guest instructions of the workload, counted by one deterministic run
# (-icount shift=0 -d icount): gives MIPS for every emulator row.
insns=
insns_paged=
set -- $backends
if [ $# -gt 0 ]; then
    # shellcheck disable=SC2086
    $jet86 -accel "tcg,backend=$1" -icount shift=0 -d icount -D "$tmp/icount" -m 64 \
        -kernel "$elf" "${append[@]}" -nographic $exit_dev </dev/null >/dev/null 2>&1
    insns=$(awk '$1 == "icount:" { print $2 }' "$tmp/icount" 2>/dev/null | tail -n 1)
    if [ -n "$paged_elf" ]; then
        # shellcheck disable=SC2086
        $jet86 -accel "tcg,backend=$1" -icount shift=0 -d icount -D "$tmp/icount" -m 64 \
            -kernel "$paged_elf" "${append[@]}" -nographic $exit_dev </dev/null >/dev/null 2>&1
        insns_paged=$(awk '$1 == "icount:" { print $2 }' "$tmp/icount" 2>/dev/null | tail -n 1)
    fi
fi

# Start-up: the exit guest's first instruction ends the run, so its wall
# time is start-up plus shutdown, an upper bound on time to first insn.
startup_names=()
declare -A st_wall st_good st_first
for b in $backends; do
    # shellcheck disable=SC2086
    measure "start-jet86-$b" 1 $jet86 -accel "tcg,backend=$b" -m 64 -kernel "$exit_elf" -nographic $exit_dev \
        -d stats -D "$tmp/stats"
    startup_names+=("jet86 $b")
    st_wall["jet86 $b"]=$med_wall
    st_first["jet86 $b"]=$first_ms
    st_good["jet86 $b"]=$ok
done
if [ "$have_qemu" = 1 ]; then
    # shellcheck disable=SC2086
    measure start-qemu 1 $qemu -accel tcg -m 64 -kernel "$exit_elf" -nographic $exit_dev
    startup_names+=("qemu-system-i386")
    st_wall["qemu-system-i386"]=$med_wall
    st_first["qemu-system-i386"]=-
    st_good["qemu-system-i386"]=$ok
fi

label() {
    case "$1" in
    host) echo "host build ($host_label)" ;;
    qemu) echo "qemu-system-i386 tcg" ;;
    qemu-paged) echo "qemu-system-i386 tcg, paged ring 3" ;;
    jet86-paged-*) echo "jet86 ${1#jet86-paged-}, paged ring 3" ;;
    jet86-*) echo "jet86 ${1#jet86-}" ;;
    esac
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }'; }
ratio2() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
mips() {
    local n=$insns
    case "$1" in *paged*) n=$insns_paged ;; esac
    if [ -n "$n" ] && [ "$1" != host ]; then
        awk -v n="$n" -v t="${wall[$1]}" 'BEGIN { if (t > 0) printf "%.0f", n / t / 1e6; else print "-" }'
    else
        echo "-"
    fi
}

# the first column as wide as the longest label
lw=24
for n in "${names[@]}"; do
    l=$(label "$n")
    [ ${#l} -lt "$lw" ] || lw=$((${#l} + 1))
done
echo
printf '%-*s %9s %7s %7s %6s %9s %9s  %s\n' "$lw" "" "wall (s)" "x host" "x qemu" "MIPS" "peak RSS" "beyond" "checksum"
printf '%-*s %9s %7s %7s %6s %9s %9s\n' "$lw" "" "" "" "" "" "(MiB)" "guest RAM"
for n in "${names[@]}"; do
    if [ "${good[$n]}" != 1 ]; then
        printf '%-*s %9s\n' "$lw" "$(label "$n")" "failed"
        continue
    fi
    xh=-
    [ "${good[host]}" = 1 ] && xh=$(ratio "${wall[$n]}" "${wall[host]}")
    xq=-
    q=qemu
    case "$n" in *paged*) q=qemu-paged ;; esac
    [ "$have_qemu" = 1 ] && [ "${good[$q]:-0}" = 1 ] && xq=$(ratio "${wall[$n]}" "${wall[$q]}")
    printf '%-*s %9s %7s %7s %6s %9s %9s  %s\n' "$lw" "$(label "$n")" "${wall[$n]}" "$xh" "$xq" "$(mips "$n")" \
        "$(awk -v k="${rss[$n]}" 'BEGIN { printf "%.1f", k / 1024 }')" "${beyond[$n]}" "${cks[$n]}"
done
echo
[ -n "$insns" ] && echo "guest instructions of the workload: $insns (jet86 -icount shift=0 -d icount)"
[ -n "$insns_paged" ] && echo "guest instructions of the paged workload: $insns_paged"
[ -n "$paged_elf" ] && echo "(x qemu of a paged row: against QEMU's paged run)"
echo "start-up (a guest whose first instruction exits): wall time of the whole run;"
echo "for jet86 also the time from process start to the first guest instruction (-d stats):"
for n in "${startup_names[@]}"; do
    if [ "${st_good[$n]}" = 1 ]; then
        printf '  %-22s %8.3f s run   %8s ms to first insn\n' "$n" "${st_wall[$n]}" "${st_first[$n]}"
    else
        printf '  %-22s %8s\n' "$n" "failed"
    fi
done

# The targets (issue 4), for the native backend: the best jet86 backend
# other than interp (interp itself when it is the only one).
native=
for b in $backends; do [ "$b" != interp ] && native=jet86-$b; done
[ -n "$native" ] || native=jet86-interp
if [ "${good[$native]:-0}" = 1 ]; then
    echo
    echo "targets (${native#jet86-} is the native backend):"
    target() { # KIND LABEL VALUE LIMIT UNIT: is VALUE <= LIMIT?
        awk -v k="$1" -v l="$2" -v v="$3" -v m="$4" -v u="$5" 'BEGIN {
            if (v == "") v = "-"
            r = (v == "-") ? "" : (v + 0 <= m + 0) ? "met" : "not met"
            printf "  %-36s %7s%-4s %s <= %s%s: %s\n", l, v, u, k, m, u, r }'
    }
    if [ "$have_qemu" = 1 ] && [ "${good[qemu]}" = 1 ]; then
        target target "native backend / qemu tcg (wall)" "$(ratio2 "${wall[$native]}" "${wall[qemu]}")" 1.0 ""
        target goal "native backend / qemu tcg (wall)" "$(ratio2 "${wall[$native]}" "${wall[qemu]}")" 0.5 ""
    fi
    [ "${good[jet86-interp]:-0}" = 1 ] && [ "$native" != jet86-interp ] &&
        target target "interp / native backend (wall)" "$(ratio2 "${wall[jet86-interp]}" "${wall[$native]}")" 10 ""
    [ "${good[host]}" = 1 ] &&
        target goal "native backend / host build (wall)" "$(ratio2 "${wall[$native]}" "${wall[host]}")" 1.7 ""
    target target "start-up to first guest instruction" "${st_first[jet86 ${native#jet86-}]}" 20 " ms"
    target target "peak RSS beyond guest RAM" "${beyond[$native]}" 32 " MiB"
fi
echo

# Self-modifying code (translator/tb.h, the engine's tiers): guest code
# that keeps rewriting itself, where translation costs more than running.
# User CPU time (median of $runs runs) per backend; the native backend
# should be no slower than the interpreter.
if [ -n "$smc" ] && [ -x /usr/bin/time ]; then
    printf '%-30s' "self-modifying code (user s)"
    for b in $backends; do printf '%14s' "jet86 $b"; done
    echo
    for k in $smc; do
        printf '%-30s' "  $(basename "$k" .bin)"
        for b in $backends; do
            us=()
            for ((i = 0; i < runs; i++)); do
                /usr/bin/time -f '%U' -o "$tmp/smc.user" $jet86 \
                    -accel "tcg,backend=$b" -icount shift=0 -nographic \
                    -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4 \
                    -kernel "$k" >/dev/null 2>&1 </dev/null
                us+=("$(tail -n 1 "$tmp/smc.user")")
            done
            printf '%14s' "$(printf '%s\n' "${us[@]}" | median)"
        done
        echo
    done
    echo
fi

# Every run that worked must agree with the host build.
status=0
ref=${cks[host]}
for n in "${names[@]}"; do
    [ "${good[$n]}" = 1 ] || { status=1; continue; }
    if [ "${cks[$n]}" != "$ref" ]; then
        echo "checksum mismatch: $(label "$n") printed ${cks[$n]}, host build $ref"
        [ -f "$tmp/$n.first" ] && diff "$tmp/host.first" "$tmp/$n.first" | head -n 20
        status=1
    fi
done
[ "$status" = 0 ] && echo "checksums: all equal ($ref)"
exit $status
