/*
 * pc_fw_cfg.h - what the PC board tells external firmware through fw_cfg
 * (devices/fw_cfg.h), filled from the machine configuration as QEMU's pc
 * machine fills it for SeaBIOS.
 */
#ifndef FRONTEND_PC_FW_CFG_H
#define FRONTEND_PC_FW_CFG_H

#include "devices/fw_cfg.h"
#include "frontend/machine.h"

/* The items of a machine built from cfg; drives: the IDE units present
 * (bit n: unit n, 0 primary master ... 3 secondary slave) and which of
 * them are CD-ROMs, for the "bootorder" file. */
void pc_fw_cfg_init(struct fw_cfg_state *fw, const struct machine_config *cfg,
                    unsigned ide_units, unsigned ide_cdroms);

#endif
