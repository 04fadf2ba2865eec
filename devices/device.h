/*
 * device.h - the one shape of every device, the registry that creates them
 * by name, and the bus they sit on.
 *
 * A device's state (struct pic_state, struct uart_state...) embeds a
 * struct device named dev. Its struct device_class says what kind of
 * device it is: name, properties, and the hooks the machine calls:
 *
 *   create  allocate the state, claim its ports and MMIO on the bus, take
 *           its IRQ lines and clock from the bus; device_create() then
 *           calls reset
 *   reset   power-on state (the board's reset walks every device)
 *   free    release what create took (timers, memory)
 *   save, load
 *           the device's state into and out of a snapshot; NULL in every
 *           class until snapshots exist (they will mostly walk a
 *           declarative field table beside the state struct)
 *
 * The registry (devices/registry.c) lists every class by name; the board
 * creates its own devices through it (device_create_str(bus,
 * "isa-serial,iobase=0x3f8,irq=4")) and -device creates the user's
 * (device_spec_parse(), then device_create()). Every device created on a
 * bus is on its list, in creation order: device_bus_reset() and
 * device_bus_destroy() walk it.
 *
 * The bus is the board as a device sees it: the memory and I/O port maps,
 * the virtual clock, the 16 ISA interrupt lines (fan-outs: the board
 * connects the PIC, later the IOAPIC), and the services a device may ask
 * the board for. No state lives outside these structs, so two buses with
 * the same devices are two independent machines.
 */
#ifndef DEVICES_DEVICE_H
#define DEVICES_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/clock.h"
#include "devices/irq.h"
#include "softmmu/memory.h"

struct device_bus;
struct device_class;
struct pci_bus;
/* The snapshot streams of save/load (not written yet). */
struct state_writer;
struct state_reader;

struct device {
    const struct device_class *cls;
    struct device_bus *bus;
    struct device *next; /* the bus's list, in creation order */
};

/* The state struct of type holding the struct device named dev. */
#define DEVICE_STATE(type, d) ((type *)((char *)(d)-offsetof(type, dev)))

/* A property: an unsigned number given as name=value (C syntax: decimal,
 * 0x hex, 0 octal). */
struct device_prop {
    const char *name;
    uint64_t def, min, max;
    bool hex;          /* -device help shows the default in hex */
    const char *range; /* "iobase must be <range>": e.g. "1-0x10000" */
};

#define DEVICE_MAX_PROPS 4

struct device_class {
    const char *name; /* as -device names it: "isa-debug-exit" */
    const char *desc; /* one line for -device help */
    bool user;        /* -device may create it (else only the board) */
    const struct device_prop *props; /* indexed by the device's own enum */
    int n_props;
    /* Optional: check the values together, beyond each one's range; on
     * an error, a message in err and non-zero. */
    int (*check)(const uint64_t *prop, char *err, size_t errlen);

    struct device *(*create)(struct device_bus *bus, const uint64_t *prop);
    void (*reset)(struct device *dev); /* NULL: no state to reset */
    void (*free)(struct device *dev);
    int (*save)(struct device *dev, struct state_writer *w);
    int (*load)(struct device *dev, struct state_reader *r);
};

/* A class with its property values: what "name,prop=value,..." says. */
struct device_spec {
    const struct device_class *cls;
    uint64_t prop[DEVICE_MAX_PROPS];
    const char *str; /* the text parsed (the caller's), for messages */
};

#define ISA_NUM_IRQS 16

struct device_bus {
    struct memory_map *mem;
    struct io_map *io;
    struct vclock *clock;
    struct irq_fanout isa_irq[ISA_NUM_IRQS];
    struct pci_bus *pci; /* bus 0, made by the host bridge; NULL before */

    /* Board services. exit ends the emulation with a process exit
     * status (isa-debug-exit); NULL: the request is ignored. */
    void *board;
    void (*exit)(void *board, int status);
    /* The A20 gate (port 0x92): physical address bit 20 let through or
     * forced to 0. NULL: ignored. */
    void (*set_a20)(void *board, bool enabled);
    /* A reset of the board (port 0x92's fast reset, the reset control
     * register); why names it for -d int. NULL: ignored. */
    void (*reset)(void *board, const char *why);

    struct device *first, *last;
};

/* ---- the registry ---- */

/* Every class, NULL-terminated (devices/registry.c). */
extern const struct device_class *const device_classes[];

const struct device_class *device_class_find(const char *name);
/* Parse "name[,prop=value]...". user: only classes -device may create
 * (else any, for the board). On an error, a message in err (without the
 * string itself) and non-zero. */
int device_spec_parse(struct device_spec *spec, const char *str, bool user,
                      char *err, size_t errlen);
/* -device help: the classes -device may create, with their properties. */
void device_print_help(FILE *f);

/* ---- devices on a bus ---- */

/* Maps and clock as given (any may be NULL for a device that does not use
 * it); ISA lines without sinks; no devices. */
void device_bus_init(struct device_bus *bus, struct memory_map *mem,
                     struct io_map *io, struct vclock *clock);
/* The ISA interrupt line n (0-15), as a device drives it. */
struct irq *isa_irq(struct device_bus *bus, int n);
/* Create, reset and add to the bus's list. */
struct device *device_create(struct device_bus *bus,
                             const struct device_spec *spec);
/* The same from a string; an error is fatal (the board's own devices). */
struct device *device_create_str(struct device_bus *bus, const char *str);
void device_reset(struct device *dev);
/* Take off the bus's list and free. */
void device_destroy(struct device *dev);
/* Reset every device, in creation order. */
void device_bus_reset(struct device_bus *bus);
/* Free every device. */
void device_bus_destroy(struct device_bus *bus);

#endif
