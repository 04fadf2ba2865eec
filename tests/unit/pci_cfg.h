/*
 * pci_cfg.h - configuration space reads and writes through PCI
 * configuration mechanism #1 (the address at port CF8h, the data at
 * CFCh-CFFh) on an I/O map, for the unit tests that build a PCI board of
 * their own (test_pci.c, test_vga_pci.c).
 */
#ifndef TESTS_UNIT_PCI_CFG_H
#define TESTS_UNIT_PCI_CFG_H

#include <stdint.h>

#include "softmmu/memory.h"

/* The CF8h value that selects register REG (its dword) of DEVFN, bus 0. */
static inline uint32_t pci_cfg_addr(int devfn, int reg)
{
    return 0x80000000u | (uint32_t)devfn << 8 | (uint32_t)(reg & 0xfc);
}

/* SIZE bytes (1, 2, 4) at register REG of DEVFN. */
static inline uint32_t pci_cfg_read(struct io_map *io, int devfn, int reg,
                                    unsigned size)
{
    io_write(io, MEM_ATTRS_NONE, 0xcf8, pci_cfg_addr(devfn, reg), 4);
    return (uint32_t)io_read(io, MEM_ATTRS_NONE, (uint16_t)(0xcfc + (reg & 3)),
                             size);
}

static inline void pci_cfg_write(struct io_map *io, int devfn, int reg,
                                 uint32_t v, unsigned size)
{
    io_write(io, MEM_ATTRS_NONE, 0xcf8, pci_cfg_addr(devfn, reg), 4);
    io_write(io, MEM_ATTRS_NONE, (uint16_t)(0xcfc + (reg & 3)), v, size);
}

#endif
