/*
 * monitor.c - the human monitor (QEMU's spelling of commands and their
 * output where jet86 has the same concept): help, info registers|mem|tlb,
 * x and xp, screendump, sendkey, stop, cont, system_reset,
 * system_powerdown, quit.
 *
 * Commands run at an instruction boundary: -monitor's descriptor is
 * polled by a vtimer (as COM1's stdin is, frontend/console.c), so the
 * guest runs on while nobody types. `stop` pauses the machine
 * (machine_pause) until a `cont` from any monitor: no guest instruction
 * runs, virtual time stands still, and machine_run calls every front
 * end's idle handler meanwhile, so this monitor still answers and the
 * window still repaints.
 *
 * Every guest-supplied value (page table entries, addresses) is bounded
 * before use; bad input prints one error line and changes nothing.
 */
#include "frontend/monitor.h"

#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/util.h"
#include "devices/i8042.h"
#include "devices/piix4_pm.h"
#include "devices/ps2.h"
#include "devices/vga.h"
#include "frontend/machine.h"
#include "frontend/screendump.h"
#include "frontend/tcp_listen.h"
#include "softmmu/memory.h"
#include "translator/disas.h"
#include "translator/x86/cpu.h"

/* How often -monitor's descriptor is polled, in virtual time. */
#define MONITOR_POLL_NS (1000 * 1000)
#define MONITOR_LINE_MAX 1024
/* x/xp: at most this many units in one command. */
#define MONITOR_COUNT_MAX 4096
/* The physical address space (36 bits, PAE). */
#define PHYS_LIMIT (1ull << 36)

struct monitor {
    struct machine *m;
    monitor_output_fn *out;
    void *opaque;
    char last_fmt;      /* x, xp: the format and size of the last one */
    int last_size;

    /* -monitor's descriptor (stdio or a telnet connection) */
    int in_fd, out_fd;  /* -1: none (a telnet port nobody is on) */
    int listen_fd;      /* telnet: the listening socket, else -1 */
    bool telnet;
    char line[MONITOR_LINE_MAX];
    size_t line_len;
    bool line_long;     /* the line outgrew line[]: refused at its end */
    int iac_skip;       /* telnet: bytes of an IAC sequence still to drop */
    bool polled;        /* poll_timer is set up, and the idle handler
                           (monitor_open) */
    struct vtimer poll_timer;
    struct mem_run {    /* info mem: the run of pages being gathered */
        bool open;
        uint64_t start, end, rights;
    } run;
};

/* ---- output ---- */

static void mon_printf(struct monitor *mon, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void mon_printf(struct monitor *mon, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof(small)) {
        mon->out(mon->opaque, small, (size_t)n);
        return;
    }
    char *big = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    mon->out(mon->opaque, big, (size_t)n);
    free(big);
}

void monitor_prompt(struct monitor *mon)
{
    mon_printf(mon, "(jet86) ");
}

bool monitor_stopped(const struct monitor *mon)
{
    return mon->m->paused;
}

/* ---- words ---- */

/* The next blank-separated word of *p into w (size bytes), or false. */
static bool next_word(const char **p, char *w, size_t size)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = 0;
    while (s[n] && s[n] != ' ' && s[n] != '\t')
        n++;
    if (!n || n >= size)
        return false;
    memcpy(w, s, n);
    w[n] = 0;
    *p = s + n;
    return true;
}

static bool rest_empty(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return !*p;
}

/* An address or number: C syntax (0x hex, decimal), or $REG (eax.. eip). */
static bool parse_value(struct monitor *mon, const char *s, uint64_t *v)
{
    static const char *const regs[] = { "eax", "ecx", "edx", "ebx",
                                        "esp", "ebp", "esi", "edi" };
    if (*s == '$') {
        for (int i = 0; i < 8; i++)
            if (!strcmp(s + 1, regs[i])) {
                *v = (uint32_t)mon->m->cpu.regs[i];
                return true;
            }
        if (!strcmp(s + 1, "eip") || !strcmp(s + 1, "pc")) {
            *v = mon->m->cpu.seg[SEG_CS].base + (uint32_t)mon->m->cpu.eip;
            return true;
        }
        return false;
    }
    char *end;
    if (!*s || *s == '-')
        return false;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno || *end)
        return false;
    *v = x;
    return true;
}

/* ---- info registers ---- */

static void seg_line(struct monitor *mon, const char *name,
                     const struct segment *s)
{
    /* QEMU prints descriptor bits 32-63 with the limit bits cleared */
    mon_printf(mon, "%s=%04x %08x %08x %08x\n", name, s->sel,
               (uint32_t)s->base, s->limit, (uint32_t)s->attr << 8);
}

static void cmd_info_registers(struct monitor *mon)
{
    struct cpu *c = &mon->m->cpu;
    uint32_t efl = cpu_get_eflags(c);
    static const char *const segn[SEG_COUNT] = { "ES ", "CS ", "SS ",
                                                 "DS ", "FS ", "GS " };
    mon_printf(mon, "EAX=%08x EBX=%08x ECX=%08x EDX=%08x\n",
               (uint32_t)c->regs[R_EAX], (uint32_t)c->regs[R_EBX],
               (uint32_t)c->regs[R_ECX], (uint32_t)c->regs[R_EDX]);
    mon_printf(mon, "ESI=%08x EDI=%08x EBP=%08x ESP=%08x\n",
               (uint32_t)c->regs[R_ESI], (uint32_t)c->regs[R_EDI],
               (uint32_t)c->regs[R_EBP], (uint32_t)c->regs[R_ESP]);
    int cpl = (c->cr[0] & 1) ? SEG_ATTR_DPL(c->seg[SEG_CS].attr) : 0;
    if (efl & 0x20000)
        cpl = 3; /* virtual-8086 mode */
    mon_printf(mon, "EIP=%08x EFL=%08x [%c%c%c%c%c%c%c] CPL=%d HLT=%d\n",
               (uint32_t)c->eip, efl, efl & 0x400 ? 'D' : '-',
               efl & 0x800 ? 'O' : '-', efl & 0x80 ? 'S' : '-',
               efl & 0x40 ? 'Z' : '-', efl & 0x10 ? 'A' : '-',
               efl & 0x4 ? 'P' : '-', efl & 0x1 ? 'C' : '-', cpl,
               c->halted ? 1 : 0);
    for (int i = 0; i < SEG_COUNT; i++)
        seg_line(mon, segn[i], &c->seg[i]);
    seg_line(mon, "LDT", &c->ldt);
    seg_line(mon, "TR ", &c->tr);
    mon_printf(mon, "GDT=     %08x %08x\n", (uint32_t)c->gdt.base,
               c->gdt.limit);
    mon_printf(mon, "IDT=     %08x %08x\n", (uint32_t)c->idt.base,
               c->idt.limit);
    mon_printf(mon, "CR0=%08x CR2=%08x CR3=%08x CR4=%08x\n",
               (uint32_t)c->cr[0], (uint32_t)c->cr[2], (uint32_t)c->cr[3],
               (uint32_t)c->cr[4]);
    mon_printf(mon, "EFER=%016" PRIx64 "\n", c->efer);
}

/* ---- page tables (info mem, info tlb) ---- */

#define PTE_P 0x1ull
#define PTE_W 0x2ull
#define PTE_U 0x4ull
#define PTE_A 0x20ull
#define PTE_D 0x40ull
#define PTE_PS 0x80ull
#define PTE_G 0x100ull
#define PTE_NX (1ull << 63)
#define CR0_PG_BIT 0x80000000u
#define CR4_PSE_BIT 0x10u
#define CR4_PAE_BIT 0x20u

/* One mapping: linear va, size bytes at pa, with the rights of every
 * level (W and U only where every level grants them; NX where any sets
 * it). */
typedef void walk_fn(struct monitor *mon, uint64_t va, uint64_t pa,
                     uint64_t size, uint64_t flags);

static uint64_t read_entry(struct monitor *mon, uint64_t pa, bool pae)
{
    if (pa >= PHYS_LIMIT)
        return 0;
    uint8_t b[8] = { 0 };
    phys_read(&mon->m->mem, pa, b, pae ? 8 : 4);
    uint64_t v = 0;
    for (int i = (pae ? 7 : 3); i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

static uint64_t combine(uint64_t upper, uint64_t e)
{
    uint64_t rights = upper & e & (PTE_W | PTE_U);
    return (e & ~(PTE_W | PTE_U)) | rights | ((upper | e) & PTE_NX);
}

static void walk_tables(struct monitor *mon, walk_fn *fn)
{
    struct cpu *c = &mon->m->cpu;
    const uint64_t addr_mask = (PHYS_LIMIT - 1) & ~0xfffull;
    if (!(c->cr[0] & CR0_PG_BIT))
        return;
    if (c->cr[4] & CR4_PAE_BIT) {
        uint64_t pdpt = (c->cr[3] & 0xffffffe0u);
        for (unsigned i = 0; i < 4; i++) {
            uint64_t pdpte = read_entry(mon, pdpt + 8 * i, true);
            if (!(pdpte & PTE_P))
                continue;
            /* PDPTEs hold no rights in PAE mode: full rights above */
            uint64_t up = PTE_W | PTE_U;
            uint64_t pd = pdpte & addr_mask;
            for (unsigned j = 0; j < 512; j++) {
                uint64_t pde = read_entry(mon, pd + 8 * j, true);
                if (!(pde & PTE_P))
                    continue;
                uint64_t va = (uint64_t)i << 30 | (uint64_t)j << 21;
                uint64_t f = combine(up, pde);
                if (pde & PTE_PS) {
                    fn(mon, va, pde & addr_mask & ~0x1fffffull, 1u << 21, f);
                    continue;
                }
                uint64_t pt = pde & addr_mask;
                for (unsigned k = 0; k < 512; k++) {
                    uint64_t pte = read_entry(mon, pt + 8 * k, true);
                    if (pte & PTE_P)
                        fn(mon, va | (uint64_t)k << 12, pte & addr_mask,
                           4096, combine(f, pte));
                }
            }
        }
        return;
    }
    uint64_t pd = c->cr[3] & 0xfffff000u;
    for (unsigned j = 0; j < 1024; j++) {
        uint64_t pde = read_entry(mon, pd + 4 * j, false);
        if (!(pde & PTE_P))
            continue;
        uint64_t va = (uint64_t)j << 22;
        if ((pde & PTE_PS) && (c->cr[4] & CR4_PSE_BIT)) {
            /* PSE-36: bits 13-16 are physical address bits 32-35 */
            uint64_t pa = (pde & 0xffc00000u) | ((pde >> 13) & 0xf) << 32;
            fn(mon, va, pa, 1u << 22, pde);
            continue;
        }
        uint64_t pt = pde & 0xfffff000u;
        for (unsigned k = 0; k < 1024; k++) {
            uint64_t pte = read_entry(mon, pt + 4 * k, false);
            if (pte & PTE_P)
                fn(mon, va | (uint64_t)k << 12, pte & 0xfffff000u, 4096,
                   combine(pde, pte));
        }
    }
}

/* info mem: runs of contiguous linear addresses with the same rights. */
static struct mem_run *mon_run(struct monitor *mon)
{
    return &mon->run;
}

static void mem_run_print(struct monitor *mon, struct mem_run *r)
{
    if (r->open)
        mon_printf(mon, "%08" PRIx64 "-%08" PRIx64 " %08" PRIx64 " %c%c%c\n",
                   r->start, r->end, r->end - r->start,
                   r->rights & PTE_U ? 'u' : '-', 'r',
                   r->rights & PTE_W ? 'w' : '-');
    r->open = false;
}

static void mem_visit(struct monitor *mon, uint64_t va, uint64_t pa,
                      uint64_t size, uint64_t flags)
{
    (void)pa;
    struct mem_run *r = mon_run(mon);
    uint64_t rights = flags & (PTE_W | PTE_U);
    if (r->open && r->end == va && r->rights == rights) {
        r->end = va + size;
        return;
    }
    mem_run_print(mon, r);
    *r = (struct mem_run){ true, va, va + size, rights };
}

static void tlb_visit(struct monitor *mon, uint64_t va, uint64_t pa,
                      uint64_t size, uint64_t f)
{
    (void)size;
    mon_printf(mon, "%08" PRIx64 ": %09" PRIx64 " %c%c%c%c%c%c%c%c%c\n", va,
               pa, f & PTE_NX ? 'X' : '-', f & PTE_G ? 'G' : '-',
               f & PTE_PS ? 'P' : '-', f & PTE_D ? 'D' : '-',
               f & PTE_A ? 'A' : '-', f & 0x10 ? 'C' : '-',
               f & 0x8 ? 'T' : '-', f & PTE_U ? 'U' : '-',
               f & PTE_W ? 'W' : '-');
}

static void cmd_info_paging(struct monitor *mon, bool tlb)
{
    if (!(mon->m->cpu.cr[0] & CR0_PG_BIT)) {
        mon_printf(mon, "PG disabled\n");
        return;
    }
    if (tlb) {
        walk_tables(mon, tlb_visit);
        return;
    }
    mon_run(mon)->open = false;
    walk_tables(mon, mem_visit);
    mem_run_print(mon, mon_run(mon));
}

/* ---- x, xp ---- */

/* Read len bytes of guest memory: linear through the page tables (x) or
 * physical (xp). */
static bool mem_get(struct monitor *mon, uint64_t addr, uint8_t *buf,
                    size_t len, bool phys)
{
    if (phys) {
        if (addr >= PHYS_LIMIT || len > PHYS_LIMIT - addr)
            return false;
        phys_read(&mon->m->mem, addr, buf, len);
        return true;
    }
    if (addr > 0xffffffffull || len > 0x100000000ull - addr)
        return false;
    return cpu_debug_memory_rw(&mon->m->cpu, addr, buf, len, false);
}

static void cmd_x(struct monitor *mon, const char *fmtarg, const char *args,
                  bool phys)
{
    const char *name = phys ? "xp" : "x";
    unsigned long count = 1;
    /* as QEMU, the format and size of the last x or xp are the default */
    char fmt = mon->last_fmt;
    int size = 0;
    const char *p = fmtarg;
    char addrw[64];

    if (*p == '/') {
        p++;
        if (*p >= '0' && *p <= '9') {
            char *end;
            count = strtoul(p, &end, 10);
            p = end;
        }
        for (; *p; p++) {
            switch (*p) {
            case 'x': case 'd': case 'u': case 'o': case 'c': case 'i':
                fmt = *p;
                break;
            case 'b': size = 1; break;
            case 'h': size = 2; break;
            case 'w': size = 4; break;
            case 'g': size = 8; break;
            default:
                mon_printf(mon, "%s: invalid format '%c' (count, then x d u "
                           "o c i and b h w g)\n", name, *p);
                return;
            }
        }
        if (!next_word(&args, addrw, sizeof(addrw))) {
            mon_printf(mon, "%s: missing address\n", name);
            return;
        }
    } else {
        snprintf(addrw, sizeof(addrw), "%s", fmtarg);
    }
    if (!rest_empty(args)) {
        mon_printf(mon, "%s: extra arguments\n", name);
        return;
    }
    uint64_t addr;
    if (!parse_value(mon, addrw, &addr)) {
        mon_printf(mon, "%s: bad address '%s'\n", name, addrw);
        return;
    }
    if (count == 0 || count > MONITOR_COUNT_MAX) {
        mon_printf(mon, "%s: count must be 1-%d\n", name, MONITOR_COUNT_MAX);
        return;
    }

    if (fmt == 'i') {
        mon->last_fmt = fmt;
        struct cpu *c = &mon->m->cpu;
        int mode = (c->cr[0] & 1) && (c->seg[SEG_CS].attr & SEG_ATTR_DB) &&
                           !(cpu_get_eflags(c) & 0x20000)
                       ? 32
                       : 16;
        for (unsigned long i = 0; i < count; i++) {
            uint8_t code[16];
            size_t n = sizeof(code);
            /* the instruction may end before an unmapped page */
            while (n && !mem_get(mon, addr, code, n, phys))
                n--;
            if (!n) {
                mon_printf(mon, "Cannot access memory at 0x%08" PRIx64 "\n",
                           addr);
                return;
            }
            char text[128];
            int len = disas_insn_text(code, n, (uint32_t)addr, mode, text,
                                      sizeof(text));
            if (len <= 0) {
                mon_printf(mon, "0x%08" PRIx64 ":  .byte 0x%02x\n", addr,
                           code[0]);
                len = 1;
            } else {
                mon_printf(mon, "0x%08" PRIx64 ":  %s\n", addr, text);
            }
            addr += (uint64_t)len;
        }
        return;
    }

    if (!size)
        size = fmt == 'c' ? 1 : mon->last_size;
    mon->last_fmt = fmt;
    mon->last_size = size;
    int per_line = fmt == 'c' ? 16 : 16 / size;
    uint8_t buf[8];
    for (unsigned long i = 0; i < count; i++) {
        if (!mem_get(mon, addr, buf, (size_t)size, phys)) {
            mon_printf(mon, "%sCannot access memory at 0x%08" PRIx64 "\n",
                       i ? "\n" : "", addr);
            return;
        }
        if (i % (unsigned long)per_line == 0) {
            if (i)
                mon_printf(mon, "\n");
            if (phys)
                mon_printf(mon, "%016" PRIx64 ":", addr);
            else
                mon_printf(mon, "%08" PRIx64 ":", addr);
        }
        uint64_t v = 0;
        for (int b = size - 1; b >= 0; b--)
            v = v << 8 | buf[b];
        int bits = size * 8;
        int64_t sv = bits == 64 ? (int64_t)v
                                : (int64_t)(v << (64 - bits)) >> (64 - bits);
        switch (fmt) {
        case 'x': mon_printf(mon, " 0x%0*" PRIx64, size * 2, v); break;
        case 'd': mon_printf(mon, " %" PRId64, sv); break;
        case 'u': mon_printf(mon, " %" PRIu64, v); break;
        case 'o': mon_printf(mon, " %#" PRIo64, v); break;
        case 'c':
            if (v >= 0x20 && v < 0x7f)
                mon_printf(mon, " '%c'", (char)v);
            else
                mon_printf(mon, " '\\x%02" PRIx64 "'", v);
            break;
        }
        addr += (uint64_t)size;
    }
    mon_printf(mon, "\n");
}

/* ---- sendkey ---- */

struct key_name {
    const char *name;
    uint16_t code; /* scan code set 2 (devices/ps2.h) */
};

static const struct key_name key_names[] = {
    { "shift", 0x12 }, { "shift_r", 0x59 }, { "ctrl", 0x14 },
    { "ctrl_r", 0xe014 }, { "alt", 0x11 }, { "alt_r", 0xe011 },
    { "altgr", 0xe011 }, { "meta_l", 0xe01f }, { "meta_r", 0xe027 },
    { "menu", 0xe02f }, { "esc", 0x76 }, { "1", 0x16 }, { "2", 0x1e },
    { "3", 0x26 }, { "4", 0x25 }, { "5", 0x2e }, { "6", 0x36 },
    { "7", 0x3d }, { "8", 0x3e }, { "9", 0x46 }, { "0", 0x45 },
    { "minus", 0x4e }, { "equal", 0x55 }, { "backspace", 0x66 },
    { "tab", 0x0d }, { "q", 0x15 }, { "w", 0x1d }, { "e", 0x24 },
    { "r", 0x2d }, { "t", 0x2c }, { "y", 0x35 }, { "u", 0x3c },
    { "i", 0x43 }, { "o", 0x44 }, { "p", 0x4d }, { "bracket_left", 0x54 },
    { "bracket_right", 0x5b }, { "ret", 0x5a }, { "a", 0x1c },
    { "s", 0x1b }, { "d", 0x23 }, { "f", 0x2b }, { "g", 0x34 },
    { "h", 0x33 }, { "j", 0x3b }, { "k", 0x42 }, { "l", 0x4b },
    { "semicolon", 0x4c }, { "apostrophe", 0x52 }, { "grave_accent", 0x0e },
    { "backslash", 0x5d }, { "z", 0x1a }, { "x", 0x22 }, { "c", 0x21 },
    { "v", 0x2a }, { "b", 0x32 }, { "n", 0x31 }, { "m", 0x3a },
    { "comma", 0x41 }, { "dot", 0x49 }, { "slash", 0x4a },
    { "asterisk", 0x7c }, { "spc", 0x29 }, { "caps_lock", 0x58 },
    { "f1", 0x05 }, { "f2", 0x06 }, { "f3", 0x04 }, { "f4", 0x0c },
    { "f5", 0x03 }, { "f6", 0x0b }, { "f7", 0x83 }, { "f8", 0x0a },
    { "f9", 0x01 }, { "f10", 0x09 }, { "f11", 0x78 }, { "f12", 0x07 },
    { "num_lock", 0x77 }, { "scroll_lock", 0x7e }, { "kp_divide", 0xe04a },
    { "kp_multiply", 0x7c }, { "kp_subtract", 0x7b }, { "kp_add", 0x79 },
    { "kp_enter", 0xe05a }, { "kp_decimal", 0x71 }, { "kp_0", 0x70 },
    { "kp_1", 0x69 }, { "kp_2", 0x72 }, { "kp_3", 0x7a }, { "kp_4", 0x6b },
    { "kp_5", 0x73 }, { "kp_6", 0x74 }, { "kp_7", 0x6c }, { "kp_8", 0x75 },
    { "kp_9", 0x7d }, { "less", 0x61 }, { "print", PS2_KEY_PRINT },
    { "sysrq", PS2_KEY_PRINT }, { "pause", PS2_KEY_PAUSE },
    { "home", 0xe06c }, { "pgup", 0xe07d }, { "pgdn", 0xe07a },
    { "end", 0xe069 }, { "left", 0xe06b }, { "up", 0xe075 },
    { "down", 0xe072 }, { "right", 0xe074 }, { "insert", 0xe070 },
    { "delete", 0xe071 },
};

#define SENDKEY_MAX 16

static void cmd_sendkey(struct monitor *mon, const char *args)
{
    char keys[256];
    if (!next_word(&args, keys, sizeof(keys)) || !rest_empty(args)) {
        mon_printf(mon, "sendkey: expected one argument, e.g. ctrl-alt-delete\n");
        return;
    }
    uint16_t codes[SENDKEY_MAX];
    int n = 0;
    for (char *tok = keys, *dash; tok; tok = dash ? dash + 1 : NULL) {
        dash = strchr(tok, '-');
        if (dash)
            *dash = 0;
        const struct key_name *k = NULL;
        for (size_t i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
            if (!strcmp(key_names[i].name, tok))
                k = &key_names[i];
        if (!k) {
            mon_printf(mon, "sendkey: unknown key '%s'\n", tok);
            return;
        }
        if (n == SENDKEY_MAX) {
            mon_printf(mon, "sendkey: more than %d keys\n", SENDKEY_MAX);
            return;
        }
        codes[n++] = k->code;
    }
    if (!mon->m->kbd) {
        mon_printf(mon, "sendkey: this machine has no keyboard\n");
        return;
    }
    for (int i = 0; i < n; i++)
        i8042_key(mon->m->kbd, codes[i], true);
    for (int i = n - 1; i >= 0; i--)
        i8042_key(mon->m->kbd, codes[i], false);
}

/* ---- screendump ---- */

static void cmd_screendump(struct monitor *mon, const char *args)
{
    char path[512];
    if (!next_word(&args, path, sizeof(path)) || !rest_empty(args)) {
        mon_printf(mon, "screendump: expected one FILE (.png or .txt)\n");
        return;
    }
    char err[600];
    if (screendump(mon->m, path, err, sizeof(err)) != 0)
        mon_printf(mon, "screendump: %s\n", err);
}

/* ---- the command table ---- */

static void cmd_help(struct monitor *mon)
{
    mon_printf(mon,
               "help                   this list\n"
               "info registers         the CPU state\n"
               "info mem               mapped linear ranges and their rights\n"
               "info tlb               the page tables, page by page\n"
               "x /FMT ADDR            linear memory (FMT: count, x d u o c "
               "i, b h w g)\n"
               "xp /FMT ADDR           physical memory\n"
               "screendump FILE        the screen: FILE.png (picture) or "
               "FILE.txt (text)\n"
               "sendkey KEYS           press keys (ctrl-alt-delete, "
               "shift-a, ret, spc, f1...)\n"
               "stop                   pause the CPU\n"
               "cont                   resume it (also c)\n"
               "system_reset           reset the machine\n"
               "system_powerdown       press the ACPI power button\n"
               "quit                   exit jet86 (also q)\n");
}

void monitor_input(struct monitor *mon, const char *line)
{
    char cmd[32];
    const char *p = line;
    if (!next_word(&p, cmd, sizeof(cmd))) {
        if (!rest_empty(line))
            mon_printf(mon, "unknown command (try help)\n");
        return;
    }
    /* "x/4x 0x100": the format sticks to the command name */
    char fmt[32] = "";
    char *slash = strchr(cmd, '/');
    if (slash) {
        snprintf(fmt, sizeof(fmt), "%s", slash);
        *slash = 0;
    }
    if (!strcmp(cmd, "x") || !strcmp(cmd, "xp")) {
        bool phys = cmd[1] == 'p';
        if (!fmt[0] && !next_word(&p, fmt, sizeof(fmt))) {
            mon_printf(mon, "%s: missing address\n", cmd);
            return;
        }
        cmd_x(mon, fmt, p, phys);
        return;
    }
    if (slash) {
        mon_printf(mon, "%s: takes no format\n", cmd);
        return;
    }
    if (!strcmp(cmd, "help") || !strcmp(cmd, "?")) {
        cmd_help(mon);
    } else if (!strcmp(cmd, "info")) {
        char what[32];
        if (!next_word(&p, what, sizeof(what)))
            mon_printf(mon, "info: expected registers, mem or tlb\n");
        else if (!rest_empty(p))
            mon_printf(mon, "info %s: extra arguments\n", what);
        else if (!strcmp(what, "registers"))
            cmd_info_registers(mon);
        else if (!strcmp(what, "mem"))
            cmd_info_paging(mon, false);
        else if (!strcmp(what, "tlb"))
            cmd_info_paging(mon, true);
        else
            mon_printf(mon, "info: unknown item '%s' (registers, mem, "
                       "tlb)\n", what);
    } else if (!strcmp(cmd, "screendump")) {
        cmd_screendump(mon, p);
    } else if (!strcmp(cmd, "sendkey")) {
        cmd_sendkey(mon, p);
    } else if (!rest_empty(p)) {
        mon_printf(mon, "%s: takes no argument\n", cmd);
    } else if (!strcmp(cmd, "stop")) {
        machine_pause(mon->m);
    } else if (!strcmp(cmd, "cont") || !strcmp(cmd, "c")) {
        machine_resume(mon->m);
    } else if (!strcmp(cmd, "system_reset")) {
        machine_resume(mon->m);
        machine_request_reset(mon->m);
    } else if (!strcmp(cmd, "system_powerdown")) {
        if (!mon->m->pm)
            mon_printf(mon, "system_powerdown: no ACPI power management\n");
        else
            piix4_pm_power_button(mon->m->pm);
    } else if (!strcmp(cmd, "quit") || !strcmp(cmd, "q")) {
        machine_request_stop(mon->m, 0);
    } else {
        mon_printf(mon, "unknown command: '%s' (try help)\n", cmd);
    }
}

struct monitor *monitor_new(struct machine *m, monitor_output_fn *out,
                            void *opaque)
{
    struct monitor *mon = xcalloc(1, sizeof(*mon));
    mon->m = m;
    mon->out = out;
    mon->opaque = opaque;
    mon->in_fd = mon->out_fd = mon->listen_fd = -1;
    mon->last_fmt = 'x';
    mon->last_size = 4;
    return mon;
}

/* ---- -monitor: a descriptor polled from the virtual clock ---- */

static void fd_output(void *opaque, const char *text, size_t len)
{
    struct monitor *mon = opaque;
    while (len && mon->out_fd >= 0) {
        /* a telnet peer that went away is no SIGPIPE */
        ssize_t n = mon->telnet ? send(mon->out_fd, text, len, MSG_NOSIGNAL)
                                : write(mon->out_fd, text, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; /* the reader went away: the output is lost */
        text += n;
        len -= (size_t)n;
    }
}

static void fd_drop(struct monitor *mon)
{
    if (mon->telnet && mon->in_fd >= 0)
        close(mon->in_fd);
    mon->in_fd = mon->out_fd = -1;
    mon->line_len = 0;
}

static void fd_accept(struct monitor *mon)
{
    struct pollfd p = { .fd = mon->listen_fd, .events = POLLIN };
    if (poll(&p, 1, 0) <= 0)
        return;
    int fd = accept(mon->listen_fd, NULL, NULL);
    if (fd < 0)
        return;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    mon->in_fd = mon->out_fd = fd;
    mon->iac_skip = 0;
    mon_printf(mon, "jet86 monitor - type 'help' for more information\n");
    monitor_prompt(mon);
}

/* Bytes read from the descriptor: whole lines run as commands. */
static void fd_bytes(struct monitor *mon, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n && mon->in_fd >= 0; i++) {
        uint8_t c = b[i];
        if (mon->telnet) {
            /* telnet: IAC (255) and its command (and option) are not text */
            if (mon->iac_skip) {
                mon->iac_skip--;
                if (mon->iac_skip == 1 && c < 251)
                    mon->iac_skip = 0; /* a two-byte command */
                continue;
            }
            if (c == 255) {
                mon->iac_skip = 2;
                continue;
            }
        }
        if (c == '\r')
            continue;
        if (c == '\n') {
            mon->line[mon->line_len] = 0;
            mon->line_len = 0;
            if (mon->line_long)
                mon_printf(mon, "line too long (at most %d characters)\n",
                           MONITOR_LINE_MAX - 1);
            else
                monitor_input(mon, mon->line);
            mon->line_long = false;
            monitor_prompt(mon);
            continue;
        }
        if (c == 0)
            continue;
        if (mon->line_len < sizeof(mon->line) - 1)
            mon->line[mon->line_len++] = (char)c;
        else
            mon->line_long = true;
    }
}

/* Read what is there (waiting up to wait_ms). false: end of input. */
static bool fd_poll(struct monitor *mon, int wait_ms)
{
    if (mon->in_fd < 0) {
        if (mon->listen_fd >= 0)
            fd_accept(mon);
        if (mon->in_fd < 0) {
            if (wait_ms > 0)
                poll(NULL, 0, wait_ms);
            return mon->listen_fd >= 0;
        }
    }
    struct pollfd p = { .fd = mon->in_fd, .events = POLLIN };
    if (poll(&p, 1, wait_ms) <= 0)
        return true;
    uint8_t buf[256];
    ssize_t n = read(mon->in_fd, buf, sizeof(buf));
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return true;
    if (n <= 0) {
        fd_drop(mon);
        return mon->listen_fd >= 0;
    }
    fd_bytes(mon, buf, (size_t)n);
    return true;
}

static void monitor_poll(void *opaque)
{
    struct monitor *mon = opaque;
    struct machine *m = mon->m;
    /* An idle CPU under -icount jumps to the next deadline: wait here a
     * little, as the console does, so the run does not spin. */
    int wait_ms = m->cfg.icount && m->cpu.halted ? 10 : 0;
    if (fd_poll(mon, wait_ms))
        vtimer_mod(&mon->poll_timer, vclock_now(&m->clock) + MONITOR_POLL_NS);
}

/* Paused (stop): machine_run calls this instead of the vtimer. */
static void monitor_idle(void *opaque, int wait_ms)
{
    struct monitor *mon = opaque;
    bool had_input = mon->in_fd >= 0;
    if (!fd_poll(mon, wait_ms) && had_input && mon->m->paused) {
        /* -monitor stdio's input ended while stopped: nobody can type
         * cont any more on it, so the guest goes on */
        machine_resume(mon->m);
    }
}

/* "telnet:[HOST]:PORT,server,nowait": the host:port part, or NULL. */
static const char *telnet_hostport(const char *spec, char *buf, size_t size)
{
    if (strncmp(spec, "telnet:", 7) != 0)
        return NULL;
    const char *p = spec + 7;
    const char *comma = strchr(p, ',');
    if (!comma || strcmp(comma, ",server,nowait") != 0)
        return NULL;
    size_t n = (size_t)(comma - p);
    if (n >= size)
        return NULL;
    memcpy(buf, p, n);
    buf[n] = 0;
    if (!strchr(buf, ':'))
        return NULL;
    return buf;
}

bool monitor_spec_ok(const char *spec, char *err, size_t size)
{
    char hp[300], host[TCP_HOST_MAX + 1];
    int port;
    if (!strcmp(spec, "stdio") || !strcmp(spec, "none"))
        return true;
    if (telnet_hostport(spec, hp, sizeof(hp)))
        return tcp_hostport_parse(hp, host, &port, err, size);
    snprintf(err, size, "expected stdio, none or "
             "telnet:[HOST]:PORT,server,nowait");
    return false;
}

struct monitor *monitor_open(struct machine *m, const char *spec)
{
    char hp[300];
    if (!spec || !strcmp(spec, "none"))
        return NULL;
    struct monitor *mon = monitor_new(m, fd_output, NULL);
    mon->opaque = mon;
    if (!strcmp(spec, "stdio")) {
        mon->in_fd = STDIN_FILENO;
        mon->out_fd = STDOUT_FILENO;
    } else if (telnet_hostport(spec, hp, sizeof(hp))) {
        mon->telnet = true;
        mon->listen_fd = tcp_listen("-monitor", spec, hp);
    } else {
        fatal("-monitor %s: expected stdio, none or "
              "telnet:[HOST]:PORT,server,nowait", spec);
    }
    /* -S without a gdb stub: stopped until the monitor's cont, from the
     * first poll at time 0, before any guest instruction */
    if (m->cfg.gdb_wait && !m->cfg.gdb)
        machine_pause(m);
    vtimer_init(&mon->poll_timer, &m->clock, monitor_poll, mon);
    machine_add_idle(m, monitor_idle, mon);
    mon->polled = true;
    vtimer_mod(&mon->poll_timer, vclock_now(&m->clock));
    if (mon->out_fd >= 0) {
        mon_printf(mon, "jet86 monitor - type 'help' for more information\n");
        monitor_prompt(mon);
    }
    return mon;
}

void monitor_free(struct monitor *mon)
{
    if (!mon)
        return;
    if (mon->polled) {
        vtimer_del(&mon->poll_timer);
        machine_remove_idle(mon->m, monitor_idle, mon);
    }
    if (mon->telnet)
        fd_drop(mon);
    if (mon->listen_fd >= 0)
        close(mon->listen_fd);
    free(mon);
}
