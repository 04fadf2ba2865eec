/*
 * guest_paged.c - the paged benchmark guest: the same workload at CPL 3
 * under 32-bit paging, as a process of an operating system runs. Guest RAM
 * (64 MiB, bench.sh's -m 64) is mapped 1:1 in 4 KiB user pages whose
 * accessed and dirty bits start clear, so every access goes through the
 * user TLB, filled by page walks that set them; EFLAGS.IOPL is 3, so the
 * glue's port I/O works at CPL 3. No interrupt or exception is expected:
 * there is no IDT.
 */
#include <stdint.h>

#include "tests/bench/bench.h"

#define RAM_MAPPED (64u << 20)
#define PTE_P 0x001u
#define PTE_RW 0x002u
#define PTE_US 0x004u
#define CR0_PG 0x80000000u
#define SEL_UCODE 0x1b /* GDT entry 3, RPL 3 */
#define SEL_UDATA 0x23 /* GDT entry 4, RPL 3 */
#define EFLAGS_IOPL3 0x3000u

static uint32_t page_dir[1024] __attribute__((aligned(4096)));
static uint32_t page_tables[RAM_MAPPED >> 22][1024]
    __attribute__((aligned(4096)));

/* Flat 4 GiB segments (SDM 3A 3.4.5): kernel code and data, user code
 * and data (DPL 3). */
static const uint64_t gdt[5] __attribute__((aligned(8))) = {
    0,
    0x00cf9a000000ffffull,
    0x00cf92000000ffffull,
    0x00cffa000000ffffull,
    0x00cff2000000ffffull,
};

static uint32_t user_scale;

static _Noreturn void user_main(void) { bench_guest_run(user_scale); }

_Noreturn void bench_guest_main(uint32_t magic, const uint32_t *info)
{
    user_scale = bench_guest_scale(magic, info);

    struct __attribute__((packed)) {
        uint16_t limit;
        uint32_t base;
    } gdtr = { sizeof gdt - 1, (uint32_t)gdt };
    __asm__ volatile("lgdt %0\n\t"
                     "ljmp $0x08, $1f\n"
                     "1: mov $0x10, %%ax\n\t"
                     "mov %%ax, %%ds\n\t"
                     "mov %%ax, %%es\n\t"
                     "mov %%ax, %%ss\n\t"
                     :
                     : "m"(gdtr)
                     : "eax", "memory");

    for (uint32_t t = 0; t < (RAM_MAPPED >> 22); t++) {
        page_dir[t] = (uint32_t)page_tables[t] | PTE_P | PTE_RW | PTE_US;
        for (uint32_t i = 0; i < 1024; i++)
            page_tables[t][i] = (t << 22) | (i << 12) | PTE_P | PTE_RW | PTE_US;
    }
    __asm__ volatile("mov %0, %%cr3\n\t"
                     "mov %%cr0, %%eax\n\t"
                     "or %1, %%eax\n\t"
                     "mov %%eax, %%cr0"
                     :
                     : "r"(page_dir), "i"(CR0_PG)
                     : "eax", "memory");

    /* IRET to CPL 3 on the same stack (every page is a user page). */
    uint32_t esp;
    __asm__ volatile("mov %%esp, %0" : "=r"(esp));
    __asm__ volatile("mov %0, %%ds\n\t"
                     "mov %0, %%es\n\t"
                     "mov %0, %%fs\n\t"
                     "mov %0, %%gs\n\t"
                     "push %0\n\t"
                     "push %1\n\t"
                     "push %2\n\t"
                     "push %3\n\t"
                     "push %4\n\t"
                     "iret"
                     :
                     : "r"((uint32_t)SEL_UDATA), "r"(esp - 64),
                       "r"(0x2u | EFLAGS_IOPL3), "r"((uint32_t)SEL_UCODE),
                       "r"((uint32_t)user_main)
                     : "memory");
    __builtin_unreachable();
}
