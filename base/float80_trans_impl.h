/*
 * float80_trans_impl.h - what float80_trans.c and float80_trig.c share:
 * the front of every transcendental (NaNs, unsupported formats,
 * denormal operands) and the odd power series. Not for use outside
 * base/float80*.c.
 */
#ifndef BASE_FLOAT80_TRANS_IMPL_H
#define BASE_FLOAT80_TRANS_IMPL_H

#include <stdbool.h>

#include "base/float80.h"
#include "base/float80_wide.h"

/* An unsupported operand is invalid (the indefinite); NaNs propagate (b
 * may be NULL for one operand). True when *r is the final result. */
bool f80t_nan_or_unsupported(struct f80_env *env, float80 a, const float80 *b,
                             float80 *r);
/* Raise DE for a denormal operand; true when it is unmasked, so the
 * operation must stop (SDM vol. 1 8.5.2). */
bool f80t_denormal_stops(struct f80_env *env, float80 a, const float80 *b);
/* How many terms of a series in powers of x2 (at most max) bring the
 * remainder below 2^-130 when the k-th term is below x2^k. */
int f80t_series_terms(struct f80w x2, int max);
/* x (1 + x^2/3 + x^4/5 + ...) = atanh(x), or with alternating signs
 * atan(x); |x| well below 1. */
struct f80w f80t_odd_series(struct f80w x, bool alternate);

#endif
