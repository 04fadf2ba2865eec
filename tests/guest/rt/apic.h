/* apic.h - the local APIC, IOAPIC and HPET registers for the guest
 * programs that test them (apic, apic_timer, ioapic, hpet). Flat
 * protected mode without paging: the registers are at their physical
 * addresses. */
#ifndef RT_APIC_H
#define RT_APIC_H

#include <stdint.h>

#define LAPIC_BASE 0xfee00000u
#define IOAPIC_BASE 0xfec00000u
#define HPET_BASE 0xfed00000u

static inline uint32_t mmio_rd(uint32_t a) { return *(volatile uint32_t *)(uintptr_t)a; }
static inline void mmio_wr(uint32_t a, uint32_t v) { *(volatile uint32_t *)(uintptr_t)a = v; }

static inline uint32_t lapic_rd(uint32_t off) { return mmio_rd(LAPIC_BASE + off); }
static inline void lapic_wr(uint32_t off, uint32_t v) { mmio_wr(LAPIC_BASE + off, v); }
static inline void lapic_eoi(void) { lapic_wr(0xb0, 0); }

static inline uint32_t ioapic_rd(uint8_t idx)
{
    *(volatile uint8_t *)(uintptr_t)IOAPIC_BASE = idx;
    return mmio_rd(IOAPIC_BASE + 0x10);
}
static inline void ioapic_wr(uint8_t idx, uint32_t v)
{
    *(volatile uint8_t *)(uintptr_t)IOAPIC_BASE = idx;
    mmio_wr(IOAPIC_BASE + 0x10, v);
}

static inline uint64_t apic_rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}
static inline void apic_wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}
static inline uint32_t apic_cpuid1_edx(void)
{
    uint32_t a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    return d;
}
static inline uint64_t apic_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

#endif
