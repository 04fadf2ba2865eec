#!/bin/sh
# tests/backends/check.sh - what must hold across code generators.
#
# 1. Every guest program runs on every backend of this build with the
#    deterministic clock (-icount shift=0): the COM1 output AND the number of
#    guest instructions executed (-d icount) must be the same on all of them.
# 2. With a 1 MiB code buffer (-accel tcg,tb-size=1) programs that make many
#    blocks force code-cache flushes in the middle of the run: the output must
#    still equal the expected file, on every backend, with flushes > 0.
# 3. Pseudo-random 16-bit real-mode code (randreal.asm kernels): on every
#    backend, with the default code buffer and with a 1 MiB one (flushes at
#    different moments), the final state (registers, a checksum of the
#    first 64 KiB) and the instruction count must be the same; and the
#    exact block trace (-d exec,nochain) of one of them too.
#    Self-modifying random code (randreal-58) never flushes the default
#    code buffer, on any backend, and the native one makes almost all of
#    its blocks through its interp tier.
# 4. The native backend with its code buffer mapped twice (split-wx=on), its
#    perf map (-perfmap) and its -d out_asm log.
# 5. Pseudo-random 32-bit code at CPL 3 (randring3.c, one kernel, a seed
#    and a length in timer ticks of about 100,000 instructions on its
#    command line): on every backend, with the default code buffer and a
#    1 MiB one, the run must end through its report (no host crash, no
#    hang: seed 1 at 101 ticks once spun forever at an -icount deadline
#    inside STI's shadow), with the kernel's tables untouched by ring 3,
#    and with the same report and instruction count.
#
# usage: check.sh --emu "RUNNER JET86" --dir BUILD/tests/guest
#                 [--rand "KERNEL..."] [--timeout S]
#                 [--ring3 KERNEL --ring3-seeds "S..." --ring3-ticks T]
set -u
emu=""
dir=""
rand=""
ring3=""
ring3_seeds="1"
ring3_ticks=100
timeout_s=300
src=$(dirname "$0")/../guest
while [ $# -gt 0 ]; do
    case "$1" in
    --emu) emu=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --rand) rand=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    --ring3) ring3=$2; shift 2 ;;
    --ring3-seeds) ring3_seeds=$2; shift 2 ;;
    --ring3-ticks) ring3_ticks=$2; shift 2 ;;
    *) echo "check.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$emu" ] && [ -n "$dir" ] || { echo "usage: check.sh --emu CMD --dir DIR" >&2; exit 2; }

backends=$($emu -accel tcg,backend=help | sed -n 's/^\([a-z0-9_]*\)$/\1/p')
nb=$(echo "$backends" | wc -w)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

# run NAME KERNEL BACKEND EXTRA-ACCEL OUT: serial output in OUT, -d icount in OUT.log
run() {
    name=$1 kernel=$2 b=$3 extra=$4 out=$5
    args=""
    here=$src # NAME.args may name files beside the programs as "$here/..."
    [ -f "$src/$name.args" ] && args=$(cat "$src/$name.args")
    # NAME.args may hold quoted words (-append "a b"): eval, as run.sh does
    eval "timeout \"\$timeout_s\" \$emu -accel \"tcg,backend=\$b\$extra\" \
        -icount shift=0 -d icount -D \"\$out.log\" -nographic -no-reboot \
        -device isa-debug-exit,iobase=0xf4,iosize=4 -kernel \"\$kernel\" $args" \
        >"$out" 2>"$out.err" </dev/null
}

for exp in "$src"/*.expected; do
    name=$(basename "$exp" .expected)
    kernel="$dir/$name.elf"
    [ -f "$kernel" ] || kernel="$dir/$name.bin"
    [ -f "$kernel" ] || { bad "$name: $kernel not built"; continue; }
    first=""
    same=yes
    for b in $backends; do
        run "$name" "$kernel" "$b" "" "$tmp/$name.$b"
        if [ -z "$first" ]; then
            first=$b
            continue
        fi
        if ! cmp -s "$tmp/$name.$first" "$tmp/$name.$b"; then
            same=no
            echo "  $name: COM1 output differs between $first and $b:"
            diff "$tmp/$name.$first" "$tmp/$name.$b" | head -5
        fi
        c1=$(sed -n 's/^icount: \([0-9]*\) guest.*/\1/p' "$tmp/$name.$first.log" 2>/dev/null)
        c2=$(sed -n 's/^icount: \([0-9]*\) guest.*/\1/p' "$tmp/$name.$b.log" 2>/dev/null)
        if [ -z "$c1" ] || [ "$c1" != "$c2" ]; then
            same=no
            echo "  $name: instructions executed: $first ${c1:-?}, $b ${c2:-?}"
            for x in "$first" "$b"; do
                [ -s "$tmp/$name.$x.err" ] && sed "s/^/  [$x] /" "$tmp/$name.$x.err" | head -3
            done
        fi
    done
    if [ $same = yes ]; then
        ok "$name: same output and instruction count on $nb backends ($(sed -n 's/^icount: \([0-9]*\) guest.*/\1/p' "$tmp/$name.$first.log") insns)"
    else
        bad "$name: backends disagree"
    fi
done

for name in tbstress smc randseq; do
    kernel="$dir/$name.elf"
    [ -f "$kernel" ] || continue
    for b in $backends; do
        run "$name" "$kernel" "$b" ",tb-size=1" "$tmp/flush.$name.$b"
        flushes=$(sed -n 's/.*, \([0-9]*\) code-cache flushes/\1/p' "$tmp/flush.$name.$b.log")
        tr -d '\r' <"$tmp/flush.$name.$b" >"$tmp/flush.$name.$b.txt"
        if ! cmp -s "$src/$name.expected" "$tmp/flush.$name.$b.txt"; then
            bad "$name [$b, tb-size=1]: output differs from $name.expected"
            diff "$src/$name.expected" "$tmp/flush.$name.$b.txt" | head -5
        elif [ "${flushes:-0}" -eq 0 ] && [ $name = tbstress ]; then
            bad "$name [$b, tb-size=1]: the code cache was never flushed"
        else
            ok "$name [$b, tb-size=1]: expected output across ${flushes:-0} code-cache flushes"
        fi
    done
done

# Random real-mode code: the same end on every backend and buffer size.
first_rand=""
for kernel in $rand; do
    name=$(basename "$kernel" .bin)
    [ -f "$kernel" ] || { bad "$name: $kernel not built"; continue; }
    [ -n "$first_rand" ] || first_rand=$kernel
    ref=""
    same=yes
    for b in $backends; do
        for extra in "" ",tb-size=1"; do
            out="$tmp/$name.$b$extra"
            timeout "$timeout_s" $emu -accel "tcg,backend=$b$extra" -icount shift=0 \
                -d icount -D "$out.log" -nographic -no-reboot \
                -device isa-debug-exit,iobase=0xf4,iosize=4 -kernel "$kernel" \
                >"$out" 2>"$out.err" </dev/null
            st=$?
            ic=$(sed -n 's/^icount: \([0-9]*\) guest.*/\1/p' "$out.log" 2>/dev/null)
            if [ $st != 1 ] || ! grep -q '^memory ' "$out"; then
                same=no
                echo "  $name [$b$extra]: exit status $st, no final report"
                head -3 "$out.err"
                continue
            fi
            if [ -z "$ref" ]; then
                ref="$b$extra"
                ref_ic=$ic
                continue
            fi
            if ! cmp -s "$tmp/$name.$ref" "$out" || [ "$ic" != "$ref_ic" ]; then
                same=no
                echo "  $name: $ref and $b$extra end differently ($ref_ic, $ic insns):"
                diff "$tmp/$name.$ref" "$out" | head -6
            fi
        done
    done
    if [ $same = yes ]; then
        ok "$name: same end on $nb backends, with and without flushes ($ref_ic insns, $(head -1 "$tmp/$name.$ref" | tr -d '\r'))"
    else
        bad "$name: runs disagree"
    fi
done
# Self-modifying code must not thrash the code cache: randreal-58 keeps
# writing into the pages it runs (1,974 blocks invalidated by its
# stores over 293,170 instructions; the seed changes whenever the ROM or
# POST change what random code finds in low memory: pick one that gives
# over 1,000 with -d stats); with the default code buffer no backend
# may flush it, and the native backend may translate no more blocks than
# the interpreter (blocks made again natively after their runs left
# out), almost all of them through its interp tier (translator/tb.h). (Before blocks on such pages were cut short, this run
# made 270 flushes on the native backend and 117 on the interpreter, with
# 304,267 blocks translated on each.)
for kernel in $rand; do
    case "$kernel" in */randreal-58.bin) ;; *) continue ;; esac
    name=$(basename "$kernel" .bin)
    interp_blocks=""
    # the interpreter first: the others are compared with it
    for b in interp $(echo $backends | tr ' ' '\n' | grep -vx interp); do
        out="$tmp/smc.$name.$b"
        timeout "$timeout_s" $emu -accel "tcg,backend=$b" -icount shift=0 \
            -d icount,stats -D "$out.log" -nographic -no-reboot \
            -device isa-debug-exit,iobase=0xf4,iosize=4 -kernel "$kernel" \
            >"$out" 2>"$out.err" </dev/null
        flushes=$(sed -n 's/^icount: .*, \([0-9]*\) code-cache flushes/\1/p' "$out.log")
        blocks=$(sed -n 's/^stats: \([0-9]*\) blocks translated, .*/\1/p' "$out.log")
        inval=$(sed -n 's/^stats: \([0-9]*\) blocks invalidated.*/\1/p' "$out.log")
        short=$(sed -n 's/.* invalidated, \([0-9]*\) cut short.*/\1/p' "$out.log")
        # a native engine: blocks per tier (translator/tb.h)
        main=$(sed -n 's/^stats: \([0-9]*\) blocks translated by the .* tier, .*/\1/p' "$out.log")
        cheap=$(sed -n 's/.* tier, \([0-9]*\) by the interp tier first.*/\1/p' "$out.log")
        promoted=$(sed -n 's/.* tier first, \([0-9]*\) promoted/\1/p' "$out.log")
        [ "$b" = interp ] && interp_blocks=$blocks
        what="$name [$b]: ${flushes:-?} flushes, ${blocks:-?} blocks translated, ${inval:-?} invalidated, ${short:-?} cut short"
        [ "$b" = interp ] || what="$what (${main:-?} native, ${cheap:-?} bytecode, ${promoted:-?} promoted)"
        if [ "${flushes:-1}" != 0 ] || [ "${short:-0}" -eq 0 ] || [ "${inval:-0}" -lt 1000 ]; then
            bad "$what (want 0 flushes, blocks cut short, >= 1000 invalidated)"
        elif [ "$b" != interp ] && [ -n "$interp_blocks" ] &&
            [ $((blocks - ${promoted:-0})) -gt "$interp_blocks" ]; then
            bad "$what: more than the interpreter's $interp_blocks, promotions left out"
        elif [ "$b" != interp ] && { [ "${cheap:-0}" -eq 0 ] ||
            [ -z "$main" ] || [ $((main * 20)) -gt "${interp_blocks:-0}" ]; }; then
            # most blocks of a guest that rewrites its code are bytecode:
            # native code generation costs more than a few runs of them
            bad "$what: want most blocks made by the interp tier, native ones < 1/20 of $interp_blocks"
        else
            ok "$what"
        fi
    done
done

# One of them block by block: -d exec,nochain logs every block entered.
if [ -n "$first_rand" ] && [ "$nb" -gt 1 ]; then
    name=$(basename "$first_rand" .bin)
    same=yes
    ref=""
    for b in $backends; do
        timeout "$timeout_s" $emu -accel "tcg,backend=$b" -icount shift=0 \
            -d exec,nochain -D "$tmp/trace.$b" -nographic -no-reboot \
            -device isa-debug-exit,iobase=0xf4,iosize=4 -kernel "$first_rand" \
            >/dev/null 2>&1 </dev/null
        # drop the host address of the block: the rest must be equal
        sed 's/^Trace [^ ]* //' "$tmp/trace.$b" >"$tmp/trace.$b.txt"
        if [ -z "$ref" ]; then ref=$b; continue; fi
        if ! cmp -s "$tmp/trace.$ref.txt" "$tmp/trace.$b.txt"; then
            same=no
            diff "$tmp/trace.$ref.txt" "$tmp/trace.$b.txt" | head -5
        fi
    done
    n=$(grep -c '^\[' "$tmp/trace.$ref.txt")
    if [ $same = yes ] && [ "$n" -gt 1000 ]; then
        ok "$name: the same $n block entries on $nb backends (-d exec,nochain)"
    else
        bad "$name: block traces differ between backends ($n entries)"
    fi
fi

# Random code at CPL 3: the same end on every backend and buffer size.
if [ -n "$ring3" ]; then
    for seed in $ring3_seeds; do
        name="randring3 seed=$seed ticks=$ring3_ticks"
        [ -f "$ring3" ] || { bad "$name: $ring3 not built"; continue; }
        ref=""
        same=yes
        for b in $backends; do
            for extra in "" ",tb-size=1"; do
                out="$tmp/ring3.$seed.$b$extra"
                timeout "$timeout_s" $emu -accel "tcg,backend=$b$extra" -icount shift=0 \
                    -d icount -D "$out.log" -nographic -no-reboot \
                    -device isa-debug-exit,iobase=0xf4,iosize=4 -kernel "$ring3" \
                    -append "seed=$seed ticks=$ring3_ticks" >"$out" 2>"$out.err" </dev/null
                st=$?
                ic=$(sed -n 's/^icount: \([0-9]*\) guest.*/\1/p' "$out.log" 2>/dev/null)
                if [ $st != 1 ] || ! grep -q '^memory: ' "$out" || [ -s "$out.err" ] ||
                    ! grep -q '^kernel tables unchanged: yes' "$out"; then
                    same=no
                    echo "  $name [$b$extra]: exit status $st, no final report, ring 3 changed kernel tables or messages on stderr"
                    tail -3 "$out"
                    head -5 "$out.err"
                    continue
                fi
                if [ -z "$ref" ]; then
                    ref="$b$extra"
                    ref_ic=$ic
                    continue
                fi
                if ! cmp -s "$tmp/ring3.$seed.$ref" "$out" || [ "$ic" != "$ref_ic" ]; then
                    same=no
                    echo "  $name: $ref and $b$extra end differently ($ref_ic, $ic insns):"
                    diff "$tmp/ring3.$seed.$ref" "$out" | head -6
                fi
            done
        done
        if [ $same = yes ]; then
            ok "$name: same end on $nb backends, with and without flushes ($ref_ic insns, $(grep -c '^vector' "$tmp/ring3.$seed.$ref") vectors, $(sed -n 's/^events: //p' "$tmp/ring3.$seed.$ref" | tr -d '\r') events)"
        else
            bad "$name: runs disagree or fail"
        fi
    done
fi

# The native backend's own switches: a code buffer mapped twice (never
# writable and executable at once), the perf map, -d out_asm.
if echo "$backends" | grep -qw x86_64; then
    for name in smc fault_state tbflush irq_loop; do
        kernel="$dir/$name.elf"
        [ -f "$kernel" ] || continue
        run "$name" "$kernel" x86_64 ",split-wx=on" "$tmp/wx.$name"
        tr -d '\r' <"$tmp/wx.$name" >"$tmp/wx.$name.txt"
        if cmp -s "$src/$name.expected" "$tmp/wx.$name.txt"; then
            ok "$name [x86_64, split-wx=on]: expected output"
        else
            bad "$name [x86_64, split-wx=on]: output differs from $name.expected"
            diff "$src/$name.expected" "$tmp/wx.$name.txt" | head -5
        fi
    done
    kernel="$dir/hello.elf"
    # the shell's pid is the emulator's once exec'd: the map is perf-PID.map
    pid=$(sh -c 'echo $$; exec "$@" >/dev/null 2>&1 </dev/null' sh \
        $emu -accel tcg,backend=x86_64 -perfmap -nographic -no-reboot \
        -device isa-debug-exit,iobase=0xf4,iosize=4 -kernel "$kernel")
    map=/tmp/perf-$pid.map
    if [ -f "$map" ] && grep -Eq '^[0-9a-f]+ [0-9a-f]+ jet86-tb-[0-9a-f]{8}$' "$map"; then
        ok "-perfmap: $map names $(wc -l <"$map") blocks"
    else
        bad "-perfmap: no block names in $map"
    fi
    rm -f "$map"
    $emu -accel tcg,backend=x86_64 -d in_asm,out_asm -D "$tmp/out_asm.log" \
        -nographic -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4 \
        -kernel "$kernel" >/dev/null 2>&1 </dev/null
    if grep -q '^  -- guest ' "$tmp/out_asm.log" &&
        grep -Eq '^0x[0-9a-f]+: .*(mov|jmp|cmp)' "$tmp/out_asm.log"; then
        ok "-d out_asm: host code beside each guest instruction"
    else
        bad "-d out_asm: no host disassembly in the log"
    fi
fi

echo "backends: $pass passed, $fail failed"
[ $fail -eq 0 ]
