/*
 * gdbstub.c - the gdb remote serial protocol over TCP (see gdbstub.h).
 *
 * Packets are "$data#cs" with a two-digit hex checksum, acknowledged with
 * '+' (until gdb asks for QStartNoAckMode); a lone 0x03 byte is gdb's
 * interrupt. What is served: the stop reason (?), registers (g G p P) in
 * gdb's i386 order, memory (m M), breakpoints and watchpoints (Z0-Z4,
 * z0-z4, through translator/x86/debug.h as an external owner; software
 * and hardware breakpoints are the same thing here, checked by the
 * translator), continue and step (c s vCont), kill (k), detach (D), the
 * target description (qXfer:features:read) and the thread queries a
 * one-CPU target answers. Anything else gets the empty reply, which gdb
 * reads as "not supported".
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* F_SETSIG */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/util.h"
#include "frontend/gdbstub.h"
#include "frontend/machine.h"
#include "frontend/tcp_listen.h"
#include "translator/x86/cpu.h"

#define GDB_PACKET_MAX 4096
/* While gdb holds the CPU: how often the other front ends are served. */
#define GDB_IDLE_MS 20
/* Stubs that SIGIO reaches (one per machine with -gdb). */
#define GDB_MAX_STUBS 8

/* gdb's i386 register numbers (gdb/features/i386/32bit-core.xml). */
enum {
    GDB_EAX, GDB_ECX, GDB_EDX, GDB_EBX, GDB_ESP, GDB_EBP, GDB_ESI, GDB_EDI,
    GDB_EIP, GDB_EFLAGS, GDB_CS, GDB_SS, GDB_DS, GDB_ES, GDB_FS, GDB_GS,
    GDB_ST0, /* st0-st7: 10 bytes each */
    GDB_FCTRL = GDB_ST0 + 8, /* fctrl fstat ftag fiseg fioff foseg fooff fop */
    GDB_NREGS = GDB_FCTRL + 8,
};

struct gdb_stub {
    struct machine *m;
    struct cpu *cpu;
    int listen_fd;
    int fd;          /* the connection, or -1 */
    bool no_ack;     /* QStartNoAckMode */
    bool i8086;      /* told gdb the target is 16-bit (connected in real mode) */
    char pkt[GDB_PACKET_MAX + 1];
    size_t pkt_len;
};

static void gdb_accept(struct gdb_stub *g, bool wait);
static void gdb_async(int fd);

/* ---- the connection ---- */

static void gdb_drop(struct gdb_stub *g)
{
    if (g->fd >= 0)
        close(g->fd);
    g->fd = -1;
    g->no_ack = false;
    /* gdb gone: the guest runs on, as it would have without it. */
    cpu_breakpoint_remove_all(g->cpu, DEBUG_OWNER_EXTERNAL);
    cpu_watchpoint_remove_all(g->cpu, DEBUG_OWNER_EXTERNAL);
    g->cpu->dbg.singlestep = false;
}

static void gdb_write_all(struct gdb_stub *g, const char *buf, size_t len)
{
    while (len && g->fd >= 0) {
        ssize_t n = write(g->fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            gdb_drop(g);
            return;
        }
        buf += n;
        len -= (size_t)n;
    }
}

static void gdb_send(struct gdb_stub *g, const char *data)
{
    size_t len = strlen(data);
    char *buf = xmalloc(len + 5);
    unsigned sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += (uint8_t)data[i];
    buf[0] = '$';
    memcpy(buf + 1, data, len);
    snprintf(buf + 1 + len, 4, "#%02x", sum & 0xff);
    gdb_write_all(g, buf, len + 4);
    free(buf);
}

/* Read one byte; block when wait, else -1 at once when none is there.
 * -2: the connection closed. */
static int gdb_getc(struct gdb_stub *g, bool wait)
{
    if (g->fd < 0)
        return -2;
    struct pollfd p = { .fd = g->fd, .events = POLLIN };
    int r;
    for (;;) {
        /* waiting on gdb, the other front ends go on being served (the
         * window repaints, a monitor answers); a quit from one of them
         * ends the wait */
        r = poll(&p, 1, wait ? GDB_IDLE_MS : 0);
        if (r != 0 || !wait)
            break;
        machine_idle_poll(g->m, 0);
        if (g->m->stop)
            return -2;
    }
    if (r < 0 && errno == EINTR)
        return -1;
    if (r <= 0)
        return -1;
    uint8_t c;
    ssize_t n = read(g->fd, &c, 1);
    if (n == 1)
        return c;
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return -1;
    gdb_drop(g);
    return -2;
}

/* The next packet into g->pkt (NUL-terminated): 1; 0x03: 3; closed: -2. */
static int gdb_read_packet(struct gdb_stub *g)
{
    for (;;) {
        int c = gdb_getc(g, true);
        if (c == -2)
            return -2;
        if (c == 0x03)
            return 3;
        if (c != '$')
            continue; /* acks, noise */
        g->pkt_len = 0;
        unsigned sum = 0;
        bool too_long = false;
        while ((c = gdb_getc(g, true)) != '#') {
            if (c == -2)
                return -2;
            if (c < 0)
                continue;
            sum += (unsigned)c;
            if (g->pkt_len < GDB_PACKET_MAX)
                g->pkt[g->pkt_len++] = (char)c;
            else
                too_long = true;
        }
        char cs[3] = { 0 };
        for (int i = 0; i < 2; i++) {
            do
                c = gdb_getc(g, true);
            while (c == -1);
            if (c == -2)
                return -2;
            cs[i] = (char)c;
        }
        g->pkt[g->pkt_len] = 0;
        bool ok = !too_long && strtoul(cs, NULL, 16) == (sum & 0xff);
        if (!g->no_ack)
            gdb_write_all(g, ok ? "+" : "-", 1);
        if (ok)
            return 1;
    }
}

/* ---- hex ---- */

static void hex_bytes(char *out, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * n] = 0;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* n bytes from hex text; false on a bad digit or short text. */
static bool unhex_bytes(uint8_t *p, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int hi = hex_digit(s[2 * i]), lo = hi < 0 ? -1 : hex_digit(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        p[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

/* "ADDR,LEN" in hex; *rest after it. */
static bool parse_addr_len(const char *s, uint64_t *addr, uint64_t *len,
                           const char **rest)
{
    char *end;
    *addr = strtoull(s, &end, 16);
    if (end == s || *end != ',')
        return false;
    s = end + 1;
    *len = strtoull(s, &end, 16);
    if (end == s)
        return false;
    *rest = end;
    return true;
}

/* ---- registers ---- */

static bool cpu_real_or_v86(const struct cpu *cpu)
{
    return !(cpu->cr[0] & CR0_PE) || (cpu->eflags & EFLAGS_VM);
}

static const int gdb_seg[6] = { SEG_CS, SEG_SS, SEG_DS, SEG_ES, SEG_FS, SEG_GS };

/* The x87's fctrl..fop as gdb numbers them (gdb's i386 order). */
static uint32_t gdb_fpu_ctl(const struct x87_state *f, int k)
{
    switch (k) {
    case 0: return f->cw;
    case 1: return fpu_get_sw(f);
    case 2: return fpu_get_tag(f);
    case 3: return f->fcs;
    case 4: return f->fip;
    case 5: return f->fds;
    case 6: return f->fdp;
    default: return f->fop;
    }
}

/* Register r as gdb sees it, little-endian in buf; its size in bytes. */
static size_t gdb_read_reg(struct gdb_stub *g, int r, uint8_t *buf)
{
    struct cpu *cpu = g->cpu;
    const struct x87_state *f = &cpu->fpu;
    uint32_t v = 0;
    if (r >= GDB_ST0 && r < GDB_FCTRL) {
        /* st(i): the 80-bit register at TOP + i */
        float80 x = f->regs[fpu_phys(f, r - GDB_ST0)];
        for (int i = 0; i < 8; i++)
            buf[i] = (uint8_t)(x.mant >> (8 * i));
        buf[8] = (uint8_t)x.se;
        buf[9] = (uint8_t)(x.se >> 8);
        return 10;
    }
    if (r <= GDB_EDI)
        v = (uint32_t)cpu->regs[r];
    else if (r == GDB_EIP)
        v = cpu_real_or_v86(cpu) ? (uint32_t)cpu_debug_pc(cpu)
                                 : (uint32_t)cpu->eip;
    else if (r == GDB_EFLAGS)
        v = cpu_get_eflags(cpu);
    else if (r >= GDB_CS && r <= GDB_GS)
        v = cpu->seg[gdb_seg[r - GDB_CS]].sel;
    else
        v = gdb_fpu_ctl(f, r - GDB_FCTRL);
    for (int i = 0; i < 4; i++)
        buf[i] = (uint8_t)(v >> (8 * i));
    return 4;
}

/* Write register r from buf (little-endian); false when it can't be. */
static bool gdb_write_reg(struct gdb_stub *g, int r, const uint8_t *buf)
{
    struct cpu *cpu = g->cpu;
    struct x87_state *f = &cpu->fpu;
    if (r >= GDB_ST0 && r < GDB_FCTRL) {
        float80 *x = &f->regs[fpu_phys(f, r - GDB_ST0)];
        x->mant = 0;
        for (int i = 0; i < 8; i++)
            x->mant |= (uint64_t)buf[i] << (8 * i);
        x->se = (uint16_t)(buf[8] | buf[9] << 8);
        return true;
    }
    uint32_t v = (uint32_t)buf[0] | (uint32_t)buf[1] << 8 |
                 (uint32_t)buf[2] << 16 | (uint32_t)buf[3] << 24;
    if (r >= GDB_FCTRL) {
        switch (r - GDB_FCTRL) {
        case 0: fpu_set_cw(f, (uint16_t)v); break;
        case 1: fpu_set_sw(f, (uint16_t)v); break;
        case 2: fpu_set_tag(f, (uint16_t)v); break;
        case 3: f->fcs = (uint16_t)v; break;
        case 4: f->fip = v; break;
        case 5: f->fds = (uint16_t)v; break;
        case 6: f->fdp = v; break;
        default: f->fop = (uint16_t)(v & 0x7ff); break;
        }
        return true;
    }
    if (r <= GDB_EDI) {
        cpu->regs[r] = v;
    } else if (r == GDB_EIP) {
        if (cpu_real_or_v86(cpu))
            v = (v - (uint32_t)cpu->seg[SEG_CS].base) & 0xffff;
        cpu->eip = v;
    } else if (r == GDB_EFLAGS) {
        cpu_set_eflags(cpu, v, 0x003f7fd5u); /* all but VM, RF and reserved */
    } else {
        int seg = gdb_seg[r - GDB_CS];
        if (cpu->seg[seg].sel == (uint16_t)v)
            return true;
        /* A protected-mode selector load checks descriptors and may fault:
         * only the real-mode form is a plain write. */
        if (!cpu_real_or_v86(cpu))
            return false;
        cpu_load_seg_real(cpu, seg, (uint16_t)v);
        cpu_update_hflags(cpu);
    }
    return true;
}

static size_t gdb_reg_size(int r)
{
    return r >= GDB_ST0 && r < GDB_FCTRL ? 10 : 4;
}

/* ---- the target description ---- */

static void gdb_target_xml(struct gdb_stub *g, char *out, size_t cap)
{
    static const char *const names[] = {
        "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip",
        "eflags", "cs", "ss", "ds", "es", "fs", "gs",
    };
    size_t n = (size_t)snprintf(
        out, cap,
        "<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
        "<target><architecture>%s</architecture><osabi>none</osabi>"
        "<feature name=\"org.gnu.gdb.i386.core\">",
        g->i8086 ? "i8086" : "i386");
    for (int r = 0; r < 16 && n < cap; r++) {
        const char *type = r == GDB_EIP ? "code_ptr"
                           : (r == GDB_ESP || r == GDB_EBP) ? "data_ptr"
                                                            : "int32";
        n += (size_t)snprintf(out + n, cap - n,
                              "<reg name=\"%s\" bitsize=\"32\" type=\"%s\"/>",
                              names[r], type);
    }
    for (int r = 0; r < 8 && n < cap; r++)
        n += (size_t)snprintf(out + n, cap - n,
                              "<reg name=\"st%d\" bitsize=\"80\" "
                              "type=\"i387_ext\"/>", r);
    static const char *const fpu[] = { "fctrl", "fstat", "ftag", "fiseg",
                                       "fioff", "foseg", "fooff", "fop" };
    for (int r = 0; r < 8 && n < cap; r++)
        n += (size_t)snprintf(out + n, cap - n,
                              "<reg name=\"%s\" bitsize=\"32\" type=\"int\" "
                              "group=\"float\"/>", fpu[r]);
    if (n < cap)
        snprintf(out + n, cap - n, "</feature></target>");
}

/* qXfer:features:read:ANNEX:OFFSET,LENGTH */
static void gdb_qxfer_features(struct gdb_stub *g, const char *args)
{
    static char xml[8192];
    const char *colon = strchr(args, ':');
    uint64_t off, len;
    const char *rest;
    if (!colon || strncmp(args, "target.xml:", 11) != 0 ||
        !parse_addr_len(colon + 1, &off, &len, &rest)) {
        gdb_send(g, "E00");
        return;
    }
    gdb_target_xml(g, xml, sizeof(xml));
    size_t total = strlen(xml);
    if (off >= total) {
        gdb_send(g, "l");
        return;
    }
    if (len > GDB_PACKET_MAX - 2)
        len = GDB_PACKET_MAX - 2;
    size_t n = total - off < len ? total - off : len;
    char *reply = xmalloc(n + 2);
    reply[0] = off + n >= total ? 'l' : 'm';
    memcpy(reply + 1, xml + off, n);
    reply[n + 1] = 0;
    gdb_send(g, reply);
    free(reply);
}

/* ---- commands ---- */

static void gdb_stop_reply(struct gdb_stub *g, enum cpu_debug_event ev)
{
    char buf[64];
    if (ev == CPU_DEBUG_WATCHPOINT) {
        /* which of gdb's watchpoints, by the access that hit it */
        unsigned k = g->cpu->debug.stop_kind;
        const char *what = (k & WATCH_READ) ? "rwatch" : "watch";
        for (int i = 0; i < g->cpu->debug.n_wp; i++) {
            const struct debug_watchpoint *w = &g->cpu->debug.wp[i];
            if (w->owner == DEBUG_OWNER_EXTERNAL &&
                (w->kind & (WATCH_READ | WATCH_WRITE)) ==
                    (WATCH_READ | WATCH_WRITE) &&
                g->cpu->debug.stop_addr >= w->addr &&
                g->cpu->debug.stop_addr < w->addr + w->len)
                what = "awatch";
        }
        snprintf(buf, sizeof(buf), "T05%s:%" PRIx64 ";thread:01;", what,
                 (uint64_t)g->cpu->debug.stop_addr);
        gdb_send(g, buf);
        return;
    }
    /* SIGINT for gdb's own interrupt, SIGTRAP for the rest */
    gdb_send(g, ev == CPU_DEBUG_INTERRUPT ? "T02thread:01;" : "T05thread:01;");
}

static void gdb_cmd_regs(struct gdb_stub *g)
{
    char out[GDB_NREGS * 20 + 1];
    size_t n = 0;
    for (int r = 0; r < GDB_NREGS; r++) {
        uint8_t buf[10];
        size_t sz = gdb_read_reg(g, r, buf);
        hex_bytes(out + n, buf, sz);
        n += 2 * sz;
    }
    gdb_send(g, out);
}

static void gdb_cmd_write_regs(struct gdb_stub *g, const char *s)
{
    size_t len = strlen(s);
    size_t pos = 0;
    for (int r = 0; r < GDB_NREGS && pos < len; r++) {
        uint8_t buf[10];
        size_t sz = gdb_reg_size(r);
        if (pos + 2 * sz > len || !unhex_bytes(buf, s + pos, sz))
            break;
        /* G writes every register back: an unchanged selector is fine,
         * a changed one in protected mode is left as it was. */
        (void)gdb_write_reg(g, r, buf);
        pos += 2 * sz;
    }
    gdb_send(g, "OK");
}

static void gdb_cmd_memory(struct gdb_stub *g, const char *s, bool write)
{
    uint64_t addr, len;
    const char *rest;
    if (!parse_addr_len(s, &addr, &len, &rest) ||
        len > (GDB_PACKET_MAX - 4) / 2 || (write && *rest != ':')) {
        gdb_send(g, "E01");
        return;
    }
    uint8_t buf[GDB_PACKET_MAX / 2];
    if (write) {
        if (strlen(rest + 1) < 2 * len || !unhex_bytes(buf, rest + 1, len)) {
            gdb_send(g, "E01");
            return;
        }
        gdb_send(g, cpu_debug_memory_rw(g->cpu, addr, buf, len, true)
                        ? "OK" : "E14");
        return;
    }
    if (!cpu_debug_memory_rw(g->cpu, addr, buf, len, false)) {
        gdb_send(g, "E14");
        return;
    }
    char out[GDB_PACKET_MAX + 1];
    hex_bytes(out, buf, len);
    gdb_send(g, out);
}

/* Z/z TYPE,ADDR,KIND: insert/remove a breakpoint (0 software, 1 hardware:
 * the same thing here, checked by the translator) or a watchpoint (2
 * write, 3 read, 4 access; KIND is its length), through the CPU's debug
 * facility as an external owner, beside the guest's own DR0-DR3. */
static void gdb_cmd_breakpoint(struct gdb_stub *g, const char *s, bool insert)
{
    uint64_t addr, kind;
    const char *rest;
    int type = s[0] - '0';
    if (type < 0 || type > 4 || s[1] != ',') {
        gdb_send(g, "");
        return;
    }
    if (!parse_addr_len(s + 2, &addr, &kind, &rest)) {
        gdb_send(g, "E01");
        return;
    }
    bool ok;
    if (type <= 1) {
        ok = insert ? cpu_breakpoint_insert(g->cpu, addr, DEBUG_OWNER_EXTERNAL, 0)
                    : cpu_breakpoint_remove(g->cpu, addr, DEBUG_OWNER_EXTERNAL);
    } else {
        static const unsigned kinds[] = { WATCH_WRITE, WATCH_READ,
                                          WATCH_READ | WATCH_WRITE };
        if (kind == 0 || kind > 4096) {
            gdb_send(g, "E01");
            return;
        }
        ok = insert ? cpu_watchpoint_insert(g->cpu, addr, kind, kinds[type - 2],
                                            DEBUG_OWNER_EXTERNAL, 0)
                    : cpu_watchpoint_remove(g->cpu, addr, kind,
                                            DEBUG_OWNER_EXTERNAL);
    }
    gdb_send(g, ok ? "OK" : "E0e");
}

static void gdb_cmd_query(struct gdb_stub *g, const char *s)
{
    if (!strncmp(s, "qSupported", 10))
        gdb_send(g, "PacketSize=1000;qXfer:features:read+;"
                    "QStartNoAckMode+;vContSupported+");
    else if (!strcmp(s, "qAttached"))
        gdb_send(g, "1");
    else if (!strcmp(s, "qC"))
        gdb_send(g, "QC01");
    else if (!strcmp(s, "qfThreadInfo"))
        gdb_send(g, "m01");
    else if (!strcmp(s, "qsThreadInfo"))
        gdb_send(g, "l");
    else if (!strncmp(s, "qXfer:features:read:", 20))
        gdb_qxfer_features(g, s + 20);
    else if (!strncmp(s, "qSymbol", 7))
        gdb_send(g, "OK");
    else
        gdb_send(g, "");
}

/* Set the guest going (c) or stepping (s): true to leave the stop. */
static bool gdb_resume(struct gdb_stub *g, bool step, const char *addr)
{
    if (addr && *addr) {
        uint8_t buf[4];
        uint32_t a = (uint32_t)strtoul(addr, NULL, 16);
        for (int i = 0; i < 4; i++)
            buf[i] = (uint8_t)(a >> (8 * i));
        gdb_write_reg(g, GDB_EIP, buf);
    }
    g->cpu->dbg.singlestep = step;
    return true;
}

/* vCont;ACTION[:THREAD][;ACTION...]: this one-CPU target takes the first
 * action (s/S step, c/C continue). */
static bool gdb_cmd_vcont(struct gdb_stub *g, const char *s)
{
    if (!strcmp(s, "?")) {
        gdb_send(g, "vCont;c;C;s;S");
        return false;
    }
    if (*s != ';') {
        gdb_send(g, "");
        return false;
    }
    char a = s[1];
    if (a == 's' || a == 'S')
        return gdb_resume(g, true, NULL);
    if (a == 'c' || a == 'C')
        return gdb_resume(g, false, NULL);
    gdb_send(g, "E01");
    return false;
}

/* One packet; true when the guest is to run again. */
static bool gdb_handle(struct gdb_stub *g, enum cpu_debug_event ev)
{
    char *p = g->pkt;
    switch (p[0]) {
    case '?': gdb_stop_reply(g, ev); return false;
    case 'g': gdb_cmd_regs(g); return false;
    case 'G': gdb_cmd_write_regs(g, p + 1); return false;
    case 'p': {
        int r = (int)strtol(p + 1, NULL, 16);
        if (r < 0 || r >= GDB_NREGS) {
            gdb_send(g, "E00");
            return false;
        }
        uint8_t buf[10];
        char out[21];
        hex_bytes(out, buf, gdb_read_reg(g, r, buf));
        gdb_send(g, out);
        return false;
    }
    case 'P': {
        char *eq;
        int r = (int)strtol(p + 1, &eq, 16);
        uint8_t buf[10];
        if (*eq != '=' || r < 0 || r >= GDB_NREGS ||
            strlen(eq + 1) < 2 * gdb_reg_size(r) ||
            !unhex_bytes(buf, eq + 1, gdb_reg_size(r))) {
            gdb_send(g, "E00");
            return false;
        }
        gdb_send(g, gdb_write_reg(g, r, buf) ? "OK" : "E01");
        return false;
    }
    case 'm': gdb_cmd_memory(g, p + 1, false); return false;
    case 'M': gdb_cmd_memory(g, p + 1, true); return false;
    case 'Z': gdb_cmd_breakpoint(g, p + 1, true); return false;
    case 'z': gdb_cmd_breakpoint(g, p + 1, false); return false;
    case 'c': return gdb_resume(g, false, p + 1);
    case 's': return gdb_resume(g, true, p + 1);
    case 'C':
    case 'S': {
        /* C sig[;addr]: the signal means nothing to a machine */
        char *semi = strchr(p, ';');
        return gdb_resume(g, p[0] == 'S', semi ? semi + 1 : NULL);
    }
    case 'H': gdb_send(g, "OK"); return false;
    case 'T': gdb_send(g, "OK"); return false; /* thread 1 is alive */
    case 'k':
        machine_request_stop(g->m, 0);
        gdb_drop(g);
        return true;
    case 'D':
        gdb_send(g, "OK");
        gdb_drop(g);
        return true;
    case 'q': gdb_cmd_query(g, p); return false;
    case 'Q':
        if (!strcmp(p, "QStartNoAckMode")) {
            gdb_send(g, "OK");
            g->no_ack = true;
        } else {
            gdb_send(g, "");
        }
        return false;
    case 'v':
        if (!strncmp(p, "vCont", 5))
            return gdb_cmd_vcont(g, p + 5);
        gdb_send(g, ""); /* vMustReplyEmpty and the rest */
        return false;
    default: gdb_send(g, ""); return false;
    }
}

/* The CPU stopped (cpu.h struct cpu_debugger): serve gdb until it lets the
 * guest go. Virtual time stands still meanwhile. */
static void gdb_stop(void *opaque, struct cpu *cpu, enum cpu_debug_event ev)
{
    struct gdb_stub *g = opaque;
    (void)cpu;
    if (g->fd < 0)
        gdb_accept(g, false); /* SIGIO: a gdb connecting */
    if (g->fd < 0)
        return;
    struct vclock *clock = &g->m->clock;
    int64_t host_stopped = host_clock_ns();
    if (ev != CPU_DEBUG_START)
        gdb_stop_reply(g, ev);
    for (;;) {
        int r = gdb_read_packet(g);
        if (r == -2)
            break; /* gdb went away: run on */
        if (r == 3)
            continue; /* already stopped */
        if (gdb_handle(g, ev))
            break;
    }
    if (!clock->icount)
        clock->host_start_ns += host_clock_ns() - host_stopped;
}

/* ---- listening ---- */

static void gdb_accept(struct gdb_stub *g, bool wait)
{
    if (!wait) {
        struct pollfd p = { .fd = g->listen_fd, .events = POLLIN };
        if (poll(&p, 1, 0) <= 0)
            return;
    }
    int fd;
    do
        fd = accept(g->listen_fd, NULL, NULL);
    while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    gdb_async(fd);
    g->fd = fd;
    g->no_ack = false;
    g->i8086 = !(g->cpu->cr[0] & CR0_PE);
    /* A debugger that connects finds the guest stopped, as with QEMU. */
    g->cpu->dbg.stop_request = true;
    g->cpu->exit_request = 1;
}

/*
 * While the guest runs, gdb sends nothing but its interrupt (0x03), and a
 * new gdb may connect: both sockets raise SIGIO (O_ASYNC), whose handler
 * asks the CPU to stop at its next instruction boundary; gdb_stop then
 * reads what came (or accepts the connection). A signal, not a poll, so
 * a guest that spends its time in slow device accesses still stops at
 * once. The handler finds the stub by the descriptor (F_SETSIG gives it):
 * the table below is the only process-wide state, as a signal handler
 * needs.
 */
static struct gdb_stub *gdb_stubs[GDB_MAX_STUBS];

static void gdb_sigio(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    for (int i = 0; i < GDB_MAX_STUBS; i++) {
        struct gdb_stub *g = gdb_stubs[i];
        if (g && (si->si_fd == g->fd || si->si_fd == g->listen_fd ||
                  si->si_code <= 0)) {
            g->cpu->dbg.stop_request = true;
            g->cpu->exit_request = 1;
        }
    }
}

static void gdb_async(int fd)
{
    fcntl(fd, F_SETOWN, getpid());
    fcntl(fd, F_SETSIG, SIGIO);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC);
}

static void gdb_sigio_install(struct gdb_stub *g)
{
    int i;
    for (i = 0; i < GDB_MAX_STUBS && gdb_stubs[i]; i++)
        ;
    if (i == GDB_MAX_STUBS)
        fatal("-gdb: more than %d gdb stubs in one process", GDB_MAX_STUBS);
    gdb_stubs[i] = g;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = gdb_sigio;
    sa.sa_flags = SA_RESTART | SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGIO, &sa, NULL) != 0)
        fatal_errno("-gdb: sigaction(SIGIO)");
    gdb_async(g->listen_fd);
}

static void gdb_sigio_remove(struct gdb_stub *g)
{
    for (int i = 0; i < GDB_MAX_STUBS; i++)
        if (gdb_stubs[i] == g)
            gdb_stubs[i] = NULL;
}

static int gdb_listen(const char *spec)
{
    if (strncmp(spec, "tcp:", 4) != 0 || !strchr(spec + 4, ':'))
        fatal("-gdb %s: expected tcp::PORT or tcp:HOST:PORT", spec);
    return tcp_listen("-gdb", spec, spec + 4);
}

/* The process ends now (isa-debug-exit): gdb learns the status. */
static void gdb_exit_notify(void *opaque, int status)
{
    struct gdb_stub *g = opaque;
    if (g->fd >= 0) {
        char w[8];
        snprintf(w, sizeof(w), "W%02x", status & 0xff);
        gdb_send(g, w);
        close(g->fd);
        g->fd = -1;
    }
}

struct gdb_stub *gdb_stub_open(const char *spec, struct machine *m, bool wait)
{
    struct gdb_stub *g = xcalloc(1, sizeof(*g));
    g->m = m;
    g->cpu = &m->cpu;
    g->fd = -1;
    g->listen_fd = gdb_listen(spec);
    g->cpu->dbg.stop = gdb_stop;
    g->cpu->dbg.opaque = g;
    m->exit_notify = gdb_exit_notify;
    m->exit_opaque = g;
    gdb_sigio_install(g);
    if (wait) {
        fprintf(stderr, "jet86: waiting for gdb on %s\n", spec);
        gdb_accept(g, true);
        g->cpu->dbg.stop_request = false;
        g->cpu->dbg.pending = true;
        g->cpu->dbg.pending_event = CPU_DEBUG_START;
    }
    return g;
}

void gdb_stub_close(struct gdb_stub *g, int status)
{
    if (!g)
        return;
    gdb_exit_notify(g, status);
    g->m->exit_notify = NULL;
    gdb_sigio_remove(g);
    close(g->listen_fd);
    g->cpu->dbg.stop = NULL;
    g->cpu->dbg.opaque = NULL;
    free(g);
}
