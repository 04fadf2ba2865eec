/*
 * multiboot.c - loads a Multiboot v1 kernel (Multiboot Specification
 * 0.6.96) into guest RAM from the host side: finds and checks the header,
 * loads the ELF32 program headers or the a.out-kludge image, the modules,
 * and builds the information block (memory sizes, command line, modules,
 * a memory map, the boot loader name). The ROM stub (rom.c) then enters
 * the kernel in 32-bit protected mode with EAX=0x2BADB002, EBX=the block.
 *
 * Layout, as QEMU's loader does it (checked by booting the same probe
 * kernel under qemu-system-i386):
 *   0x9000  memory map       0x9500  information block
 *   first page after the kernel: module list, module strings, kernel
 *   command line ("KERNEL-PATH APPEND"), boot loader name; then each
 *   module on its own page boundary.
 */
#include "bios/multiboot.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bios/rom.h"
#include "bios/tables.h"
#include "base/util.h"
#include "softmmu/ldst.h"

/* Multiboot header flags (spec 3.1.2). */
#define MBH_PAGE_ALIGN 0x00000001u /* modules on page boundaries */
#define MBH_MEMORY_INFO 0x00000002u
#define MBH_VIDEO_MODE 0x00000004u
#define MBH_AOUT_KLUDGE 0x00010000u
/* Required-feature bits (0-15) this loader knows about. */
#define MBH_KNOWN_REQUIRED (MBH_PAGE_ALIGN | MBH_MEMORY_INFO | MBH_VIDEO_MODE)

/* ELF32 (System V ABI, i386 supplement). */
#define EI_CLASS 4
#define EI_DATA 5
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define EM_386 3
#define PT_LOAD 1
#define ELF32_EHDR_SIZE 52
#define ELF32_PHDR_SIZE 32

/* Conventional memory: [0, 0x9FC00) usable, the EBDA up to 0xA0000. */
#define LOW_RAM_END 0x9fc00u
#define HIGH_RAM_START 0x100000u
/* Lowest address a kernel image may load at: above the loader's own
 * structures (boot parameters, memory map, information block). */
#define LOW_LOAD_MIN 0x10000u

#define MBI_SIZE 88
#define MMAP_ENTRY_SIZE 24 /* the size field (4) + 20 bytes */
#define MOD_ENTRY_SIZE 16

struct loader {
    struct memory_map *mem;
    const struct multiboot_args *args;
    char *err;
    size_t errlen;
};

static int fail(struct loader *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int fail(struct loader *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->err, l->errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static uint32_t page_align(uint64_t v)
{
    return (uint32_t)((v + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1));
}

/* printf into a new string. */
static char *xasprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    J_ASSERT(n >= 0);
    char *s = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* Read a whole file. what starts each message: the flag and the file
 * ("-kernel PATH"). */
static int read_file(struct loader *l, const char *what, const char *path,
                     uint8_t **data, size_t *len)
{
    struct stat st;
    FILE *f = fopen(path, "rb");

    if (!f)
        return fail(l, "%s: %s", what, strerror(errno));
    if (fstat(fileno(f), &st) != 0) {
        int e = errno;
        fclose(f);
        return fail(l, "%s: %s", what, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        fclose(f);
        return fail(l, "%s: %s", what,
                    S_ISDIR(st.st_mode) ? "is a directory"
                                        : "not a regular file");
    }
    if ((uint64_t)st.st_size > l->args->ram_size) {
        fclose(f);
        return fail(l, "%s: %lld bytes do not fit in %llu MiB of RAM", what,
                    (long long)st.st_size,
                    (unsigned long long)(l->args->ram_size >> 20));
    }
    *len = (size_t)st.st_size;
    *data = xmalloc(*len);
    if (*len && fread(*data, 1, *len, f) != *len) {
        int e = ferror(f) ? errno : 0;
        fclose(f);
        free(*data);
        return fail(l, "%s: read error%s%s", what, e ? ": " : "",
                    e ? strerror(e) : "");
    }
    fclose(f);
    return 0;
}

/* Is [addr, addr+len) inside RAM where a kernel or module may go? */
static bool ram_range_ok(const struct loader *l, uint64_t addr, uint64_t len)
{
    uint64_t end = addr + len;
    if (end < addr)
        return false;
    if (addr >= HIGH_RAM_START && end <= tables_base(l->args->ram_size))
        return true;
    return addr >= LOW_LOAD_MIN && end <= LOW_RAM_END;
}

static void phys_zero(struct memory_map *mem, uint64_t addr, uint64_t len)
{
    static const uint8_t zeros[4096];
    while (len) {
        uint64_t n = len < sizeof(zeros) ? len : sizeof(zeros);
        phys_write(mem, addr, zeros, n);
        addr += n;
        len -= n;
    }
}

/* Load [off, off+filesz) of the file at paddr and zero up to memsz. */
static int load_segment(struct loader *l, const uint8_t *data, uint64_t off,
                        uint64_t filesz, uint64_t paddr, uint64_t memsz,
                        struct multiboot_result *res)
{
    const char *path = l->args->kernel;
    if (!ram_range_ok(l, paddr, memsz))
        return fail(l,
                    "-kernel %s: load address 0x%llx-0x%llx is outside RAM "
                    "(0x%x-0x%x and 0x%x-0x%x; the BIOS's tables take "
                    "0x%x-0x%llx)",
                    path, (unsigned long long)paddr,
                    (unsigned long long)(paddr + memsz), LOW_LOAD_MIN,
                    LOW_RAM_END, HIGH_RAM_START,
                    tables_base(l->args->ram_size),
                    tables_base(l->args->ram_size),
                    (unsigned long long)l->args->ram_size);
    phys_write(l->mem, paddr, data + off, filesz);
    phys_zero(l->mem, paddr + filesz, memsz - filesz);
    if (paddr < res->kernel_start)
        res->kernel_start = (uint32_t)paddr;
    if (paddr + memsz > res->kernel_end)
        res->kernel_end = (uint32_t)(paddr + memsz);
    return 0;
}

/* The a.out kludge (spec 3.1.3): the header gives the addresses. */
static int load_aout(struct loader *l, const uint8_t *data, size_t len,
                     uint32_t hdr_off, struct multiboot_result *res)
{
    const char *path = l->args->kernel;
    if (hdr_off + 32 > len)
        return fail(l, "-kernel %s: truncated Multiboot header", path);
    uint32_t header_addr = ldl_le_p(data + hdr_off + 12);
    uint32_t load_addr = ldl_le_p(data + hdr_off + 16);
    uint32_t load_end_addr = ldl_le_p(data + hdr_off + 20);
    uint32_t bss_end_addr = ldl_le_p(data + hdr_off + 24);
    uint32_t entry_addr = ldl_le_p(data + hdr_off + 28);

    /* The header's own address fixes the file offset of load_addr. */
    if (header_addr < load_addr || header_addr - load_addr > hdr_off)
        return fail(l,
                    "-kernel %s: bad a.out kludge: header_addr 0x%x and "
                    "load_addr 0x%x do not match the header's file offset 0x%x",
                    path, header_addr, load_addr, hdr_off);
    uint32_t file_off = hdr_off - (header_addr - load_addr);
    uint64_t size;
    if (load_end_addr == 0) {
        size = len - file_off;
    } else {
        if (load_end_addr < load_addr)
            return fail(l,
                        "-kernel %s: bad a.out kludge: load_end_addr 0x%x "
                        "below load_addr 0x%x",
                        path, load_end_addr, load_addr);
        size = load_end_addr - load_addr;
        if (size > len - file_off)
            return fail(l,
                        "-kernel %s: bad a.out kludge: load_end_addr 0x%x "
                        "beyond the end of the file",
                        path, load_end_addr);
    }
    uint64_t memsz = size;
    if (bss_end_addr) {
        if (bss_end_addr < load_addr + size)
            return fail(l,
                        "-kernel %s: bad a.out kludge: bss_end_addr 0x%x "
                        "below the end of the image",
                        path, bss_end_addr);
        memsz = bss_end_addr - load_addr;
    }
    if (load_segment(l, data, file_off, size, load_addr, memsz, res))
        return -1;
    if (entry_addr < load_addr || entry_addr >= load_addr + memsz)
        return fail(l, "-kernel %s: entry_addr 0x%x outside the loaded image",
                    path, entry_addr);
    res->entry = entry_addr;
    return 0;
}

static int load_elf(struct loader *l, const uint8_t *data, size_t len,
                    struct multiboot_result *res)
{
    const char *path = l->args->kernel;

    if (len < ELF32_EHDR_SIZE || memcmp(data, "\177ELF", 4) != 0)
        return fail(l,
                    "-kernel %s: not an ELF file, and its Multiboot header "
                    "has no a.out kludge (flag bit 16)",
                    path);
    if (data[EI_CLASS] != ELFCLASS32)
        return fail(
            l,
            "-kernel %s: %s ELF, need ELF32 for i386 (or the "
            "Multiboot a.out kludge)",
            path, data[EI_CLASS] == ELFCLASS64 ? "64-bit" : "unknown class of");
    if (data[EI_DATA] != ELFDATA2LSB)
        return fail(l, "-kernel %s: big-endian ELF, need little-endian i386",
                    path);
    uint16_t type = lduw_le_p(data + 16);
    uint16_t machine = lduw_le_p(data + 18);
    if (machine != EM_386)
        return fail(l, "-kernel %s: ELF machine %u is not i386 (EM_386 = 3)",
                    path, machine);
    if (type != ET_EXEC)
        return fail(l, "-kernel %s: ELF type %u is not an executable (ET_EXEC)",
                    path, type);
    uint32_t entry = ldl_le_p(data + 24);
    uint32_t phoff = ldl_le_p(data + 28);
    uint16_t phentsize = lduw_le_p(data + 42);
    uint16_t phnum = lduw_le_p(data + 44);
    if (phnum == 0 || phentsize < ELF32_PHDR_SIZE ||
        (uint64_t)phoff + (uint64_t)phnum * phentsize > len)
        return fail(l, "-kernel %s: bad ELF program header table", path);

    bool loaded = false, entry_mapped = false;
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = data + phoff + (size_t)i * phentsize;
        uint32_t p_type = ldl_le_p(ph);
        uint32_t p_offset = ldl_le_p(ph + 4);
        uint32_t p_vaddr = ldl_le_p(ph + 8);
        uint32_t p_paddr = ldl_le_p(ph + 12);
        uint32_t p_filesz = ldl_le_p(ph + 16);
        uint32_t p_memsz = ldl_le_p(ph + 20);
        if (p_type != PT_LOAD || p_memsz == 0)
            continue;
        if (p_filesz > p_memsz || (uint64_t)p_offset + p_filesz > len)
            return fail(l, "-kernel %s: ELF segment %u lies outside the file",
                        path, i);
        if (load_segment(l, data, p_offset, p_filesz, p_paddr, p_memsz, res))
            return -1;
        loaded = true;
        /* A kernel linked at a virtual address (p_vaddr != p_paddr) is
         * entered at the physical address of its entry point. */
        if (!entry_mapped && entry - p_vaddr < p_memsz) {
            res->entry = p_paddr + (entry - p_vaddr);
            entry_mapped = true;
        }
    }
    if (!loaded)
        return fail(l, "-kernel %s: ELF file has no loadable segment", path);
    if (!entry_mapped)
        return fail(l,
                    "-kernel %s: ELF entry point 0x%x is in no loadable "
                    "segment",
                    path, entry);
    return 0;
}

/* Find the header: a magic at a 4-byte aligned offset in the first 8 KiB
 * whose checksum makes magic + flags + checksum zero (spec 3.1.1). */
static int find_header(struct loader *l, const uint8_t *data, size_t len,
                       uint32_t *off_out, uint32_t *flags_out)
{
    size_t limit = len < MULTIBOOT_SEARCH ? len : MULTIBOOT_SEARCH;
    long bad = -1;

    for (size_t off = 0; off + 12 <= limit; off += 4) {
        if (ldl_le_p(data + off) != MULTIBOOT_HEADER_MAGIC)
            continue;
        uint32_t flags = ldl_le_p(data + off + 4);
        uint32_t sum = ldl_le_p(data + off + 8);
        if ((uint32_t)(MULTIBOOT_HEADER_MAGIC + flags + sum) == 0) {
            *off_out = (uint32_t)off;
            *flags_out = flags;
            return 0;
        }
        if (bad < 0)
            bad = (long)off;
    }
    if (bad >= 0)
        return fail(l,
                    "-kernel %s: bad Multiboot header checksum (header at "
                    "offset 0x%lx: magic + flags + checksum must be 0)",
                    l->args->kernel, bad);
    return fail(l,
                "-kernel %s: not a Multiboot kernel (no Multiboot header "
                "in the first %d bytes) nor a Linux bzImage (no \"HdrS\" "
                "at 0x202)",
                l->args->kernel, MULTIBOOT_SEARCH);
}

/* One -initrd entry: "file [args]" (the whole text is its command line). */
struct module_spec {
    char *text;  /* command line */
    char *path;  /* the file: up to the first space after the name starts */
    char *label; /* starts each message about it: "-initrd LIST: module N
                    'FILE'", or "-initrd FILE" when that is the whole list */
};

/* Split the -initrd list at single commas; ",," stands for a comma. Each
 * entry needs a file name: an entry that is empty or only spaces ("",
 * ",x", "x,") is an error naming its place. Spaces before the name belong
 * to it (" x" is the file " x"); messages quote the names, and the list
 * when it has spaces, so that such spaces show. */
static int parse_modules(struct loader *l, const char *list,
                         struct module_spec **out, int *count)
{
    int n = 0, cap = 4;
    struct module_spec *mods = xmalloc(sizeof(*mods) * (size_t)cap);
    const char *p = list;
    /* the list as messages show it: quoted when empty or spaced */
    char *shown =
        !*list || strchr(list, ' ') ? xasprintf("\"%s\"", list) : xstrdup(list);
    bool more = true;

    while (more) {
        char *text = xmalloc(strlen(p) + 1);
        size_t k = 0;
        more = false;
        for (; *p; p++) {
            if (*p == ',') {
                if (p[1] == ',') {
                    text[k++] = ',';
                    p++;
                    continue;
                }
                p++;
                more = true; /* a comma ends this entry: another follows */
                break;
            }
            text[k++] = *p;
        }
        text[k] = 0;
        if (n == cap) {
            cap *= 2;
            mods = xrealloc(mods, sizeof(*mods) * (size_t)cap);
        }
        size_t lead = strspn(text, " ");
        size_t plen = lead + strcspn(text + lead, " ");
        mods[n].text = text;
        mods[n].path = xmalloc(plen + 1);
        memcpy(mods[n].path, text, plen);
        mods[n].path[plen] = 0;
        mods[n].label = NULL;
        n++;
        if (!text[lead]) {
            *out = mods;
            *count = n;
            fail(l, "-initrd %s: module %d has an empty file name", shown, n);
            free(shown);
            return -1;
        }
    }
    /* a single plain file name needs no module number or quotes */
    bool plain = n == 1 && !strcmp(mods[0].path, list) && !strchr(list, ' ');
    for (int i = 0; i < n; i++)
        mods[i].label = plain ? xasprintf("-initrd %s", list)
                              : xasprintf("-initrd %s: module %d '%s'", shown,
                                          i + 1, mods[i].path);
    free(shown);
    *out = mods;
    *count = n;
    return 0;
}

static void st32(uint8_t *buf, size_t off, uint32_t v)
{
    stl_le_p(buf + off, v);
}

/* The BIOS's memory map (bios/tables.h, the one INT 15h gives; type 1
 * usable, 2 reserved, 3 ACPI). Returns bytes. */
static uint32_t build_mmap(const struct loader *l, uint8_t *buf)
{
    struct e820_entry map[BIOS_E820_MAX];
    int count = bios_e820_map(l->args->ram_size, map);
    uint32_t n = 0;
    for (int i = 0; i < count; i++, n += MMAP_ENTRY_SIZE) {
        st32(buf, n, MMAP_ENTRY_SIZE - 4);
        stq_le_p(buf + n + 4, map[i].base);
        stq_le_p(buf + n + 12, map[i].length);
        st32(buf, n + 20, map[i].type);
    }
    return n;
}

int multiboot_load(struct memory_map *mem, const struct multiboot_args *args,
                   struct multiboot_result *res, char *err, size_t errlen)
{
    struct loader l = {
        .mem = mem, .args = args, .err = err, .errlen = errlen
    };
    uint8_t *data = NULL;
    size_t len;
    uint32_t hdr_off = 0, hdr_flags = 0;
    struct module_spec *mods = NULL;
    int nmods = 0, rc = -1;

    memset(res, 0, sizeof(*res));
    res->kernel_start = UINT32_MAX;
    char *what = xasprintf("-kernel %s", args->kernel);
    int bad = read_file(&l, what, args->kernel, &data, &len);
    free(what);
    if (bad)
        return -1;
    if (find_header(&l, data, len, &hdr_off, &hdr_flags))
        goto out;
    if (hdr_flags & 0xffffu & ~MBH_KNOWN_REQUIRED)
        warn("-kernel %s: Multiboot header requests unknown features 0x%x; "
             "booting anyway",
             args->kernel, hdr_flags & 0xffffu & ~MBH_KNOWN_REQUIRED);
    if (hdr_flags & MBH_AOUT_KLUDGE) {
        if (load_aout(&l, data, len, hdr_off, res))
            goto out;
    } else if (load_elf(&l, data, len, res)) {
        goto out;
    }

    /* Strings and the module list on the first page after the kernel. */
    char *cmdline = xmalloc(strlen(args->kernel) + 2 +
                            (args->append ? strlen(args->append) : 0));
    sprintf(cmdline, "%s %s", args->kernel, args->append ? args->append : "");
    static const char loader_name[] = "jet86";
    if (args->modules && parse_modules(&l, args->modules, &mods, &nmods)) {
        free(cmdline);
        goto out;
    }

    uint32_t info = page_align(res->kernel_end);
    uint64_t pos = info + (uint64_t)nmods * MOD_ENTRY_SIZE;
    uint32_t *mod_str = xmalloc(sizeof(uint32_t) * (size_t)(nmods + 1));
    for (int i = 0; i < nmods; i++) {
        mod_str[i] = (uint32_t)pos;
        pos += strlen(mods[i].text) + 1;
    }
    uint32_t cmdline_addr = (uint32_t)pos;
    pos += strlen(cmdline) + 1;
    uint32_t loader_addr = (uint32_t)pos;
    pos += sizeof(loader_name);
    if (!ram_range_ok(&l, info, pos - info)) {
        fail(&l,
             "-kernel %s: no room in RAM for the command line and module "
             "list after the kernel (end 0x%x)",
             args->kernel, res->kernel_end);
        goto out_str;
    }
    for (int i = 0; i < nmods; i++) {
        uint8_t *mdata;
        size_t mlen;
        uint8_t ent[MOD_ENTRY_SIZE];
        uint32_t start = page_align(pos);
        if (read_file(&l, mods[i].label, mods[i].path, &mdata, &mlen))
            goto out_str;
        if (!ram_range_ok(&l, start, mlen)) {
            free(mdata);
            fail(&l,
                 "%s: module of %zu bytes does not fit in RAM "
                 "(%llu MiB)",
                 mods[i].label, mlen,
                 (unsigned long long)(args->ram_size >> 20));
            goto out_str;
        }
        phys_write(mem, start, mdata, mlen);
        free(mdata);
        pos = start + mlen;
        st32(ent, 0, start);
        st32(ent, 4, (uint32_t)(start + mlen));
        st32(ent, 8, mod_str[i]);
        st32(ent, 12, 0);
        phys_write(mem, info + (uint64_t)i * MOD_ENTRY_SIZE, ent, sizeof(ent));
        phys_write(mem, mod_str[i], mods[i].text, strlen(mods[i].text) + 1);
    }
    phys_write(mem, cmdline_addr, cmdline, strlen(cmdline) + 1);
    phys_write(mem, loader_addr, loader_name, sizeof(loader_name));

    /* The memory map and the information block (spec 3.3). */
    uint8_t mmap[BIOS_E820_MAX * MMAP_ENTRY_SIZE];
    uint32_t mmap_len = build_mmap(&l, mmap);
    phys_write(mem, MULTIBOOT_MMAP_ADDR, mmap, mmap_len);

    uint8_t mbi[MBI_SIZE];
    memset(mbi, 0, sizeof(mbi));
    st32(mbi, 0,
         MBI_MEM | MBI_BOOTDEV | MBI_CMDLINE | MBI_MODS | MBI_MMAP |
             MBI_LOADER_NAME);
    st32(mbi, 4, LOW_RAM_END / 1024); /* mem_lower, KiB */
    st32(mbi, 8,
         (tables_base(args->ram_size) - HIGH_RAM_START) / 1024); /* mem_upper */
    st32(mbi, 12,
         0x8000ffffu); /* boot_device: first BIOS hard disk, no partition */
    st32(mbi, 16, cmdline_addr);
    st32(mbi, 20, (uint32_t)nmods);
    st32(mbi, 24, info);
    st32(mbi, 44, mmap_len);
    st32(mbi, 48, MULTIBOOT_MMAP_ADDR);
    st32(mbi, 64, loader_addr);
    phys_write(mem, MULTIBOOT_INFO_ADDR, mbi, sizeof(mbi));
    res->mbi = MULTIBOOT_INFO_ADDR;

    /* Hand-off for the ROM stub. */
    uint8_t bp[BOOT_PARAMS_SIZE];
    st32(bp, BOOT_PARAMS_OFF_MAGIC, BOOT_PARAMS_MAGIC);
    st32(bp, BOOT_PARAMS_OFF_ENTRY, res->entry);
    st32(bp, BOOT_PARAMS_OFF_MBI, res->mbi);
    phys_write(mem, BOOT_PARAMS_ADDR, bp, sizeof(bp));
    rc = 0;

out_str:
    free(mod_str);
    free(cmdline);
out:
    for (int i = 0; i < nmods; i++) {
        free(mods[i].text);
        free(mods[i].path);
        free(mods[i].label);
    }
    free(mods);
    free(data);
    return rc;
}
