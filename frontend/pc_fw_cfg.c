/*
 * pc_fw_cfg.c - the PC's fw_cfg items (frontend/pc_fw_cfg.h):
 *
 *   RAM_SIZE        -m, bytes
 *   NOGRAPHIC       -nographic
 *   NB_CPUS, MAX_CPUS  1 (one CPU)
 *   NUMA            no nodes: a zero count and a zero node per CPU
 *   BOOT_MENU       0 (SeaBIOS reads it as "etc/show-boot-menu")
 *   IRQ0_OVERRIDE   1: IRQ0 reaches the IOAPIC's pin 2, as on QEMU's pc
 *   etc/e820        the RAM: 0 to the end of -m (jet86's RAM stays below
 *                   the 3 GiB mark), one entry { le64 address, le64
 *                   length, le32 type 1 }, as QEMU gives it under TCG
 *   etc/boot-fail-wait  -1 (QEMU's default -boot reboot-timeout)
 *   bootorder       with -kernel: QEMU's linuxboot_dma.bin option ROM
 *                   first; with -boot: the IDE devices in its order, as
 *                   SeaBIOS names them (/pci@i0cf8/ide@1,1/drive@C/disk@U),
 *                   one a line; the CMOS bytes give the same order by kind
 *   -kernel, -initrd, -append: pc_fw_cfg_linux below
 *   vgaroms/vgabios-isavga.bin  the VGA BIOS for an ISA VGA (SeaVGABIOS,
 *                   package seabios), as QEMU's isa-vga gives it, when the
 *                   board asks: SeaBIOS runs it at C000:0003; left out
 *                   when the file cannot be read (the board's PCI VGA
 *                   brings its own ROM and asks for none)
 *   etc/sercon-port 0x3f8 with -nographic: SeaBIOS's console also goes
 *                   to COM1 (beside the VGA, or alone without its ROM),
 *                   as QEMU's with -vga none -nographic
 */
#include "frontend/pc_fw_cfg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "bios/linux.h"
#include "softmmu/ldst.h"

#define E820_ENTRY_SIZE 20
#define E820_RAM 1
#define SERCON_PORT 0x3f8

static uint8_t *read_whole(const char *flag, const char *path, size_t *len,
                           char *err, size_t errlen);

static void pc_fw_cfg_e820(struct fw_cfg_state *fw, uint64_t ram_size)
{
    uint8_t e[E820_ENTRY_SIZE];
    stq_le_p(e, 0);
    stq_le_p(e + 8, ram_size);
    stl_le_p(e + 16, E820_RAM);
    fw_cfg_add_file(fw, "etc/e820", e, sizeof(e));
}

/* "bootorder": for each letter of -boot, the IDE devices of that kind. */
static void pc_fw_cfg_bootorder(struct fw_cfg_state *fw, const char *order,
                                bool kernel, unsigned units, unsigned cdroms)
{
    static const char linuxboot[] = "/rom@genroms/linuxboot_dma.bin\n";
    char buf[512];
    size_t len = 0;
    if (kernel) {
        memcpy(buf, linuxboot, sizeof(linuxboot) - 1);
        len = sizeof(linuxboot) - 1;
    }
    for (const char *p = order; *p; p++) {
        if (memchr(order, *p, (size_t)(p - order)))
            continue; /* a letter again: its devices are listed already */
        for (unsigned u = 0; u < 4; u++) {
            if (!(units >> u & 1))
                continue;
            bool cd = cdroms >> u & 1;
            if ((*p == 'c' && cd) || (*p == 'd' && !cd) ||
                (*p != 'c' && *p != 'd'))
                continue;
            int n = snprintf(buf + len, sizeof(buf) - len,
                             "/pci@i0cf8/ide@1,1/drive@%u/disk@%u\n", u >> 1,
                             u & 1);
            if (n > 0 && (size_t)n < sizeof(buf) - len)
                len += (size_t)n;
        }
    }
    if (len)
        fw_cfg_add_file(fw, "bootorder", buf, len + 1); /* with the NUL */
}

void pc_fw_cfg_init(struct fw_cfg_state *fw, const struct machine_config *cfg,
                    unsigned ide_units, unsigned ide_cdroms,
                    const char *vgabios)
{
    const uint16_t cpus = 1;
    uint8_t numa[8 * (1 + 1)] = { 0 }; /* node count, node of CPU 0 */
    uint8_t b4[4];

    fw_cfg_add_i64(fw, FW_CFG_RAM_SIZE, cfg->ram_size);
    fw_cfg_add_i16(fw, FW_CFG_NOGRAPHIC, cfg->nographic ? 1 : 0);
    fw_cfg_add_i16(fw, FW_CFG_NB_CPUS, cpus);
    fw_cfg_add_i16(fw, FW_CFG_MAX_CPUS, cpus);
    fw_cfg_add_bytes(fw, FW_CFG_NUMA, numa, sizeof(numa));
    fw_cfg_add_i16(fw, FW_CFG_BOOT_MENU, 0);
    fw_cfg_add_i32(fw, FW_CFG_IRQ0_OVERRIDE, 1);
    pc_fw_cfg_e820(fw, cfg->ram_size);
    stl_le_p(b4, 0xffffffffu);
    fw_cfg_add_file(fw, "etc/boot-fail-wait", b4, sizeof(b4));
    if (cfg->boot_order[0] || cfg->kernel)
        pc_fw_cfg_bootorder(fw, cfg->boot_order, cfg->kernel != NULL,
                            ide_units, ide_cdroms);
    if (vgabios) {
        char e[256];
        size_t n;
        uint8_t *r = read_whole("vgabios", vgabios, &n, e, sizeof(e));
        if (r)
            fw_cfg_add_file(fw, "vgaroms/vgabios-isavga.bin", r, n);
        free(r);
    }
    if (cfg->nographic) {
        uint8_t b2[2];
        stw_le_p(b2, SERCON_PORT);
        fw_cfg_add_file(fw, "etc/sercon-port", b2, sizeof(b2));
    }
}

/* ---- -kernel for external firmware ---- */

/* The whole of path, malloc'ed; NULL with a message in err. */
static uint8_t *read_whole(const char *flag, const char *path, size_t *len,
                           char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s %s: %s", flag, path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = xmalloc(cap);
    for (;;) {
        if (n == cap) {
            if (cap >= (size_t)1 << 31) {
                snprintf(err, errlen, "%s %s: larger than 2 GiB", flag,
                         path);
                free(buf);
                fclose(f);
                return NULL;
            }
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        snprintf(err, errlen, "%s %s: %s", flag, path, strerror(errno));
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Where the loader puts things, as QEMU's pc does for a bzImage with
 * LOADED_HIGH: the setup at 0x10000 (heap up to the command line), the
 * command line at 0x20000, the kernel at 1 MiB. */
#define LX_REAL_ADDR 0x10000u
#define LX_CMDLINE_ADDR 0x20000u
#define LX_PROT_ADDR 0x100000u
#define LX_TYPE_OF_LOADER 0xb0u /* QEMU's loader id */
/* The top of RAM SeaBIOS keeps for its own tables: an initrd stays below. */
#define LX_RAM_TOP_RESERVED 0x20000u

int pc_fw_cfg_linux(struct fw_cfg_state *fw, const struct machine_config *cfg,
                    const char *rom_path, char *err, size_t errlen)
{
    size_t klen, ilen = 0;
    uint8_t *k = read_whole("-kernel", cfg->kernel, &klen, err, errlen);
    if (!k)
        return -1;
    if (klen < 0x300 || memcmp(k + LINUX_HDR_MAGIC, "HdrS", 4) != 0 ||
        lduw_le_p(k + LINUX_HDR_VERSION) < 0x200 ||
        !(k[LINUX_HDR_LOADFLAGS] & LINUX_LOADED_HIGH)) {
        snprintf(err, errlen,
                 "-kernel %s: not a bzImage (boot protocol 2.00 or later, "
                 "loaded high); with -bios only Linux bzImages are booted",
                 cfg->kernel);
        free(k);
        return -1;
    }
    uint16_t version = lduw_le_p(k + LINUX_HDR_VERSION);
    size_t setup_sects = k[LINUX_HDR_SETUP_SECTS] ? k[LINUX_HDR_SETUP_SECTS]
                                                  : 4;
    size_t setup_size = (setup_sects + 1) * 512;
    const char *append = cfg->append ? cfg->append : "";
    size_t cmdlen = strlen(append) + 1;
    /* the command line must fit below the setup's segment's end */
    if (setup_size >= klen || setup_size > LX_CMDLINE_ADDR - LX_REAL_ADDR ||
        cmdlen > 0x10000) {
        snprintf(err, errlen, "-kernel %s: %s", cfg->kernel,
                 setup_size >= klen ? "truncated: no protected-mode part"
                                    : "setup or command line too large");
        free(k);
        return -1;
    }
    if (version >= 0x206 && cmdlen > (size_t)ldl_le_p(k + LINUX_HDR_CMDLINE_SIZE) + 1) {
        snprintf(err, errlen, "-append: %zu bytes, the kernel takes at most "
                 "%u", cmdlen - 1, ldl_le_p(k + LINUX_HDR_CMDLINE_SIZE));
        free(k);
        return -1;
    }

    uint8_t *setup = k; /* patched in place: the header is the loader's */
    setup[LINUX_HDR_TYPE_OF_LOADER] = LX_TYPE_OF_LOADER;
    if (version >= 0x202) {
        stl_le_p(setup + LINUX_HDR_CMD_LINE_PTR, LX_CMDLINE_ADDR);
    } else {
        /* the old command line protocol: magic and offset at 0x20 */
        stw_le_p(setup + 0x20, 0xa33f);
        stw_le_p(setup + 0x22, (uint16_t)(LX_CMDLINE_ADDR - LX_REAL_ADDR));
    }
    if (version >= 0x201) {
        stw_le_p(setup + LINUX_HDR_HEAP_END_PTR,
                 (uint16_t)(LX_CMDLINE_ADDR - LX_REAL_ADDR - 0x200));
        setup[LINUX_HDR_LOADFLAGS] |= LINUX_CAN_USE_HEAP;
    }

    if (cfg->initrd) {
        if (strchr(cfg->initrd, ',')) {
            snprintf(err, errlen, "-initrd %s: one file with -bios",
                     cfg->initrd);
            free(k);
            return -1;
        }
        uint8_t *rd = read_whole("-initrd", cfg->initrd, &ilen, err, errlen);
        if (!rd) {
            free(k);
            return -1;
        }
        uint64_t max = version >= 0x203
                           ? ldl_le_p(setup + LINUX_HDR_INITRD_ADDR_MAX)
                           : 0x37ffffffu;
        uint64_t top = cfg->ram_size - LX_RAM_TOP_RESERVED - 1;
        if (max > top)
            max = top;
        uint64_t kend = LX_PROT_ADDR + (uint64_t)(klen - setup_size);
        if (max < kend || ilen > max - kend) {
            snprintf(err, errlen, "-initrd %s: %zu bytes do not fit below "
                     "0x%llx beside the kernel (more -m?)", cfg->initrd, ilen,
                     (unsigned long long)max);
            free(rd);
            free(k);
            return -1;
        }
        uint32_t addr = (uint32_t)((max + 1 - ilen) & ~(uint64_t)4095);
        stl_le_p(setup + LINUX_HDR_RAMDISK_IMAGE, addr);
        stl_le_p(setup + LINUX_HDR_RAMDISK_SIZE, (uint32_t)ilen);
        fw_cfg_add_i32(fw, FW_CFG_INITRD_ADDR, addr);
        fw_cfg_add_i32(fw, FW_CFG_INITRD_SIZE, (uint32_t)ilen);
        fw_cfg_add_bytes(fw, FW_CFG_INITRD_DATA, rd, ilen);
        free(rd);
    }

    fw_cfg_add_i32(fw, FW_CFG_SETUP_ADDR, LX_REAL_ADDR);
    fw_cfg_add_i32(fw, FW_CFG_SETUP_SIZE, (uint32_t)setup_size);
    fw_cfg_add_bytes(fw, FW_CFG_SETUP_DATA, setup, setup_size);
    fw_cfg_add_i32(fw, FW_CFG_KERNEL_ADDR, LX_PROT_ADDR);
    fw_cfg_add_i32(fw, FW_CFG_KERNEL_SIZE, (uint32_t)(klen - setup_size));
    fw_cfg_add_bytes(fw, FW_CFG_KERNEL_DATA, k + setup_size,
                     klen - setup_size);
    fw_cfg_add_i32(fw, FW_CFG_CMDLINE_ADDR, LX_CMDLINE_ADDR);
    fw_cfg_add_i32(fw, FW_CFG_CMDLINE_SIZE, (uint32_t)cmdlen);
    fw_cfg_add_bytes(fw, FW_CFG_CMDLINE_DATA, append, cmdlen);
    free(k);

    size_t romlen;
    uint8_t *rom = read_whole("-kernel with -bios: the option ROM", rom_path,
                              &romlen, err, errlen);
    if (!rom)
        return -1;
    fw_cfg_add_file(fw, "genroms/linuxboot_dma.bin", rom, romlen);
    free(rom);
    return 0;
}
