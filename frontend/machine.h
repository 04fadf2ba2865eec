/*
 * machine.h - the configuration parsed from the command line, and the PC
 * built from it: memory map, I/O map, devices, firmware, CPU. Board wiring
 * lives in machine.c and nowhere else.
 */
#ifndef FRONTEND_MACHINE_H
#define FRONTEND_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/clock.h"
#include "devices/device.h"
#include "devices/irq.h"
#include "bios/bios.h"
#include "frontend/drives.h"
#include "softmmu/memory.h"
#include "translator/x86/cpu.h"

/* -device flags one run takes. */
#define MACHINE_MAX_DEVICES 16

enum serial_kind { SERIAL_NONE, SERIAL_STDIO, SERIAL_FILE };

/* -chardev BACKEND,id=ID[,path=P] (frontend/chardev.c). */
#define MACHINE_MAX_CHARDEVS 8
struct chardev_config {
    const char *id;
    enum serial_kind kind;      /* stdio, file (path), null */
    const char *path;
    const char *used_by;        /* the front end that took it, or NULL */
};

/* -device isa-debugcon,iobase=N,chardev=ID: a debug console port. */
#define MACHINE_MAX_DEBUGCONS 4
struct debugcon_config {
    uint16_t iobase;
    const char *chardev;
    enum serial_kind kind;      /* the chardev's, once resolved */
    const char *path;
};

/* -display: DISPLAY_DEFAULT picks sdl when a window can open (SDL built
 * in, $DISPLAY or $WAYLAND_DISPLAY set, a VGA), else none. */
enum display_kind { DISPLAY_DEFAULT, DISPLAY_NONE, DISPLAY_SDL };

/* -rtc base=: what the RTC shows at start. */
enum rtc_base_kind { RTC_BASE_UTC, RTC_BASE_LOCALTIME, RTC_BASE_DATE };

struct machine_config {
    uint64_t ram_size;          /* -m, bytes (default 128 MiB) */
    const char *kernel;         /* -kernel */
    const char *append;         /* -append */
    const char *initrd;         /* -initrd (Multiboot modules, comma list) */
    const char *bios;           /* -bios */
    struct drive_config drives[MACHINE_MAX_DRIVES]; /* -hda, -drive... */
    int n_drives;
    char boot_order[BIOS_BOOT_ORDER_MAX + 1]; /* -boot; "" default */
    bool snapshot;              /* -snapshot */
    enum serial_kind serial;    /* -serial stdio|file:PATH|none */
    const char *serial_path;
    bool debugcon_set;          /* -debugcon given */
    enum serial_kind debugcon;  /* -debugcon stdio|file:PATH|none */
    const char *debugcon_path;
    struct chardev_config chardevs[MACHINE_MAX_CHARDEVS]; /* -chardev */
    int n_chardevs;
    const char *serial_chardev; /* -serial chardev:ID */
    struct debugcon_config debugcons[MACHINE_MAX_DEBUGCONS];
    int n_debugcons;
    bool nographic;
    enum display_kind display;  /* -display (default: sdl when it can) */
    bool full_screen;           /* -full-screen */
    bool no_vga;                /* -vga none */
    bool no_reboot;
    bool icount;                /* -icount */
    int icount_shift;
    enum rtc_base_kind rtc_base; /* -rtc base=utc|localtime|DATE */
    int64_t rtc_date;           /* RTC_BASE_DATE: seconds since 1970 */
    struct device_spec devices[MACHINE_MAX_DEVICES]; /* -device */
    int n_devices;
    const char *backend;        /* -accel tcg,backend=interp|x86_64 */
    size_t tb_size;             /* -accel tcg,tb-size=MiB, in bytes; 0: default */
    bool split_wx;              /* -accel tcg,split-wx=on */
    unsigned log_mask;          /* -d */
    const char *log_file;       /* -D */
    bool perfmap;
    FILE *perfmap_file;         /* -perfmap: the map main opened, or NULL */
    const char *gdb;            /* -gdb tcp::PORT (-s: tcp::1234), or NULL */
    bool gdb_wait;              /* -S */
    const char *monitor;        /* -monitor stdio|telnet:...|none, or NULL */
};

struct uart_state;
struct i8042_state;
struct vga_state;
struct ide_state;
struct fdc_state;
struct pic_state;
struct lapic_state;
struct ioapic_state;
struct pit_state;
struct rtc_state;
struct i440fx_state;
struct console;
struct debug_console;
struct sdl_display;
struct jit;

/* A front end that keeps serving its host side while the machine is
 * paused (the window repaints and takes keys, a -monitor answers):
 * called over and over, waiting at most wait_ms for host input. */
typedef void machine_idle_fn(void *opaque, int wait_ms);
#define MACHINE_MAX_IDLE 4

struct machine {
    struct machine_config cfg;
    struct memory_map mem;
    struct io_map io;
    struct vclock clock;
    struct cpu cpu;
    struct jit *jit; /* the CPU's translation engine (translator/tb.h) */
    uint8_t *ram;

    /* Every device is on bus's list; these are the ones the board wires
     * by hand. */
    struct device_bus bus;
    struct pic_state *pic;
    struct lapic_state *lapic;
    struct ioapic_state *ioapic;
    struct pit_state *pit;
    struct rtc_state *rtc;
    struct i440fx_state *i440fx;
    struct uart_state *com1;
    struct i8042_state *kbd;
    struct vga_state *vga;
    struct ide_state *ide;
    struct fdc_state *fdc;
    struct device *pm;       /* piix4-pm: the ACPI power button */

    uint8_t *rom;            /* the BIOS ROM image (built-in or -bios) */
    struct bios bios;        /* the built-in BIOS's services and drives */
    struct io_region *bios_trap; /* its trap port, NULL with -bios */
    size_t rom_size;
    struct irq intr;         /* the local APIC's output -> the CPU's INTR */
    bool ferr_latch;         /* the x87's FERR# latch, on IRQ 13 (port F0h) */
    struct console *console; /* COM1's host side (frontend/console.c) */
    struct debug_console *debugcon; /* -debugcon's host side, or NULL */
    struct sdl_display *sdl; /* the -display sdl window, or NULL */
    /* the host sides of -device isa-debugcon,chardev=ID */
    struct debug_console *debugcons[MACHINE_MAX_DEBUGCONS];

    /* Told the exit status when the process is about to end from inside
     * the run (isa-debug-exit): the gdb stub says goodbye to gdb. */
    void (*exit_notify)(void *opaque, int status);
    void *exit_opaque;

    /* Paused (the monitor's stop): no guest instruction runs and virtual
     * time stands still; machine_run calls the idle handlers meanwhile. */
    bool paused;
    struct machine_idle {
        machine_idle_fn *fn;
        void *opaque;
    } idle[MACHINE_MAX_IDLE];

    bool stop;          /* leave the CPU loop */
    int exit_status;    /* process exit status when stopped */
    bool reset_pending;
};

void machine_init(struct machine *m, const struct machine_config *cfg);
/* Run until the guest exits (debug-exit, triple fault with -no-reboot...).
 * Returns the process exit status. */
int machine_run(struct machine *m);
/* The signal (SIGTERM, SIGINT, SIGHUP) that ended machine_run, else 0:
 * the caller cleans up, then dies of it (signal(sig, SIG_DFL); raise). */
int machine_stop_signal(void);
void machine_destroy(struct machine *m);
/* Stop the machine with a status (debug-exit, shutdown). */
void machine_request_stop(struct machine *m, int status);
void machine_request_reset(struct machine *m);
/* Pause at the next instruction boundary (from a vtimer or before the
 * run), until machine_resume. */
void machine_pause(struct machine *m);
void machine_resume(struct machine *m);
void machine_add_idle(struct machine *m, machine_idle_fn *fn, void *opaque);
void machine_remove_idle(struct machine *m, machine_idle_fn *fn,
                         void *opaque);
/* Every idle handler once, sharing wait_ms: for a front end holding the
 * CPU itself (the gdb stub while gdb has it stopped). */
void machine_idle_poll(struct machine *m, int wait_ms);

#endif
