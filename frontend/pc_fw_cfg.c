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
 *   bootorder       with -boot: the IDE devices in its order, as SeaBIOS
 *                   names them (/pci@i0cf8/ide@1,1/drive@C/disk@U), one a
 *                   line; the CMOS bytes give the same order by kind
 *   etc/sercon-port 0x3f8 with -nographic: SeaBIOS finds no VGA ROM on
 *                   this board, so it makes COM1 its console, as under
 *                   QEMU with -vga none -nographic
 */
#include "frontend/pc_fw_cfg.h"

#include <stdio.h>
#include <string.h>

#include "softmmu/ldst.h"

#define E820_ENTRY_SIZE 20
#define E820_RAM 1
#define SERCON_PORT 0x3f8

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
                                unsigned units, unsigned cdroms)
{
    char buf[512];
    size_t len = 0;
    for (const char *p = order; *p; p++) {
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
                    unsigned ide_units, unsigned ide_cdroms)
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
    if (cfg->boot_order[0])
        pc_fw_cfg_bootorder(fw, cfg->boot_order, ide_units, ide_cdroms);
    if (cfg->nographic) {
        uint8_t b2[2];
        stw_le_p(b2, SERCON_PORT);
        fw_cfg_add_file(fw, "etc/sercon-port", b2, sizeof(b2));
    }
}
