/*
 * pc_fw_cfg.h - what the PC board tells external firmware through fw_cfg
 * (devices/fw_cfg.h), filled from the machine configuration as QEMU's pc
 * machine fills it for SeaBIOS.
 */
#ifndef FRONTEND_PC_FW_CFG_H
#define FRONTEND_PC_FW_CFG_H

#include "devices/fw_cfg.h"
#include "frontend/machine.h"

/* SeaVGABIOS for an ISA VGA, from the seabios package. */
#define PC_FW_CFG_VGABIOS "/usr/share/seabios/vgabios-isavga.bin"

/* The items of a machine built from cfg; drives: the IDE units present
 * (bit n: unit n, 0 primary master ... 3 secondary slave) and which of
 * them are CD-ROMs, for the "bootorder" file; vgabios: the VGA option
 * ROM's file (NULL, or unreadable: none). */
void pc_fw_cfg_init(struct fw_cfg_state *fw, const struct machine_config *cfg,
                    unsigned ide_units, unsigned ide_cdroms,
                    const char *vgabios);

/* QEMU's option ROM that boots -kernel from fw_cfg (package
 * qemu-system-data): SeaBIOS runs it from "genroms/" first. */
#define PC_FW_CFG_LINUXBOOT "/usr/share/qemu/linuxboot_dma.bin"

/* -kernel (a bzImage), -initrd, -append for external firmware: the
 * kernel's setup (its header patched for the boot protocol as a boot
 * loader does), protected-mode part, initrd and command line as fw_cfg
 * items, and the option ROM rom_path as "genroms/linuxboot_dma.bin",
 * which pc_fw_cfg_init put first in "bootorder". Returns 0, or -1 with a message in err. */
int pc_fw_cfg_linux(struct fw_cfg_state *fw, const struct machine_config *cfg,
                    const char *rom_path, char *err, size_t errlen);

#endif
