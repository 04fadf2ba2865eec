/*
 * fw_cfg.h - QEMU's firmware configuration device ("fw_cfg", QEMU's
 * docs/specs/fw_cfg): the channel through which the board hands firmware
 * such as SeaBIOS what it cannot probe (RAM size, CPU count, the E820
 * map, the boot order, a kernel to boot).
 *
 * On the PC it is three I/O registers:
 *
 *   0x510  selector, 16 bits, write: selects an item, data offset to 0
 *   0x511  data, 8 bits, read: the selected item's next byte (0 past its
 *          end or for an item that does not exist); writes are ignored
 *   0x514  DMA address, 64 bits big-endian as two dwords (0x514 the high
 *          half, 0x518 the low half; writing the low half starts the
 *          transfer); reading the 8 ports gives "QEMU CFG"
 *
 * An item is a key and a blob. Keys 0x0000-0x0018 and 0x8000-0x8004 are
 * the numbered ones (below), 0x0019 is the file directory, files (named
 * items) get keys from 0x0020 on. The directory is, all big-endian:
 *
 *   be32 count
 *   count x { be32 size; be16 select; be16 reserved; char name[56]; }
 *
 * sorted by name. A DMA transfer is described in guest memory, all
 * big-endian, by
 *
 *   be32 control   bit 0 error, 1 read, 2 skip, 3 select (key in 31:16),
 *                  4 write
 *   be32 length
 *   be64 address
 *
 * The device selects first (if asked), then reads (copies the item from
 * the data offset to address, the bytes past the item's end as zeros),
 * or writes (no item here is writable: an error), or skips (advances the
 * offset); the offset moves by length, stopping at the item's end. It
 * then stores control back as 0, or with the error bit when the
 * operation was refused or its buffer was not all writable RAM (ROM and
 * unassigned addresses are never written). Transfers complete at once.
 */
#ifndef DEVICES_FW_CFG_H
#define DEVICES_FW_CFG_H

#include <stddef.h>
#include <stdint.h>

#include "devices/device.h"

#define FW_CFG_IO_BASE 0x510
#define FW_CFG_DMA_IO_BASE 0x514

/* Numbered items (QEMU's docs/specs/fw_cfg, include/standard-headers). */
enum fw_cfg_key {
    FW_CFG_SIGNATURE = 0x00,      /* "QEMU" */
    FW_CFG_ID = 0x01,             /* le32 features: bit 0 ports, 1 DMA */
    FW_CFG_UUID = 0x02,
    FW_CFG_RAM_SIZE = 0x03,       /* le64 bytes */
    FW_CFG_NOGRAPHIC = 0x04,      /* le16 */
    FW_CFG_NB_CPUS = 0x05,        /* le16 */
    FW_CFG_MACHINE_ID = 0x06,
    FW_CFG_KERNEL_ADDR = 0x07,    /* le32 */
    FW_CFG_KERNEL_SIZE = 0x08,    /* le32 */
    FW_CFG_KERNEL_CMDLINE = 0x09, /* le32 */
    FW_CFG_INITRD_ADDR = 0x0a,    /* le32 */
    FW_CFG_INITRD_SIZE = 0x0b,    /* le32 */
    FW_CFG_BOOT_DEVICE = 0x0c,    /* le16 */
    FW_CFG_NUMA = 0x0d,           /* le64 count, then per-node data */
    FW_CFG_BOOT_MENU = 0x0e,      /* le16 */
    FW_CFG_MAX_CPUS = 0x0f,       /* le16 */
    FW_CFG_KERNEL_ENTRY = 0x10,
    FW_CFG_KERNEL_DATA = 0x11,
    FW_CFG_INITRD_DATA = 0x12,
    FW_CFG_CMDLINE_ADDR = 0x13,   /* le32 */
    FW_CFG_CMDLINE_SIZE = 0x14,   /* le32, with the NUL */
    FW_CFG_CMDLINE_DATA = 0x15,
    FW_CFG_SETUP_ADDR = 0x16,     /* le32 */
    FW_CFG_SETUP_SIZE = 0x17,     /* le32 */
    FW_CFG_SETUP_DATA = 0x18,
    FW_CFG_FILE_DIR = 0x19,
    FW_CFG_FILE_FIRST = 0x20,
    FW_CFG_ARCH = 0x8000,
    FW_CFG_ACPI_TABLES = 0x8000,
    FW_CFG_SMBIOS_ENTRIES = 0x8001,
    FW_CFG_IRQ0_OVERRIDE = 0x8002, /* le32: 1 when IRQ0 is GSI 2 */
    FW_CFG_E820_TABLE = 0x8003,
    FW_CFG_HPET = 0x8004,
};

#define FW_CFG_ID_TRADITIONAL 0x1u
#define FW_CFG_ID_DMA 0x2u

#define FW_CFG_DMA_CTL_ERROR 0x01u
#define FW_CFG_DMA_CTL_READ 0x02u
#define FW_CFG_DMA_CTL_SKIP 0x04u
#define FW_CFG_DMA_CTL_SELECT 0x08u
#define FW_CFG_DMA_CTL_WRITE 0x10u

#define FW_CFG_MAX_FILE_NAME 56 /* with the NUL */
#define FW_CFG_MAX_FILES 256
#define FW_CFG_DIR_ENTRY_SIZE 64

struct fw_cfg_state;

/* "fw_cfg": the ports at iobase (0x510) and, with dma=1, dma_iobase
 * (0x514). The board creates it (only for -bios: the built-in BIOS needs
 * none) and fills the items. Items stay across a board reset; the
 * selector, offset and DMA address are cleared. */
extern const struct device_class fw_cfg_device_class;
struct fw_cfg_state *fw_cfg_from_device(struct device *dev);

/* Set numbered item key (replacing it) to a copy of len bytes. */
void fw_cfg_add_bytes(struct fw_cfg_state *s, uint16_t key, const void *data,
                      size_t len);
void fw_cfg_add_i16(struct fw_cfg_state *s, uint16_t key, uint16_t v);
void fw_cfg_add_i32(struct fw_cfg_state *s, uint16_t key, uint32_t v);
void fw_cfg_add_i64(struct fw_cfg_state *s, uint16_t key, uint64_t v);
/* A file: a copy of len bytes under name (at most 55 characters); a name
 * given again replaces that file's data. Returns its key, or -1 when the
 * name is too long or the directory full. */
int fw_cfg_add_file(struct fw_cfg_state *s, const char *name,
                    const void *data, size_t len);

#endif
