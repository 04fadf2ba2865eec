/*
 * linux.c - loads a Linux bzImage through the 32-bit boot protocol
 * (Documentation/x86/boot.rst, "32-bit Boot Protocol"), from the host side:
 *
 *   file offset 0                     real-mode setup (setup_sects + 1
 *                                     sectors of 512 bytes; 4 when 0)
 *   file offset (setup_sects+1)*512   protected-mode kernel -> 0x100000
 *
 * The zero page (struct boot_params) gets a copy of the file's setup header
 * with the loader's fields filled in (type_of_loader, loadflags,
 * cmd_line_ptr, ramdisk_image/size), the E820 memory map of the board and
 * screen_info describing the VGA's 80x25 text mode (vgacon's screen). The ROM stub (rom.c) then enters
 * code32_start in flat 32-bit protected mode, CS=__BOOT_CS (0x10),
 * DS=ES=SS=__BOOT_DS (0x18), ESI=the zero page, EBP=EDI=EBX=0, interrupts
 * off, as the protocol requires.
 *
 *   0x10000  zero page      0x11000  command line
 *   0x100000 kernel         top of RAM (below initrd_addr_max) initrd
 */
#include "bios/linux.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/util.h"
#include "bios/rom.h"
#include "bios/tables.h"
#include "softmmu/ldst.h"

#define LOW_RAM_END 0x9fc00u /* the EBDA's 1 KiB up to 0xA0000 is reserved */
#define HIGH_RAM_START 0x100000u
#define MIN_VERSION 0x0202u /* cmd_line_ptr: the first 32-bit protocol */
#define E820_ENTRY_SIZE 20
/* boot.rst: before protocol 2.03 the initrd must end below this. */
#define OLD_INITRD_ADDR_MAX 0x37ffffffu
/* before 2.06 the command line holds at most 255 characters */
#define OLD_CMDLINE_SIZE 255u

struct linux_loader {
    struct memory_map *mem;
    const struct linux_args *args;
    char *err;
    size_t errlen;
};

static int fail(struct linux_loader *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int fail(struct linux_loader *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->err, l->errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* Read a whole file; what starts each message ("-kernel PATH"). */
static int read_whole(struct linux_loader *l, const char *what,
                      const char *path, uint8_t **data, size_t *len)
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
    *data = xmalloc(*len ? *len : 1);
    if (*len && fread(*data, 1, *len, f) != *len) {
        fclose(f);
        free(*data);
        return fail(l, "%s: read error", what);
    }
    fclose(f);
    return 0;
}

/* The board's memory map (bios/tables.h, the one INT 15h gives) as
 * E820 entries (boot_params.e820_table: u64 addr, u64 size, u32 type).
 * Returns the number of entries. */
static unsigned write_e820(uint8_t *zp, uint64_t ram_size)
{
    struct e820_entry map[BIOS_E820_MAX];
    int n = bios_e820_map(ram_size, map);
    for (int i = 0; i < n; i++) {
        uint8_t *e = zp + LINUX_BP_E820_TABLE + i * E820_ENTRY_SIZE;
        stq_le_p(e, map[i].base);
        stq_le_p(e + 8, map[i].length);
        stl_le_p(e + 16, map[i].type);
    }
    return (unsigned)n;
}

/* Check the setup header; on success *kernel_off and *kernel_len give the
 * protected-mode kernel's bytes in the file. */
static int check_header(struct linux_loader *l, const uint8_t *data, size_t len,
                        uint32_t *kernel_off, uint32_t *kernel_len)
{
    const char *path = l->args->kernel;
    uint16_t version = lduw_le_p(data + LINUX_HDR_VERSION);

    if (version < MIN_VERSION)
        return fail(l,
                    "-kernel %s: Linux boot protocol %u.%02u is older than "
                    "2.02 (the 32-bit protocol needs cmd_line_ptr)",
                    path, version >> 8, version & 0xff);
    if (!(data[LINUX_HDR_LOADFLAGS] & LINUX_LOADED_HIGH))
        return fail(l,
                    "-kernel %s: a zImage (loaded at 0x10000) is not "
                    "supported, need a bzImage",
                    path);
    uint32_t setup_sects = data[LINUX_HDR_SETUP_SECTS];
    if (setup_sects == 0)
        setup_sects = 4; /* boot.rst: 0 means 4 */
    uint32_t off = (setup_sects + 1) * 512;
    uint64_t syssize = (uint64_t)ldl_le_p(data + LINUX_HDR_SYSSIZE) * 16;
    /* boot.rst: syssize counts 16-byte paragraphs, so the last one may be
     * partial (memtest86+ 6.10's image ends 8 bytes short of it). */
    if (off >= len || syssize == 0 || off + syssize > (uint64_t)len + 15)
        return fail(l,
                    "-kernel %s: truncated bzImage: %zu bytes, the setup "
                    "header says %llu",
                    path, len, (unsigned long long)(off + syssize));
    if (HIGH_RAM_START + syssize > l->args->ram_size)
        return fail(l, "-kernel %s: kernel of %llu bytes does not fit in RAM",
                    path, (unsigned long long)syssize);
    *kernel_off = off;
    *kernel_len = (uint32_t)(len - off);
    return 0;
}

/* Where the kernel's memory ends once it runs: boot.rst, init_size
 * (protocol 2.10) counts from the runtime start, pref_address for a
 * relocatable kernel (it moves itself there) or where it was loaded. */
static uint32_t runtime_end(const uint8_t *data, uint32_t loaded_end)
{
    if (lduw_le_p(data + LINUX_HDR_VERSION) < 0x020a)
        return loaded_end;
    uint64_t start = LINUX_KERNEL_ADDR;
    if (data[LINUX_HDR_RELOCATABLE] &&
        ldq_le_p(data + LINUX_HDR_PREF_ADDRESS) > start)
        start = ldq_le_p(data + LINUX_HDR_PREF_ADDRESS);
    uint64_t end = start + ldl_le_p(data + LINUX_HDR_INIT_SIZE);
    if (end > UINT32_MAX)
        end = UINT32_MAX;
    return end > loaded_end ? (uint32_t)end : loaded_end;
}

/* Put the initrd at the top of RAM, page-aligned, under initrd_addr_max. */
static int load_initrd(struct linux_loader *l, uint8_t *zp, uint32_t kernel_end,
                       struct linux_result *res)
{
    const char *path = l->args->initrd;
    char what[64 + 4096];
    uint8_t *data;
    size_t len;

    snprintf(what, sizeof(what), "-initrd %s", path);
    if (read_whole(l, what, path, &data, &len))
        return -1;
    uint32_t addr_max = res->version >= 0x0203
                            ? ldl_le_p(zp + LINUX_HDR_INITRD_ADDR_MAX)
                            : OLD_INITRD_ADDR_MAX;
    uint64_t top = (uint64_t)addr_max + 1;
    if (top > tables_base(l->args->ram_size)) /* below the BIOS's tables */
        top = tables_base(l->args->ram_size);
    uint64_t start = (top - len) & PAGE_MASK;
    if (len > top || start < kernel_end) {
        free(data);
        return fail(l,
                    "%s: initrd of %zu bytes does not fit in RAM between "
                    "the kernel (end 0x%x) and 0x%llx",
                    what, len, kernel_end, (unsigned long long)top);
    }
    phys_write(l->mem, start, data, len);
    free(data);
    stl_le_p(zp + LINUX_HDR_RAMDISK_IMAGE, (uint32_t)start);
    stl_le_p(zp + LINUX_HDR_RAMDISK_SIZE, (uint32_t)len);
    res->initrd_start = (uint32_t)start;
    res->initrd_size = (uint32_t)len;
    return 0;
}

/* The command line at LINUX_CMDLINE_ADDR, within cmdline_size. */
static int load_cmdline(struct linux_loader *l, uint8_t *zp, uint16_t version)
{
    const char *cmd = l->args->append ? l->args->append : "";
    uint32_t max = version >= 0x0206 ? ldl_le_p(zp + LINUX_HDR_CMDLINE_SIZE)
                                     : OLD_CMDLINE_SIZE;
    if (max > LINUX_CMDLINE_MAX - 1)
        max = LINUX_CMDLINE_MAX - 1;
    if (strlen(cmd) > max)
        return fail(l,
                    "-append: command line of %zu characters is longer "
                    "than the %u this kernel (%s) takes",
                    strlen(cmd), max, l->args->kernel);
    phys_write(l->mem, LINUX_CMDLINE_ADDR, cmd, strlen(cmd) + 1);
    stl_le_p(zp + LINUX_HDR_CMD_LINE_PTR, LINUX_CMDLINE_ADDR);
    return 0;
}

uint16_t linux_vga_mode(const char *cmdline)
{
    for (const char *p = cmdline ? strstr(cmdline, "vga=") : NULL; p;
         p = strstr(p + 4, "vga=")) {
        if (p != cmdline && p[-1] != ' ')
            continue; /* part of another word (e.g. "xvga=") */
        const char *v = p + 4;
        size_t n = strcspn(v, " ");
        if (n == 6 && !strncmp(v, "normal", 6))
            return LINUX_VID_NORMAL;
        if (n == 3 && !strncmp(v, "ext", 3))
            return LINUX_VID_EXT;
        if (n == 3 && !strncmp(v, "ask", 3))
            return LINUX_VID_ASK;
        char *end;
        unsigned long id = strtoul(v, &end, 0);
        /* Not a number: the setup code would find no such mode and ask. */
        if (end == v || (size_t)(end - v) != n || id > 0xffff)
            return LINUX_VID_ASK;
        return (uint16_t)id;
    }
    return LINUX_VID_NORMAL;
}

/* Build the zero page from the setup header, fill the loader's fields. */
static int build_zero_page(struct linux_loader *l, const uint8_t *data,
                           uint8_t *zp, struct linux_result *res)
{
    uint64_t ram = l->args->ram_size;
    /* The header runs from 0x1F1 to 0x202 + the jump's displacement. */
    size_t hdr_end = LINUX_HDR_MAGIC + data[LINUX_HDR_JUMP + 1];

    memset(zp, 0, LINUX_ZERO_PAGE_SIZE);
    memcpy(zp + LINUX_HDR_START, data + LINUX_HDR_START,
           hdr_end - LINUX_HDR_START);
    zp[LINUX_HDR_TYPE_OF_LOADER] = 0xff; /* no registered loader ID */
    /* The mode "vga=" asks for: bios/linux_video.c sets it, as the setup
     * code this loader skips would. */
    res->vid_mode = linux_vga_mode(l->args->append);
    stw_le_p(zp + LINUX_HDR_VID_MODE, res->vid_mode);
    /* CAN_USE_HEAP with heap_end_ptr only matter to the real-mode setup
     * code, which this loader skips; KEEP_SEGMENTS stays clear: the ROM
     * gives the kernel the __BOOT_DS segments it would load itself. */
    zp[LINUX_HDR_LOADFLAGS] &=
        (uint8_t) ~(LINUX_KEEP_SEGMENTS | LINUX_CAN_USE_HEAP);
    /* screen_info: the VGA in mode 3 as the POST leaves it, 80x25 colour
     * text of 16-line characters, the cursor at the top left, so vgacon
     * can take the screen. */
    zp[LINUX_BP_ORIG_X] = 0;
    zp[LINUX_BP_ORIG_Y] = 0;
    zp[LINUX_BP_ORIG_VIDEO_MODE] = 3;
    zp[LINUX_BP_ORIG_VIDEO_COLS] = 80;
    zp[LINUX_BP_ORIG_VIDEO_LINES] = 25;
    stw_le_p(zp + LINUX_BP_ORIG_VIDEO_EGA_BX, 0x0003); /* colour, 256 KiB */
    zp[LINUX_BP_ORIG_VIDEO_ISVGA] = 1; /* VIDEO_TYPE_VGAC */
    stw_le_p(zp + LINUX_BP_ORIG_VIDEO_POINTS, 16);
    uint64_t ext_k = (ram - HIGH_RAM_START) >> 10;
    stw_le_p(zp + LINUX_BP_EXT_MEM_K,
             (uint16_t)(ext_k > 0xffff ? 0xffff : ext_k));
    stl_le_p(zp + LINUX_BP_ALT_MEM_K, (uint32_t)ext_k);
    zp[LINUX_BP_E820_ENTRIES] = (uint8_t)write_e820(zp, ram);
    if (load_cmdline(l, zp, res->version))
        return -1;
    if (l->args->initrd && load_initrd(l, zp, res->kernel_end, res))
        return -1;
    return 0;
}

int linux_load(struct memory_map *mem, const struct linux_args *args,
               struct linux_result *res, char *err, size_t errlen)
{
    struct linux_loader l = {
        .mem = mem, .args = args, .err = err, .errlen = errlen
    };
    char what[64 + 4096];
    uint8_t *data;
    size_t len;
    uint32_t koff = 0, klen = 0;
    static uint8_t zp[LINUX_ZERO_PAGE_SIZE];
    int rc = -1;

    memset(res, 0, sizeof(*res));
    snprintf(what, sizeof(what), "-kernel %s", args->kernel);
    if (read_whole(&l, what, args->kernel, &data, &len))
        return -1;
    if (len < LINUX_HDR_MAGIC + 4 + 2 ||
        memcmp(data + LINUX_HDR_MAGIC, "HdrS", 4) != 0) {
        free(data);
        return 1;
    }
    res->version = lduw_le_p(data + LINUX_HDR_VERSION);
    if (len < LINUX_HDR_MAGIC + data[LINUX_HDR_JUMP + 1]) {
        fail(&l, "-kernel %s: truncated bzImage setup header", args->kernel);
        goto out;
    }
    if (check_header(&l, data, len, &koff, &klen))
        goto out;
    phys_write(mem, LINUX_KERNEL_ADDR, data + koff, klen);
    res->kernel_end = runtime_end(data, LINUX_KERNEL_ADDR + klen);
    if (res->kernel_end > tables_base(args->ram_size)) {
        fail(&l,
             "-kernel %s: the kernel needs RAM up to 0x%x (init_size), "
             "more than -m gives",
             args->kernel, res->kernel_end);
        goto out;
    }
    if (build_zero_page(&l, data, zp, res))
        goto out;
    /* code32_start: the kernel's default is 0x100000, where it was put. */
    stl_le_p(zp + LINUX_HDR_CODE32_START, LINUX_KERNEL_ADDR);
    phys_write(mem, LINUX_ZERO_PAGE_ADDR, zp, sizeof(zp));
    res->entry = LINUX_KERNEL_ADDR;
    res->zero_page = LINUX_ZERO_PAGE_ADDR;

    uint8_t bp[BOOT_PARAMS_SIZE];
    stl_le_p(bp + BOOT_PARAMS_OFF_MAGIC, BOOT_PARAMS_LINUX_MAGIC);
    stl_le_p(bp + BOOT_PARAMS_OFF_ENTRY, res->entry);
    stl_le_p(bp + BOOT_PARAMS_OFF_ZERO_PAGE, res->zero_page);
    phys_write(mem, BOOT_PARAMS_ADDR, bp, sizeof(bp));
    rc = 0;
out:
    free(data);
    return rc;
}
