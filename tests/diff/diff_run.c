/* diff_run.c - the differential test's driver, shared by the native and
 * the guest build: parses the command line, generates and runs cases,
 * masks what the SDM leaves undefined, and prints hashes of the results
 * (per chunk, per case of one chunk) or a case in full, for
 * tests/diff/run.sh to compare between the host CPU and the emulator.
 *
 * Command line (words key=value; others, such as the kernel name the
 * Multiboot loader puts first, are ignored):
 *   seed=N    run seed (decimal or 0x hex), default 0x6a657438365f6466
 *   n=N       number of cases, default 1048576
 *   chunk=N   cases per hash line, default 4096
 *   cases=K   only chunk K, one hash line per case (cases=K,L,... for several)
 *   show=I    only case I, in full (repeatable as show=I,J,...)
 *   ref=qemu  skip forms marked as hitting a known QEMU bug
 *   seq=1     cases are sequences of up to 8 instructions (diff_seq.c)
 *   code16=1  sequences in a 16-bit code segment (the guest only; the
 *             native harnesses count them as not run)
 *
 * Every case belongs to one of two classes (diff_mode64.c): it runs the
 * same in 64-bit mode, or it exists only in 32-bit mode. Output lines:
 *   chunk K H64 H32   hashes of the chunk's cases of each class; the
 *                     64-bit harness runs only the first class ("-")
 *   case I HASH CLS NAME   per case (cases=), CLS 64 or 32
 *   form F N H NAME   per form, its N 32-bit-only cases and their digest
 *                     (32-bit mode only; what tests/diff/recorded/ keeps)
 *   only32 N REASON   64-bit harness: cases not run, by reason
 *   done executed=E skipped=S faults=F cls64=A cls32=B inputs32=H
 *                     (H: digest of the 32-bit-only cases' inputs)
 */
#include "tests/diff/diff_gen.h"
#include "tests/diff/diff_mode64.h"

struct diff_regs diff_in, diff_out;
struct diff_fault diff_fault;
uint32_t diff_code16;
struct diff_far_ptr diff_code_far;

struct result {
    struct diff_regs out;
    uint32_t fault;     /* exception vector + 1, or 0 */
    uint32_t fault_eip; /* offset of the faulting EIP from DIFF_CODE */
    uint8_t data[DIFF_DATA_SIZE];
    uint8_t stack[DIFF_STACK_SIZE];
};

static const char reg_names[8][4] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };

static void out_str(const char *s)
{
    while (*s)
        diff_putc(*s++);
}

static void out_hex(uint32_t v, unsigned digits)
{
    while (digits--)
        diff_putc("0123456789abcdef"[(v >> (4 * digits)) & 15]);
}

static void out_dec(uint32_t v)
{
    char buf[12];
    unsigned n = 0;

    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        diff_putc(buf[--n]);
}

/* The current DS selector (32-bit builds; never needed in 64-bit mode). */
static uint16_t ds_selector(void)
{
#if DIFF_RUN_MODE64
    return 0;
#else
    uint16_t v;

    __asm__ volatile("movw %%ds, %0" : "=r"(v));
    return v;
#endif
}

/* The far pointer that takes 16-bit code back to the executor (the
 * current CS, 32-bit builds only). */
static void place_retfar(void)
{
#if !DIFF_RUN_MODE64
    volatile uint8_t *p = (volatile uint8_t *)DIFF_RETFAR;
    uint32_t off = (uint32_t)(uintptr_t)diff_exec_return;
    uint16_t cs;
    unsigned i;

    __asm__ volatile("movw %%cs, %0" : "=r"(cs));
    for (i = 0; i < 4; i++)
        p[i] = (uint8_t)(off >> (8 * i));
    p[4] = (uint8_t)cs;
    p[5] = (uint8_t)(cs >> 8);
#endif
    diff_code_far.off = 0;
    diff_code_far.sel = diff_code16_sel;
}

/* Case idx of this run: one instruction, a sequence, or a sequence in
 * 16-bit code. */
static void gen_case(uint64_t seed, uint32_t idx, int seq, struct diff_case *c)
{
    if (seq)
        diff_gen_seq(seed, idx, diff_code16 != 0, c);
    else
        diff_gen_case(seed, idx, c);
}

/* Why a case is not run here or not in 64-bit mode (0: it runs the same
 * in 64-bit mode); *skip: not run by this program at all. */
static const char *case_class(const struct diff_case *c, struct diff_code64 *c64, int *skip)
{
    *skip = 0;
    if (diff_code16) {
        *skip = !diff_code16_sel;
        return "16-bit code segment";
    }
    return diff_to64(c->code, c->len, c64);
}

/* The case's code at DIFF_CODE, then `jmp *DIFF_RETPTR` back into the
 * executor: in 64-bit mode the code re-encoded (c64) and the jump through
 * an absolute [disp32] (FF 24 25), which FF 25 would make RIP-relative. */
static void place_code(const struct diff_case *c, const struct diff_code64 *c64)
{
    volatile uint8_t *code = (volatile uint8_t *)DIFF_CODE;
    const uint8_t *bytes = DIFF_RUN_MODE64 ? c64->code : c->code;
    unsigned len = DIFF_RUN_MODE64 ? c64->len : c->len, i, n = 0;

    for (i = 0; i < len; i++)
        code[n++] = bytes[i];
    if (diff_code16) {
        /* JMP m16:32 through [disp32] in 16-bit code: 66 67 FF /5. */
        code[n++] = 0x66;
        code[n++] = 0x67;
        code[n++] = 0xff;
        code[n++] = 0x2d;
        for (i = 0; i < 4; i++)
            code[n++] = (uint8_t)(DIFF_RETFAR >> (8 * i));
        return;
    }
    code[n++] = 0xff;
    if (DIFF_RUN_MODE64) {
        code[n++] = 0x24;
        code[n++] = 0x25;
    } else {
        code[n++] = 0x25;
    }
    for (i = 0; i < 4; i++)
        code[n++] = (uint8_t)(DIFF_RETPTR >> (8 * i));
}

/* The EFLAGS bits undefined in the result: the case's, or for a sequence
 * stopped by a fault, those undefined at the faulting point (all six
 * arithmetic flags at an unexpected one). */
static uint32_t case_undef(const struct diff_case *c, const struct result *r)
{
    unsigned i;

    if (!c->npoints || !r->fault)
        return c->undef;
    for (i = 0; i < c->npoints; i++)
        if (c->point_off[i] == r->fault_eip)
            return c->point_undef[i];
    return F_ARITH;
}

static void run_case(const struct diff_case *c, const struct diff_code64 *c64, struct result *r)
{
    volatile uint32_t *data = (volatile uint32_t *)DIFF_DATA;
    volatile uint32_t *stack = (volatile uint32_t *)DIFF_STACK;
    unsigned i;
    uint32_t w;

    place_code(c, c64);
    /* Word copies (both builds are x86 and the areas are aligned). */
    for (i = 0; i < DIFF_DATA_SIZE / 4; i++) {
        __builtin_memcpy(&w, &c->data[4 * i], 4);
        data[i] = w;
    }
    for (i = 0; i < DIFF_STACK_SIZE / 4; i++) {
        __builtin_memcpy(&w, &c->stack[4 * i], 4);
        stack[i] = w;
    }
    /* ENTER copies frame pointers from below EBP and may move ESP down by
     * up to 2 KiB, where later instructions of a sequence pop: the rest of
     * the page below the compared part then holds zeros, not what an
     * earlier case or an exception frame (pushed there by the guest, not
     * natively) left. */
    if (c->deep_stack) {
        volatile uint32_t *low = (volatile uint32_t *)DIFF_STACK_PAGE;
        for (i = 0; i < (DIFF_STACK - DIFF_STACK_PAGE) / 4; i++)
            low[i] = 0;
    }
    /* The same above it: a sequence's POPAs and LEAVE move ESP up past
     * the compared part (eight POPAs: 256 bytes), where an earlier case
     * that faulted with ESP up there left its exception frame. */
    if (c->nforms) {
        volatile uint32_t *high = (volatile uint32_t *)(DIFF_STACK + DIFF_STACK_SIZE);
        for (i = 0; i < DIFF_STACK_ABOVE / 4; i++)
            high[i] = 0;
    }
    if (c->sel_at || c->sel_stack) {
        uint16_t ds = ds_selector();
        volatile uint8_t *p = c->sel_at ? (volatile uint8_t *)DIFF_DATA + c->sel_at - 1
                                        : (volatile uint8_t *)(uintptr_t)c->in.r[R_ESP];
        p[0] = (uint8_t)ds;
        p[1] = (uint8_t)(ds >> 8);
    }
    diff_in = c->in;
    if (diff_exec()) {
        r->fault = diff_fault.vector + 1;
        r->fault_eip = diff_fault.eip - (diff_code16 ? 0 : DIFF_CODE); /* CS base DIFF_CODE */
        if (DIFF_RUN_MODE64)
            r->fault_eip = diff_off64_to32(c64, r->fault_eip);
        r->out = diff_fault.regs;
    } else {
        r->fault = 0;
        r->fault_eip = 0;
        r->out = diff_out;
    }
    for (i = 0; i < DIFF_DATA_SIZE / 4; i++) {
        w = data[i];
        __builtin_memcpy(&r->data[4 * i], &w, 4);
    }
    for (i = 0; i < DIFF_STACK_SIZE / 4; i++) {
        w = stack[i];
        __builtin_memcpy(&r->stack[4 * i], &w, 4);
    }

    /* Mask what is undefined or belongs to the environment: the selector
     * placed for a segment load reads back as generated; a pushed selector
     * (whose upper half SDM 2 PUSH leaves to the processor) as zeros. */
    if (c->sel_at) {
        r->data[c->sel_at - 1] = c->data[c->sel_at - 1];
        r->data[c->sel_at] = c->data[c->sel_at];
    }
    if (c->sel_stack) {
        uint32_t at = c->in.r[R_ESP] - DIFF_STACK;
        r->stack[at] = c->stack[at];
        r->stack[at + 1] = c->stack[at + 1];
    }
    if (c->pushsel_bytes && !r->fault) {
        uint32_t at = r->out.r[R_ESP] - DIFF_STACK;
        for (i = 0; i < c->pushsel_bytes && at + i < DIFF_STACK_SIZE; i++)
            r->stack[at + i] = 0;
    }
    r->out.eflags &= F_COMPARED & ~case_undef(c, r);
    for (i = 0; i < 8; i++)
        if (c->undef_regs >> i & 1)
            r->out.r[i] = 0;
    if (c->pushf_bytes && !r->fault) {
        uint32_t at = r->out.r[R_ESP] - DIFF_STACK;
        uint32_t keep = F_COMPARED | 0x2;
        for (i = 0; i < c->pushf_bytes && at + i < DIFF_STACK_SIZE; i++)
            r->stack[at + i] &= (uint8_t)(keep >> (8 * i));
    }
    /* An exception frame is pushed on the guest's stack, not natively:
     * after a fault the stack area is not compared (shown unchanged). */
    if (r->fault)
        for (i = 0; i < DIFF_STACK_SIZE; i++)
            r->stack[i] = c->stack[i];
}

/* FNV-style chain: each step is a bijection of the running hash, so one
 * differing word always changes the result. */
static uint32_t hash_word(uint32_t h, uint32_t w)
{
    return (h ^ w) * 0x01000193u + 0x9e3779b9u;
}

static uint32_t hash_result(const struct result *r)
{
    uint32_t h = 0x811c9dc5u, w;
    unsigned i;

    for (i = 0; i < 8; i++)
        h = hash_word(h, r->out.r[i]);
    h = hash_word(h, r->out.eflags);
    h = hash_word(h, r->fault);
    h = hash_word(h, r->fault_eip);
    for (i = 0; i < DIFF_DATA_SIZE; i += 4) {
        __builtin_memcpy(&w, &r->data[i], 4);
        h = hash_word(h, w);
    }
    for (i = 0; i < DIFF_STACK_SIZE; i += 4) {
        __builtin_memcpy(&w, &r->stack[i], 4);
        h = hash_word(h, w);
    }
    return h;
}

/* What a recording of the 32-bit-only cases depends on: their code and
 * initial state. A recording whose digest differs from this run's was made
 * with another generator or form table and cannot be compared. */
static uint32_t hash_inputs(uint32_t h, const struct diff_case *c)
{
    uint32_t w;
    unsigned i;

    h = hash_word(h, c->len);
    for (i = 0; i < c->len; i++)
        h = hash_word(h, c->code[i]);
    for (i = 0; i < 8; i++)
        h = hash_word(h, c->in.r[i]);
    h = hash_word(h, c->in.eflags);
    h = hash_word(h, c->undef);
    for (i = 0; i < DIFF_DATA_SIZE; i += 16) {
        __builtin_memcpy(&w, &c->data[i], 4);
        h = hash_word(h, w);
    }
    return h;
}

static void show_regs(const char *tag, const struct diff_regs *s)
{
    unsigned i;

    out_str(tag);
    for (i = 0; i < 8; i++) {
        out_str(" ");
        out_str(reg_names[i]);
        out_str("=");
        out_hex(s->r[i], 8);
    }
    out_str(" efl=");
    out_hex(s->eflags, 8);
    out_str("\n");
}

static void show_mem(const char *tag, const uint8_t *before, const uint8_t *after, unsigned n)
{
    unsigned i;

    for (i = 0; i < n; i++) {
        if (before[i] == after[i])
            continue;
        out_str(" ");
        out_str(tag);
        out_str("+");
        out_hex(i, 2);
        out_str(":");
        out_hex(before[i], 2);
        out_str(">");
        out_hex(after[i], 2);
    }
}

static void show_head(uint32_t idx, const struct diff_case *c)
{
    unsigned i;

    out_str("case ");
    out_dec(idx);
    out_str(" [");
    out_str(c->name);
    out_str("]");
    for (i = 0; i < c->nforms; i++) {
        out_str(i ? "; " : " ");
        out_str(c->forms[i]);
    }
    out_str(" code");
    for (i = 0; i < c->len; i++) {
        out_str(" ");
        out_hex(c->code[i], 2);
    }
    out_str("\n");
}

static void show_case(uint32_t idx, const struct diff_case *c, const struct result *r)
{
    show_head(idx, c);
    show_regs("  in ", &c->in);
    show_regs("  out", &r->out);
    out_str("  masked: efl=");
    out_hex(case_undef(c, r), 8);
    out_str(" regs=");
    out_hex(c->undef_regs, 2);
    out_str(" fault=");
    if (r->fault) {
        out_dec(r->fault - 1);
        out_str(" at +");
        out_dec(r->fault_eip);
    } else {
        out_str("none");
    }
    out_str("\n  mem:");
    show_mem("data", c->data, r->data, DIFF_DATA_SIZE);
    show_mem("stack", c->stack, r->stack, DIFF_STACK_SIZE);
    out_str("\n  hash ");
    out_hex(hash_result(r), 8);
    out_str("\n");
}

/* Numbers: decimal or 0x hex. */
static const char *parse_num(const char *s, uint64_t *v)
{
    uint64_t x = 0;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        for (;; s++) {
            unsigned d;
            if (*s >= '0' && *s <= '9')
                d = (unsigned)(*s - '0');
            else if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f')
                d = (unsigned)((*s | 0x20) - 'a' + 10);
            else
                break;
            x = x << 4 | d;
        }
    } else {
        for (; *s >= '0' && *s <= '9'; s++)
            x = x * 10 + (unsigned)(*s - '0');
    }
    *v = x;
    return s;
}

static int word_is(const char *s, const char *key)
{
    while (*key)
        if (*s++ != *key++)
            return 0;
    return 1;
}

#define MAX_SHOW 256
#define MAX_FORMS 1024
#define MAX_REASONS 16

/* Per form: how many of its cases exist only in 32-bit mode, and their
 * digest. */
static uint32_t form_n32[MAX_FORMS], form_h32[MAX_FORMS];

/* 64-bit harness: the cases not run, by reason (diff_to64's strings). */
static const char *reasons[MAX_REASONS];
static uint32_t reason_n[MAX_REASONS], nreasons;

static int str_eq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static void count_reason(const char *why)
{
    uint32_t i;

    for (i = 0; i < nreasons && !str_eq(reasons[i], why); i++)
        ;
    if (i == nreasons) {
        if (nreasons == MAX_REASONS)
            return;
        reasons[nreasons++] = why;
    }
    reason_n[i]++;
}

int diff_main(const char *cmdline)
{
    uint64_t seed = 0x6a657438365f6466ULL, v;
    uint32_t n = 1048576, chunk = 4096;
    uint32_t show[MAX_SHOW], nshow = 0, only[MAX_SHOW], nonly = 0, i, k, j;
    uint32_t executed = 0, skipped = 0, faults = 0, count64 = 0, count32 = 0, f;
    uint32_t inputs32 = 0x811c9dc5u;
    int ref_qemu = 0, seq = 0, skip;
    const char *s = cmdline;
    static struct diff_case c;
    static struct result r;
    static struct diff_code64 c64;

    *(volatile uintptr_t *)DIFF_RETPTR = (uintptr_t)diff_exec_return;
    place_retfar();
    while (*s) {
        while (*s == ' ')
            s++;
        if (word_is(s, "seed=")) {
            s = parse_num(s + 5, &seed);
        } else if (word_is(s, "n=")) {
            s = parse_num(s + 2, &v);
            n = (uint32_t)v;
        } else if (word_is(s, "chunk=")) {
            s = parse_num(s + 6, &v);
            chunk = v ? (uint32_t)v : 1;
        } else if (word_is(s, "cases=")) {
            s += 5;
            while (*s == '=' || *s == ',') {
                s = parse_num(s + 1, &v);
                if (nonly < MAX_SHOW)
                    only[nonly++] = (uint32_t)v;
            }
        } else if (word_is(s, "show=")) {
            s += 4;
            while (*s == '=' || *s == ',') {
                s = parse_num(s + 1, &v);
                if (nshow < MAX_SHOW)
                    show[nshow++] = (uint32_t)v;
            }
        } else if (word_is(s, "seq=")) {
            s = parse_num(s + 4, &v);
            seq = v != 0;
        } else if (word_is(s, "code16=")) {
            s = parse_num(s + 7, &v);
            diff_code16 = v != 0;
            seq |= v != 0;
        } else if (word_is(s, "ref=qemu")) {
            ref_qemu = 1;
            s += 8;
        }
        while (*s && *s != ' ')
            s++;
    }

    if (nshow) {
        for (i = 0; i < nshow; i++) {
            const char *why;
            gen_case(seed, show[i], seq, &c);
            why = case_class(&c, &c64, &skip);
            if ((DIFF_RUN_MODE64 && why) || skip) {
                show_head(show[i], &c);
                out_str(skip ? "  not run here (" : "  not run: only in 32-bit mode (");
                out_str(why);
                out_str(")\n");
                continue;
            }
            run_case(&c, &c64, &r);
            show_case(show[i], &c, &r);
            if (DIFF_RUN_MODE64) {
                out_str("  code in 64-bit mode:");
                for (k = 0; k < c64.len; k++) {
                    out_str(" ");
                    out_hex(c64.code[k], 2);
                }
                out_str("\n");
            }
        }
        out_str("done\n");
        diff_flush();
        return 0;
    }

    if (diff_form_count() > MAX_FORMS) {
        out_str("diff: too many forms for the per-form digests\n");
        diff_flush();
        return 1;
    }
    out_str("diff: seed=0x");
    out_hex((uint32_t)(seed >> 32), 8);
    out_hex((uint32_t)seed, 8);
    out_str(" forms=");
    out_dec(diff_form_count());
    out_str(" n=");
    out_dec(n);
    out_str(" chunk=");
    out_dec(chunk);
    out_str(DIFF_RUN_MODE64 ? " mode=64" : " mode=32");
    out_str(seq ? " seq=1" : "");
    out_str(diff_code16 ? " code16=1" : "");
    out_str(ref_qemu ? " ref=qemu\n" : "\n");
    for (k = 0; (uint64_t)k * chunk < n; k++) {
        /* Two hashes a chunk: the cases that also run in 64-bit mode, and
         * those that exist only in 32-bit mode ("-": not run here). */
        uint32_t h64 = 0x811c9dc5u, h32 = 0x811c9dc5u;
        uint32_t end = n - k * chunk < chunk ? n : k * chunk + chunk;
        for (j = 0; j < nonly && only[j] != k; j++)
            ;
        if (nonly && j == nonly)
            continue;
        for (i = k * chunk; i < end; i++) {
            uint32_t hc, f = i % diff_form_count();
            const char *why;
            gen_case(seed, i, seq, &c);
            if (ref_qemu && c.qemu_skip) {
                skipped++;
                continue;
            }
            why = case_class(&c, &c64, &skip);
            if (why) {
                count32++;
                inputs32 = hash_inputs(inputs32, &c);
                if (DIFF_RUN_MODE64 || skip) {
                    count_reason(why);
                    if (nonly) {
                        out_str("case ");
                        out_dec(i);
                        out_str(" - 32 ");
                        out_str(c.name);
                        out_str("\n");
                    }
                    continue;
                }
            } else {
                count64++;
            }
            run_case(&c, &c64, &r);
            executed++;
            faults += r.fault != 0;
            hc = hash_result(&r);
            if (why) {
                h32 = hash_word(h32, hc);
                form_n32[f]++;
                form_h32[f] = hash_word(form_h32[f] ? form_h32[f] : 0x811c9dc5u, hc);
            } else {
                h64 = hash_word(h64, hc);
            }
            if (nonly) {
                out_str("case ");
                out_dec(i);
                out_str(" ");
                out_hex(hc, 8);
                out_str(why ? " 32 " : " 64 ");
                out_str(c.name);
                out_str("\n");
            }
        }
        out_str("chunk ");
        out_dec(k);
        out_str(" ");
        out_hex(h64, 8);
        if (DIFF_RUN_MODE64) {
            out_str(" -\n");
        } else {
            out_str(" ");
            out_hex(h32, 8);
            out_str("\n");
        }
        diff_flush();
    }
    /* Per form, a digest of its 32-bit-only cases (what a recording of a
     * 32-bit host keeps, tests/diff/recorded/), or in 64-bit mode why
     * cases were not run. */
    if (!nonly && !DIFF_RUN_MODE64) {
        for (f = 0; f < diff_form_count(); f++) {
            if (!form_n32[f])
                continue;
            out_str("form ");
            out_dec(f);
            out_str(" ");
            out_dec(form_n32[f]);
            out_str(" ");
            out_hex(form_h32[f], 8);
            out_str(" ");
            out_str(diff_forms[f].name);
            out_str("\n");
        }
    }
    if (DIFF_RUN_MODE64) {
        for (j = 0; j < nreasons; j++) {
            out_str("only32 ");
            out_dec(reason_n[j]);
            out_str(" ");
            out_str(reasons[j]);
            out_str("\n");
        }
    }
    out_str("done executed=");
    out_dec(executed);
    out_str(" skipped=");
    out_dec(skipped);
    out_str(" faults=");
    out_dec(faults);
    out_str(" cls64=");
    out_dec(count64);
    out_str(" cls32=");
    out_dec(count32);
    out_str(" inputs32=");
    out_hex(inputs32, 8);
    out_str("\n");
    diff_flush();
    return 0;
}
