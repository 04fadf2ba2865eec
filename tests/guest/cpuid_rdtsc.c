/* cpuid_rdtsc: CPUID leaf 0 (maximum leaf above 0, a 12-character vendor
 * string of printable ASCII), leaf 1 (family non-zero, TSC feature bit),
 * registers other than EAX..EDX untouched; RDTSC increasing across a busy
 * loop and EDX:EAX forming one 64-bit counter.  Only facts that hold on
 * any correct CPU model are printed, so QEMU and jet86 agree. */
#include "rt/rt.h"

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

int main(void)
{
    uint32_t a, b, c, d, si = 0x5151, di = 0xd1d1;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d), "+S"(si), "+D"(di) : "a"(0));
    rt_printf("cpuid 0: max leaf > 0: %s\n", a > 0 ? "yes" : "no");
    char vendor[13];
    memcpy(vendor, &b, 4);
    memcpy(vendor + 4, &d, 4);
    memcpy(vendor + 8, &c, 4);
    vendor[12] = 0;
    int printable = 1;
    for (int i = 0; i < 12; i++)
        if (vendor[i] < 0x20 || vendor[i] > 0x7e)
            printable = 0;
    rt_printf("cpuid 0: vendor is 12 printable chars: %s\n", printable ? "yes" : "no");
    rt_printf("cpuid: esi/edi untouched: %s\n", si == 0x5151 && di == 0xd1d1 ? "yes" : "no");
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    rt_printf("cpuid 1: family non-zero: %s, tsc bit: %u\n", ((a >> 8) & 0xf) ? "yes" : "no", (d >> 4) & 1);

    uint64_t t0 = rdtsc();
    volatile uint32_t spin = 0;
    for (int i = 0; i < 100000; i++)
        spin++;
    uint64_t t1 = rdtsc();
    rt_printf("rdtsc increases: %s\n", t1 > t0 ? "yes" : "no");
    int mono = 1;
    uint64_t prev = rdtsc();
    for (int i = 0; i < 1000; i++) {
        uint64_t now = rdtsc();
        if (now < prev)
            mono = 0;
        prev = now;
    }
    rt_printf("rdtsc monotonic over 1000 reads: %s\n", mono ? "yes" : "no");
    rt_puts("cpuid_rdtsc done\n");
    return 0;
}
