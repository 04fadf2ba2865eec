/*
 * memory.h - the guest's physical address space and I/O port space.
 *
 * Physical memory is a sorted list of regions: RAM and ROM (backed by host
 * memory, reached by the TLB fast path) and MMIO (a device's read/write
 * callbacks). I/O ports map 16-bit port numbers to device callbacks; a
 * port has at most one owner.
 * Devices are reached only through these two maps.
 *
 * Translated-code tracking for self-modifying code lives here too: a byte per
 * RAM page says "translated code was made from this page". The translator
 * marks pages; a write to a marked page (through the TLB slow path, or
 * phys_write from a loader or DMA) calls the code_write hook, which
 * invalidates the blocks of that page.
 */
#ifndef SOFTMMU_MEMORY_H
#define SOFTMMU_MEMORY_H

#include <stdbool.h>
#include <stdint.h>

#define PAGE_BITS 12
#define PAGE_SIZE (1u << PAGE_BITS)
#define PAGE_MASK (~(uint64_t)(PAGE_SIZE - 1))

/* Who makes an access, handed to every MMIO and port callback. cpu is the
 * accessing CPU as an opaque pointer (softmmu never looks into it; a
 * per-CPU device such as a local APIC tells CPUs apart by it), NULL for an
 * access from outside any CPU: loaders, host-side firmware, DMA. Passed by
 * value, as cheap as a pointer, with room for more (SMM, a bus master). */
struct mem_attrs {
    void *cpu;
};
#define MEM_ATTRS_NONE ((struct mem_attrs){ .cpu = 0 })

/* Device callbacks. offset is relative to the region/port base. A device
 * declares the access widths it accepts; others are split or widened by
 * the map (reads of an unsupported width are split into min_size pieces). */
struct mem_ops {
    uint64_t (*read)(void *opaque, struct mem_attrs attrs, uint64_t offset,
                     unsigned size);
    void (*write)(void *opaque, struct mem_attrs attrs, uint64_t offset,
                  uint64_t value, unsigned size);
    unsigned min_size; /* 1, 2, 4 or 8; 0 means 1 */
    unsigned max_size; /* 0 means 4 */
};

enum mem_kind { MEM_RAM, MEM_ROM, MEM_MMIO };

struct mem_region {
    uint64_t base, size;
    enum mem_kind kind;
    uint8_t *host;               /* RAM/ROM: host memory of byte 0 */
    const struct mem_ops *ops;   /* MMIO */
    void *opaque;
    const char *name;
};

struct memory_map {
    struct mem_region *regions; /* sorted by base, non-overlapping */
    int n_regions, cap_regions;

    /* One byte per page of the RAM regions that start at 0: non-zero when
     * translated code was made from the page. Indexed by paddr >> PAGE_BITS. */
    uint8_t *code_pages;
    uint64_t code_pages_n;
    /* Called for a write that touches a page marked in code_pages. */
    void (*code_write)(void *opaque, uint64_t paddr, unsigned len);
    void *code_write_opaque;
    /* Incremented whenever the map changes: the TLB must be flushed. */
    unsigned generation;
};

void memory_map_init(struct memory_map *map);
void memory_map_destroy(struct memory_map *map);
/* host == NULL: allocate zeroed host memory (freed by memory_map_destroy). */
struct mem_region *mem_add_ram(struct memory_map *map, const char *name,
                               uint64_t base, uint64_t size, uint8_t *host);
struct mem_region *mem_add_rom(struct memory_map *map, const char *name,
                               uint64_t base, uint64_t size, uint8_t *host);
struct mem_region *mem_add_mmio(struct memory_map *map, const char *name,
                                uint64_t base, uint64_t size,
                                const struct mem_ops *ops, void *opaque);
/* The region holding paddr, or NULL (unassigned: reads return all ones,
 * writes are ignored, as on a PC bus). */
struct mem_region *mem_find(struct memory_map *map, uint64_t paddr);

/* MMIO dispatch with width handling. */
uint64_t mem_region_read(struct mem_region *r, struct mem_attrs attrs,
                         uint64_t paddr, unsigned size);
void mem_region_write(struct mem_region *r, struct mem_attrs attrs,
                      uint64_t paddr, uint64_t value, unsigned size);

/* Byte-wise physical access for loaders, firmware and DMA. Writes to ROM
 * are allowed here (loaders fill ROM); writes to code pages invalidate. */
void phys_read(struct memory_map *map, uint64_t paddr, void *buf, uint64_t len);
void phys_write(struct memory_map *map, uint64_t paddr, const void *buf,
                uint64_t len);
/* Host pointer for [paddr, paddr+len) if it lies in one RAM/ROM region. */
uint8_t *phys_host_ptr(struct memory_map *map, uint64_t paddr, uint64_t len);

/* Code page tracking (see top of file). */
static inline bool mem_page_has_code(const struct memory_map *map,
                                     uint64_t paddr)
{
    uint64_t pn = paddr >> PAGE_BITS;
    return pn < map->code_pages_n && map->code_pages[pn];
}
void mem_mark_code_page(struct memory_map *map, uint64_t paddr);
void mem_unmark_code_page(struct memory_map *map, uint64_t paddr);

/* ---- I/O port space ---- */

/* One registration: ports [base, base+count) of a device. */
struct io_region {
    const char *name;
    uint16_t base;
    unsigned count;
    const struct mem_ops *ops;
    void *opaque;
};

/* Unclaimed ports read as all ones and ignore writes. */
struct io_map {
    struct io_region *ports[65536]; /* owner of each port, or NULL */
    /* Set while the board creates a device the user asked for ("-device
     * isa-debug-exit,iobase=0x3f8"): a refused registration names it, a
     * command-line error rather than a wiring bug. */
    const char *claimant;
};
void io_map_init(struct io_map *io);
/* Frees every registration. */
void io_map_destroy(struct io_map *io);
/* The registration owning a port of [base, base+count), or NULL. */
struct io_region *io_find_conflict(const struct io_map *io, uint32_t base,
                                   unsigned count);
/* Claim ports [base, base+count) for device name; offsets passed to ops are
 * port - base. A port already claimed (or a range past 0xffff) is fatal, the
 * message naming both devices (or the claimant) and their ports. */
struct io_region *io_register(struct io_map *io, const char *name,
                              uint32_t base, unsigned count,
                              const struct mem_ops *ops, void *opaque);
/* Give the ports back and free r. */
void io_unregister(struct io_map *io, struct io_region *r);
uint32_t io_read(struct io_map *io, struct mem_attrs attrs, uint16_t port,
                 unsigned size);
void io_write(struct io_map *io, struct mem_attrs attrs, uint16_t port,
              uint32_t value, unsigned size);

#endif
