# tests/lib/monitor.sh - an emulator's monitor driven from a test script
# (bash; sourced by tests/monitor/run.sh, tests/boot/gfxterm.sh and
# tests/display/screenref.sh). mon_start runs the emulator in the
# background with its stdin a fifo the script writes through fd 3 (the
# monitor on stdio reads it), COM1 in $tmp/com1, its stdout in $tmp/out,
# its stderr in $tmp/err and, once it has ended, its exit status in
# $tmp/status.
# Sourcing it makes tmp, a directory of the script's own that its EXIT
# trap removes (with an emulator still running: killed). The script sets
# tmo (seconds one wait may take: the guests are deterministic, the wait
# is only for the host to get there) and may set prompt (what the monitor
# prints before each line it reads). Failures gather in errs, one a line,
# for the script to report.

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jet86-${0##*/}.XXXXXX") || exit 1
trap mon_cleanup EXIT
pid=
errs=""
prompt="(jet86) "
prompts=0

# mon_cleanup: stop an emulator still running, remove $tmp
mon_cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$tmp"
}

# err MESSAGE: one failure more
err() {
    errs="$errs
    $1"
}

# wait_for FILE FIXED-STRING [COUNT]: until FILE holds the string COUNT
# times (once if not given); fails after $tmo seconds
wait_for() {
    local n=${3:-1} t=0
    while [ "$(grep -aoF -- "$2" "$1" 2>/dev/null | wc -l)" -lt "$n" ]; do
        t=$((t + 1))
        if [ $t -gt $((tmo * 10)) ]; then
            err "timed out waiting for '$2' in $(basename "$1")"
            return 1
        fi
        sleep 0.1
    done
}

# mon_start CMD...: CMD -serial file:$tmp/com1 in the background, fd 3
# writing its stdin; the files of an earlier run removed first
mon_start() {
    rm -f "$tmp/fifo" "$tmp/out" "$tmp/com1" "$tmp/status"
    mkfifo "$tmp/fifo"
    (
        "$@" -serial "file:$tmp/com1" <"$tmp/fifo" >"$tmp/out" 2>"$tmp/err"
        echo $? >"$tmp/status"
    ) &
    pid=$!
    exec 3>"$tmp/fifo"
    prompts=0
}

# cmd LINE: send one line and wait for the prompt after its answer (the
# prompts are counted from mon_start: the first is the one before any
# line)
cmd() {
    printf '%s\n' "$1" >&3
    prompts=$((prompts + 1))
    wait_for "$tmp/out" "$prompt" $((prompts + 1))
}

# mon_stop [WHO]: close the monitor's input and wait for the emulator's
# exit, at most $tmo seconds; then kill it and fail with "WHO did not
# exit" (WHO: "the emulator" if not given)
mon_stop() {
    exec 3>&-
    local t=0
    while [ ! -f "$tmp/status" ] && [ $t -lt $((tmo * 10)) ]; do
        sleep 0.1
        t=$((t + 1))
    done
    if [ ! -f "$tmp/status" ]; then
        kill "$pid" 2>/dev/null
        err "${1:-the emulator} did not exit"
    fi
    wait "$pid" 2>/dev/null
    pid=
}
