/* strings: MOVS STOS LODS SCAS CMPS at byte/word/dword sizes, without REP
 * and with REP/REPE/REPNE, forwards (DF=0) and backwards (DF=1), ECX=0,
 * overlapping MOVS copies in both directions, and the flags left by the
 * last compare of REPE/REPNE SCAS/CMPS (all six defined, as CMP). */
#include "rt/rt.h"

static uint8_t buf[512];
static uint8_t src[64];

static uint32_t hash_buf(void)
{
    uint32_t h = RT_HASH_INIT;
    for (unsigned i = 0; i < sizeof buf; i += 4)
        h = rt_hash(h, buf[i] | buf[i + 1] << 8 | buf[i + 2] << 16 | (uint32_t)buf[i + 3] << 24);
    return h;
}

static void reset(void)
{
    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i * 7 + 1);
    for (unsigned i = 0; i < sizeof src; i++)
        src[i] = (uint8_t)(0x80 + i);
}

static void report(const char *what, uint32_t esi, uint32_t edi, uint32_t ecx, uint32_t f)
{
    /* ESI is shown relative to src, or to buf for the copies within buf */
    int in_buf = esi - ((uint32_t)buf - 8) < sizeof buf + 16;
    rt_printf("%s: esi=%s%d edi=buf%d ecx=%u ", what, in_buf ? "buf" : "src",
              (int32_t)(esi - (uint32_t)(in_buf ? buf : src)), (int32_t)(edi - (uint32_t)buf), ecx);
    rt_print_flags(f, FL_ARITH);
    rt_printf(" buf=%08x\n", hash_buf());
}

#define STR(what, pre, insn, si0, di0, cx0, ax0)                                          \
    do {                                                                                  \
        uint32_t si = (uint32_t)(si0), di = (uint32_t)(di0), cx = (cx0), ax = (ax0), f;   \
        __asm__ volatile("pushl $0x8d7\n\tpopfl\n\t" pre "\n\t" insn "\n\tpushfl\n\tpopl %4\n\tcld" \
                         : "+S"(si), "+D"(di), "+c"(cx), "+a"(ax), "=r"(f)                \
                         :                                                                \
                         : "memory", "cc");                                               \
        rt_printf("eax=%x ", ax);                                                         \
        report(what, si, di, cx, f);                                                      \
    } while (0)

int main(void)
{
    reset();
    STR("movsb", "cld", "movsb", src, buf, 5, 0);
    STR("rep movsb", "cld", "rep movsb", src, buf + 1, 13, 0);
    STR("rep movsw", "cld", "rep movsw", src, buf + 40, 7, 0);
    STR("rep movsd", "cld", "rep movsl", src, buf + 80, 9, 0);
    STR("rep movsd std", "std", "rep movsl", src + 60, buf + 200, 9, 0);
    STR("rep movsb ecx=0", "cld", "rep movsb", src, buf + 300, 0, 0);
    STR("movsw std", "std", "movsw", src + 10, buf + 300, 3, 0);

    reset();
    STR("stosb", "cld", "stosb", src, buf + 3, 1, 0x11223344);
    STR("rep stosb", "cld", "rep stosb", src, buf + 10, 33, 0xab);
    STR("rep stosw", "cld", "rep stosw", src, buf + 50, 17, 0xbeef);
    STR("rep stosd", "cld", "rep stosl", src, buf + 100, 64, 0xdeadbeef);
    STR("rep stosd std", "std", "rep stosl", src, buf + 400, 20, 0x01020304);

    reset();
    STR("lodsb", "cld", "lodsb", src + 3, buf, 0, 0xffffffff);
    STR("lodsw std", "std", "lodsw", src + 3, buf, 0, 0xffffffff);
    STR("lodsd", "cld", "lodsl", src + 4, buf, 0, 0);
    STR("rep lodsb", "cld", "rep lodsb", src, buf, 10, 0);

    /* SCAS: REPNE finds the byte; REPE stops at the first difference */
    reset();
    buf[20] = 0x5a;
    STR("repne scasb found", "cld", "repne scasb", src, buf, 100, 0x5a);
    STR("repne scasb not found", "cld", "repne scasb", src, buf + 21, 10, 0x5a);
    memset(buf + 100, 0x77, 30);
    STR("repe scasb", "cld", "repe scasb", src, buf + 100, 50, 0x77);
    STR("repe scasw", "cld", "repe scasw", src, buf + 100, 50, 0x7777);
    STR("repe scasd std", "std", "repe scasl", src, buf + 124, 50, 0x77777777);
    STR("scasd", "cld", "scasl", src, buf + 100, 0, 0x77777778);
    STR("repe scasb ecx=0", "cld", "repe scasb", src, buf + 100, 0, 0);

    /* CMPS */
    reset();
    memcpy(buf, src, 64);
    buf[37] ^= 1;
    STR("repe cmpsb", "cld", "repe cmpsb", src, buf, 64, 0);
    STR("repe cmpsd", "cld", "repe cmpsl", src, buf, 16, 0);
    STR("repne cmpsb", "cld", "repne cmpsb", src + 1, buf, 64, 0);
    STR("repe cmpsw std", "std", "repe cmpsw", src + 62, buf + 62, 32, 0);
    STR("cmpsb", "cld", "cmpsb", src, buf, 0, 0);

    /* overlapping copies: forward byte copy smears, backward copy moves */
    reset();
    STR("overlap fwd", "cld", "rep movsb", buf, buf + 1, 40, 0);
    reset();
    STR("overlap back", "std", "rep movsb", buf + 39, buf + 40, 40, 0);
    reset();
    STR("overlap fwd dword", "cld", "rep movsl", buf + 2, buf, 50, 0);
    /* a long copy across many pages of RAM */
    static uint8_t big_src[20000], big_dst[20000];
    for (unsigned i = 0; i < sizeof big_src; i++)
        big_src[i] = (uint8_t)(i ^ (i >> 8));
    uint32_t si = (uint32_t)big_src, di = (uint32_t)big_dst, cx = sizeof big_src / 4;
    __asm__ volatile("cld\n\trep movsl" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
    rt_printf("big copy equal: %s, ecx=%u\n", memcmp(big_src, big_dst, sizeof big_src) == 0 ? "yes" : "no", cx);
    rt_puts("strings done\n");
    return 0;
}
