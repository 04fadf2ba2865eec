/*
 * registry.c - every kind of device jet86 has, by name: the one table that
 * the board (device_create_str) and -device (device_spec_parse, -device
 * help) look classes up in. A new device adds its class here.
 */
#include "devices/debug_exit.h"
#include "devices/debugcon.h"
#include "devices/device.h"
#include "devices/dma8237.h"
#include "devices/fdc.h"
#include "devices/fw_cfg.h"
#include "devices/i8042.h"
#include "devices/ide.h"
#include "devices/hpet.h"
#include "devices/i440fx.h"
#include "devices/ioapic.h"
#include "devices/lapic.h"
#include "devices/pic.h"
#include "devices/piix3.h"
#include "devices/piix4_pm.h"
#include "devices/pit.h"
#include "devices/port92.h"
#include "devices/post.h"
#include "devices/rtc.h"
#include "devices/uart.h"
#include "devices/vga.h"
#include "devices/vga_pci.h"

const struct device_class *const device_classes[] = {
    &pic_device_class,
    &lapic_device_class,
    &ioapic_device_class,
    &pit_device_class,
    &rtc_device_class,
    &hpet_device_class,
    &port92_device_class,
    &post_device_class,
    &i440fx_device_class,
    &piix3_device_class,
    &piix4_pm_device_class,
    &uart_device_class,
    &i8042_device_class,
    &ide_device_class,
    &vga_device_class,
    &vga_pci_device_class,
    &dma_device_class,
    &fdc_device_class,
    &debug_exit_device_class,
    &debugcon_device_class,
    &fw_cfg_device_class,
    NULL,
};
