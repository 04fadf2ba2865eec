/*
 * helpers.c - helper_table[]: the descriptor (name, C function, argument
 * and return types, flags) of every helper in helpers.def, built from the
 * DEF_HELPER list so the list is written once.
 */
#include "translator/ir.h"

/* The table only takes each helper's address, so one generic declaration
 * per helper is enough here; the real prototypes live in translator/sys.h
 * and translator/helpers_alu.h, next to the code that calls them. */
#define DEF_HELPER(name, ret, flags, ...) void helper_##name(void);
#include "translator/x86/helpers.def"
#undef DEF_HELPER

/* Argument count: the number of non-H_VOID types (a helper without
 * arguments lists H_VOID alone). */
#define HELPER_NZ(a, b, c, d, e, f, ...)                                       \
    (((a) != H_VOID) + ((b) != H_VOID) + ((c) != H_VOID) + ((d) != H_VOID) +   \
     ((e) != H_VOID) + ((f) != H_VOID))
#define HELPER_NARGS(...) HELPER_NZ(__VA_ARGS__, 0, 0, 0, 0, 0, 0)

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
