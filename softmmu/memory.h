/*
 * memory.h - the guest's physical address space and I/O port space.
 *
 * Physical memory is a set of regions, each an object of its own (its
 * pointer stays valid until it is removed): RAM and ROM (host memory,
 * reached by the TLB fast path), MMIO (a device's callbacks) and aliases
 * (a window onto part of another region: PAM shadowing, the VGA window,
 * the BIOS at the top of 4 GiB). Regions can be added, removed, moved,
 * enabled, disabled and may overlap: where they do, the higher priority
 * wins, and between equal priorities the region added later. Lookups go
 * through the flattened view, sorted non-overlapping sections with
 * priorities and aliases already resolved, rebuilt after every change.
 *
 * Whatever was derived from the map (TLB entries, translated code) must be
 * dropped when it changes: softmmu cannot reach the CPUs or the block cache,
 * so their owners register a listener that is told each changed range.
 * Changes made between memory_map_begin and memory_map_commit are seen, and
 * announced, once.
 *
 * A RAM region can log writes (framebuffers): a dirty bit per page, set by
 * every write however it arrives (TLB fast path, slow path, phys_write).
 *
 * Translated-code tracking for self-modifying code lives here too: a byte per
 * physical page says "translated code was made from this page". The
 * translator marks pages; a write to a marked page (through the TLB slow path,
 * or phys_write from a loader or DMA) calls the code_write hook, which
 * invalidates the blocks of that page. It goes by physical address: a write
 * through one alias does not invalidate code translated from another
 * address showing the same memory.
 *
 * I/O ports map 16-bit port numbers to device callbacks; a port has at most
 * one owner. Devices are reached only through these two maps.
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

enum mem_kind { MEM_RAM, MEM_ROM, MEM_MMIO, MEM_ALIAS };

struct memory_map;

/* A region. Read its fields freely; change them only through the
 * functions below (each change updates the flattened view and tells the
 * listeners). */
struct mem_region {
    const char *name;
    enum mem_kind kind;
    uint64_t base, size; /* where it is mapped, while enabled */
    int priority;        /* higher wins where enabled regions overlap */
    bool enabled;
    bool readonly;       /* RAM or alias: CPU writes are ignored, as ROM */
    uint8_t *host;               /* RAM/ROM: host memory of byte 0 */
    const struct mem_ops *ops;   /* MMIO */
    void *opaque;
    struct mem_region *alias;    /* MEM_ALIAS: the region shown ... */
    uint64_t alias_offset;       /* ... from this offset of it */
    uint8_t *dirty;      /* RAM with dirty logging: a bit per page, or NULL */

    struct memory_map *map;
    unsigned seq;        /* order of adding: the later wins a tie */
    int n_aliased;       /* aliases showing this region */
    bool own_host;       /* host was allocated by the map */
};

/* One piece of the flattened view: [base, base+size) shows the bytes of
 * mr from offset on (aliases resolved). kind is that of mr, except that
 * RAM seen read-only is MEM_ROM. */
struct mem_section {
    uint64_t base, size;
    enum mem_kind kind;        /* MEM_RAM, MEM_ROM or MEM_MMIO */
    uint8_t *host;             /* RAM/ROM: host memory of byte base */
    struct mem_region *mr;     /* RAM, ROM or MMIO region serving it */
    uint64_t offset;           /* of base within mr */
    struct mem_region *top;    /* the region mapped here (maybe an alias) */
};

/* Told after every change of the map (once per commit): [base, base+size)
 * may now show something else, so whatever was derived from it is stale. */
struct mem_listener_ops {
    void (*map_changed)(void *opaque, uint64_t base, uint64_t size);
    /* The dirty bits of the RAM at [base, base+size) were cleared: writes
     * there must leave the fast path until they have set them again. */
    void (*writes_protected)(void *opaque, uint64_t base, uint64_t size);
};

struct memory_map {
    struct mem_region **regions; /* by precedence: priority, then latest */
    int n_regions, cap_regions;
    unsigned next_seq;

    struct mem_section *sections; /* the flattened view, sorted by base */
    int n_sections;

    struct mem_listener {
        const struct mem_listener_ops *ops;
        void *opaque;
    } *listeners;
    int n_listeners;

    /* memory_map_begin nesting, and the range changed since the first */
    int txn_depth;
    bool txn_changed;
    uint64_t txn_start, txn_end;

    /* One byte per page from address 0 up to the highest RAM or ROM byte
     * mapped: non-zero when translated code was made from the page.
     * Indexed by paddr >> PAGE_BITS. */
    uint8_t *code_pages;
    uint64_t code_pages_n;
    /* Called for a write that touches a page marked in code_pages. */
    void (*code_write)(void *opaque, uint64_t paddr, unsigned len);
    void *code_write_opaque;
    /* Incremented by every change of the map, for consumers that would
     * rather compare than listen. */
    unsigned generation;
};

void memory_map_init(struct memory_map *map);
/* Frees every region (and the host memory the map allocated). */
void memory_map_destroy(struct memory_map *map);

/* Add a region, enabled, at priority 0. host == NULL: the map allocates
 * zeroed host memory. A bad range (empty, wrapping) is fatal. */
struct mem_region *mem_add_ram(struct memory_map *map, const char *name,
                               uint64_t base, uint64_t size, uint8_t *host);
struct mem_region *mem_add_rom(struct memory_map *map, const char *name,
                               uint64_t base, uint64_t size, uint8_t *host);
struct mem_region *mem_add_mmio(struct memory_map *map, const char *name,
                                uint64_t base, uint64_t size,
                                const struct mem_ops *ops, void *opaque);
/* [base, base+size) shows target's bytes from offset on; target (any
 * kind, an alias too, enabled or not) must hold them all. */
struct mem_region *mem_add_alias(struct memory_map *map, const char *name,
                                 uint64_t base, uint64_t size,
                                 struct mem_region *target, uint64_t offset);
/* Free r; fatal while an alias shows it. */
void mem_region_remove(struct mem_region *r);
void mem_region_move(struct mem_region *r, uint64_t base);
void mem_region_set_enabled(struct mem_region *r, bool enabled);
void mem_region_set_priority(struct mem_region *r, int priority);
void mem_region_set_readonly(struct mem_region *r, bool readonly);
/* An alias now shows its target from offset on (a VGA bank switch). */
void mem_alias_set_offset(struct mem_region *r, uint64_t offset);

/* Group changes: the view is rebuilt, and listeners are told, once at
 * the outermost commit. */
void memory_map_begin(struct memory_map *map);
void memory_map_commit(struct memory_map *map);

void memory_map_add_listener(struct memory_map *map,
                             const struct mem_listener_ops *ops, void *opaque);
void memory_map_remove_listener(struct memory_map *map,
                                const struct mem_listener_ops *ops,
                                void *opaque);

/* The section holding paddr, or NULL (unassigned: reads return all ones,
 * writes are ignored, as on a PC bus). Valid until the map changes. */
const struct mem_section *mem_lookup(const struct memory_map *map,
                                     uint64_t paddr);
/* The region mapped at paddr (an alias is itself, not its target). */
struct mem_region *mem_find(const struct memory_map *map, uint64_t paddr);

/* Accesses within one section, with MMIO width handling; a write to RAM
 * sets its dirty bits, a write to ROM is ignored. */
uint64_t mem_section_read(const struct mem_section *s, struct mem_attrs attrs,
                          uint64_t paddr, unsigned size);
void mem_section_write(const struct mem_section *s, struct mem_attrs attrs,
                       uint64_t paddr, uint64_t value, unsigned size);

/* Byte-wise physical access for loaders, firmware and DMA. Writes to ROM
 * are allowed here (loaders fill ROM); writes to code pages invalidate,
 * writes to RAM set dirty bits. */
void phys_read(struct memory_map *map, uint64_t paddr, void *buf, uint64_t len);
void phys_write(struct memory_map *map, uint64_t paddr, const void *buf,
                uint64_t len);
/* A device's bus-master write (IDE, DMA controllers, fw_cfg DMA): as
 * phys_write, but what falls on ROM (or RAM mapped read-only, such as
 * write-protected shadow RAM) is dropped, as on a real bus where the ROM
 * ignores the cycle. Returns the number of bytes dropped. */
uint64_t phys_dma_write(struct memory_map *map, uint64_t paddr,
                        const void *buf, uint64_t len);
/* Host pointer for [paddr, paddr+len) if it lies in one RAM/ROM section. */
uint8_t *phys_host_ptr(struct memory_map *map, uint64_t paddr, uint64_t len);

/* Dirty logging (RAM regions). Logging starts with every page dirty. */
void mem_region_set_dirty_log(struct mem_region *r, bool on);
/* Pages of r touching [offset, offset+size): how many are dirty; their bits
 * are cleared, and if bitmap is not NULL, bit i of it (bitmap[i / 64] >>
 * (i % 64)) tells whether page (offset >> PAGE_BITS) + i was dirty. */
uint64_t mem_region_get_and_clear_dirty(struct mem_region *r, uint64_t offset,
                                        uint64_t size, uint64_t *bitmap);
/* Set the dirty bits of what [paddr, paddr+len) writes (the TLB slow path
 * calls this for a write it let through to host memory). */
void mem_note_write(struct memory_map *map, uint64_t paddr, uint64_t len);
/* Must writes to the page at ppage, in section s, be reported through
 * mem_note_write (logging on, some byte of the page clean)? */
bool mem_section_page_logged(const struct mem_section *s, uint64_t ppage);

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
