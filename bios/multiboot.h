/*
 * multiboot.h - the Multiboot (version 1) kernel loader: puts an ELF32 or
 * a.out-kludge kernel, its modules, command line and information block into
 * guest RAM and leaves the boot parameters for the ROM stub (rom.h).
 */
#ifndef BIOS_MULTIBOOT_H
#define BIOS_MULTIBOOT_H

#include <stddef.h>
#include <stdint.h>

#include "softmmu/memory.h"

#define MULTIBOOT_HEADER_MAGIC 0x1badb002u
#define MULTIBOOT_SEARCH 8192 /* the header lies in the file's first 8 KiB */

/* Where the information block and the memory map go (as QEMU puts them). */
#define MULTIBOOT_MMAP_ADDR 0x9000u
#define MULTIBOOT_INFO_ADDR 0x9500u

/* multiboot_info.flags bits (Multiboot 0.6.96, section 3.3). */
#define MBI_MEM 0x001u
#define MBI_BOOTDEV 0x002u
#define MBI_CMDLINE 0x004u
#define MBI_MODS 0x008u
#define MBI_MMAP 0x040u
#define MBI_LOADER_NAME 0x200u

struct multiboot_args {
    const char *kernel;  /* path, also the first word of the command line */
    const char *append;  /* -append, or NULL */
    const char *modules; /* -initrd: "file [args],file2..." (",," is a comma),
                            or NULL */
    uint64_t ram_size;   /* RAM is [0, 0xA0000) and [1 MiB, ram_size) */
};

struct multiboot_result {
    uint32_t entry; /* physical entry point */
    uint32_t mbi;   /* physical address of the information block */
    uint32_t kernel_start, kernel_end; /* loaded image incl. bss */
};

/* Load everything and write the boot parameters. Returns 0, or -1 with a
 * one-line reason in err (which names the file). */
int multiboot_load(struct memory_map *mem, const struct multiboot_args *args,
                   struct multiboot_result *res, char *err, size_t errlen);

#endif
