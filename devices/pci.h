/*
 * pci.h - a PCI bus 0 reached through configuration mechanism #1 (ports
 * 0xCF8 address, 0xCFC-0xCFF data; PCI Local Bus Specification 3.0,
 * 3.2.2.3.2), and the PCI functions on it: a 256-byte configuration space
 * each, type 0 header, BARs sized by the all-ones probe and mapped while
 * the command register enables their decoding.
 *
 * A function is a struct pci_function embedded in a device's state; the
 * device fills its header (pci_function_init), declares its BARs and the
 * bytes a write may change, and is told after each configuration write.
 */
#ifndef DEVICES_PCI_H
#define DEVICES_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/irq.h"
#include "softmmu/memory.h"

/* Type 0 header offsets (PCI 3.0, 6.1). */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_REVISION 0x08
#define PCI_CLASS_PROG 0x09
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10
#define PCI_SUBSYS_VENDOR 0x2c
#define PCI_SUBSYS_ID 0x2e
#define PCI_ROM_ADDRESS 0x30
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d

#define PCI_COMMAND_IO 0x0001
#define PCI_COMMAND_MEMORY 0x0002
#define PCI_COMMAND_MASTER 0x0004
#define PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_STATUS_INTERRUPT 0x0008
#define PCI_NUM_PIRQS 4
#define PCI_HEADER_MULTI 0x80

#define PCI_NUM_BARS 6
/* bar[PCI_ROM_SLOT] is the expansion ROM BAR (0x30; PCI 3.0, 6.2.5.2):
 * address bits 31:11, bit 0 its own decode enable. */
#define PCI_ROM_SLOT 6
#define PCI_NUM_REGIONS 7
#define PCI_ROM_ENABLE 0x00000001u
/* Memory BAR type bits (PCI 3.0, 6.2.5.1). */
#define PCI_BAR_PREFETCH 0x08u
#define PCI_DEVFN(dev, fn) (((dev) << 3) | (fn))

struct pci_bus;
struct pci_function;

struct pci_bar {
    uint32_t size; /* a power of two; 0: no BAR */
    bool io;
    const struct mem_ops *ops;
    void *opaque;
    /* A memory region of the device's own (RAM, ROM), moved to the BAR's
     * address and enabled while it decodes, instead of MMIO made here:
     * the region, and what the device keeps of it, outlive a move. */
    struct mem_region *own;
    bool mapped;
    uint32_t addr; /* where it is mapped */
    struct io_region *io_r;
    struct mem_region *mem_r;
};

struct pci_function {
    uint8_t config[256];
    uint8_t wmask[256]; /* bits a configuration write may change */
    struct pci_bus *bus;
    int devfn;
    const char *name;
    struct pci_bar bar[PCI_NUM_REGIONS];
    /* After a configuration write of size bytes at offset (optional). */
    void (*config_written)(struct pci_function *f, unsigned offset,
                           unsigned size);
    void *opaque;
    int intx_level;    /* what the function drives on its INTx# pin */
    struct irq *intx;  /* its input on the PIRQ line, once it has driven */
};

struct pci_bus {
    struct memory_map *mem;
    struct io_map *io;
    struct pci_function *fn[256]; /* by devfn */
    uint32_t config_address;      /* port 0xCF8 */
    struct io_region *ports[2];
    /* PIRQA-D: wired-OR lines the INTx# pins of the slots are swizzled
     * onto; their outputs go to the router (the PIIX3). */
    struct irq_or pirq[PCI_NUM_PIRQS];
    /* Byte and word accesses to 0xCF8-0xCFB (offset 0-3): PIIX3's reset
     * control register at 0xCF9 (optional; reads all ones without). */
    void (*port_write)(void *opaque, unsigned offset, uint8_t value);
    uint8_t (*port_read)(void *opaque, unsigned offset);
    void *port_opaque;
};

/* Claims ports 0xCF8-0xCFF; pci_bus_destroy gives them back. */
void pci_bus_init(struct pci_bus *bus, struct memory_map *mem,
                  struct io_map *io);
void pci_bus_destroy(struct pci_bus *bus);
/* Header fields as the device's data sheet gives them; class is
 * base class << 16 | subclass << 8 | programming interface. The command
 * register's I/O, memory and bus-master bits and the interrupt line are
 * writable. */
void pci_function_init(struct pci_function *f, const char *name,
                       uint16_t vendor, uint16_t device, uint8_t revision,
                       uint32_t class_code, uint8_t header_type);
/* Put f on bus at devfn (fatal if taken). */
void pci_bus_add(struct pci_bus *bus, struct pci_function *f, int devfn);
void pci_bus_remove(struct pci_function *f);
/* BAR n: size bytes (a power of two, 16 at least for memory, 4 for I/O)
 * of I/O or memory space served by ops. */
void pci_register_bar(struct pci_function *f, int n, uint32_t size, bool io,
                      const struct mem_ops *ops, void *opaque);
/* BAR n (or PCI_ROM_SLOT) of size bytes showing region r, which the
 * device made (disabled) and frees after pci_bus_remove; flags: the
 * BAR's low bits (PCI_BAR_PREFETCH), memory BARs only. */
void pci_register_bar_region(struct pci_function *f, int n, uint32_t size,
                             uint32_t flags, struct mem_region *r);
/* Configuration space accesses (the mechanism's data port, and the
 * board's firmware): size 1, 2 or 4 within one dword. */
uint32_t pci_config_read(struct pci_function *f, unsigned offset,
                         unsigned size);
void pci_config_write(struct pci_function *f, unsigned offset, uint32_t value,
                      unsigned size);
/* Map or unmap the BARs as their addresses and the command register say. */
void pci_update_bars(struct pci_function *f);
/* The function's INTx# pin (the interrupt pin register says which; none:
 * ignored) at level; the interrupt status bit follows it, and the command
 * register's interrupt disable bit keeps it off the PIRQ line. */
void pci_set_irq(struct pci_function *f, int level);
/* The PIRQ line (0-3: PIRQA-D) INTx# pin (1-4: INTA#-INTD#) of device
 * dev is wired to: the swizzle of QEMU's pc and most boards. */
static inline int pci_pirq_of(int dev, int pin) { return (dev + pin - 1) & 3; }

static inline void pci_set_word(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline uint16_t pci_get_word(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}
static inline void pci_set_long(uint8_t *p, uint32_t v)
{
    pci_set_word(p, (uint16_t)v);
    pci_set_word(p + 2, (uint16_t)(v >> 16));
}
static inline uint32_t pci_get_long(const uint8_t *p)
{
    return pci_get_word(p) | (uint32_t)pci_get_word(p + 2) << 16;
}

#endif
