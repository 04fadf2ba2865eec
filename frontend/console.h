/*
 * console.h - the host side of COM1: the -serial back end (stdio, a file,
 * or nothing), the host terminal in raw mode, Ctrl-A escapes, and host
 * input fed to the UART's receiver on the virtual clock. The board
 * (machine.c) creates the UART and hands it over; nothing here knows the
 * board's wiring.
 */
#ifndef FRONTEND_CONSOLE_H
#define FRONTEND_CONSOLE_H

#include "base/clock.h"
#include "frontend/machine.h"
#include "translator/x86/cpu.h"

struct console;
struct uart_state;

/* Open the back end cfg->serial names: stdio puts the terminal in raw
 * mode and reads stdin; file:PATH creates the file (an error is fatal);
 * none discards the output. cpu: with -icount, input is waited for while
 * it is halted, so an idle guest's clock keeps pace with the host. */
struct console *console_open(const struct machine_config *cfg,
                             struct vclock *clock, const struct cpu *cpu);
/* Connect uart: what it transmits goes to the back end, host input goes
 * to its receiver at instruction boundaries (a vtimer polls for it). */
void console_attach(struct console *c, struct uart_state *uart);
/* Close the -serial file now, as the run ends; an error there is reported
 * like any write error. Later output is dropped. */
void console_close(struct console *c);
/* Stop polling, restore the terminal, close and free (NULL: nothing). */
void console_free(struct console *c);
/* Give the terminal back its own settings (before jet86 prints to
 * stderr while the guest had it raw); at any time, any number of times. */
void console_restore_tty(void);

/* The debug console's host side (-debugcon stdio|file:PATH|none): an
 * output-only stream, unbuffered, with write errors reported once as for
 * COM1. debug_console_out is the isa-debugcon device's sink. */
struct debug_console;
struct debug_console *debug_console_open(enum serial_kind kind,
                                         const char *path);
/* The same, flag naming the option in error messages ("-chardev"). */
struct debug_console *debug_console_open_flag(const char *flag,
                                              enum serial_kind kind,
                                              const char *path);
void debug_console_out(void *opaque, uint8_t byte);
/* Close the file now, as the run ends (errors reported). */
void debug_console_close(struct debug_console *d);
void debug_console_free(struct debug_console *d);

#endif
