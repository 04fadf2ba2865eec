/* monguest: the guest tests/monitor/run.sh drives through the monitor.
 *
 * It leaves known things to look at: a pattern at physical 0x200000
 * (words 12345678 deadbeef cafef00d, the bytes "jet86!", three
 * instructions at 0x200100: nop; mov eax,0x12345678; ret), two lines on
 * the text screen (no cursor), and page tables (PSE on) that map linear 0-4 MiB to
 * itself with a 4 MiB page, linear 0x40000000 to 0x200000 read-only for
 * user mode and 0x40001000 to 0x201000 writable for the supervisor only.
 * With -append pae the same mappings go through PAE tables (two 2 MiB
 * pages below 4 MiB). It turns the 8042's translation to set 1 on.
 * It enables the ACPI power button (PM1a_EN PWRBTN_EN) and prints
 * "ready", then forever counts in the word at 0x200020, prints every byte
 * the 8042 gives (the scan codes of sendkey) as "key XX" and the power
 * button as "power button" (clearing PWRBTN_STS). */
#include "rt/rt.h"
#include "rt/paging.h"

#define PAT 0x200000u
#define PTE_P 0x001u
#define PTE_W 0x002u
#define PTE_U 0x004u
#define PDE_PS 0x080u

static uint32_t pd[1024] __attribute__((aligned(4096)));
static uint32_t pt[1024] __attribute__((aligned(4096)));
/* -append pae: the same mappings through PAE tables (2 MiB pages below
 * 4 MiB) */
static uint64_t pdpt[4] __attribute__((aligned(32)));
static uint64_t pae_pd0[512] __attribute__((aligned(4096)));
static uint64_t pae_pd1[512] __attribute__((aligned(4096)));
static uint64_t pae_pt[512] __attribute__((aligned(4096)));

/* The Multiboot command line holds word w. */
static int cmdline_has(const char *w)
{
    const uint32_t *mbi = (const uint32_t *)rt_mb_info;
    if (!mbi || !(mbi[0] & 4))
        return 0;
    const char *s = (const char *)mbi[4];
    for (; *s; s++) {
        int i = 0;
        while (w[i] && s[i] == w[i])
            i++;
        if (!w[i])
            return 1;
    }
    return 0;
}

static uint32_t pci_read(uint32_t dev, uint32_t fn, uint32_t reg)
{
    outl(0xcf8, 0x80000000u | dev << 11 | fn << 8 | reg);
    return inl(0xcfc);
}

int main(void)
{
    volatile uint32_t *w = (volatile uint32_t *)PAT;
    w[0] = 0x12345678;
    w[1] = 0xdeadbeef;
    w[2] = 0xcafef00d;
    w[3] = 0;
    memcpy((void *)(PAT + 0x10), "jet86!", 6);
    static const uint8_t code[] = { 0x90, 0xb8, 0x78, 0x56, 0x34, 0x12, 0xc3 };
    memcpy((void *)(PAT + 0x100), code, sizeof(code));
    w[8] = 0; /* the counter, 0x200020 */

    volatile uint16_t *screen = (volatile uint16_t *)0xb8000;
    for (int i = 0; i < 80 * 25; i++)
        screen[i] = 0x0720;
    static const char *const lines[] = { "jet86 monitor test",
                                         "line two: 0123456789" };
    for (int r = 0; r < 2; r++)
        for (int c = 0; lines[r][c]; c++)
            screen[r * 80 + c] = (uint16_t)(0x0700 | (uint8_t)lines[r][c]);

    /* no cursor (CRTC 0Ah bit 5), so the picture does not blink */
    outb(0x3d4, 0x0a);
    outb(0x3d5, 0x20);

    if (cmdline_has("pae")) {
        pae_pd0[0] = 0 | PDE_PS | PTE_W | PTE_P;
        pae_pd0[1] = 0x200000 | PDE_PS | PTE_W | PTE_P;
        pae_pd1[0] = (uint32_t)pae_pt | PTE_U | PTE_W | PTE_P;
        pae_pt[0] = PAT | PTE_U | PTE_P;
        pae_pt[1] = (PAT + 0x1000) | PTE_W | PTE_P;
        pdpt[0] = (uint32_t)pae_pd0 | PTE_P;
        pdpt[1] = (uint32_t)pae_pd1 | PTE_P;
        wr_cr4(rd_cr4() | 0x20); /* PAE */
        wr_cr3((uint32_t)pdpt);
    } else {
        pd[0] = 0 | PDE_PS | PTE_W | PTE_P;
        pd[0x100] = (uint32_t)pt | PTE_U | PTE_W | PTE_P;
        pt[0] = PAT | PTE_U | PTE_P;
        pt[1] = (PAT + 0x1000) | PTE_W | PTE_P;
        wr_cr4(rd_cr4() | 0x10); /* PSE */
        wr_cr3((uint32_t)pd);
    }
    wr_cr0(rd_cr0() | 0x80000000u);

    /* The PIIX4 PM function (0:1.3): its I/O base (PMBA, 0x40), then
     * PM1a_EN's PWRBTN_EN. */
    uint16_t pm = (uint16_t)(pci_read(1, 3, 0x40) & 0xffc0);
    outw((uint16_t)(pm + 0), 0x0100); /* clear a stale PWRBTN_STS */
    outw((uint16_t)(pm + 2), 0x0100);

    /* Translation to set 1 on (command byte bit 6), as PC BIOSes leave it
     * (SeaBIOS does; jet86's own POST leaves the power-on value, off):
     * the same codes whatever the firmware. */
    while (inb(0x64) & 2)
        ;
    outb(0x64, 0x20);
    while (!(inb(0x64) & 1))
        ;
    uint8_t cb = inb(0x60);
    outb(0x64, 0x60);
    while (inb(0x64) & 2)
        ;
    outb(0x60, (uint8_t)(cb | 0x40));

    rt_printf("ready\n");
    for (;;) {
        w[8]++;
        uint8_t st = inb(0x64);
        if (st & 1) {
            uint8_t c = inb(0x60);
            if (!(st & 0x20))
                rt_printf("key %02x\n", c);
        }
        if (inw(pm) & 0x0100) {
            outw(pm, 0x0100);
            rt_printf("power button\n");
        }
    }
}
