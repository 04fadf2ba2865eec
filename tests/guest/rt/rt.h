/* Runtime shared by the guest test programs: COM1 output, formatted
 * printing, exit through isa-debug-exit, GDT/IDT set-up, PIC and PIT. */
#ifndef GUEST_RT_H
#define GUEST_RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* EFLAGS bits (SDM 1 3.4.3). */
#define FL_CF 0x0001u
#define FL_PF 0x0004u
#define FL_AF 0x0010u
#define FL_ZF 0x0040u
#define FL_SF 0x0080u
#define FL_TF 0x0100u
#define FL_IF 0x0200u
#define FL_DF 0x0400u
#define FL_OF 0x0800u
#define FL_ARITH (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)

/* GDT selectors set up by rt_init. */
#define SEL_CODE32 0x08 /* flat 4 GiB code */
#define SEL_DATA32 0x10 /* flat 4 GiB data */
#define SEL_CODE16 0x18 /* 16-bit code, 64 KiB (base set by the test) */
#define SEL_DATA16 0x20 /* 16-bit data, 64 KiB (base set by the test) */
#define SEL_FS 0x28     /* data segment with a test-chosen base */
#define SEL_GS 0x30     /* data segment with a test-chosen base */
#define SEL_NP 0x38     /* data segment marked not present */
#define SEL_XO 0x40     /* execute-only code segment */
/* Entries 13..15 belong to rt_user_call: its TSS and the flat ring-3
 * selectors (with RPL 3). */
#define SEL_TSS 0x68
#define SEL_UCODE 0x73 /* flat 4 GiB code, DPL 3 */
#define SEL_UDATA 0x7b /* flat 4 GiB data, DPL 3 */
#define RT_GDT_ENTRIES 16
/* rt_user_call's way back to ring 0: INT 0x7f through a DPL-3 gate. */
#define RT_VEC_USER_RET 0x7f

/* Stack layout built by isr_common (entry.asm), lowest address first.
 * Segment fields: only the low 16 bits are meaningful (SDM 2B PUSH). */
struct rt_frame {
    uint32_t gs, fs, es, ds;
    uint32_t edi, esi, ebp, esp_at_pusha, ebx, edx, ecx, eax;
    uint32_t vec, err;
    uint32_t eip, cs, eflags;
};

typedef void (*rt_handler)(struct rt_frame *f);

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint16_t inw(uint16_t port) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint32_t inl(uint16_t port) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }
#ifdef RT_HOST
/* hostcheck.sh: a user process cannot change IF (rt/host.c) */
static inline void rt_cli(void) {}
static inline void rt_sti(void) {}
#else
static inline void rt_cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void rt_sti(void) { __asm__ volatile("sti" ::: "memory"); }
#endif
static inline uint32_t rt_eflags(void) { uint32_t f; __asm__ volatile("pushfl; popl %0" : "=r"(f)); return f; }

void rt_putc(char c);
void rt_puts(const char *s);
void rt_printf(const char *fmt, ...);
void rt_vprintf(const char *fmt, va_list ap);
/* Arithmetic flags as "CPAZSO" letters, '-' where clear, masked by mask. */
void rt_print_flags(uint32_t fl, uint32_t mask);
_Noreturn void rt_exit(int code);

/* Hash used to fold many results into one printed line. */
static inline uint32_t rt_hash(uint32_t h, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        h ^= (v >> (8 * i)) & 0xff;
        h *= 16777619u;
    }
    return h;
}
#define RT_HASH_INIT 2166136261u

/* Small deterministic PRNG (xorshift32) for operand generation. */
uint32_t rt_rand(void);
void rt_srand(uint32_t seed); /* seed != 0; the initial seed is 0x12345678 */

void rt_gdt_set(int idx, uint32_t base, uint32_t limit, uint8_t access, uint8_t flags);
void rt_gdt_reload(void);
void rt_set_handler(int vec, rt_handler h);
/* trap=1: trap gate (IF kept), trap=0: interrupt gate (IF cleared). */
void rt_set_gate(int vec, int trap);
/* Clear or set a gate's present bit. */
void rt_set_gate_present(int vec, int present);
/* Reload IDTR with the given limit (0x7ff covers all 256 gates). */
void rt_idt_limit(uint16_t limit);

/* Call fn at CPL 3 (CS SEL_UCODE, DS/ES/FS/GS/SS SEL_UDATA, IOPL 3 so it
 * may print, a stack of its own) and come back here when it returns.
 * What it raises goes to the handlers at CPL 0, on a stack the TSS gives,
 * and may return into it. */
void rt_user_call(void (*fn)(void));
/* Run the real-mode code at cs:ip in virtual-8086 mode (SDM 3A 20.2), with
 * IOPL 3, every segment register = cs and SP = 0xfff0, until it executes
 * INT 0x7f; what it raises goes to the handlers at CPL 0 (the frame's
 * segment fields then hold null selectors) and may return into it. */
void rt_v86_call(uint16_t cs, uint16_t ip);

void rt_pic_init(void); /* remap IRQ0-15 to vectors 0x20-0x2f, all masked */
void rt_pic_unmask(int irq);
void rt_pic_mask(int irq);
void rt_pic_eoi(int irq);
void rt_pit_set_hz(uint32_t hz); /* channel 0, mode 2 */

void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

extern uint32_t rt_mb_magic, rt_mb_info;

/* EAX at _start in the ROM build (rt/rom_entry.asm), in place of the
 * Multiboot magic 0x2BADB002; EBX is then 0. */
#define RT_ROM_MAGIC 0x524f4d21u
int rt_rom_boot(void); /* started from the ROM image, not by Multiboot */

#endif
