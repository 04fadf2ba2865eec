#!/bin/sh
# run.sh - runs the differential test: the same cases natively (the host
# CPU, tests/diff/build/diff-native) and inside an emulator (the Multiboot
# guest tests/diff/build/diff.elf), compares the per-chunk result hashes,
# narrows every differing chunk down to its cases, prints the first
# differing case of each instruction form in full from both sides, and
# ends with `diff: N passed, M failed` (N, M count cases).
#
# usage: run.sh --native PROG --emu "CMD ARGS" --elf FILE [--args "seed=.. n=.."]
#               [--timeout SECONDS] [--show N] [--narrow N] [--work DIR]
# --narrow N: look into at most N differing chunks case by case (default
# 256: all chunks of the default run); the cases of further differing
# chunks are counted failed as a whole.
# The emulator command gets `-kernel FILE -append ARGS` added.
set -u

native=
emu=
elf=
args=
timeout_s=600
max_show=40
max_narrow=256
work=

while [ $# -gt 0 ]; do
    case $1 in
    --native) native=$2; shift 2 ;;
    --emu) emu=$2; shift 2 ;;
    --elf) elf=$2; shift 2 ;;
    --args) args=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    --show) max_show=$2; shift 2 ;;
    --narrow) max_narrow=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
if [ -z "$native" ] || [ -z "$emu" ] || [ -z "$elf" ]; then
    echo "usage: run.sh --native PROG --emu CMD --elf FILE [--args ARGS]" >&2
    exit 2
fi
if [ -z "$work" ]; then
    work=$(mktemp -d "${TMPDIR:-/tmp}/jet86-diff.XXXXXX") || exit 2
    trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"

# run_native ARGS > file ; run_emu ARGS > file (carriage returns removed)
run_native() {
    "$native" $1
}
run_emu() {
    timeout "$timeout_s" $emu -kernel "$elf" -append "$1" </dev/null 2>"$work/emu.err" | tr -d '\r'
}

start=$(date +%s)
run_native "$args" > "$work/native.txt" || { echo "diff: native run failed"; exit 1; }
t_native=$(date +%s)
run_emu "$args" > "$work/emu.txt"
t_emu=$(date +%s)
echo "diff: native $((t_native - start)) s, emulator $((t_emu - t_native)) s ($emu)"
grep '^diff:' "$work/native.txt"

executed=$(sed -n 's/^done executed=\([0-9]*\).*/\1/p' "$work/native.txt")
skipped=$(sed -n 's/^done executed=[0-9]* skipped=\([0-9]*\).*/\1/p' "$work/native.txt")
chunk=$(sed -n 's/^diff:.* chunk=\([0-9]*\).*/\1/p' "$work/native.txt")
if ! grep -q '^done' "$work/emu.txt"; then
    echo "diff: the emulator did not finish (last lines of its output and errors):"
    tail -n 5 "$work/emu.txt"
    tail -n 5 "$work/emu.err"
fi

# Chunks whose hash differs or is missing on the emulator side.
grep '^chunk ' "$work/native.txt" | sort > "$work/nc.txt"
grep '^chunk ' "$work/emu.txt" | sort > "$work/ec.txt"
bad=$(comm -23 "$work/nc.txt" "$work/ec.txt" | awk '{ print $2 }' | sort -n | tr '\n' ' ')

failed=0
if [ -n "$bad" ]; then
    nbad=$(echo $bad | wc -w)
    echo "diff: $nbad chunk(s) of $chunk cases differ: $bad" | cut -c1-300
    : > "$work/ncase.txt"
    : > "$work/ecase.txt"
    # Per-case hashes of the differing chunks, a batch of chunks a run.
    set -- $bad
    unnarrowed=0
    if [ $# -gt "$max_narrow" ]; then
        unnarrowed=$(($# - max_narrow))
        set -- $(echo $bad | tr ' ' '\n' | head -n "$max_narrow")
    fi
    while [ $# -gt 0 ]; do
        list=
        i=0
        while [ $# -gt 0 ] && [ $i -lt 32 ]; do
            list=${list:+$list,}$1
            shift
            i=$((i + 1))
        done
        run_native "$args cases=$list" | grep '^case ' >> "$work/ncase.txt"
        run_emu "$args cases=$list" | grep '^case ' >> "$work/ecase.txt"
    done
    # Cases whose hash differs (or that the emulator never reported).
    awk 'NR == FNR { e[$2] = $3; next } !($2 in e) || e[$2] != $3 { print }' \
        "$work/ecase.txt" "$work/ncase.txt" > "$work/badcases.txt"
    failed=$(wc -l < "$work/badcases.txt")
    if [ "$unnarrowed" -gt 0 ]; then
        echo "diff: $unnarrowed more differing chunk(s) not narrowed: their $((unnarrowed * chunk)) cases count as failed"
        failed=$((failed + unnarrowed * chunk))
    fi
    # Chunks the emulator never finished count whole even if no case line came.
    echo "diff: differing cases by form (count, form):"
    awk '{ $1 = $2 = $3 = ""; sub(/^ +/, ""); print }' "$work/badcases.txt" |
        sort | uniq -c | sort -rn | head -n 60
    # The first differing case of each form, in full from both sides.
    shows=$(awk '{ f = $0; sub(/^case [0-9]+ [0-9a-f]+ /, "", f); if (!(f in seen)) { seen[f] = 1; print $2 } }' \
        "$work/badcases.txt" | head -n "$max_show" | tr '\n' ',' | sed 's/,$//')
    if [ -n "$shows" ]; then
        run_native "$args show=$shows" > "$work/nshow.txt"
        run_emu "$args show=$shows" > "$work/eshow.txt"
        awk -v efile="$work/eshow.txt" '
            function flush_case() {
                if (cur == "") return
                print "---- " head
                for (i = 1; i <= nl; i++) {
                    line = nat[i]; other = emu[cur, i]
                    if (line ~ /^  (out|mem|masked)/ || line ~ /^  hash/) {
                        print "  host:" substr(line, 3)
                        print "  emu: " substr(other, 3)
                        if (line ~ /^  out/) {
                            split(line, a, " "); split(other, b, " "); d = ""
                            for (j = 2; j in a; j++) if (a[j] != b[j]) d = d " " a[j] "/" b[j]
                            if (d != "") print "  differ (host/emu):" d
                        }
                    } else {
                        print line
                    }
                }
            }
            BEGIN {
                while ((getline l < efile) > 0) {
                    if (l ~ /^case /) { split(l, w, " "); ec = w[2]; en = 0 }
                    else if (l !~ /^done/) emu[ec, ++en] = l
                }
            }
            /^case / { flush_case(); split($0, w, " "); cur = w[2]; head = $0; nl = 0; next }
            /^done/ { next }
            { nat[++nl] = $0 }
            END { flush_case() }
        ' "$work/nshow.txt"
    fi
fi

passed=$((executed - failed))
[ -n "$skipped" ] && [ "$skipped" -gt 0 ] && echo "diff: $skipped cases skipped (known bugs of the reference, see diff_gen.c and diff_forms.c)"
echo "diff: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && grep -q '^done' "$work/emu.txt"
