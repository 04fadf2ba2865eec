/*
 * vga_pci.h - the VGA as QEMU's std VGA ("VGA", -vga std) has it: a PCI
 * function 1234:1111, class 0300h (VGA-compatible display), at 00:02.0.
 *
 *   BAR0  16 MiB prefetchable memory: the VBE linear framebuffer, the
 *         DISPI video memory wherever the firmware or the OS puts it
 *   BAR2  4 KiB memory, QEMU's std VGA MMIO layout:
 *           0x400-0x41F  ports 3C0h-3DFh, byte by byte
 *           0x500-0x517  DISPI registers 0-11 as 16-bit words
 *         (anything else reads 0: no EDID block, no QEMU extended regs)
 *   ROM   the expansion ROM BAR, 64 KiB, with a VGA option ROM when the
 *         board gives one (vga_pci_set_rom: SeaBIOS's vgabios-stdvga.bin
 *         for external firmware); zeros otherwise (no ROM: the built-in
 *         BIOS's INT 10h is host code)
 *
 * The legacy VGA ports, the A0000h window and DISPI's 1CEh/1CFh stay
 * decoded whatever the command register says, as on QEMU's pc.
 */
#ifndef DEVICES_VGA_PCI_H
#define DEVICES_VGA_PCI_H

#include <stddef.h>
#include <stdint.h>

#include "devices/device.h"
#include "devices/pci.h"

#define VGA_PCI_VENDOR 0x1234
#define VGA_PCI_DEVICE 0x1111
#define VGA_PCI_DEVFN PCI_DEVFN(2, 0)
#define VGA_PCI_MMIO_SIZE 0x1000u
#define VGA_PCI_ROM_SIZE 0x10000u
#define VGA_PCI_MMIO_VGA 0x400u   /* ports 3C0h-3DFh */
#define VGA_PCI_MMIO_DISPI 0x500u /* DISPI register n at 0x500 + 2n */
/* Where Debian puts SeaBIOS's VGA BIOS for this card (package seabios). */
#define VGA_PCI_ROMFILE "/usr/share/seabios/vgabios-stdvga.bin"

/* The function (for tests and the board). */
struct pci_function *vga_pci_function(struct device *dev);
/* An option ROM image of len bytes (copied) behind the expansion ROM BAR,
 * sized to the next power of two; from the next reset on as well. */
void vga_pci_set_rom(struct device *dev, const uint8_t *data, size_t len);

#endif
