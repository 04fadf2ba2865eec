/*
 * gdbstub.h - a gdb remote-protocol server for the machine's CPU (-gdb
 * tcp::PORT, -s, -S), as QEMU's: gdb connects with `target remote
 * :PORT` and reads and writes registers and memory, sets breakpoints,
 * single-steps, continues and interrupts (Ctrl-C).
 *
 * The stub lives on the CPU's thread: a virtual timer polls the socket
 * while the guest runs, and the CPU loop calls the stub on an instruction
 * boundary when the guest stops (translator/x86/cpu.h struct
 * cpu_debugger), which then serves gdb until it lets the guest go on.
 * Under -icount, the guest's run is the same with or without gdb: the
 * stub changes no guest-visible state except through gdb's own requests,
 * and virtual time does not move while the guest is stopped.
 *
 * Addresses are linear (segment base added, through the guest's page
 * tables). In real and virtual-8086 mode the PC register gdb sees is
 * the linear CS base + IP, so `x/i $pc` and breakpoints hit the right
 * code; a gdb that connects while the CPU is in real mode is told the
 * architecture is i8086 and disassembles 16-bit code.
 */
#ifndef FRONTEND_GDBSTUB_H
#define FRONTEND_GDBSTUB_H

#include <stdbool.h>

struct machine;
struct gdb_stub;

/* Listen on spec ("tcp::PORT" or "tcp:HOST:PORT"). With wait, block
 * until gdb connects and hold the CPU before its first instruction (-S).
 * Exits with a message naming the flag on a bad spec or a busy port. */
struct gdb_stub *gdb_stub_open(const char *spec, struct machine *m,
                               bool wait);
/* The machine stopped with status: tell gdb (W packet) and close. */
void gdb_stub_close(struct gdb_stub *g, int status);

#endif
