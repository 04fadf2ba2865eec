#!/bin/sh
# run.sh - runs the differential test: the same cases on the host CPU and
# inside an emulator (the Multiboot guest tests/diff/build/diff.elf),
# compares the per-chunk result hashes, narrows every differing chunk down
# to its cases, prints the first differing case of each instruction form in
# full from both sides, and ends with `diff: N passed, M failed`.
#
# Every case is of one of two classes (diff_mode64.c):
#   - it runs the same in 64-bit mode: checked against the live host CPU by
#     the 64-bit harness (--native64), on any x86-64 host;
#   - it exists only in 32-bit mode: checked against the live host CPU by
#     the 32-bit harness (--native32) where the kernel runs 32-bit programs
#     (scripts/host32.sh, asked once), else against the results recorded on
#     such a host (--recorded DIR, written by record.sh), else not checked,
#     and the count says so.
# Where both harnesses run, their hashes of the first class must agree: a
# check of the 64-bit re-encoding itself.
#
# usage: run.sh --native64 PROG [--native32 PROG] [--recorded DIR]
#               --emu "CMD ARGS" --elf FILE [--args "seed=.. n=.."]
#               [--timeout SECONDS] [--show N] [--narrow N] [--work DIR]
#               [--emu2 "CMD ARGS"]
# Sequences in 16-bit code (code16=1 in the arguments) run in the guest
# only (diff-probe16, beside the 64-bit harness, says whether the host
# would let a process run 16-bit code: kernels without IA-32 emulation
# fault far calls into an LDT code segment), so they are NOT CHECKED
# against silicon; --emu2 names a second emulator (jet86's other backend) whose
# results they must equal.
# --narrow N: look into at most N differing chunks case by case (default
# 512: all chunks of the default runs); the cases of further differing
# chunks are counted failed as a whole.
# The emulator command gets `-kernel FILE -append ARGS` added.
set -u

here=$(cd "$(dirname "$0")" && pwd)
native64=
native32=
recorded=
emu=
emu2=
elf=
args=
timeout_s=600
max_show=40
max_narrow=512
work=

while [ $# -gt 0 ]; do
    case $1 in
    --native64) native64=$2; shift 2 ;;
    --native32) native32=$2; shift 2 ;;
    --recorded) recorded=$2; shift 2 ;;
    --emu) emu=$2; shift 2 ;;
    --emu2) emu2=$2; shift 2 ;;
    --elf) elf=$2; shift 2 ;;
    --args) args=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    --show) max_show=$2; shift 2 ;;
    --narrow) max_narrow=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
if [ -z "$native64" ] || [ -z "$emu" ] || [ -z "$elf" ]; then
    echo "usage: run.sh --native64 PROG [--native32 PROG] --emu CMD --elf FILE [--args ARGS]" >&2
    exit 2
fi
if [ -z "$work" ]; then
    work=$(mktemp -d "${TMPDIR:-/tmp}/jet86-diff.XXXXXX") || exit 2
    trap 'rm -rf "$work"' EXIT
    trap 'exit 2' HUP INT TERM
fi
mkdir -p "$work"

# The host's capability, asked once.
probe=$("$here/../../scripts/host32.sh")
host32=no
case $probe in *": yes"*) host32=yes ;; esac
echo "diff: $probe"
[ "$host32" = yes ] && [ -n "$native32" ] || native32=
code16=no
case " $args " in
*" code16=1 "*)
    code16=yes
    native32=
    probe16=$("$(dirname "$native64")/diff-probe16" 2>&1)
    echo "diff: $probe16" ;;
esac

run_n64() {
    "$native64" $1
}
run_n32() {
    "$native32" $1
}
run_emu() {
    timeout "$timeout_s" $emu -kernel "$elf" -append "$1" </dev/null 2>"$work/emu.err" | tr -d '\r'
}
run_emu2() {
    timeout "$timeout_s" $emu2 -kernel "$elf" -append "$1" </dev/null 2>"$work/emu2.err" | tr -d '\r'
}
# field NAME FILE: the value of NAME=... on the `done` line
field() {
    sed -n "s/^done.* $1=\([0-9a-f]*\).*/\1/p" "$2"
}

# The native side runs while the emulator does (it takes a few seconds).
start=$(date +%s)
( run_n64 "$args" > "$work/n64.txt" || echo "64-bit" > "$work/native.failed"
  if [ -n "$native32" ]; then
      run_n32 "$args" > "$work/n32.txt" || echo "32-bit" >> "$work/native.failed"
  fi
  echo $(($(date +%s) - start)) > "$work/native.time" ) &
native_pid=$!
run_emu "$args" > "$work/emu.txt"
t_emu=$(date +%s)
wait "$native_pid"
if [ -s "$work/native.failed" ]; then
    echo "diff: $(cat "$work/native.failed" | tr '\n' ' ')native run failed"
    exit 1
fi
echo "diff: native $(cat "$work/native.time") s, emulator $((t_emu - start)) s, concurrently ($emu)"
grep '^diff:' "$work/n64.txt"

chunk=$(sed -n 's/^diff:.* chunk=\([0-9]*\).*/\1/p' "$work/n64.txt")
seed=$(sed -n 's/^diff: seed=\(0x[0-9a-f]*\).*/\1/p' "$work/n64.txt")
n=$(sed -n 's/^diff:.* n=\([0-9]*\).*/\1/p' "$work/n64.txt")
forms=$(sed -n 's/^diff:.* forms=\([0-9]*\).*/\1/p' "$work/n64.txt")
cls64=$(field cls64 "$work/n64.txt")
cls32=$(field cls32 "$work/n64.txt")
inputs32=$(field inputs32 "$work/n64.txt")
skipped=$(field skipped "$work/n64.txt")
emu_done=1
if ! grep -q '^done' "$work/emu.txt"; then
    emu_done=0
    echo "diff: the emulator did not finish (last lines of its output and errors):"
    tail -n 5 "$work/emu.txt"
    tail -n 5 "$work/emu.err"
fi

# hashes COLUMN FILE: "K HASH" per chunk line, sorted
hashes() {
    grep '^chunk ' "$2" | awk -v c="$1" '{ print $2, $c }' | sort
}
# differing REF EMU: chunk numbers whose hash differs or is missing in EMU
differing() {
    comm -23 "$1" "$2" | awk '{ print $1 }' | sort -n | tr '\n' ' '
}

hashes 3 "$work/n64.txt" > "$work/ref64.txt"
hashes 3 "$work/emu.txt" > "$work/emu64.txt"
hashes 4 "$work/emu.txt" > "$work/emu32.txt"
bad64=$(differing "$work/ref64.txt" "$work/emu64.txt")

# The reference for the 32-bit-only class.
mode32=none
why32=
bad32=
badself=
recfile=
if [ "$code16" = yes ]; then
    mode32=code16
    case $probe16 in
    *": yes"*) why32="the native harnesses do not run 16-bit code (this host could: diff-probe16)" ;;
    *) why32="the host does not let a process run 16-bit code (diff-probe16: ${probe16#*: })" ;;
    esac
elif [ -n "$native32" ]; then
    mode32=live
    hashes 4 "$work/n32.txt" > "$work/ref32.txt"
    bad32=$(differing "$work/ref32.txt" "$work/emu32.txt")
    # The 64-bit re-encoding must give what 32-bit mode gives.
    hashes 3 "$work/n32.txt" > "$work/self32.txt"
    badself=$(differing "$work/self32.txt" "$work/ref64.txt")
else
    kind=
    case " $args " in *" seq=1 "*) kind=-seq ;; esac
    recfile=$recorded/seed-$seed-n-$n-chunk-$chunk$kind.txt
    case " $args " in *" ref=qemu "*) recfile=$recorded/seed-$seed-n-$n-chunk-$chunk$kind-ref-qemu.txt ;; esac
    if [ -z "$recorded" ]; then
        why32="no recording directory given"
    elif [ ! -f "$recfile" ]; then
        why32="no recording for this run (no $recfile)"
    elif [ "$(sed -n 's/^inputs32 //p' "$recfile")" != "$inputs32" ] ||
         [ "$(sed -n 's/^forms //p' "$recfile")" != "$forms" ]; then
        why32="the recording $recfile was made with another case generator or form table"
    else
        mode32=recorded
        grep '^chunk ' "$recfile" | awk '{ print $2, $3 }' | sort > "$work/ref32.txt"
        bad32=$(differing "$work/ref32.txt" "$work/emu32.txt")
    fi
fi

failed=0
: > "$work/badcases.txt"
: > "$work/showfrom.txt"

# narrow REFPROG CLASS CHUNKS...: per-case hashes of the chunks from the
# reference program and the emulator; the cases of CLASS that differ are
# appended to badcases.txt as "case I HASH CLASS NAME" (reference side).
narrow() {
    prog=$1
    cls=$2
    shift 2
    : > "$work/rcase.txt"
    : > "$work/ecase.txt"
    unnarrowed=0
    if [ $# -gt "$max_narrow" ]; then
        unnarrowed=$(($# - max_narrow))
        set -- $(echo "$@" | tr ' ' '\n' | head -n "$max_narrow")
    fi
    while [ $# -gt 0 ]; do
        list=
        i=0
        while [ $# -gt 0 ] && [ $i -lt 32 ]; do
            list=${list:+$list,}$1
            shift
            i=$((i + 1))
        done
        $prog "$args cases=$list" | awk -v c="$cls" '/^case / && $4 == c' >> "$work/rcase.txt"
        run_emu "$args cases=$list" | grep '^case ' >> "$work/ecase.txt"
    done
    awk 'NR == FNR { e[$2] = $3; next } !($2 in e) || e[$2] != $3 { print }' \
        "$work/ecase.txt" "$work/rcase.txt" >> "$work/badcases.txt"
    if [ "$unnarrowed" -gt 0 ]; then
        echo "diff: $unnarrowed more differing chunk(s) not narrowed: their $((unnarrowed * chunk)) cases count as failed"
        failed=$((failed + unnarrowed * chunk))
    fi
}

if [ -n "$bad64" ]; then
    echo "diff: $(echo $bad64 | wc -w) chunk(s) of $chunk cases differ in the 64-bit class: $bad64" | cut -c1-300
    narrow run_n64 64 $bad64
fi
if [ -n "$bad32" ] && [ "$mode32" = live ]; then
    echo "diff: $(echo $bad32 | wc -w) chunk(s) of $chunk cases differ in the 32-bit-only class: $bad32" | cut -c1-300
    narrow run_n32 32 $bad32
fi
if [ -n "$badself" ]; then
    echo "diff: the 64-bit harness disagrees with the 32-bit one on chunk(s): $badself" | cut -c1-300
    echo "diff: (a case diff_mode64.c runs in 64-bit mode does not behave as in 32-bit mode)"
    for k in $badself; do
        run_n32 "$args cases=$k" | awk '/^case / && $4 == 64' > "$work/s32.txt"
        run_n64 "$args cases=$k" | awk '/^case / && $4 == 64' > "$work/s64.txt"
        awk 'NR == FNR { e[$2] = $3; next } !($2 in e) || e[$2] != $3 { print "  " $0 }' \
            "$work/s64.txt" "$work/s32.txt" | head -n 10
        failed=$((failed + $(awk 'NR == FNR { e[$2] = $3; next } !($2 in e) || e[$2] != $3' \
            "$work/s64.txt" "$work/s32.txt" | wc -l)))
    done
fi

# A recording keeps a digest per form: the forms whose digest differs name
# what is wrong, and all their 32-bit-only cases count as failed.
if [ "$mode32" = recorded ]; then
    grep '^form ' "$recfile" | sort > "$work/recforms.txt"
    grep '^form ' "$work/emu.txt" | sort > "$work/emuforms.txt"
    comm -23 "$work/recforms.txt" "$work/emuforms.txt" > "$work/badforms.txt"
    if [ -s "$work/badforms.txt" ] || [ -n "$bad32" ]; then
        echo "diff: 32-bit-only cases differ from the recording $recfile"
        echo "diff: in chunk(s): $bad32" | cut -c1-300
        echo "diff: forms whose recorded digest differs (cases, form):"
        awk '{ c = $3; $1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); print "  " c, $0 }' "$work/badforms.txt"
        nbf=$(awk '{ s += $3 } END { print s + 0 }' "$work/badforms.txt")
        [ "$nbf" -gt 0 ] || nbf=$(( $(echo $bad32 | wc -w) * chunk ))
        failed=$((failed + nbf))
        # The emulator's side of the first such case of each form.
        for f in $(awk '{ print $2 }' "$work/badforms.txt" | head -n "$max_show"); do
            for k in $bad32; do
                i=$(run_n64 "$args cases=$k" |
                    awk -v f="$f" -v nf="$forms" '/^case / && $4 == 32 && $2 % nf == f { print $2; exit }')
                if [ -n "$i" ]; then
                    echo "---- case $i (recorded digest only; the emulator's result:)"
                    run_emu "$args show=$i" | grep -v '^done'
                    break
                fi
            done
        done
    fi
fi

# 16-bit code: the two emulators (backends) must agree case by case.
agree16=0
if [ "$mode32" = code16 ] && [ -n "$emu2" ]; then
    run_emu2 "$args" > "$work/emu2.txt"
    if ! grep -q '^done' "$work/emu2.txt"; then
        emu_done=0
        echo "diff: the second emulator did not finish:"
        tail -n 5 "$work/emu2.txt" "$work/emu2.err"
    fi
    hashes 4 "$work/emu2.txt" > "$work/emu2_32.txt"
    bad16=$(differing "$work/emu32.txt" "$work/emu2_32.txt")
    if [ -n "$bad16" ]; then
        echo "diff: $(echo $bad16 | wc -w) chunk(s) of $chunk cases differ between the backends in 16-bit code: $bad16" | cut -c1-300
        for k in $(echo $bad16 | tr ' ' '\n' | head -n "$max_narrow"); do
            run_emu2 "$args cases=$k" | grep '^case ' > "$work/c2.txt"
            run_emu "$args cases=$k" | grep '^case ' > "$work/c1.txt"
            awk 'NR == FNR { e[$2] = $3; next } !($2 in e) || e[$2] != $3 { print }' \
                "$work/c2.txt" "$work/c1.txt" >> "$work/bad16.txt"
        done
        n16=$(wc -l < "$work/bad16.txt")
        failed=$((failed + n16))
        echo "diff: differing cases by form (count, form):"
        awk '{ $1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); print }' "$work/bad16.txt" | sort | uniq -c | sort -rn | head -n 20
        for i in $(awk '{ print $2 }' "$work/bad16.txt" | head -n 3); do
            echo "---- case $i: $emu2"
            run_emu2 "$args show=$i" | grep -v '^done'
            echo "---- case $i: $emu"
            run_emu "$args show=$i" | grep -v '^done'
        done
    fi
    agree16=1
fi

failed=$((failed + $(wc -l < "$work/badcases.txt")))
if [ -s "$work/badcases.txt" ]; then
    echo "diff: differing cases by form (count, form):"
    awk '{ $1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); print }' "$work/badcases.txt" |
        sort | uniq -c | sort -rn | head -n 60
    # The first differing case of each form, in full from both sides.
    for cls in 64 32; do
        shows=$(awk -v c="$cls" '$4 == c { f = $0; sub(/^case [0-9]+ [0-9a-f-]+ [0-9]+ /, "", f); if (!(f in seen)) { seen[f] = 1; print $2 } }' \
            "$work/badcases.txt" | head -n "$max_show" | tr '\n' ',' | sed 's/,$//')
        [ -n "$shows" ] || continue
        if [ "$cls" = 64 ]; then
            run_n64 "$args show=$shows" > "$work/nshow.txt"
        else
            run_n32 "$args show=$shows" > "$work/nshow.txt"
        fi
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
    done
fi

# What was checked, per class.
echo "diff: cases that run the same in 64-bit mode: $cls64, against the live host CPU (64-bit harness)"
unchecked=0
case $mode32 in
live)
    echo "diff: cases that exist only in 32-bit mode: $cls32, against the live host CPU (32-bit harness)" ;;
recorded)
    echo "diff: cases that exist only in 32-bit mode: $cls32, against results recorded on real hardware ($(sed -n 's/^cpu //p' "$recfile"); $recfile)" ;;
code16)
    unchecked=$cls32
    echo "diff: sequences in 16-bit code: $cls32, NOT CHECKED against silicon: $why32"
    if [ "$agree16" = 1 ]; then
        echo "diff: (compared between two emulators instead: $emu2 and the one above)"
        passed16=$((cls32 - failed))
    else
        echo "diff: (and not compared with another emulator: no --emu2)"
    fi ;;
*)
    unchecked=$cls32
    echo "diff: cases that exist only in 32-bit mode: $cls32, NOT CHECKED against silicon: this host runs no 32-bit code and $why32"
    echo "diff: (record them with \`make diff-record\` on a host that runs 32-bit code)" ;;
esac
[ -n "$skipped" ] && [ "$skipped" -gt 0 ] && echo "diff: $skipped cases skipped (known bugs of the reference, see diff_gen.c and diff_forms.c)"
# An unnarrowed chunk counts whole in each class it differs in, and a
# chunk holds cases of both classes: never more failures than cases.
[ "$failed" -le $((cls64 + cls32 - unchecked)) ] || failed=$((cls64 + cls32 - unchecked))
passed=$((cls64 + cls32 - unchecked - failed))
if [ "$mode32" = code16 ] && [ "$agree16" = 1 ]; then
    echo "diff: $passed16 agree between the emulators, $failed differ, $unchecked not checked against silicon"
    [ "$failed" -eq 0 ] && [ "$emu_done" = 1 ]
    exit
fi
echo "diff: $passed passed, $failed failed${unchecked:+, $unchecked not checked}" | sed 's/, 0 not checked//'
[ "$failed" -eq 0 ] && [ "$emu_done" = 1 ]
