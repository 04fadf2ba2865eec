/*
 * memory.c - the guest physical address space (a sorted list of RAM, ROM
 * and MMIO regions), the I/O port space, and the per-page record of which
 * RAM pages translated code was made from (see memory.h).
 *
 * Both maps behave like an ISA/PCI bus where nobody answers: unassigned
 * memory and unclaimed ports read as all ones, writes to them vanish.
 */
#include "softmmu/memory.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "softmmu/ldst.h"

/* Regions are handed out by pointer, so the array never moves: a board
 * needs a few dozen at most. */
#define MEM_MAX_REGIONS 256

static uint64_t ones(unsigned size)
{
    return size >= 8 ? ~(uint64_t)0 : ((uint64_t)1 << (size * 8)) - 1;
}

void memory_map_init(struct memory_map *map)
{
    memset(map, 0, sizeof(*map));
    map->cap_regions = MEM_MAX_REGIONS;
    map->regions = xcalloc(MEM_MAX_REGIONS, sizeof(*map->regions));
}

/* A RAM/ROM region whose host block the map allocated keeps opaque == map
 * (RAM and ROM have no other use for opaque): that block is freed here. */
void memory_map_destroy(struct memory_map *map)
{
    for (int i = 0; i < map->n_regions; i++) {
        struct mem_region *r = &map->regions[i];
        if (r->kind != MEM_MMIO && r->opaque == (void *)map)
            free(r->host);
    }
    free(map->regions);
    free(map->code_pages);
    memset(map, 0, sizeof(*map));
}

/* The code page array covers every page up to the end of the highest RAM
 * or ROM region (the ROM alias under 4 GiB included: at most 1 MiB). */
static void mem_grow_code_pages(struct memory_map *map, uint64_t end)
{
    uint64_t n = (end + PAGE_SIZE - 1) >> PAGE_BITS;
    if (n <= map->code_pages_n)
        return;
    map->code_pages = xrealloc(map->code_pages, n);
    memset(map->code_pages + map->code_pages_n, 0, n - map->code_pages_n);
    map->code_pages_n = n;
}

static struct mem_region *mem_add(struct memory_map *map,
                                  const struct mem_region *nr)
{
    int i;

    if (nr->size == 0 || nr->base + nr->size < nr->base)
        fatal("memory region %s: bad range 0x%llx+0x%llx", nr->name,
              (unsigned long long)nr->base, (unsigned long long)nr->size);
    if (map->n_regions == map->cap_regions)
        fatal("memory region %s: too many regions", nr->name);
    for (i = 0; i < map->n_regions; i++) {
        struct mem_region *r = &map->regions[i];
        if (nr->base < r->base + r->size && r->base < nr->base + nr->size)
            fatal("memory region %s overlaps %s", nr->name, r->name);
        if (r->base > nr->base)
            break;
    }
    memmove(&map->regions[i + 1], &map->regions[i],
            (size_t)(map->n_regions - i) * sizeof(*map->regions));
    map->regions[i] = *nr;
    map->n_regions++;
    map->generation++;
    if (nr->kind != MEM_MMIO)
        mem_grow_code_pages(map, nr->base + nr->size);
    return &map->regions[i];
}

static struct mem_region *mem_add_backed(struct memory_map *map,
                                         const char *name, uint64_t base,
                                         uint64_t size, uint8_t *host,
                                         enum mem_kind kind)
{
    struct mem_region r = {
        .base = base, .size = size, .kind = kind, .host = host, .name = name
    };
    if (!host) {
        if (size != (size_t)size)
            fatal("memory region %s: %llu bytes do not fit the host", name,
                  (unsigned long long)size);
        r.host = xcalloc(1, (size_t)size);
        r.opaque = map; /* ours to free */
    }
    return mem_add(map, &r);
}

struct mem_region *mem_add_ram(struct memory_map *map, const char *name,
                               uint64_t base, uint64_t size, uint8_t *host)
{
    return mem_add_backed(map, name, base, size, host, MEM_RAM);
}

struct mem_region *mem_add_rom(struct memory_map *map, const char *name,
                               uint64_t base, uint64_t size, uint8_t *host)
{
    return mem_add_backed(map, name, base, size, host, MEM_ROM);
}

struct mem_region *mem_add_mmio(struct memory_map *map, const char *name,
                                uint64_t base, uint64_t size,
                                const struct mem_ops *ops, void *opaque)
{
    struct mem_region r = { .base = base,
                            .size = size,
                            .kind = MEM_MMIO,
                            .ops = ops,
                            .opaque = opaque,
                            .name = name };
    return mem_add(map, &r);
}

struct mem_region *mem_find(struct memory_map *map, uint64_t paddr)
{
    int lo = 0, hi = map->n_regions - 1;

    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        struct mem_region *r = &map->regions[mid];
        if (paddr < r->base)
            hi = mid - 1;
        else if (paddr - r->base >= r->size)
            lo = mid + 1;
        else
            return r;
    }
    return NULL;
}

/*
 * Width handling shared by MMIO regions and I/O ports. A device accepts
 * sizes min..max: a wider access is split into max-sized pieces (lowest
 * address first, little-endian); a narrower one is done at min size on the
 * aligned unit around it (a write merges into what the unit read).
 */
static unsigned ops_min(const struct mem_ops *ops)
{
    return ops->min_size ? ops->min_size : 1;
}

static unsigned ops_max(const struct mem_ops *ops)
{
    return ops->max_size ? ops->max_size : 4;
}

static uint64_t ops_read(const struct mem_ops *ops, void *opaque,
                         struct mem_attrs attrs, uint64_t off, unsigned size)
{
    unsigned min = ops_min(ops), max = ops_max(ops);

    if (!ops->read)
        return ones(size);
    if (size > max) {
        uint64_t v = 0;
        for (unsigned i = 0; i < size; i += max)
            v |= ops_read(ops, opaque, attrs, off + i, max) << (i * 8);
        return v;
    }
    if (size < min) {
        uint64_t unit = off & ~(uint64_t)(min - 1);
        unsigned shift = (unsigned)(off - unit) * 8;
        return (ops->read(opaque, attrs, unit, min) >> shift) & ones(size);
    }
    return ops->read(opaque, attrs, off, size) & ones(size);
}

static void ops_write(const struct mem_ops *ops, void *opaque,
                      struct mem_attrs attrs, uint64_t off, uint64_t val,
                      unsigned size)
{
    unsigned min = ops_min(ops), max = ops_max(ops);

    if (!ops->write)
        return;
    if (size > max) {
        for (unsigned i = 0; i < size; i += max)
            ops_write(ops, opaque, attrs, off + i, val >> (i * 8), max);
        return;
    }
    if (size < min) {
        uint64_t unit = off & ~(uint64_t)(min - 1);
        unsigned shift = (unsigned)(off - unit) * 8;
        uint64_t old = ops->read ? ops->read(opaque, attrs, unit, min) : 0;
        uint64_t mask = ones(size) << shift;
        ops->write(opaque, attrs, unit,
                   (old & ~mask) | ((val << shift) & mask), min);
        return;
    }
    ops->write(opaque, attrs, off, val & ones(size), size);
}

uint64_t mem_region_read(struct mem_region *r, struct mem_attrs attrs,
                         uint64_t paddr, unsigned size)
{
    uint64_t off = paddr - r->base;

    if (r->kind != MEM_MMIO)
        return ld_le_p(r->host + off, size);
    return ops_read(r->ops, r->opaque, attrs, off, size);
}

void mem_region_write(struct mem_region *r, struct mem_attrs attrs,
                      uint64_t paddr, uint64_t value, unsigned size)
{
    uint64_t off = paddr - r->base;

    if (r->kind == MEM_RAM)
        st_le_p(r->host + off, value, size);
    else if (r->kind == MEM_MMIO)
        ops_write(r->ops, r->opaque, attrs, off, value, size);
    /* ROM: a CPU write to ROM is ignored */
}

/* Bytes of [paddr, paddr+len) that lie in one region or one gap, and that
 * region (NULL for a gap). */
static struct mem_region *mem_chunk(struct memory_map *map, uint64_t paddr,
                                    uint64_t len, uint64_t *chunk)
{
    struct mem_region *r = mem_find(map, paddr);
    uint64_t n;

    if (r) {
        n = r->base + r->size - paddr;
    } else {
        /* up to the next region above paddr */
        n = len;
        for (int i = 0; i < map->n_regions; i++) {
            if (map->regions[i].base > paddr) {
                n = map->regions[i].base - paddr;
                break;
            }
        }
    }
    *chunk = n < len ? n : len;
    return r;
}

void phys_read(struct memory_map *map, uint64_t paddr, void *buf, uint64_t len)
{
    uint8_t *out = buf;

    while (len) {
        uint64_t n;
        struct mem_region *r = mem_chunk(map, paddr, len, &n);
        if (!r)
            memset(out, 0xff, (size_t)n);
        else if (r->kind != MEM_MMIO)
            memcpy(out, r->host + (paddr - r->base), (size_t)n);
        else
            for (uint64_t i = 0; i < n; i++)
                out[i] = (uint8_t)mem_region_read(r, MEM_ATTRS_NONE,
                                                  paddr + i, 1);
        out += n;
        paddr += n;
        len -= n;
    }
}

/* Tell the code tracker about a write to [paddr, paddr+len), page by page. */
static void mem_note_code_write(struct memory_map *map, uint64_t paddr,
                                uint64_t len)
{
    uint64_t end = paddr + len;

    while (paddr < end) {
        uint64_t page_end = (paddr & PAGE_MASK) + PAGE_SIZE;
        uint64_t n = (page_end < end ? page_end : end) - paddr;
        if (mem_page_has_code(map, paddr) && map->code_write)
            map->code_write(map->code_write_opaque, paddr, (unsigned)n);
        paddr += n;
    }
}

void phys_write(struct memory_map *map, uint64_t paddr, const void *buf,
                uint64_t len)
{
    const uint8_t *in = buf;

    while (len) {
        uint64_t n;
        struct mem_region *r = mem_chunk(map, paddr, len, &n);
        if (r && r->kind != MEM_MMIO) {
            memcpy(r->host + (paddr - r->base), in, (size_t)n);
            mem_note_code_write(map, paddr, n);
        } else if (r) {
            for (uint64_t i = 0; i < n; i++)
                mem_region_write(r, MEM_ATTRS_NONE, paddr + i, in[i], 1);
        }
        in += n;
        paddr += n;
        len -= n;
    }
}

uint8_t *phys_host_ptr(struct memory_map *map, uint64_t paddr, uint64_t len)
{
    struct mem_region *r = mem_find(map, paddr);

    if (!r || r->kind == MEM_MMIO || len > r->base + r->size - paddr)
        return NULL;
    return r->host + (paddr - r->base);
}

void mem_mark_code_page(struct memory_map *map, uint64_t paddr)
{
    uint64_t pn = paddr >> PAGE_BITS;
    if (pn < map->code_pages_n)
        map->code_pages[pn] = 1;
}

void mem_unmark_code_page(struct memory_map *map, uint64_t paddr)
{
    uint64_t pn = paddr >> PAGE_BITS;
    if (pn < map->code_pages_n)
        map->code_pages[pn] = 0;
}

/* ---- I/O ports ---- */

void io_map_init(struct io_map *io) { memset(io, 0, sizeof(*io)); }

void io_map_destroy(struct io_map *io)
{
    for (unsigned p = 0; p < 65536; p++) {
        struct io_region *r = io->ports[p];
        if (r && r->base == p)
            io_unregister(io, r);
    }
}

struct io_region *io_find_conflict(const struct io_map *io, uint32_t base,
                                   unsigned count)
{
    for (uint32_t p = base; p < base + count && p < 65536; p++)
        if (io->ports[p])
            return io->ports[p];
    return NULL;
}

struct io_region *io_register(struct io_map *io, const char *name,
                              uint32_t base, unsigned count,
                              const struct mem_ops *ops, void *opaque)
{
    if (count == 0 || base > 0xffff || count > 0x10000 - base)
        fatal("%s: I/O ports 0x%x+%u lie outside the port space",
              io->claimant ? io->claimant : name, base, count);
    struct io_region *c = io_find_conflict(io, base, count);
    if (c)
        fatal("%s: I/O ports 0x%x-0x%x overlap ports 0x%x-0x%x of %s",
              io->claimant ? io->claimant : name, base, base + count - 1,
              c->base, c->base + c->count - 1, c->name);
    struct io_region *r = xmalloc(sizeof(*r));
    *r = (struct io_region){ .name = name,
                             .base = (uint16_t)base,
                             .count = count,
                             .ops = ops,
                             .opaque = opaque };
    for (unsigned i = 0; i < count; i++)
        io->ports[base + i] = r;
    return r;
}

void io_unregister(struct io_map *io, struct io_region *r)
{
    for (unsigned i = 0; i < r->count; i++) {
        J_ASSERT(io->ports[r->base + i] == r);
        io->ports[r->base + i] = NULL;
    }
    free(r);
}

/* Does [port, port+size) lie within one registration? */
static bool io_same_device(const struct io_map *io, uint16_t port,
                           unsigned size)
{
    const struct io_region *r = io->ports[port];
    return r && (uint32_t)port + size <= (uint32_t)r->base + r->count;
}

uint32_t io_read(struct io_map *io, struct mem_attrs attrs, uint16_t port,
                 unsigned size)
{
    const struct io_region *r = io->ports[port];

    if (size > 1 && !io_same_device(io, port, size)) {
        /* The access spans devices (or the end of the space): each byte
         * goes to whoever owns its port, as the bus would do it. */
        uint32_t v = 0;
        for (unsigned i = 0; i < size; i++)
            v |= io_read(io, attrs, (uint16_t)(port + i), 1) << (i * 8);
        return v;
    }
    if (!r)
        return (uint32_t)ones(size);
    return (uint32_t)ops_read(r->ops, r->opaque, attrs,
                              (uint16_t)(port - r->base), size);
}

void io_write(struct io_map *io, struct mem_attrs attrs, uint16_t port,
              uint32_t value, unsigned size)
{
    const struct io_region *r = io->ports[port];

    if (size > 1 && !io_same_device(io, port, size)) {
        for (unsigned i = 0; i < size; i++)
            io_write(io, attrs, (uint16_t)(port + i), (value >> (i * 8)) & 0xff,
                     1);
        return;
    }
    if (!r)
        return;
    ops_write(r->ops, r->opaque, attrs, (uint16_t)(port - r->base), value,
              size);
}
