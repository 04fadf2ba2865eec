/*
 * addr.h - the two kinds of guest address, 64 bits wide everywhere so
 * that PAE (36-bit physical), long mode (48-bit linear, 52-bit physical)
 * and a 32-bit guest share every structure:
 *
 *   vaddr   a linear (virtual) address: after segmentation, before paging
 *   hwaddr  a physical address: after paging, what the memory map decodes
 *
 * A 32-bit guest's addresses are these types with bits 63:32 clear.
 */
#ifndef BASE_ADDR_H
#define BASE_ADDR_H

#include <stdint.h>

typedef uint64_t vaddr;
typedef uint64_t hwaddr;

#endif
