/*
 * ldst.h - little-endian loads and stores on host memory.
 * Guest memory is little-endian whatever the host is: every access to a
 * guest byte array goes through these, which are correct on any host.
 */
#ifndef SOFTMMU_LDST_H
#define SOFTMMU_LDST_H

#include <stdint.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define LE16(x) __builtin_bswap16(x)
#define LE32(x) __builtin_bswap32(x)
#define LE64(x) __builtin_bswap64(x)
#else
#define LE16(x) (x)
#define LE32(x) (x)
#define LE64(x) (x)
#endif

static inline uint8_t ldub_p(const void *p) { return *(const uint8_t *)p; }
static inline uint16_t lduw_le_p(const void *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return LE16(v);
}
static inline uint32_t ldl_le_p(const void *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return LE32(v);
}
static inline uint64_t ldq_le_p(const void *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return LE64(v);
}
static inline void stb_p(void *p, uint8_t v) { *(uint8_t *)p = v; }
static inline void stw_le_p(void *p, uint16_t v)
{
    v = LE16(v);
    memcpy(p, &v, 2);
}
static inline void stl_le_p(void *p, uint32_t v)
{
    v = LE32(v);
    memcpy(p, &v, 4);
}
static inline void stq_le_p(void *p, uint64_t v)
{
    v = LE64(v);
    memcpy(p, &v, 8);
}

/* Load/store of 1, 2, 4 or 8 bytes chosen at run time. */
static inline uint64_t ld_le_p(const void *p, unsigned size)
{
    switch (size) {
    case 1: return ldub_p(p);
    case 2: return lduw_le_p(p);
    case 4: return ldl_le_p(p);
    default: return ldq_le_p(p);
    }
}
static inline void st_le_p(void *p, uint64_t v, unsigned size)
{
    switch (size) {
    case 1: stb_p(p, (uint8_t)v); break;
    case 2: stw_le_p(p, (uint16_t)v); break;
    case 4: stl_le_p(p, (uint32_t)v); break;
    default: stq_le_p(p, v); break;
    }
}

#endif
