/*
 * uart.h - a National Semiconductor 16550A UART (a PC COM port): the
 * register file at base..base+7, 16-byte FIFOs, the interrupt
 * identification logic and loopback.
 *
 * Bytes the guest transmits go out through the tx callback; bytes from the
 * outside world enter with uart_receive() (the board calls it from its
 * input event queue at an instruction boundary).
 */
#ifndef DEVICES_UART_H
#define DEVICES_UART_H

#include <stddef.h>
#include <stdint.h>

#include "devices/device.h"

struct uart_state;

/* "isa-serial": iobase (default 0x3f8), irq (ISA line, default 4). */
extern const struct device_class uart_device_class;
struct uart_state *uart_from_device(struct device *dev);
/* Where transmitted bytes go (until set: nowhere). */
void uart_connect_tx(struct uart_state *s,
                     void (*tx)(void *opaque, uint8_t byte), void *opaque);
void uart_reset(struct uart_state *s);
/* Bytes from outside into the receiver (what does not fit is dropped and
 * counted as an overrun, as on the wire). */
void uart_receive(struct uart_state *s, const uint8_t *buf, size_t len);
/* How many bytes the receiver accepts now without overrun. */
size_t uart_can_receive(struct uart_state *s);

#endif
