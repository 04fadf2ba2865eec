/* multiboot: the Multiboot information block the loader passes in EBX
 * (Multiboot 0.6.96 section 3.3): magic, the flags for memory, command
 * line, memory map and loader name, mem_lower/mem_upper, the -append text
 * at the end of the command line (run with multiboot.args), and a memory
 * map whose available regions cover low RAM and the RAM above 1 MiB.
 * Firmware details that differ between machines (reserved regions, the
 * loader's name, the kernel's path) are checked, not printed. */
#include "rt/rt.h"

struct mbi {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
    uint32_t drives_length, drives_addr, config_table, boot_loader_name;
};

struct mmap_entry {
    uint32_t size;
    uint64_t addr, len;
    uint32_t type;
} __attribute__((packed));

static size_t str_len(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int main(void)
{
    const struct mbi *m = (const struct mbi *)rt_mb_info;
    rt_printf("magic %x\n", rt_mb_magic);
    rt_printf("flags: mem %u cmdline %u mmap %u loader name %u\n", m->flags & 1, (m->flags >> 2) & 1,
              (m->flags >> 6) & 1, (m->flags >> 9) & 1);
    /* QEMU derives these from the firmware's E820 map (639, 64384 for
     * -m 64); a loader may also count all of RAM (640, 64512) */
    rt_printf("mem_lower within 600..640 KiB: %s\n", m->mem_lower >= 600 && m->mem_lower <= 640 ? "yes" : "no");
    rt_printf("mem_upper within 62..63 MiB: %s\n",
              m->mem_upper >= 62 * 1024 && m->mem_upper <= 63 * 1024 ? "yes" : "no");

    const char *cl = (const char *)m->cmdline;
    const char *want = "console=ttyS0 answer=42";
    size_t n = str_len(cl), w = str_len(want);
    int tail_ok = n >= w && memcmp(cl + n - w, want, w) == 0;
    rt_printf("command line ends with \"%s\": %s\n", want, tail_ok ? "yes" : "no");

    const char *name = (const char *)m->boot_loader_name;
    rt_printf("boot loader name present: %s\n", (m->flags >> 9) & 1 && name && name[0] ? "yes" : "no");

    /* memory map: available (type 1) bytes below 640 KiB and above 1 MiB */
    uint64_t low = 0, high = 0;
    int bad_size = 0;
    for (uint32_t p = m->mmap_addr; p < m->mmap_addr + m->mmap_length;) {
        const struct mmap_entry *e = (const struct mmap_entry *)p;
        if (e->size < 20)
            bad_size = 1;
        if (e->type == 1) {
            if (e->addr < 0xa0000)
                low += e->len;
            else if (e->addr >= 0x100000)
                high += e->len;
        }
        p += e->size + 4;
    }
    rt_printf("mmap entry sizes ok: %s\n", bad_size ? "no" : "yes");
    rt_printf("mmap low RAM >= 600 KiB: %s\n", low >= 600 * 1024 && low <= 640 * 1024 ? "yes" : "no");
    /* -m 64 in multiboot.args: firmware may reserve a little at the top */
    rt_printf("mmap RAM above 1 MiB within 62..63 MiB: %s\n",
              high >= 62ull * 1024 * 1024 && high <= 63ull * 1024 * 1024 ? "yes" : "no");
    rt_puts("multiboot done\n");
    return 0;
}
