/*
 * helpers.c - helper_table[]: the descriptor (name, C function, argument
 * and return types, flags) of every helper in helpers.def, built from the
 * DEF_HELPER list so the list is written once. The functions are taken
 * with their real prototypes (helpers.h). Also the ABI probe.
 */
#include <string.h>

#include "translator/ir.h"
#include "translator/x86/helpers.h"

/* H_VOID stands alone: a code after it would be dropped from the call. */
#define DEF_HELPER(name, ret, flags, ...)                                      \
    _Static_assert(HELPER_ARGS_OK(__VA_ARGS__),                                \
                   "helper " #name ": H_VOID is only the whole argument list");
#include "translator/x86/helpers.def"
#undef DEF_HELPER

const struct helper_info helper_table[HELPER_COUNT] = {
#define DEF_HELPER(hname, ret_, flags_, ...)                                   \
    [HELPER_##hname] = { .name = #hname,                                       \
                        .fn = (void *)helper_##hname,                          \
                        .ret = ret_,                                           \
                        .n_args = HELPER_NARGS(__VA_ARGS__),                   \
                        .args = { __VA_ARGS__ },                               \
                        .flags = flags_ },
#include "translator/x86/helpers.def"
#undef DEF_HELPER
};

uint64_t helper_abi_probe(struct cpu *cpu, void *p, uint64_t x, uint32_t y,
                          void *q, uint32_t z)
{
    memcpy(p, &x, sizeof(x));
    memcpy(q, &y, sizeof(y));
    memcpy((char *)q + sizeof(y), &z, sizeof(z));
    return (uint64_t)((char *)q - (char *)cpu) << 32 |
           (uint32_t)((char *)p - (char *)cpu);
}
