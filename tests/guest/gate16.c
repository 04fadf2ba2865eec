/* gate16: 286 gates use only the low 16 bits of their offset (SDM 3A
 * 5.8.3 and 6.11: a 16-bit gate holds a 16-bit offset; the upper half of
 * the descriptor's offset field is not part of it) and push 16-bit frames
 * (IP, CS, FLAGS; SDM 3A 6.12.1).  gate16.asm goes through 16-bit
 * interrupt and trap gates (INT n and #UD) and a 16-bit call gate (CALL
 * FAR and JMP FAR), all with 0xdead in the upper offset half, from a code
 * segment whose offsets fit in 16 bits; each handler records what it
 * found.  The interrupt gate clears IF, the trap gate keeps it.
 *
 * QEMU's TCG takes all 32 bits of a 16-bit interrupt gate's offset and
 * does not check it against the code segment's limit: INT 0x60 runs off
 * into unmapped memory at base + 0xdead0000 and never comes back, so QEMU
 * cannot run this program (gate16.noqemu).  The SDM decides: a 16-bit
 * gate has a 16-bit offset (and an offset past the limit would be #GP);
 * Bochs agrees (tests/firmware/sysinsn_rom, which QEMU survives). */
#include "rt/rt.h"

#define SEL_B 0x48
#define SEL_CALLGATE 0x50

extern char g16_start[], g16_h_int[], g16_h_trap[], g16_h_ud[], g16_h_call[], g16_h_jmp[];
extern char g16_after_int[], g16_after_trap[], g16_at_ud[], g16_after_call[];
extern volatile uint32_t g16_len, g16_seen[5], g16_ip[5], g16_cs[5], g16_flags[5], g16_if[5];
void g16_run(void);

static volatile uint32_t gp_count, gp_err;

static uint32_t off(const char *label)
{
    return (uint32_t)(label - g16_start);
}

/* A 16-bit gate's raw descriptor: offset 15:0 and 31:16, selector, type. */
static uint64_t gate(uint32_t sel, uint32_t offset, uint8_t access)
{
    return (offset & 0xffffu) | ((uint64_t)sel << 16) | ((uint64_t)access << 40) |
           ((uint64_t)(offset >> 16) << 48);
}

static void idt_set(int vec, uint64_t d)
{
    struct {
        uint16_t limit;
        uint32_t base;
    } __attribute__((packed)) idtr;
    __asm__ volatile("sidt %0" : "=m"(idtr));
    ((volatile uint64_t *)idtr.base)[vec] = d;
}

static void gdt_set_raw(int idx, uint64_t d)
{
    /* rt_gdt_set's fields, arranged to give the gate's bits */
    uint32_t lo = (uint32_t)d, hi = (uint32_t)(d >> 32);
    rt_gdt_set(idx, (lo >> 16) | (hi & 0xff) << 16 | (hi & 0xff000000u), (lo & 0xffff) | (hi & 0xf0000),
               (uint8_t)(hi >> 8), (uint8_t)((hi >> 20) & 0xf));
}

static void on_gp(struct rt_frame *f)
{
    gp_count++;
    gp_err = f->err;
    f->eip += g16_len;
}

int main(void)
{
    static const char *const names[5] = {"int 0x60, interrupt gate", "int 0x61, trap gate", "#UD, interrupt gate",
                                         "call far, call gate", "jmp far, call gate"};
    const char *const expect_ip[5] = {g16_after_int, g16_after_trap, g16_at_ud, g16_after_call, 0};

    rt_set_handler(13, on_gp);
    /* SEL_B: 32-bit code, base g16_start, limit 64 KiB */
    rt_gdt_set(SEL_B / 8, (uint32_t)g16_start, 0xffff, 0x9a, 0x4);
    gdt_set_raw(SEL_CALLGATE / 8, gate(SEL_B, 0xdead0000u | off(g16_h_call), 0x84));
    gdt_set_raw(SEL_CALLGATE / 8 + 1, gate(SEL_B, 0xdead0000u | off(g16_h_jmp), 0x84));
    idt_set(0x60, gate(SEL_B, 0xdead0000u | off(g16_h_int), 0x86));
    idt_set(0x61, gate(SEL_B, 0xdead0000u | off(g16_h_trap), 0x87));
    idt_set(6, gate(SEL_B, 0xdead0000u | off(g16_h_ud), 0x86));

    g16_run();
    rt_set_gate(6, 0);

    for (int i = 0; i < 5; i++) {
        rt_printf("%s: handler ran %u", names[i], g16_seen[i]);
        if (g16_seen[i] && expect_ip[i])
            rt_printf(", pushed ip %s cs %x", g16_ip[i] == off(expect_ip[i]) ? "ok" : "WRONG", g16_cs[i]);
        if (g16_seen[i] && i < 3)
            rt_printf(" flags.IF %u, IF in handler %u", (g16_flags[i] >> 9) & 1, g16_if[i]);
        rt_putc('\n');
    }
    rt_printf("#GP raised: %u\n", gp_count);
    rt_puts("gate16 done\n");
    return 0;
}
