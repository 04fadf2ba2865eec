/*
 * monitor.h - the human monitor: a line-based command interpreter
 * ("(jet86) " prompt) for looking at and steering a running machine:
 * registers, memory, page tables, the screen, keys, stop/cont, reset,
 * power button, quit. docs/MONITOR.md lists the commands.
 *
 * Two ways in: -monitor stdio|telnet::PORT,server,nowait (monitor_open:
 * the monitor polls its descriptor from a vtimer, at instruction
 * boundaries, and never blocks a running CPU), or a front end of its own
 * (the SDL window) that makes one with monitor_new and feeds it lines.
 */
#ifndef FRONTEND_MONITOR_H
#define FRONTEND_MONITOR_H

#include <stdbool.h>
#include <stddef.h>

struct machine;
struct monitor;

/* Where the monitor's output goes: len bytes of text (lines end in \n). */
typedef void monitor_output_fn(void *opaque, const char *text, size_t len);

/* A monitor on m that writes through out. */
struct monitor *monitor_new(struct machine *m, monitor_output_fn *out,
                            void *opaque);
/* Run one command line (without its newline). Call it at an instruction
 * boundary (between cpu_exec slices, from a vtimer or the main loop). */
void monitor_input(struct monitor *mon, const char *line);
/* The prompt, "(jet86) ", through the output. */
void monitor_prompt(struct monitor *mon);
/* true after `stop` until `cont` (the machine is paused, whichever
 * monitor paused it). */
bool monitor_stopped(const struct monitor *mon);
void monitor_free(struct monitor *mon);

/* -monitor SPEC: "stdio", "none", "telnet:[HOST]:PORT,server,nowait".
 * Checks the spelling: false with a message in err. */
bool monitor_spec_ok(const char *spec, char *err, size_t size);
/* Open -monitor SPEC on m (NULL for "none"); errors are fatal. */
struct monitor *monitor_open(struct machine *m, const char *spec);

#endif
