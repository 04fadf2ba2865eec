/*
 * i8042.c - the keyboard controller (devices/i8042.h), as the IBM PC/AT
 * and PS/2 technical references describe its commands:
 *
 *   status (read 0x64)  bit 0 OBF output buffer full, 1 IBF (always 0:
 *                       the controller takes a byte at once), 2 SYS flag,
 *                       3 A2 (last write was a command), 4 keyboard not
 *                       inhibited, 5 AUX_OBF (the byte is the mouse's)
 *   command byte        bit 0 keyboard interrupt, 1 mouse interrupt,
 *                       2 SYS flag, 4 keyboard disabled, 5 mouse disabled,
 *                       6 translate set 2 to set 1
 *   output port         bit 0 system reset (active low), 1 A20 gate,
 *                       4 keyboard OBF (IRQ 1), 5 mouse OBF (IRQ 12)
 *
 * The controller has one output buffer. When it is empty it refills from
 * the keyboard's queue, then the mouse's (each only while its interface is
 * enabled); a command's answer goes into it directly. Bytes from the
 * keyboard are translated to set 1 while bit 6 of the command byte is set
 * (a break prefix F0 becomes bit 7 of the next code). IRQ 1 and IRQ 12
 * follow "the buffer holds a keyboard (mouse) byte and its interrupt is
 * enabled" as levels, so reading port 0x60 lowers the line and a byte
 * queued behind it raises it again: an edge for the 8259A.
 *
 * Bytes written to port 0x60 go to the keyboard, unless a command waits
 * for a parameter (60h-7Fh, D1h-D4h).
 */
#include "devices/i8042.h"

#include <stdlib.h>

#include "base/util.h"
#include "devices/ps2.h"

#define STAT_OBF 0x01
#define STAT_SYS 0x04
#define STAT_CMD 0x08
#define STAT_UNLOCKED 0x10
#define STAT_AUX 0x20

#define CB_KBD_INT 0x01
#define CB_AUX_INT 0x02
#define CB_SYS 0x04
#define CB_KBD_OFF 0x10
#define CB_AUX_OFF 0x20
#define CB_XLATE 0x40

#define OUT_RESET 0x01
#define OUT_A20 0x02

enum src { SRC_KBD, SRC_AUX };

struct i8042_state {
    struct device dev;
    struct io_region *data_port, *cmd_port;
    struct irq *irq_kbd, *irq_aux;

    uint8_t status; /* SYS and A2; OBF and AUX come from obf/src */
    uint8_t ram[32]; /* ram[0] is the command byte */
    uint8_t outport;
    uint8_t pending;  /* a command waiting for its data byte, or 0 */
    bool obf;
    enum src src;
    uint8_t out;      /* the output buffer */
    bool xlate_break; /* translating: F0 seen, next code gets bit 7 */

    struct ps2_kbd kbd;
    struct ps2_mouse mouse;

    void (*reset)(void *opaque);
    void (*set_a20)(void *opaque, bool on);
    void *opaque;
};

static void i8042_update_irq(struct i8042_state *s)
{
    uint8_t cb = s->ram[0];
    irq_set(s->irq_kbd, s->obf && s->src == SRC_KBD && (cb & CB_KBD_INT));
    irq_set(s->irq_aux, s->obf && s->src == SRC_AUX && (cb & CB_AUX_INT));
}

/* A byte into the output buffer, replacing what it held. */
static void i8042_put(struct i8042_state *s, uint8_t b, enum src src)
{
    s->out = b;
    s->src = src;
    s->obf = true;
}

/* The next keyboard byte as the guest sees it: translated to set 1 with
 * the command byte's bit 6. False when the byte only set the break flag. */
static bool i8042_kbd_byte(struct i8042_state *s, uint8_t *b)
{
    uint8_t c = ps2_queue_pop(&s->kbd.q);
    if (s->ram[0] & CB_XLATE) {
        if (c == 0xf0) {
            s->xlate_break = true;
            return false;
        }
        c = ps2_set2_to_set1(c);
        if (s->xlate_break)
            c |= 0x80;
        s->xlate_break = false;
    }
    *b = c;
    return true;
}

/* Refill an empty output buffer from the devices' queues. */
static void i8042_refill(struct i8042_state *s)
{
    while (!s->obf) {
        uint8_t b;
        if (!(s->ram[0] & CB_KBD_OFF) && !ps2_queue_empty(&s->kbd.q)) {
            if (i8042_kbd_byte(s, &b))
                i8042_put(s, b, SRC_KBD);
        } else if (!(s->ram[0] & CB_AUX_OFF) &&
                   !ps2_queue_empty(&s->mouse.q)) {
            i8042_put(s, ps2_queue_pop(&s->mouse.q), SRC_AUX);
            ps2_mouse_flush(&s->mouse);
        } else {
            break;
        }
    }
    i8042_update_irq(s);
}

static void i8042_set_outport(struct i8042_state *s, uint8_t v)
{
    bool a20 = v & OUT_A20;
    if (a20 != !!(s->outport & OUT_A20) && s->set_a20)
        s->set_a20(s->opaque, a20);
    s->outport = v;
    if (!(v & OUT_RESET)) {
        s->outport |= OUT_RESET; /* the reset line is a pulse */
        if (s->reset)
            s->reset(s->opaque);
    }
}

static uint8_t i8042_read_outport(const struct i8042_state *s)
{
    return (uint8_t)((s->outport & ~0x30) |
                     (s->obf && s->src == SRC_KBD ? 0x10 : 0) |
                     (s->obf && s->src == SRC_AUX ? 0x20 : 0));
}

static void i8042_write_cmdbyte(struct i8042_state *s, uint8_t v)
{
    s->ram[0] = v;
    s->status = (uint8_t)((s->status & ~STAT_SYS) | (v & CB_SYS));
}

static void i8042_command(struct i8042_state *s, uint8_t cmd)
{
    if (cmd >= 0x20 && cmd <= 0x3f) { /* read controller RAM */
        i8042_put(s, s->ram[cmd & 0x1f], SRC_KBD);
        return;
    }
    if ((cmd >= 0x60 && cmd <= 0x7f) || (cmd >= 0xd1 && cmd <= 0xd4)) {
        s->pending = cmd;
        return;
    }
    if (cmd >= 0xf0) { /* pulse output lines: bits 0-3 low are pulsed */
        if (!(cmd & 0x01)) {
            if (s->reset)
                s->reset(s->opaque);
        }
        return;
    }
    switch (cmd) {
    case 0xa4: i8042_put(s, 0xf1, SRC_KBD); break; /* no password */
    case 0xa7: s->ram[0] |= CB_AUX_OFF; break;
    case 0xa8: s->ram[0] &= (uint8_t)~CB_AUX_OFF; break;
    case 0xa9: i8042_put(s, 0x00, SRC_KBD); break; /* mouse lines OK */
    case 0xaa: /* self test: passed, the SYS flag set */
        s->status |= STAT_SYS;
        i8042_put(s, 0x55, SRC_KBD);
        break;
    case 0xab: i8042_put(s, 0x00, SRC_KBD); break; /* keyboard lines OK */
    case 0xad: s->ram[0] |= CB_KBD_OFF; break;
    case 0xae: s->ram[0] &= (uint8_t)~CB_KBD_OFF; break;
    case 0xc0: i8042_put(s, 0x80, SRC_KBD); break; /* input port: unlocked */
    case 0xd0: i8042_put(s, i8042_read_outport(s), SRC_KBD); break;
    case 0xdd: i8042_set_outport(s, s->outport & (uint8_t)~OUT_A20); break;
    case 0xdf: i8042_set_outport(s, s->outport | OUT_A20); break;
    case 0xe0: i8042_put(s, 0x00, SRC_KBD); break; /* test inputs */
    default: break; /* not a command of this controller: ignored */
    }
}

static void i8042_data(struct i8042_state *s, uint8_t v)
{
    uint8_t cmd = s->pending;
    s->pending = 0;
    if (cmd >= 0x60 && cmd <= 0x7f) {
        if (cmd == 0x60)
            i8042_write_cmdbyte(s, v);
        else
            s->ram[cmd & 0x1f] = v;
        return;
    }
    switch (cmd) {
    case 0xd1: i8042_set_outport(s, v); break;
    case 0xd2: i8042_put(s, v, SRC_KBD); break;
    case 0xd3: i8042_put(s, v, SRC_AUX); break;
    case 0xd4: ps2_mouse_write(&s->mouse, v); break;
    default:
        /* To the keyboard; writing it enables its interface. */
        s->ram[0] &= (uint8_t)~CB_KBD_OFF;
        ps2_kbd_write(&s->kbd, v);
        break;
    }
}

static uint64_t i8042_status_read(void *opaque, struct mem_attrs attrs,
                                  uint64_t offset, unsigned size)
{
    struct i8042_state *s = opaque;
    (void)attrs, (void)offset, (void)size;
    return s->status | STAT_UNLOCKED | (s->obf ? STAT_OBF : 0) |
           (s->obf && s->src == SRC_AUX ? STAT_AUX : 0);
}

/* Port 0x60: the buffer (its last byte again when empty). */
static uint64_t i8042_data_read(void *opaque, struct mem_attrs attrs,
                                uint64_t offset, unsigned size)
{
    struct i8042_state *s = opaque;
    (void)attrs, (void)offset, (void)size;
    uint8_t v = s->out;
    s->obf = false;
    i8042_update_irq(s);
    i8042_refill(s);
    return v;
}

static void i8042_cmd_write(void *opaque, struct mem_attrs attrs,
                            uint64_t offset, uint64_t value, unsigned size)
{
    struct i8042_state *s = opaque;
    (void)attrs, (void)offset, (void)size;
    s->status |= STAT_CMD;
    s->pending = 0;
    i8042_command(s, (uint8_t)value);
    i8042_update_irq(s);
    i8042_refill(s);
}

static void i8042_data_write(void *opaque, struct mem_attrs attrs,
                             uint64_t offset, uint64_t value, unsigned size)
{
    struct i8042_state *s = opaque;
    (void)attrs, (void)offset, (void)size;
    s->status &= (uint8_t)~STAT_CMD;
    i8042_data(s, (uint8_t)value);
    i8042_update_irq(s);
    i8042_refill(s);
}

static const struct mem_ops i8042_data_ops = {
    .read = i8042_data_read,
    .write = i8042_data_write,
    .min_size = 1,
    .max_size = 1,
};

static const struct mem_ops i8042_cmd_ops = {
    .read = i8042_status_read,
    .write = i8042_cmd_write,
    .min_size = 1,
    .max_size = 1,
};

void i8042_key(struct i8042_state *s, uint16_t key, bool down)
{
    ps2_kbd_key(&s->kbd, key, down);
    i8042_refill(s);
}

bool i8042_kbd_busy(const struct i8042_state *s)
{
    return !ps2_queue_empty(&s->kbd.q) || (s->obf && s->src == SRC_KBD);
}

void i8042_mouse(struct i8042_state *s, int dx, int dy, int dz,
                 unsigned buttons)
{
    ps2_mouse_event(&s->mouse, dx, dy, dz, buttons);
    i8042_refill(s);
}

void i8042_connect(struct i8042_state *s, void (*reset)(void *opaque),
                   void (*set_a20)(void *opaque, bool on), void *opaque)
{
    s->reset = reset;
    s->set_a20 = set_a20;
    s->opaque = opaque;
}

/* Power-on: interrupts and translation off, both interfaces enabled, the
 * A20 gate open (as the board's port 0x92 leaves it), nothing buffered. */
static void i8042_dev_reset(struct device *dev)
{
    struct i8042_state *s = i8042_from_device(dev);
    s->status = 0;
    for (unsigned i = 0; i < sizeof(s->ram); i++)
        s->ram[i] = 0;
    s->outport = OUT_RESET | OUT_A20;
    s->pending = 0;
    s->obf = false;
    s->out = 0;
    s->src = SRC_KBD;
    s->xlate_break = false;
    ps2_kbd_reset(&s->kbd);
    ps2_mouse_reset(&s->mouse);
    i8042_update_irq(s);
}

static struct device *i8042_create(struct device_bus *bus, const uint64_t *prop)
{
    struct i8042_state *s = xcalloc(1, sizeof(*s));
    (void)prop;
    s->irq_kbd = isa_irq(bus, 1);
    s->irq_aux = isa_irq(bus, 12);
    s->data_port = io_register(bus->io, "i8042-data", 0x60, 1, &i8042_data_ops,
                               s);
    s->cmd_port = io_register(bus->io, "i8042-cmd", 0x64, 1, &i8042_cmd_ops, s);
    return &s->dev;
}

static void i8042_dev_free(struct device *dev)
{
    struct i8042_state *s = i8042_from_device(dev);
    io_unregister(dev->bus->io, s->data_port);
    io_unregister(dev->bus->io, s->cmd_port);
    free(s);
}

const struct device_class i8042_device_class = {
    .name = "i8042",
    .desc = "the PC/AT keyboard controller with a PS/2 keyboard and mouse",
    .create = i8042_create,
    .reset = i8042_dev_reset,
    .free = i8042_dev_free,
};

struct i8042_state *i8042_from_device(struct device *dev)
{
    J_ASSERT(dev->cls == &i8042_device_class);
    return DEVICE_STATE(struct i8042_state, dev);
}
