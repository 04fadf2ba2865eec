/*
 * fw_cfg.c - QEMU's firmware configuration device (devices/fw_cfg.h):
 * items by key, the selector and data ports, the file directory and the
 * DMA interface.
 */
#include "devices/fw_cfg.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "softmmu/ldst.h"

#define FW_CFG_KEY_WRITE 0x4000u /* selector bit 14: write mode (ignored) */
#define FW_CFG_DMA_SIG "QEMU CFG"
#define FW_CFG_DMA_ACCESS_SIZE 16
#define FW_CFG_DMA_CHUNK 4096

struct fw_cfg_item {
    uint16_t key;
    uint8_t *data;
    uint32_t len;
    char name[FW_CFG_MAX_FILE_NAME]; /* files only; "" for numbered items */
};

struct fw_cfg_state {
    struct device dev;
    struct memory_map *mem;
    struct io_region *ports, *dma_ports;
    struct fw_cfg_item *items;
    int n_items, cap_items;
    int n_files;
    uint16_t selector;
    uint32_t offset;         /* into the selected item */
    uint8_t dma_reg[8];      /* the address register, big-endian */
};

/* ---- big-endian fields, byte by byte (any host) ---- */

static void st_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void st_be32(uint8_t *p, uint32_t v)
{
    st_be16(p, (uint16_t)(v >> 16));
    st_be16(p + 2, (uint16_t)v);
}

static uint32_t ld_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static uint64_t ld_be64(const uint8_t *p)
{
    return (uint64_t)ld_be32(p) << 32 | ld_be32(p + 4);
}

/* ---- items ---- */

static struct fw_cfg_item *fw_cfg_find(struct fw_cfg_state *s, uint16_t key)
{
    for (int i = 0; i < s->n_items; i++)
        if (s->items[i].key == key)
            return &s->items[i];
    return NULL;
}

static struct fw_cfg_item *fw_cfg_set(struct fw_cfg_state *s, uint16_t key,
                                      const void *data, size_t len)
{
    J_ASSERT(len <= UINT32_MAX);
    struct fw_cfg_item *it = fw_cfg_find(s, key);
    if (!it) {
        if (s->n_items == s->cap_items) {
            s->cap_items = s->cap_items ? 2 * s->cap_items : 32;
            s->items = xrealloc(s->items,
                                (size_t)s->cap_items * sizeof(*s->items));
        }
        it = &s->items[s->n_items++];
        memset(it, 0, sizeof(*it));
        it->key = key;
    }
    free(it->data);
    it->data = xmalloc(len ? len : 1);
    if (len)
        memcpy(it->data, data, len);
    it->len = (uint32_t)len;
    return it;
}

void fw_cfg_add_bytes(struct fw_cfg_state *s, uint16_t key, const void *data,
                      size_t len)
{
    fw_cfg_set(s, key, data, len);
}

void fw_cfg_add_i16(struct fw_cfg_state *s, uint16_t key, uint16_t v)
{
    uint8_t b[2];
    stw_le_p(b, v);
    fw_cfg_set(s, key, b, sizeof(b));
}

void fw_cfg_add_i32(struct fw_cfg_state *s, uint16_t key, uint32_t v)
{
    uint8_t b[4];
    stl_le_p(b, v);
    fw_cfg_set(s, key, b, sizeof(b));
}

void fw_cfg_add_i64(struct fw_cfg_state *s, uint16_t key, uint64_t v)
{
    uint8_t b[8];
    stq_le_p(b, v);
    fw_cfg_set(s, key, b, sizeof(b));
}

static int fw_cfg_file_cmp(const void *a, const void *b)
{
    const struct fw_cfg_item *x = *(const struct fw_cfg_item *const *)a;
    const struct fw_cfg_item *y = *(const struct fw_cfg_item *const *)b;
    return strcmp(x->name, y->name);
}

/* The directory item, rebuilt whenever a file is added or replaced. */
static void fw_cfg_update_dir(struct fw_cfg_state *s)
{
    const struct fw_cfg_item **files = xcalloc(
        (size_t)(s->n_files ? s->n_files : 1), sizeof(*files));
    int n = 0;
    for (int i = 0; i < s->n_items; i++)
        if (s->items[i].name[0])
            files[n++] = &s->items[i];
    qsort(files, (size_t)n, sizeof(*files), fw_cfg_file_cmp);

    size_t len = 4 + (size_t)n * FW_CFG_DIR_ENTRY_SIZE;
    uint8_t *dir = xcalloc(1, len);
    st_be32(dir, (uint32_t)n);
    for (int i = 0; i < n; i++) {
        uint8_t *e = dir + 4 + (size_t)i * FW_CFG_DIR_ENTRY_SIZE;
        st_be32(e, files[i]->len);
        st_be16(e + 4, files[i]->key);
        memcpy(e + 8, files[i]->name, strlen(files[i]->name));
    }
    free(files);
    fw_cfg_set(s, FW_CFG_FILE_DIR, dir, len);
    free(dir);
}

int fw_cfg_add_file(struct fw_cfg_state *s, const char *name,
                    const void *data, size_t len)
{
    size_t nl = strlen(name);
    if (!nl || nl >= FW_CFG_MAX_FILE_NAME)
        return -1;
    for (int i = 0; i < s->n_items; i++) {
        if (!strcmp(s->items[i].name, name)) {
            uint16_t key = s->items[i].key;
            fw_cfg_set(s, key, data, len);
            fw_cfg_update_dir(s);
            return key;
        }
    }
    if (s->n_files == FW_CFG_MAX_FILES)
        return -1;
    uint16_t key = (uint16_t)(FW_CFG_FILE_FIRST + s->n_files);
    struct fw_cfg_item *it = fw_cfg_set(s, key, data, len);
    memcpy(it->name, name, nl + 1);
    s->n_files++;
    fw_cfg_update_dir(s);
    return key;
}

/* ---- selector and data ports ---- */

static void fw_cfg_select(struct fw_cfg_state *s, uint16_t key)
{
    /* Bit 14 asked for write mode; writes through the data port are
     * ignored since QEMU 2.4, so it selects the same item. */
    s->selector = key & (uint16_t)~FW_CFG_KEY_WRITE;
    s->offset = 0;
}

static uint8_t fw_cfg_read_byte(struct fw_cfg_state *s)
{
    struct fw_cfg_item *it = fw_cfg_find(s, s->selector);
    if (!it || s->offset >= it->len)
        return 0;
    return it->data[s->offset++];
}

static uint64_t fw_cfg_io_read(void *opaque, struct mem_attrs attrs,
                               uint64_t offset, unsigned size)
{
    struct fw_cfg_state *s = opaque;
    (void)attrs, (void)size;
    if (offset == 1)
        return fw_cfg_read_byte(s);
    return 0; /* the selector is write-only */
}

static void fw_cfg_io_write(void *opaque, struct mem_attrs attrs,
                            uint64_t offset, uint64_t value, unsigned size)
{
    struct fw_cfg_state *s = opaque;
    (void)attrs, (void)size;
    if (offset == 0)
        fw_cfg_select(s, (uint16_t)value);
    /* data port writes: ignored */
}

/* 0x510 takes a word (the selector) or bytes; 0x511 is a byte port. */
static const struct mem_ops fw_cfg_io_ops = {
    .read = fw_cfg_io_read,
    .write = fw_cfg_io_write,
    .min_size = 1,
    .max_size = 2,
};

/* ---- DMA ---- */

/* Zeros, for a read past an item's end. */
static const uint8_t fw_cfg_zeros[FW_CFG_DMA_CHUNK];

/* Write len bytes (data, or zeros when NULL) at addr; false when any of
 * them fell on ROM, read-only RAM or an unassigned address (dropped). */
static bool fw_cfg_dma_out(struct fw_cfg_state *s, uint64_t addr,
                           const uint8_t *data, uint64_t len)
{
    bool ok = true;
    while (len) {
        uint64_t n = len < FW_CFG_DMA_CHUNK ? len : FW_CFG_DMA_CHUNK;
        if (phys_dma_write(s->mem, addr, data ? data : fw_cfg_zeros, n))
            ok = false; /* some bytes fell on ROM or nothing */
        if (data)
            data += n;
        addr += n;
        len -= n;
    }
    return ok;
}

/* Run the transfer described at desc; returns the control word to store
 * back (0, or the error bit). */
static uint32_t fw_cfg_dma_run(struct fw_cfg_state *s, uint64_t desc)
{
    uint8_t d[FW_CFG_DMA_ACCESS_SIZE];
    phys_read(s->mem, desc, d, sizeof(d));
    uint32_t control = ld_be32(d);
    uint32_t length = ld_be32(d + 4);
    uint64_t address = ld_be64(d + 8);

    if (control & FW_CFG_DMA_CTL_SELECT)
        fw_cfg_select(s, (uint16_t)(control >> 16));

    struct fw_cfg_item *it = fw_cfg_find(s, s->selector);
    uint32_t avail = it && s->offset < it->len ? it->len - s->offset : 0;
    uint32_t n = length < avail ? length : avail;

    if (control & FW_CFG_DMA_CTL_READ) {
        /* A buffer that would wrap around the address space is refused
         * whole. */
        if (address + length < address)
            return FW_CFG_DMA_CTL_ERROR;
        bool ok = fw_cfg_dma_out(s, address, n ? it->data + s->offset : NULL,
                                 n);
        ok &= fw_cfg_dma_out(s, address + n, NULL, length - n);
        s->offset += n;
        return ok ? 0 : FW_CFG_DMA_CTL_ERROR;
    }
    if (control & FW_CFG_DMA_CTL_WRITE)
        return FW_CFG_DMA_CTL_ERROR; /* no item is writable */
    if (control & FW_CFG_DMA_CTL_SKIP)
        s->offset += n;
    return 0;
}

static uint64_t fw_cfg_dma_read(void *opaque, struct mem_attrs attrs,
                                uint64_t offset, unsigned size)
{
    uint64_t v = 0;
    (void)opaque, (void)attrs;
    for (unsigned i = 0; i < size && offset + i < 8; i++)
        v |= (uint64_t)(uint8_t)FW_CFG_DMA_SIG[offset + i] << (8 * i);
    return v;
}

/* The guest writes the address big-endian: port 0x514 + i holds byte i
 * of the 64-bit value, most significant first. A write to the high half
 * clears the low half; the write that fills the last byte (0x51B: an
 * OUT of a dword to 0x518) starts the transfer. */
static void fw_cfg_dma_write(void *opaque, struct mem_attrs attrs,
                             uint64_t offset, uint64_t value, unsigned size)
{
    struct fw_cfg_state *s = opaque;
    (void)attrs;
    if (offset < 4)
        memset(s->dma_reg + 4, 0, 4);
    bool go = false;
    for (unsigned i = 0; i < size && offset + i < 8; i++) {
        s->dma_reg[offset + i] = (uint8_t)(value >> (8 * i));
        go |= offset + i == 7;
    }
    if (!go)
        return;
    uint64_t desc = ld_be64(s->dma_reg);
    uint32_t control = fw_cfg_dma_run(s, desc);
    uint8_t b[4];
    st_be32(b, control);
    phys_dma_write(s->mem, desc, b, sizeof(b));
    memset(s->dma_reg, 0, sizeof(s->dma_reg));
}

static const struct mem_ops fw_cfg_dma_ops = {
    .read = fw_cfg_dma_read,
    .write = fw_cfg_dma_write,
    .min_size = 1,
    .max_size = 4,
};

/* ---- the device ---- */

enum {
    FW_CFG_PROP_IOBASE,
    FW_CFG_PROP_DMA_IOBASE,
    FW_CFG_PROP_DMA,
    FW_CFG_N_PROPS
};

static const struct device_prop fw_cfg_props[FW_CFG_N_PROPS] = {
    [FW_CFG_PROP_IOBASE] = { "iobase", FW_CFG_IO_BASE, 0, 0xfffe, true,
                             "a port number 0-0xfffe" },
    [FW_CFG_PROP_DMA_IOBASE] = { "dma_iobase", FW_CFG_DMA_IO_BASE, 0, 0xfff8,
                                 true, "a port number 0-0xfff8" },
    [FW_CFG_PROP_DMA] = { "dma", 1, 0, 1, false, "0 or 1" },
};

static struct device *fw_cfg_create(struct device_bus *bus,
                                    const uint64_t *prop)
{
    struct fw_cfg_state *s = xcalloc(1, sizeof(*s));
    bool dma = prop[FW_CFG_PROP_DMA] != 0;
    s->mem = bus->mem;
    s->ports = io_register(bus->io, "fw_cfg",
                           (uint32_t)prop[FW_CFG_PROP_IOBASE], 2,
                           &fw_cfg_io_ops, s);
    if (dma)
        s->dma_ports = io_register(bus->io, "fw_cfg-dma",
                                   (uint32_t)prop[FW_CFG_PROP_DMA_IOBASE], 8,
                                   &fw_cfg_dma_ops, s);
    fw_cfg_add_bytes(s, FW_CFG_SIGNATURE, "QEMU", 4);
    fw_cfg_add_i32(s, FW_CFG_ID,
                   FW_CFG_ID_TRADITIONAL | (dma ? FW_CFG_ID_DMA : 0));
    fw_cfg_update_dir(s);
    return &s->dev;
}

static void fw_cfg_reset(struct device *dev)
{
    struct fw_cfg_state *s = fw_cfg_from_device(dev);
    s->selector = 0;
    s->offset = 0;
    memset(s->dma_reg, 0, sizeof(s->dma_reg));
}

static void fw_cfg_free(struct device *dev)
{
    struct fw_cfg_state *s = fw_cfg_from_device(dev);
    io_unregister(dev->bus->io, s->ports);
    if (s->dma_ports)
        io_unregister(dev->bus->io, s->dma_ports);
    for (int i = 0; i < s->n_items; i++)
        free(s->items[i].data);
    free(s->items);
    free(s);
}

struct fw_cfg_state *fw_cfg_from_device(struct device *dev)
{
    J_ASSERT(dev->cls == &fw_cfg_device_class);
    return DEVICE_STATE(struct fw_cfg_state, dev);
}

const struct device_class fw_cfg_device_class = {
    .name = "fw_cfg",
    .desc = "QEMU's firmware configuration interface (ports 0x510, 0x514)",
    .user = false, /* the board fills its items: created for -bios */
    .props = fw_cfg_props,
    .n_props = FW_CFG_N_PROPS,
    .create = fw_cfg_create,
    .reset = fw_cfg_reset,
    .free = fw_cfg_free,
};
