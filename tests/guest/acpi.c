/* acpi: the firmware's ACPI tables as an OS finds and uses them (ACPI 6.4,
 * 5.2.5.1): the RSDP found by scanning the first KiB of the EBDA and
 * E0000-FFFFF on 16-byte boundaries, its checksum, the RSDT and every
 * table it lists checked by their checksums, the FADT's DSDT and FACS
 * reached; then the FADT's fixed hardware is used: the PM timer at
 * PM_TMR_BLK advances, ACPI_ENABLE written to SMI_CMD sets SCI_EN in
 * PM1a_CNT, and the SLP_TYPa of \_S5 read from the DSDT's AML, written
 * with SLP_EN, powers the machine off (status 0, acpi.status).
 *
 * Printed is only what any PC firmware on this chipset must give: QEMU's
 * tables come from SeaBIOS and list more tables (MADT, HPET, WAET) and
 * other OEM IDs, so the program prints the tables both must have (FACP,
 * DSDT, FACS), the FADT fields the PIIX4 hardware fixes (SCI on IRQ 9,
 * SMI_CMD at the APM port 0xB2, the PM1 and timer block lengths) and
 * what the hardware does.
 * acpi.norom: the ROM build runs without any firmware, so there are no
 * tables to find. */
#include "rt/rt.h"

static int bad_checksums;

static uint8_t checksum(const uint8_t *p, uint32_t n)
{
    uint8_t s = 0;
    for (uint32_t i = 0; i < n; i++)
        s = (uint8_t)(s + p[i]);
    return s;
}

static uint32_t rd32(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static const uint8_t *scan_rsdp(uint32_t from, uint32_t to)
{
    for (uint32_t a = from; a + 20 <= to; a += 16) {
        const uint8_t *p = (const uint8_t *)(uintptr_t)a;
        if (memcmp(p, "RSD PTR ", 8) == 0 && checksum(p, 20) == 0)
            return p;
    }
    return 0;
}

/* A table's checksum over its length; a bad one is counted. */
static const uint8_t *table(uint32_t addr, const char *want)
{
    const uint8_t *t = (const uint8_t *)(uintptr_t)addr;
    if (want && memcmp(t, want, 4) != 0) {
        rt_printf("%s expected at %x: missing\n", want, addr);
        return 0;
    }
    if (checksum(t, rd32(t + 4)) != 0) {
        rt_printf("%c%c%c%c: bad checksum\n", t[0], t[1], t[2], t[3]);
        bad_checksums++;
    }
    return t;
}

/* The SLP_TYPa of Name(\_S5, Package() { a, b, ... }) in the AML: "_S5_"
 * after NameOp (08) or a root prefix, then PackageOp (12), a one-byte
 * PkgLength (the package is small), NumElements and the first element
 * (ZeroOp, OneOp or BytePrefix). -1 when not found. */
static int s5_slp_typa(const uint8_t *aml, uint32_t len)
{
    for (uint32_t i = 1; i + 9 < len; i++) {
        if (memcmp(aml + i, "_S5_", 4) != 0 ||
            (aml[i - 1] != 0x08 && aml[i - 1] != '\\') || aml[i + 4] != 0x12)
            continue;
        const uint8_t *e = aml + i + 7;
        if (aml[i + 5] & 0xc0)
            e++; /* a two-byte PkgLength */
        if (e[0] == 0x00 || e[0] == 0x01)
            return e[0];
        if (e[0] == 0x0a)
            return e[1];
    }
    return -1;
}

static void delay(void)
{
    for (volatile int i = 0; i < 20000; i++)
        ;
}

int main(void)
{
    uintptr_t bda = 0x400; /* hidden from GCC's null-page bounds check */
    __asm__("" : "+r"(bda));
    uint32_t ebda = (uint32_t)rd16((const uint8_t *)(bda + 0x0e)) << 4;
    const uint8_t *rsdp = 0;
    if (ebda >= 0x80000 && ebda < 0xa0000)
        rsdp = scan_rsdp(ebda, ebda + 1024);
    if (!rsdp)
        rsdp = scan_rsdp(0xe0000, 0x100000);
    if (!rsdp) {
        rt_printf("no RSDP\n");
        return 1;
    }
    rt_printf("RSDP found, checksum ok, revision %u\n", rsdp[15]);
    const uint8_t *rsdt = table(rd32(rsdp + 16), "RSDT");
    if (!rsdt)
        return 1;
    rt_printf("RSDT checksum ok: %s\n", bad_checksums ? "no" : "yes");
    const uint8_t *fadt = 0;
    uint32_t n = (rd32(rsdt + 4) - 36) / 4;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *t = table(rd32(rsdt + 36 + 4 * i), 0);
        if (memcmp(t, "FACP", 4) == 0)
            fadt = t;
    }
    if (!fadt) {
        rt_printf("no FACP\n");
        return 1;
    }
    rt_printf("FACP reached\n");
    const uint8_t *dsdt = table(rd32(fadt + 40), "DSDT");
    const uint8_t *facs = (const uint8_t *)(uintptr_t)rd32(fadt + 36);
    if (!dsdt)
        return 1;
    rt_printf("DSDT reached\n");
    rt_printf("FACS reached: %s, 64-byte aligned: %s\n",
              memcmp(facs, "FACS", 4) == 0 ? "yes" : "no",
              ((uintptr_t)facs & 63) == 0 ? "yes" : "no");
    rt_printf("every checksum valid: %s\n", bad_checksums ? "no" : "yes");

    uint16_t sci = rd16(fadt + 46);
    uint32_t smi_cmd = rd32(fadt + 48);
    uint8_t enable = fadt[52];
    uint32_t pm1a_cnt = rd32(fadt + 64), pm_tmr = rd32(fadt + 76);
    rt_printf("SCI_INT %u, SMI_CMD %x\n", sci, smi_cmd);
    rt_printf("PM1_EVT_LEN %u, PM1_CNT_LEN %u, PM_TMR_LEN %u\n", fadt[88],
              fadt[89], fadt[91]);

    uint32_t t0 = inl((uint16_t)pm_tmr) & 0xffffff;
    delay();
    uint32_t t1 = inl((uint16_t)pm_tmr) & 0xffffff;
    rt_printf("PM timer advances: %s\n", t1 != t0 ? "yes" : "no");

    if (!(inw((uint16_t)pm1a_cnt) & 1)) {
        outb((uint16_t)smi_cmd, enable);
        for (int i = 0; i < 1000 && !(inw((uint16_t)pm1a_cnt) & 1); i++)
            delay();
    }
    rt_printf("ACPI mode, SCI_EN: %u\n", inw((uint16_t)pm1a_cnt) & 1);

    int typ = s5_slp_typa(dsdt + 36, rd32(dsdt + 4) - 36);
    rt_printf("\\_S5 SLP_TYPa: %d\n", typ);
    if (typ < 0)
        return 1;
    rt_printf("powering off\n");
    outw((uint16_t)pm1a_cnt, (uint16_t)((typ & 7) << 10 | 1 << 13));
    /* jet86 powers off at the write; QEMU's main loop acts on the request
     * a while later, longer on a loaded host: give it some 100M
     * instructions before saying the write did nothing */
    for (int i = 0; i < 1000; i++)
        delay();
    rt_printf("still running\n");
    return 1;
}
