#!/bin/sh
# demo.sh - from a fresh clone to a running guest in one command: installs
# the missing Debian packages (the build and guests groups of
# scripts/deps.sh: make check boots real guests; as root, otherwise it
# prints the apt-get line and stops), runs ./configure if it has not been
# run, builds, and boots the bundled demo guest on the serial console
# (make demo).
#
# usage: scripts/demo.sh          set up, build, run the demo guest
#        scripts/demo.sh check    set up, build, run the whole test suite
#                                 (make check; what .ci/run does)
set -eu

cd "$(dirname "$0")/.."

mode=${1:-demo}
case "$mode" in
demo|check) ;;
-h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
*) echo "demo.sh: unknown mode '$mode' (demo or check)" >&2; exit 2 ;;
esac

scripts/deps.sh install build guests

if [ ! -f config.mk ] || [ ! -f Makefile ]; then
    ./configure
fi

jobs=$(nproc 2>/dev/null || echo 2)
make -j"$jobs"

if [ "$mode" = check ]; then
    # One suite after another, so their reports do not interleave.
    exec make -k check
fi
exec make demo
