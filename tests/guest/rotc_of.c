/* rotc_of: OF after RCL and RCR by counts above 1, at 8, 16 and 32 bits.
 * SDM 2 (RCL/RCR/ROL/ROR) defines OF only for a count of 1 (RCL: MSB of
 * the result XOR CF; RCR: XOR of the two most significant bits of the
 * result) and leaves it undefined otherwise.  jet86 computes the same
 * expression from the result for every count, as the processors do:
 * this program's expected output is confirmed on the host CPU
 * (hostcheck.sh, an AMD EPYC; Bochs models Intel's the same way), and it
 * is the one helper (helper_alu.c) on every backend.  A masked count of 0
 * changes no flag; CF and the result are defined for every count.
 *
 * QEMU's TCG sets OF to the XOR of the most significant bits of the
 * source and the result, which differs for counts above 1: its own
 * output is rotc_of.qemu-expected.
 *
 * Bochs (rotc_of.bochs-expected) computes OF for counts above 1 another
 * way; the SDM leaves it undefined, and the host CPU (hostcheck.sh) gives
 * what jet86 gives.
 */
#include "rt/ops.h"

OPCL(rcl8, "rclb", uint8_t, "q")
OPCL(rcl16, "rclw", uint16_t, "r")
OPCL(rcl32, "rcll", uint32_t, "r")
OPCL(rcr8, "rcrb", uint8_t, "q")
OPCL(rcr16, "rcrw", uint16_t, "r")
OPCL(rcr32, "rcrl", uint32_t, "r")

typedef uint32_t (*rot_fn)(uint32_t d, uint8_t c, uint32_t fi, uint32_t *fo);
#define WRAP(op)                                                                                           \
    static uint32_t w_##op(uint32_t d, uint8_t c, uint32_t fi, uint32_t *fo) { return op(d, c, fi, fo); }
WRAP(rcl8) WRAP(rcl16) WRAP(rcl32) WRAP(rcr8) WRAP(rcr16) WRAP(rcr32)

static const struct {
    const char *name;
    rot_fn fn;
    uint32_t mask;
} ops[] = {
    {"rcl8", w_rcl8, 0xff},   {"rcl16", w_rcl16, 0xffff}, {"rcl32", w_rcl32, 0xffffffffu},
    {"rcr8", w_rcr8, 0xff},   {"rcr16", w_rcr16, 0xffff}, {"rcr32", w_rcr32, 0xffffffffu},
};

static const uint32_t vals[] = {0x00000000u, 0xffffffffu, 0x80000001u, 0x40000000u, 0x8a5c3e71u,
                                0x5a5a5a5au, 0xc0000003u, 0x7f7f7f7fu, 0x00008000u, 0x000000c0u};

int main(void)
{
    for (unsigned o = 0; o < sizeof ops / sizeof ops[0]; o++) {
        uint32_t h = RT_HASH_INIT, of_set = 0;
        for (unsigned v = 0; v < sizeof vals / sizeof vals[0]; v++)
            for (unsigned c = 1; c < 40; c++)
                for (int k = 0; k < 2; k++) {
                    uint32_t fo, fi = 0x2 | (k ? FL_CF : 0);
                    uint32_t r = ops[o].fn(vals[v] & ops[o].mask, (uint8_t)c, fi, &fo);
                    h = rt_hash(rt_hash(h, r & ops[o].mask), fo & (FL_CF | FL_OF));
                    of_set += (fo >> 11) & 1;
                }
        rt_printf("%s counts 1-39: hash %08x, OF set %u times\n", ops[o].name, h, of_set);
        static const uint8_t sc[] = {2, 3, 7, 8, 9, 15, 16, 17, 31};
        for (unsigned c = 0; c < sizeof sc; c++) {
            uint32_t fo, v = 0x8a5c3e71u & ops[o].mask;
            uint32_t r = ops[o].fn(v, sc[c], 0x2 | (c & 1 ? FL_CF : 0), &fo);
            rt_printf("  %s %x,%u cf %u -> %x cf %u of %u\n", ops[o].name, v, sc[c], c & 1, r & ops[o].mask,
                      fo & 1, (fo >> 11) & 1);
        }
    }
    rt_puts("rotc_of done\n");
    return 0;
}
