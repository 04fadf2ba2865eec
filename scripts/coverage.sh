#!/bin/sh
# coverage.sh - line coverage of the translator and the soft MMU by the
# test suites (make coverage; not part of make check).
#
# Copies the source tree (tracked and new files, no build outputs) to
# DIR/src, builds it there with gcc's --coverage (gcov, part of the
# compiler: no other tool), runs TARGETS in it and prints, from gcov's
# summary of every object, the lines executed of translator/ (the engine,
# translator/x86/ and translator/backend/ apart) and of softmmu/, and the
# least covered files. The summary is also left in DIR/summary.txt, the
# figures of every file in DIR/files.txt.
#
# usage: scripts/coverage.sh [--dir DIR] [--jobs N] [--report] [TARGET...]
#        (default: --dir build/coverage --jobs 2 check-unit check-guest
#        check-backends; --report: only the summary again, from the
#        counts an earlier run left in DIR/src)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
dir="$top/build/coverage"
jobs=2
report_only=no
while [ $# -gt 0 ]; do
    case "$1" in
    --dir) dir=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --report) report_only=yes; shift ;;
    -*) echo "coverage.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
done
[ $# -gt 0 ] || set -- check-unit check-guest check-backends
command -v gcov >/dev/null || { echo "coverage.sh: gcov not found (Debian package: gcc, from build-essential)" >&2; exit 1; }

src="$dir/src"
status=0
if [ $report_only = no ]; then
    rm -rf "$src"
    mkdir -p "$src"
    if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
        # (a file deleted but not yet committed is left out)
        (cd "$top" && git ls-files -z --cached --others --exclude-standard |
            xargs -0 sh -c 'for f; do [ -e "$f" ] && cp --parents "$f" "$0"; done' "$src")
    else
        (cd "$top" && tar cf - --exclude=./build --exclude='*.o' --exclude='*.d' . ) | (cd "$src" && tar xf -)
    fi
    cd "$src"
    CFLAGS="--coverage" LDFLAGS="--coverage" ./configure >"$dir/configure.log" 2>&1 ||
        { cat "$dir/configure.log" >&2; exit 1; }
    make -j"$jobs" >"$dir/build.log" 2>&1 || { tail -20 "$dir/build.log" >&2; exit 1; }
    # the tests' verdicts matter less than what they ran: go on after a failure
    make -k "$@" >"$dir/tests.log" 2>&1 || status=$?
    [ $status -eq 0 ] || echo "coverage.sh: make $* failed (see $dir/tests.log); coverage of what ran:"
fi
cd "$src"

# Lines executed of one source file, from `gcov -n` run on its object:
# "File 'F'" then "Lines executed:P% of N" (P rounded to 0.01%: the count
# is recovered exactly while N < 10,000).
file_lines() {
    gcov -n -o "build/$(dirname "$1")" "$1" 2>/dev/null |
        awk -v f="$1" '
            /^File / { cur = substr($2, 2, length($2) - 2) }
            /^Lines executed:/ && cur == f {
                split($2, a, ":"); p = a[2]; sub("%", "", p)
                printf "%d %d %s\n", int(p * $4 / 100 + 0.5), $4, f; exit
            }'
}

# "executed total path" for every object of translator/ and softmmu/
for f in translator/*.c translator/x86/*.c translator/backend/*.c softmmu/*.c; do
    [ -f "build/${f%.c}.gcno" ] && file_lines "$f"
done >"$dir/files.txt"

# group NAME REGEX: one line for the files whose path matches REGEX
group() {
    awk -v n="$1" -v re="$2" '
        $3 ~ re { e += $1; t += $2 }
        END { printf "%-22s %6d of %6d lines  %5.1f%%\n", n, e, t, t ? 100 * e / t : 0 }' "$dir/files.txt"
}

{
    echo "line coverage after make $* (gcc --coverage, gcov):"
    group "translator/ (all)" '^translator/'
    group "  translator/*.c" '^translator/[^/]*$'
    group "  translator/x86/" '^translator/x86/'
    group "  translator/backend/" '^translator/backend/'
    group "softmmu/" '^softmmu/'
    echo "least covered files:"
    awk '$2 { printf "  %-36s %5.1f%% of %d lines\n", $3, 100 * $1 / $2, $2 }' "$dir/files.txt" |
        sort -k2 -n | head -8
} | tee "$dir/summary.txt"
exit $status
