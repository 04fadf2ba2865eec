/*
 * memory.c - the guest physical address space (regions with priorities
 * and aliases, flattened into sorted sections after every change, with
 * listeners told what changed), dirty logging, the I/O port space, and the
 * per-page record of which pages translated code was made from (see
 * memory.h).
 *
 * Both maps behave like an ISA/PCI bus where nobody answers: unassigned
 * memory and unclaimed ports read as all ones, writes to them vanish.
 */
#include "softmmu/memory.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "softmmu/ldst.h"

static uint64_t ones(unsigned size)
{
    return size >= 8 ? ~(uint64_t)0 : ((uint64_t)1 << (size * 8)) - 1;
}

static uint64_t region_end(const struct mem_region *r)
{
    return r->base + r->size;
}

void memory_map_init(struct memory_map *map)
{
    memset(map, 0, sizeof(*map));
}

static void region_free(struct mem_region *r)
{
    if (r->own_host)
        free(r->host);
    free(r->dirty);
    free(r);
}

void memory_map_destroy(struct memory_map *map)
{
    for (int i = 0; i < map->n_regions; i++)
        region_free(map->regions[i]);
    free(map->regions);
    free(map->sections);
    free(map->listeners);
    free(map->code_pages);
    memset(map, 0, sizeof(*map));
}

/* ---- the flattened view ---- */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The highest-precedence enabled region covering paddr, or NULL. */
static struct mem_region *winner_at(const struct memory_map *map,
                                    uint64_t paddr)
{
    for (int i = 0; i < map->n_regions; i++) {
        struct mem_region *r = map->regions[i];
        if (r->enabled && paddr >= r->base && paddr - r->base < r->size)
            return r;
    }
    return NULL;
}

/* Build the sections: cut the address space at every start and end of an
 * enabled region; each piece belongs to the first region (by precedence)
 * covering it, followed through its aliases. Adjacent pieces continuing
 * the same memory merge. A board has a few dozen regions. */
static int flatten(const struct memory_map *map, struct mem_section **out)
{
    int n_cuts = 0;
    uint64_t *cuts = xmalloc(sizeof(*cuts) * (size_t)(2 * map->n_regions + 1));
    for (int i = 0; i < map->n_regions; i++) {
        const struct mem_region *r = map->regions[i];
        if (r->enabled) {
            cuts[n_cuts++] = r->base;
            cuts[n_cuts++] = region_end(r);
        }
    }
    qsort(cuts, (size_t)n_cuts, sizeof(*cuts), cmp_u64);

    struct mem_section *s = xmalloc(sizeof(*s) * (size_t)(n_cuts + 1));
    int n = 0;
    for (int i = 0; i + 1 < n_cuts; i++) {
        uint64_t a = cuts[i], b = cuts[i + 1];
        if (a == b)
            continue;
        struct mem_region *top = winner_at(map, a);
        if (!top)
            continue;
        struct mem_region *mr = top;
        uint64_t off = a - top->base;
        bool ro = top->readonly;
        while (mr->kind == MEM_ALIAS) {
            off += mr->alias_offset;
            mr = mr->alias;
            ro |= mr->readonly;
        }
        enum mem_kind kind = mr->kind == MEM_RAM && ro ? MEM_ROM : mr->kind;
        struct mem_section *p = n ? &s[n - 1] : NULL;
        if (p && p->base + p->size == a && p->top == top && p->mr == mr &&
            p->kind == kind && p->offset + p->size == off) {
            p->size += b - a;
            continue;
        }
        s[n++] = (struct mem_section){
            .base = a,
            .size = b - a,
            .kind = kind,
            .host = mr->kind == MEM_MMIO ? NULL : mr->host + off,
            .mr = mr,
            .offset = off,
            .top = top,
        };
    }
    free(cuts);
    *out = s;
    return n;
}

static bool same_view(const struct mem_section *a, int na,
                      const struct mem_section *b, int nb)
{
    if (na != nb)
        return false;
    for (int i = 0; i < na; i++)
        if (a[i].base != b[i].base || a[i].size != b[i].size ||
            a[i].kind != b[i].kind || a[i].host != b[i].host ||
            a[i].mr != b[i].mr || a[i].offset != b[i].offset ||
            a[i].top != b[i].top)
            return false;
    return true;
}

/* The code page array covers every page up to the end of the highest RAM
 * or ROM section (the ROM alias under 4 GiB included: at most 1 MiB). */
static void grow_code_pages(struct memory_map *map)
{
    uint64_t end = 0;
    for (int i = 0; i < map->n_sections; i++)
        if (map->sections[i].kind != MEM_MMIO)
            end = map->sections[i].base + map->sections[i].size;
    uint64_t n = (end + PAGE_SIZE - 1) >> PAGE_BITS;
    if (n <= map->code_pages_n)
        return;
    if (n != (size_t)n)
        fatal("memory map: RAM up to 0x%llx does not fit the host",
              (unsigned long long)end);
    map->code_pages = xrealloc(map->code_pages, (size_t)n);
    memset(map->code_pages + map->code_pages_n, 0,
           (size_t)(n - map->code_pages_n));
    map->code_pages_n = n;
}

static void map_rebuild(struct memory_map *map)
{
    struct mem_section *s;
    int n = flatten(map, &s);
    bool same = same_view(map->sections, map->n_sections, s, n);
    uint64_t start = map->txn_start, end = map->txn_end;

    free(map->sections);
    map->sections = s;
    map->n_sections = n;
    map->txn_changed = false;
    grow_code_pages(map);
    if (same)
        return;
    map->generation++;
    for (int i = 0; i < map->n_listeners; i++)
        if (map->listeners[i].ops->map_changed)
            map->listeners[i].ops->map_changed(map->listeners[i].opaque,
                                               start, end - start);
}

void memory_map_begin(struct memory_map *map)
{
    map->txn_depth++;
}

void memory_map_commit(struct memory_map *map)
{
    J_ASSERT(map->txn_depth > 0);
    if (--map->txn_depth == 0 && map->txn_changed)
        map_rebuild(map);
}

/* Note that [start, end) may show something else after this change. */
static void mark_range(struct memory_map *map, uint64_t start, uint64_t end)
{
    if (!map->txn_changed) {
        map->txn_start = start;
        map->txn_end = end;
        map->txn_changed = true;
        return;
    }
    if (start < map->txn_start)
        map->txn_start = start;
    if (end > map->txn_end)
        map->txn_end = end;
}

/* r's range, and those of the aliases showing r (what r shows changed). */
static void mark_shown(struct memory_map *map, const struct mem_region *r)
{
    mark_range(map, r->base, region_end(r));
    if (!r->n_aliased)
        return;
    for (int i = 0; i < map->n_regions; i++)
        if (map->regions[i]->kind == MEM_ALIAS && map->regions[i]->alias == r)
            mark_shown(map, map->regions[i]);
}

/* ---- regions ---- */

/* Does a precede b (wins where both are)? */
static bool precedes(const struct mem_region *a, const struct mem_region *b)
{
    return a->priority != b->priority ? a->priority > b->priority
                                      : a->seq > b->seq;
}

static void regions_insert(struct memory_map *map, struct mem_region *r)
{
    if (map->n_regions == map->cap_regions) {
        map->cap_regions = map->cap_regions ? map->cap_regions * 2 : 16;
        map->regions = xrealloc(map->regions,
                                sizeof(*map->regions) * map->cap_regions);
    }
    int i = map->n_regions;
    while (i > 0 && precedes(r, map->regions[i - 1])) {
        map->regions[i] = map->regions[i - 1];
        i--;
    }
    map->regions[i] = r;
    map->n_regions++;
}

static void regions_delete(struct memory_map *map, struct mem_region *r)
{
    int i = 0;
    while (map->regions[i] != r)
        i++;
    memmove(&map->regions[i], &map->regions[i + 1],
            sizeof(*map->regions) * (size_t)(map->n_regions - i - 1));
    map->n_regions--;
}

static void check_range(const char *name, uint64_t base, uint64_t size)
{
    if (size == 0 || base + size < base)
        fatal("memory region %s: bad range 0x%llx+0x%llx", name,
              (unsigned long long)base, (unsigned long long)size);
}

static struct mem_region *region_add(struct memory_map *map,
                                     const struct mem_region *tmpl)
{
    check_range(tmpl->name, tmpl->base, tmpl->size);
    struct mem_region *r = xmalloc(sizeof(*r));
    *r = *tmpl;
    r->map = map;
    r->seq = map->next_seq++;
    r->enabled = true;
    regions_insert(map, r);
    memory_map_begin(map);
    mark_range(map, r->base, region_end(r));
    memory_map_commit(map);
    return r;
}

static struct mem_region *add_backed(struct memory_map *map, const char *name,
                                     uint64_t base, uint64_t size,
                                     uint8_t *host, enum mem_kind kind)
{
    struct mem_region r = {
        .name = name, .kind = kind, .base = base, .size = size, .host = host
    };
    check_range(name, base, size);
    if (!host) {
        if (size != (size_t)size)
            fatal("memory region %s: %llu bytes do not fit the host", name,
                  (unsigned long long)size);
        r.host = xcalloc(1, (size_t)size);
        r.own_host = true;
    }
    return region_add(map, &r);
}

struct mem_region *mem_add_ram(struct memory_map *map, const char *name,
                               uint64_t base, uint64_t size, uint8_t *host)
{
    return add_backed(map, name, base, size, host, MEM_RAM);
}

struct mem_region *mem_add_rom(struct memory_map *map, const char *name,
                               uint64_t base, uint64_t size, uint8_t *host)
{
    return add_backed(map, name, base, size, host, MEM_ROM);
}

struct mem_region *mem_add_mmio(struct memory_map *map, const char *name,
                                uint64_t base, uint64_t size,
                                const struct mem_ops *ops, void *opaque)
{
    struct mem_region r = { .name = name,
                            .kind = MEM_MMIO,
                            .base = base,
                            .size = size,
                            .ops = ops,
                            .opaque = opaque };
    return region_add(map, &r);
}

static void check_alias_window(const struct mem_region *r,
                               const struct mem_region *target,
                               uint64_t offset, uint64_t size)
{
    if (offset > target->size || size > target->size - offset)
        fatal("memory alias %s: 0x%llx+0x%llx lies outside %s (0x%llx bytes)",
              r->name, (unsigned long long)offset, (unsigned long long)size,
              target->name, (unsigned long long)target->size);
}

struct mem_region *mem_add_alias(struct memory_map *map, const char *name,
                                 uint64_t base, uint64_t size,
                                 struct mem_region *target, uint64_t offset)
{
    struct mem_region r = { .name = name,
                            .kind = MEM_ALIAS,
                            .base = base,
                            .size = size,
                            .alias = target,
                            .alias_offset = offset };
    J_ASSERT(target && target->map == map);
    check_alias_window(&r, target, offset, size);
    target->n_aliased++;
    return region_add(map, &r);
}

void mem_region_remove(struct mem_region *r)
{
    struct memory_map *map = r->map;

    if (r->n_aliased) {
        for (int i = 0; i < map->n_regions; i++)
            if (map->regions[i]->kind == MEM_ALIAS &&
                map->regions[i]->alias == r)
                fatal("memory region %s: cannot remove it while alias %s "
                      "shows it",
                      r->name, map->regions[i]->name);
    }
    if (r->kind == MEM_ALIAS)
        r->alias->n_aliased--;
    regions_delete(map, r);
    memory_map_begin(map);
    mark_range(map, r->base, region_end(r));
    memory_map_commit(map);
    region_free(r);
}

void mem_region_move(struct mem_region *r, uint64_t base)
{
    struct memory_map *map = r->map;

    check_range(r->name, base, r->size);
    memory_map_begin(map);
    mark_range(map, r->base, region_end(r));
    r->base = base;
    mark_range(map, r->base, region_end(r));
    memory_map_commit(map);
}

void mem_region_set_enabled(struct mem_region *r, bool enabled)
{
    if (r->enabled == enabled)
        return;
    memory_map_begin(r->map);
    r->enabled = enabled;
    mark_range(r->map, r->base, region_end(r));
    memory_map_commit(r->map);
}

void mem_region_set_priority(struct mem_region *r, int priority)
{
    if (r->priority == priority)
        return;
    regions_delete(r->map, r);
    r->priority = priority;
    regions_insert(r->map, r);
    memory_map_begin(r->map);
    mark_range(r->map, r->base, region_end(r));
    memory_map_commit(r->map);
}

void mem_region_set_readonly(struct mem_region *r, bool readonly)
{
    if (r->kind != MEM_RAM && r->kind != MEM_ALIAS)
        fatal("memory region %s: only RAM and aliases can be made read-only",
              r->name);
    if (r->readonly == readonly)
        return;
    memory_map_begin(r->map);
    r->readonly = readonly;
    mark_shown(r->map, r);
    memory_map_commit(r->map);
}

void mem_alias_set_offset(struct mem_region *r, uint64_t offset)
{
    J_ASSERT(r->kind == MEM_ALIAS);
    check_alias_window(r, r->alias, offset, r->size);
    memory_map_begin(r->map);
    r->alias_offset = offset;
    mark_shown(r->map, r);
    memory_map_commit(r->map);
}

void memory_map_add_listener(struct memory_map *map,
                             const struct mem_listener_ops *ops, void *opaque)
{
    map->listeners = xrealloc(map->listeners, sizeof(*map->listeners) *
                                                  (size_t)(map->n_listeners + 1));
    map->listeners[map->n_listeners++] =
        (struct mem_listener){ .ops = ops, .opaque = opaque };
}

void memory_map_remove_listener(struct memory_map *map,
                                const struct mem_listener_ops *ops,
                                void *opaque)
{
    for (int i = 0; i < map->n_listeners; i++) {
        if (map->listeners[i].ops == ops && map->listeners[i].opaque == opaque) {
            map->listeners[i] = map->listeners[--map->n_listeners];
            return;
        }
    }
}

/* ---- lookup ---- */

/* Index of the first section ending above paddr (n_sections if none). */
static int section_index(const struct memory_map *map, uint64_t paddr)
{
    int lo = 0, hi = map->n_sections;

    while (lo < hi) {
        int mid = (lo + hi) / 2;
        const struct mem_section *s = &map->sections[mid];
        if (paddr - s->base < s->size)
            return mid;
        if (paddr < s->base)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

const struct mem_section *mem_lookup(const struct memory_map *map,
                                     uint64_t paddr)
{
    int i = section_index(map, paddr);
    if (i < map->n_sections && paddr - map->sections[i].base <
                                   map->sections[i].size)
        return &map->sections[i];
    return NULL;
}

struct mem_region *mem_find(const struct memory_map *map, uint64_t paddr)
{
    const struct mem_section *s = mem_lookup(map, paddr);
    return s ? s->top : NULL;
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

/* ---- dirty logging ---- */

static uint64_t region_pages(const struct mem_region *r)
{
    return (r->size + PAGE_SIZE - 1) >> PAGE_BITS;
}

static bool dirty_get(const struct mem_region *r, uint64_t pn)
{
    return (r->dirty[pn >> 3] >> (pn & 7)) & 1;
}

/* Mark bytes [off, off+len) of r dirty (logging on). */
static void dirty_set_range(struct mem_region *r, uint64_t off, uint64_t len)
{
    if (!len)
        return;
    uint64_t last = (off + len - 1) >> PAGE_BITS;
    for (uint64_t pn = off >> PAGE_BITS; pn <= last; pn++)
        r->dirty[pn >> 3] |= (uint8_t)(1u << (pn & 7));
}

void mem_region_set_dirty_log(struct mem_region *r, bool on)
{
    if (r->kind != MEM_RAM)
        fatal("memory region %s: dirty logging needs RAM", r->name);
    if (on == (r->dirty != NULL))
        return;
    if (!on) {
        free(r->dirty);
        r->dirty = NULL;
        return;
    }
    /* Everything dirty: no TLB entry needs to lose its write fast path. */
    size_t bytes = (size_t)((region_pages(r) + 7) / 8);
    r->dirty = xmalloc(bytes);
    memset(r->dirty, 0xff, bytes);
}

uint64_t mem_region_get_and_clear_dirty(struct mem_region *r, uint64_t offset,
                                        uint64_t size, uint64_t *bitmap)
{
    J_ASSERT(r->dirty && size && offset < r->size);
    uint64_t first = offset >> PAGE_BITS;
    uint64_t last = (offset + size - 1) >> PAGE_BITS;
    uint64_t count = 0, lo_pn = 0, hi_pn = 0;

    if (last >= region_pages(r))
        last = region_pages(r) - 1;
    if (bitmap)
        memset(bitmap, 0, (size_t)((last - first + 64) / 64) * 8);
    for (uint64_t pn = first; pn <= last; pn++) {
        if (!dirty_get(r, pn))
            continue;
        if (!count++)
            lo_pn = pn;
        hi_pn = pn;
        r->dirty[pn >> 3] &= (uint8_t)~(1u << (pn & 7));
        if (bitmap)
            bitmap[(pn - first) / 64] |= (uint64_t)1 << ((pn - first) % 64);
    }
    if (!count)
        return 0;

    /* Writes to the pages cleared (from the first to the last) must come
     * back to the slow path, wherever r is seen: tell the listeners each
     * physical range. */
    struct memory_map *map = r->map;
    uint64_t lo = lo_pn << PAGE_BITS, hi = (hi_pn + 1) << PAGE_BITS;
    for (int i = 0; i < map->n_sections; i++) {
        const struct mem_section *s = &map->sections[i];
        if (s->mr != r || s->offset >= hi || s->offset + s->size <= lo)
            continue;
        uint64_t a = s->offset > lo ? s->offset : lo;
        uint64_t b = s->offset + s->size < hi ? s->offset + s->size : hi;
        for (int k = 0; k < map->n_listeners; k++)
            if (map->listeners[k].ops->writes_protected)
                map->listeners[k].ops->writes_protected(
                    map->listeners[k].opaque, s->base + (a - s->offset),
                    b - a);
    }
    return count;
}

/* A write of [paddr, paddr+len) inside section s. */
static void section_note_write(const struct mem_section *s, uint64_t paddr,
                               uint64_t len)
{
    if (s->mr->dirty && s->kind == MEM_RAM)
        dirty_set_range(s->mr, paddr - s->base + s->offset, len);
}

void mem_note_write(struct memory_map *map, uint64_t paddr, uint64_t len)
{
    uint64_t end = paddr + len;
    for (int i = section_index(map, paddr);
         i < map->n_sections && map->sections[i].base < end; i++) {
        const struct mem_section *s = &map->sections[i];
        uint64_t a = s->base > paddr ? s->base : paddr;
        uint64_t b = s->base + s->size < end ? s->base + s->size : end;
        section_note_write(s, a, b - a);
    }
}

bool mem_section_page_logged(const struct mem_section *s, uint64_t ppage)
{
    const struct mem_region *r = s->mr;
    if (!r->dirty || s->kind != MEM_RAM)
        return false;
    uint64_t off = ppage - s->base + s->offset;
    uint64_t last = (off + PAGE_SIZE - 1) >> PAGE_BITS;
    if (last >= region_pages(r))
        last = region_pages(r) - 1;
    for (uint64_t pn = off >> PAGE_BITS; pn <= last; pn++)
        if (!dirty_get(r, pn))
            return true;
    return false;
}

/* ---- accesses ---- */

uint64_t mem_section_read(const struct mem_section *s, struct mem_attrs attrs,
                          uint64_t paddr, unsigned size)
{
    uint64_t off = paddr - s->base;

    if (s->kind != MEM_MMIO)
        return ld_le_p(s->host + off, size);
    return ops_read(s->mr->ops, s->mr->opaque, attrs, off + s->offset, size);
}

void mem_section_write(const struct mem_section *s, struct mem_attrs attrs,
                       uint64_t paddr, uint64_t value, unsigned size)
{
    uint64_t off = paddr - s->base;

    if (s->kind == MEM_RAM) {
        st_le_p(s->host + off, value, size);
        section_note_write(s, paddr, size);
    } else if (s->kind == MEM_MMIO) {
        ops_write(s->mr->ops, s->mr->opaque, attrs, off + s->offset, value,
                  size);
    }
    /* ROM: a CPU write to ROM is ignored */
}

/* Bytes of [paddr, paddr+len) that lie in one section or one gap, and that
 * section (NULL for a gap). Valid until a device callback changes the map. */
static const struct mem_section *chunk(const struct memory_map *map,
                                       uint64_t paddr, uint64_t len,
                                       uint64_t *n)
{
    int i = section_index(map, paddr);
    const struct mem_section *s = NULL;
    uint64_t avail = len;

    if (i < map->n_sections) {
        if (paddr >= map->sections[i].base) {
            s = &map->sections[i];
            avail = s->base + s->size - paddr;
        } else {
            avail = map->sections[i].base - paddr; /* the gap up to it */
        }
    }
    *n = avail < len ? avail : len;
    return s;
}

void phys_read(struct memory_map *map, uint64_t paddr, void *buf, uint64_t len)
{
    uint8_t *out = buf;

    while (len) {
        uint64_t n;
        const struct mem_section *s = chunk(map, paddr, len, &n);
        if (!s) {
            memset(out, 0xff, (size_t)n);
        } else if (s->kind != MEM_MMIO) {
            memcpy(out, s->host + (paddr - s->base), (size_t)n);
        } else {
            /* byte by byte, the section looked up again each time: a
             * device may change the map when read */
            n = 1;
            *out = (uint8_t)mem_section_read(s, MEM_ATTRS_NONE, paddr, 1);
        }
        out += n;
        paddr += n;
        len -= n;
    }
}

/* Tell the code tracker about a write to [paddr, paddr+len), page by page. */
static void note_code_write(struct memory_map *map, uint64_t paddr,
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
        const struct mem_section *s = chunk(map, paddr, len, &n);
        if (s && s->kind != MEM_MMIO) {
            memcpy(s->host + (paddr - s->base), in, (size_t)n);
            if (s->mr->dirty)
                dirty_set_range(s->mr, paddr - s->base + s->offset, n);
            note_code_write(map, paddr, n);
        } else if (s) {
            n = 1;
            mem_section_write(s, MEM_ATTRS_NONE, paddr, in[0], 1);
        }
        in += n;
        paddr += n;
        len -= n;
    }
}

uint64_t phys_dma_write(struct memory_map *map, uint64_t paddr,
                        const void *buf, uint64_t len)
{
    const uint8_t *in = buf;
    uint64_t dropped = 0;

    while (len) {
        uint64_t n;
        const struct mem_section *s = chunk(map, paddr, len, &n);
        if (!s || s->kind == MEM_ROM)
            dropped += n; /* ROM ignores the cycle; nothing answers a gap */
        else
            phys_write(map, paddr, in, n);
        in += n;
        paddr += n;
        len -= n;
    }
    return dropped;
}

uint8_t *phys_host_ptr(struct memory_map *map, uint64_t paddr, uint64_t len)
{
    const struct mem_section *s = mem_lookup(map, paddr);

    if (!s || s->kind == MEM_MMIO || len > s->base + s->size - paddr)
        return NULL;
    return s->host + (paddr - s->base);
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
