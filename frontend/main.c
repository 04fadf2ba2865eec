/*
 * main.c - the command line: QEMU-style flags into struct machine_config,
 * the choice of backend, then build the machine and run it.
 *
 * Every error names the flag and the reason, prints the usage line and
 * exits 1; -h lists every flag.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devices/device.h"
#include "devices/rtc.h"
#include "frontend/chardev.h"
#include "frontend/gdbstub.h"
#include "frontend/machine.h"
#include "frontend/monitor.h"
#include "base/util.h"
#include "translator/backend.h"
#include "translator/tb.h"

#define MIB (1024ull * 1024)
#define RAM_DEFAULT (128 * MIB)
#define RAM_MIN (2 * MIB)
/* RAM ends below the 3 GiB mark: the top GiB holds the ROM alias and
 * (later) PCI and APIC ranges. */
#define RAM_MAX (3072 * MIB)
#define ICOUNT_SHIFT_MAX 10

static const char usage_line[] =
    "usage: jet86 [options] -kernel FILE | -hda IMAGE | -cdrom ISO | -bios "
    "FILE\n       (jet86 -h lists the options)\n";

static const char help_text[] =
    "jet86 " JET86_VERSION
    " - PC system emulator (x86 guests by dynamic binary translation)\n"
    "\n"
    "usage: jet86 [options] -kernel FILE | -hda IMAGE | -cdrom ISO | -bios "
    "FILE\n"
    "       (a bare IMAGE is -hda IMAGE)\n"
    "\n"
    "Machine:\n"
    "  -m SIZE                RAM: MiB, or K/M/G suffixed, e.g. 1.5G (default "
    "128M)\n"
    "  -kernel FILE           boot a Linux bzImage or a Multiboot kernel "
    "(ELF32 or\n"
    "                         a.out kludge)\n"
    "  -append CMDLINE        the kernel command line\n"
    "  -initrd FILE[,FILE...] Linux: the initrd; Multiboot: modules "
    "(\"FILE ARGS\"\n"
    "                         passes arguments; ,, is a comma)\n"
    "  -bios FILE             a raw firmware image (64 KiB-2 MiB) instead of "
    "the\n"
    "                         built-in BIOS: at the top of 4 GiB, its last "
    "128 KiB\n"
    "                         at 0xE0000; the CPU starts in it at F000:FFF0;\n"
    "                         QEMU's fw_cfg tells it the configuration (Debian's\n"
    "                         SeaBIOS boots disks, CDs and -kernel bzImages)\n"
    "\n"
    "Disks (raw images; writes go through to the file):\n"
    "  -hda/-hdb/-hdc/-hdd IMAGE  IDE disks 0-3 (BIOS drives 80h...)\n"
    "  -cdrom ISO             the CD-ROM (IDE index 2), El Torito boot, "
    "read-only\n"
    "  -fda/-fdb IMAGE        floppies A: and B: (160K-2.88M images)\n"
    "  -drive file=PATH[,format=raw][,if=ide|floppy][,media=disk|cdrom]"
    "\n"
    "         [,index=N][,readonly=on|off]\n"
    "  -boot a|c|d|order=LETTERS  boot order: a floppy, c disk, d CD "
    "(default cad)\n"
    "  -snapshot              keep disk writes in memory; image files stay "
    "unchanged\n"
    "\n"
    "Network:\n"
    "  -net none, -nic none   accepted, as QEMU spells them: there is no "
    "network card\n"
    "\n"
    "Devices:\n"
    "  -device isa-debug-exit[,iobase=N][,iosize=N]\n"
    "                         writing V to the port exits with status "
    "(V<<1)|1\n"
    "                         (default iobase=0x501, iosize=2, as QEMU)\n"
    "  -device isa-debugcon[,iobase=N],chardev=ID\n"
    "                         a debug console port (default 0xe9; SeaBIOS\n"
    "                         logs on 0x402) writing to the chardev ID\n"
    "  -device help           list the devices\n"
    "  -no-reboot             exit instead of resetting: status 0 on a guest "
    "reset,\n"
    "                         1 with the registers on stderr on a triple "
    "fault\n"
    "\n"
    "Display and serial:\n"
    "  -nographic             no display; COM1 on stdin/stdout (Ctrl-A x "
    "quits, Ctrl-A h helps)\n"
    "  -display sdl|none      sdl: a window showing the VGA, keyboard and "
    "mouse\n"
    "                         (the default when $DISPLAY or "
    "$WAYLAND_DISPLAY is set);\n"
    "                         Ctrl-Alt-F full screen, Ctrl-Alt-G releases "
    "the mouse\n"
    "  -full-screen           start the window full screen\n"
    "  -vga std|none          the VGA (default std; none: no display "
    "adapter)\n"
    "  -k en-us               the guest's keyboard layout (en-us only)\n"
    "  -serial stdio|file:PATH|none|chardev:ID\n"
    "                         where COM1 goes (default stdio)\n"
    "  -chardev stdio,id=ID | file,id=ID,path=PATH | null,id=ID\n"
    "                         a named back end for -serial chardev:ID or\n"
    "                         -device isa-debugcon,chardev=ID (one user each)\n"
    "  -debugcon stdio|file:PATH|none\n"
    "                         the debug console port 0xE9 (as Bochs and "
    "QEMU)\n"
    "\n"
    "Execution:\n"
    "  -accel tcg[,backend=NAME][,tb-size=MiB][,split-wx=on|off]\n"
    "                         the code generator (backend=help lists them),\n"
    "                         its code buffer size (default 32 MiB), and\n"
    "                         split-wx=on: never map code writable+executable\n"
    "  -icount N | -icount shift=N\n"
    "                         deterministic virtual clock: each instruction is "
    "2^N ns (N 0-10)\n"
    "  -rtc base=utc|localtime|YYYY-MM-DD[THH:MM:SS][,clock=host|rt|vm]\n"
    "                         the RTC's start time (default utc: the host's "
    "time;\n"
    "                         with -icount utc and localtime are 2000-01-01 "
    "00:00:00\n"
    "                         so runs repeat); it runs on the virtual clock\n"
    "\n"
    "Debugging:\n"
    "  -d ITEM[,ITEM...]      log items: in_asm, out_asm, op, op_opt, exec, "
    "int (-d help)\n"
    "  -D FILE                write the log to FILE instead of stderr\n"
    "  -perfmap               write /tmp/perf-PID.map for perf (native "
    "backend)\n"
    "  -gdb tcp::PORT         serve gdb's remote protocol on PORT (also "
    "tcp:HOST:PORT);\n"
    "                         connect with: gdb -ex 'target remote :PORT'\n"
    "  -s                     the same as -gdb tcp::1234\n"
    "  -S                     wait for gdb (without -gdb: the monitor's "
    "cont)\n"
    "                         before the first instruction\n"
    "  -monitor stdio|telnet:[HOST]:PORT,server,nowait|none\n"
    "                         the monitor (help lists its commands; see\n"
    "                         docs/MONITOR.md)\n"
    "\n"
    "  -h, --help             this list\n"
    "  -version               print the version\n";

static _Noreturn void usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static _Noreturn void usage_error(const char *fmt, ...)
{
    va_list ap;
    fputs("jet86: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fputs(usage_line, stderr);
    exit(1);
}

/* ---- values ---- */

/* An unsigned number in C syntax (decimal, 0x hex, 0 octal), whole string. */
static bool parse_uint(const char *s, uint64_t *out)
{
    char *end;
    if (!*s || *s == '-' || *s == '+')
        return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

/* -m: "128", "128M", "1G", "512K", "1.5G", "size=256M" (QEMU: a bare number
 * is MiB). Every step is checked against RAM_MAX before it is computed, so
 * no size wraps around to a small one. */
static uint64_t parse_mem_size(const char *arg)
{
    const char *s = arg;
    char *end;
    uint64_t mult = MIB;

    if (!strncmp(s, "size=", 5))
        s += 5;
    if (!*s || *s < '0' || *s > '9')
        usage_error("-m %s: invalid size (expected e.g. 128, 128M, 1G)", arg);
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    bool too_large = errno == ERANGE;
    /* a decimal fraction, as QEMU takes it ("1.5G"); digits past the
     * ninth (worth about a KiB even in T) are ignored */
    uint64_t frac = 0, frac_den = 1;
    if (*end == '.') {
        end++;
        if (*end < '0' || *end > '9')
            usage_error("-m %s: invalid size (expected e.g. 128, 128M, 1G)",
                        arg);
        for (; *end >= '0' && *end <= '9'; end++) {
            if (frac_den < 1000000000) {
                frac = frac * 10 + (uint64_t)(*end - '0');
                frac_den *= 10;
            }
        }
    }
    switch (*end) {
    case 0: break;
    case 'k':
    case 'K':
        mult = 1024;
        end++;
        break;
    case 'm':
    case 'M':
        mult = MIB;
        end++;
        break;
    case 'g':
    case 'G':
        mult = 1024 * MIB;
        end++;
        break;
    case 't':
    case 'T':
        mult = 1024 * 1024 * MIB;
        end++;
        break;
    default:
        usage_error("-m %s: invalid size (expected e.g. 128, 128M, 1G)", arg);
    }
    if (*end == 'B' || *end == 'b') /* "128MB" */
        end++;
    if (*end)
        usage_error("-m %s: invalid size (expected e.g. 128, 128M, 1G)", arg);
    if (too_large || v > RAM_MAX / mult)
        usage_error("-m %s: too large (at most %llu MiB)", arg,
                    (unsigned long long)(RAM_MAX / MIB));
    /* frac/frac_den of mult without the product frac * mult (up to 10^9 *
     * 2^40): mult = q * frac_den + r, so the part is frac * q + frac * r /
     * frac_den, where frac * q < mult and frac * r < 10^18. */
    uint64_t q = mult / frac_den, r = mult % frac_den;
    uint64_t part = frac * q + frac * r / frac_den;
    /* v * mult <= RAM_MAX and part < mult <= 2^40: the sum fits */
    uint64_t size = v * mult + part;
    if (size > RAM_MAX)
        usage_error("-m %s: too large (at most %llu MiB)", arg,
                    (unsigned long long)(RAM_MAX / MIB));
    if (size < RAM_MIN)
        usage_error("-m %s: too small (at least %llu MiB)", arg,
                    (unsigned long long)(RAM_MIN / MIB));
    /* whole pages (RAM_MAX is one, so this stays within it) */
    return (size + 4095) & ~(uint64_t)4095;
}

/* A character back end: stdio, file:PATH or none (flag: for messages). */
static void parse_chardev(const char *flag, const char *arg,
                          enum serial_kind *kind, const char **path)
{
    if (!strcmp(arg, "stdio") || !strcmp(arg, "mon:stdio")) {
        *kind = SERIAL_STDIO;
    } else if (!strcmp(arg, "none") || !strcmp(arg, "null")) {
        *kind = SERIAL_NONE;
    } else if (!strncmp(arg, "file:", 5)) {
        if (!arg[5])
            usage_error("%s %s: missing file name after file:", flag, arg);
        *kind = SERIAL_FILE;
        *path = arg + 5;
    } else {
        usage_error("%s %s: unknown back end (use stdio, file:PATH or none)",
                    flag, arg);
    }
}

static void parse_serial(struct machine_config *cfg, const char *arg)
{
    if (!strncmp(arg, "chardev:", 8)) {
        if (!arg[8])
            usage_error("-serial %s: missing id after chardev:", arg);
        cfg->serial_chardev = arg + 8; /* resolved after the last flag */
        return;
    }
    parse_chardev("-serial", arg, &cfg->serial, &cfg->serial_path);
}

/* -icount N | shift=N[,sleep=on|off][,align=off] */
static void parse_icount(struct machine_config *cfg, const char *arg)
{
    char *copy = xstrdup(arg);
    bool have_shift = false;
    uint64_t shift = 0;

    for (char *save, *opt = strtok_r(copy, ",", &save); opt;
         opt = strtok_r(NULL, ",", &save)) {
        const char *val = opt;
        if (!strncmp(opt, "shift=", 6)) {
            val = opt + 6;
            if (!strcmp(val, "auto"))
                usage_error("-icount %s: shift=auto is not supported (jet86's "
                            "icount is always deterministic; give a number)",
                            arg);
        } else if (!strcmp(opt, "sleep=on") || !strcmp(opt, "sleep=off") ||
                   !strcmp(opt, "align=off")) {
            continue; /* QEMU pacing options: nothing to do here */
        } else if (strchr(opt, '=')) {
            usage_error("-icount %s: unknown option '%s' (use shift=N)", arg,
                        opt);
        }
        if (!parse_uint(val, &shift) || shift > ICOUNT_SHIFT_MAX)
            usage_error("-icount %s: shift must be a number from 0 to %d", arg,
                        ICOUNT_SHIFT_MAX);
        have_shift = true;
    }
    free(copy);
    if (!have_shift)
        usage_error("-icount %s: missing shift (e.g. -icount shift=0)", arg);
    cfg->icount = true;
    cfg->icount_shift = (int)shift;
}

/* YYYY-MM-DD[THH:MM:SS] as seconds since 1970; false if malformed. */
static bool parse_rtc_date(const char *v, int64_t *out)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
    if (sscanf(v, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
        return false;
    if (v[n] == 'T') {
        int n2 = 0;
        if (sscanf(v + n + 1, "%2d:%2d:%2d%n", &h, &mi, &sec, &n2) != 3)
            return false;
        n += 1 + n2;
    }
    if (v[n] || y < 1 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
        mi > 59 || sec > 59 || h < 0 || mi < 0 || sec < 0)
        return false;
    *out = rtc_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
           h * 3600 + mi * 60 + sec;
    return true;
}

/* -rtc [base=utc|localtime|DATE][,clock=host|rt|vm][,driftfix=none|slew]:
 * the RTC always follows the virtual clock, so clock= and driftfix= are
 * accepted as QEMU's and change nothing. */
static void parse_rtc(struct machine_config *cfg, const char *arg)
{
    char *copy = xstrdup(arg);
    for (char *save, *opt = strtok_r(copy, ",", &save); opt;
         opt = strtok_r(NULL, ",", &save)) {
        if (!strncmp(opt, "base=", 5)) {
            const char *v = opt + 5;
            if (!strcmp(v, "utc"))
                cfg->rtc_base = RTC_BASE_UTC;
            else if (!strcmp(v, "localtime"))
                cfg->rtc_base = RTC_BASE_LOCALTIME;
            else if (parse_rtc_date(v, &cfg->rtc_date))
                cfg->rtc_base = RTC_BASE_DATE;
            else
                usage_error("-rtc %s: base must be utc, localtime or "
                            "YYYY-MM-DDTHH:MM:SS",
                            arg);
        } else if (!strcmp(opt, "clock=host") || !strcmp(opt, "clock=rt") ||
                   !strcmp(opt, "clock=vm") ||
                   !strcmp(opt, "driftfix=none") ||
                   !strcmp(opt, "driftfix=slew")) {
            continue;
        } else {
            usage_error("-rtc %s: unknown option '%s' (base=, clock=, "
                        "driftfix=)",
                        arg, opt);
        }
    }
    free(copy);
}

/* -device NAME[,PROP=VALUE]...: any device the registry lets the user
 * create (devices/registry.c), checked here, created by machine_init. */
static void parse_device(struct machine_config *cfg, const char *arg)
{
    char err[512];

    if (!strcmp(arg, "help")) {
        device_print_help(stdout);
        exit(0);
    }
    if (chardev_is_debugcon_device(arg)) {
        if (cfg->n_debugcons == MACHINE_MAX_DEBUGCONS)
            usage_error("-device %s: at most %d isa-debugcon devices", arg,
                        MACHINE_MAX_DEBUGCONS);
        if (chardev_parse_debugcon(arg, &cfg->debugcons[cfg->n_debugcons],
                                   err, sizeof(err)) != 0)
            usage_error("-device %s: %s", arg, err);
        cfg->n_debugcons++;
        return;
    }
    if (cfg->n_devices == MACHINE_MAX_DEVICES)
        usage_error("-device %s: at most %d -device flags", arg,
                    MACHINE_MAX_DEVICES);
    if (device_spec_parse(&cfg->devices[cfg->n_devices], arg, true, err,
                          sizeof(err)) != 0)
        usage_error("-device %s: %s", arg, err);
    cfg->n_devices++;
}

static const char *backend_names(void)
{
    static char buf[128];
    buf[0] = 0;
    for (unsigned i = 0; i < backend_count; i++) {
        if (i)
            strcat(buf, ", ");
        strcat(buf, backend_list[i]->name);
    }
    return buf;
}

/* -accel tcg[,backend=NAME][,thread=single][,tb-size=MiB][,split-wx=on|off] */
static void parse_accel(struct machine_config *cfg, const char *arg)
{
    char *copy = xstrdup(arg);
    char *save;
    char *name = strtok_r(copy, ",", &save);
    if (!name || strcmp(name, "tcg") != 0)
        usage_error("-accel %s: unknown accelerator '%s' (jet86 has tcg only)",
                    arg, name ? name : "");
    for (char *opt = strtok_r(NULL, ",", &save); opt;
         opt = strtok_r(NULL, ",", &save)) {
        if (!strncmp(opt, "backend=", 8)) {
            const char *b = opt + 8;
            if (!strcmp(b, "help")) {
                printf("Available backends:\n");
                for (unsigned i = 0; i < backend_count; i++)
                    printf("%s\n", backend_list[i]->name);
                exit(0);
            }
            if (!backend_find(b)) {
                if (!strcmp(b, "x86_64"))
                    usage_error(
                        "-accel %s: backend x86_64 is not in this build "
                        "(available: %s)",
                        arg, backend_names());
                usage_error("-accel %s: unknown backend '%s' (available: %s)",
                            arg, b, backend_names());
            }
            cfg->backend = backend_find(b)->name;
        } else if (!strcmp(opt, "thread=single")) {
            continue;
        } else if (!strncmp(opt, "tb-size=", 8)) {
            /* QEMU's unit: MiB of translated code */
            char *end;
            unsigned long mib = strtoul(opt + 8, &end, 10);
            if (end == opt + 8 || *end || mib < 1 || mib > 1024)
                usage_error("-accel %s: tb-size must be 1 to 1024 (MiB)", arg);
            cfg->tb_size = (size_t)mib << 20;
        } else if (!strcmp(opt, "split-wx=on") ||
                   !strcmp(opt, "split-wx=off")) {
            cfg->split_wx = !strcmp(opt, "split-wx=on");
            continue;
        } else {
            usage_error("-accel %s: unknown option '%s' (backend=NAME, "
                        "tb-size=MiB, split-wx=on|off)",
                        arg, opt);
        }
    }
    free(copy);
}

/* ---- the flag table ---- */

enum opt_id {
    OPT_M,
    OPT_KERNEL,
    OPT_APPEND,
    OPT_INITRD,
    OPT_BIOS,
    OPT_NOGRAPHIC,
    OPT_DISPLAY,
    OPT_FULL_SCREEN,
    OPT_VGA,
    OPT_K,
    OPT_SERIAL,
    OPT_NO_REBOOT,
    OPT_ICOUNT,
    OPT_DEVICE,
    OPT_RTC,
    OPT_ACCEL,
    OPT_DEBUGCON,
    OPT_CHARDEV,
    OPT_D,
    OPT_DFILE,
    OPT_PERFMAP,
    OPT_GDB,
    OPT_MONITOR,
    OPT_GDB_DEFAULT,
    OPT_GDB_WAIT,
    OPT_HELP,
    OPT_VERSION,
    OPT_HDA,
    OPT_HDB,
    OPT_HDC,
    OPT_HDD,
    OPT_CDROM,
    OPT_FDA,
    OPT_FDB,
    OPT_DRIVE,
    OPT_BOOT,
    OPT_SNAPSHOT,
    OPT_NET,
    OPT_NIC,
};

static const struct {
    const char *name;
    enum opt_id id;
    bool has_arg;
} options[] = {
    { "m", OPT_M, true },
    { "kernel", OPT_KERNEL, true },
    { "append", OPT_APPEND, true },
    { "initrd", OPT_INITRD, true },
    { "bios", OPT_BIOS, true },
    { "nographic", OPT_NOGRAPHIC, false },
    { "display", OPT_DISPLAY, true },
    { "full-screen", OPT_FULL_SCREEN, false },
    { "vga", OPT_VGA, true },
    { "k", OPT_K, true },
    { "serial", OPT_SERIAL, true },
    { "debugcon", OPT_DEBUGCON, true },
    { "chardev", OPT_CHARDEV, true },
    { "no-reboot", OPT_NO_REBOOT, false },
    { "icount", OPT_ICOUNT, true },
    { "device", OPT_DEVICE, true },
    { "rtc", OPT_RTC, true },
    { "accel", OPT_ACCEL, true },
    { "d", OPT_D, true },
    { "D", OPT_DFILE, true },
    { "perfmap", OPT_PERFMAP, false },
    { "gdb", OPT_GDB, true },
    { "monitor", OPT_MONITOR, true },
    { "s", OPT_GDB_DEFAULT, false },
    { "S", OPT_GDB_WAIT, false },
    { "h", OPT_HELP, false },
    { "help", OPT_HELP, false },
    { "version", OPT_VERSION, false },
    { "hda", OPT_HDA, true },
    { "hdb", OPT_HDB, true },
    { "hdc", OPT_HDC, true },
    { "hdd", OPT_HDD, true },
    { "cdrom", OPT_CDROM, true },
    { "fda", OPT_FDA, true },
    { "fdb", OPT_FDB, true },
    { "drive", OPT_DRIVE, true },
    { "boot", OPT_BOOT, true },
    { "snapshot", OPT_SNAPSHOT, false },
    { "net", OPT_NET, true },
    { "nic", OPT_NIC, true },
};

/* A drive flag: -hdX, -cdrom, -fdX (fixed slot) or -drive SPEC. */
static void add_drive(struct machine_config *cfg, enum opt_id id,
                      const char *flag, const char *val)
{
    if (cfg->n_drives >= MACHINE_MAX_DRIVES)
        usage_error("%s %s: at most %d drives", flag, val,
                    MACHINE_MAX_DRIVES);
    struct drive_config *d = &cfg->drives[cfg->n_drives];
    memset(d, 0, sizeof(*d));
    d->flag = flag;
    d->file = id == OPT_DRIVE ? NULL : val;
    switch (id) {
    case OPT_HDA:
    case OPT_HDB:
    case OPT_HDC:
    case OPT_HDD: d->index = (int)(id - OPT_HDA); break;
    case OPT_CDROM:
        d->index = 2;
        d->cdrom = true;
        break;
    case OPT_FDA:
    case OPT_FDB:
        d->iface = DRIVE_IF_FLOPPY;
        d->index = (int)(id - OPT_FDA);
        break;
    default: {
        char err[256];
        if (drive_parse(val, d, err, sizeof(err)) != 0)
            usage_error("-drive %s: %s", val, err);
        break;
    }
    }
    cfg->n_drives++;
}

static void parse_args(int argc, char **argv, struct machine_config *cfg)
{
    bool serial_set = false;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !a[1]) {
            add_drive(cfg, OPT_HDA, "-hda", a); /* as QEMU: a bare image */
            continue;
        }
        /* QEMU accepts --flag as well as -flag */
        const char *name = a + 1 + (a[1] == '-');
        size_t k;
        for (k = 0; k < ARRAY_SIZE(options); k++)
            if (!strcmp(options[k].name, name))
                break;
        if (k == ARRAY_SIZE(options))
            usage_error("%s: unknown option", a);
        const char *val = NULL;
        if (options[k].has_arg) {
            if (i + 1 >= argc)
                usage_error("%s: missing argument", a);
            val = argv[++i];
        }
        switch (options[k].id) {
        case OPT_M: cfg->ram_size = parse_mem_size(val); break;
        case OPT_KERNEL: cfg->kernel = val; break;
        case OPT_APPEND: cfg->append = val; break;
        case OPT_INITRD: cfg->initrd = val; break;
        case OPT_BIOS: cfg->bios = val; break;
        case OPT_NOGRAPHIC: cfg->nographic = true; break;
        case OPT_DISPLAY:
            if (!strcmp(val, "sdl")) {
#ifdef CONFIG_SDL
                cfg->display = DISPLAY_SDL;
#else
                usage_error("-display %s: this jet86 was built without SDL "
                            "(install libsdl2-dev and rerun ./configure; or "
                            "use -display none or -nographic)",
                            val);
#endif
            } else if (!strcmp(val, "none")) {
                cfg->display = DISPLAY_NONE;
            } else {
                usage_error("-display %s: unknown display (sdl, none)", val);
            }
            break;
        case OPT_FULL_SCREEN: cfg->full_screen = true; break;
        case OPT_VGA:
            if (!strcmp(val, "std"))
                cfg->no_vga = false;
            else if (!strcmp(val, "none"))
                cfg->no_vga = true;
            else
                usage_error("-vga %s: unknown VGA (std, none)", val);
            break;
        case OPT_K:
            if (strcmp(val, "en-us") != 0)
                usage_error("-k %s: unknown keyboard layout (jet86 has en-us "
                            "only; the window sends physical keys, so set "
                            "the layout in the guest)",
                            val);
            break;
        case OPT_SERIAL:
            if (serial_set) {
                warn("-serial %s: only COM1 is emulated; extra -serial ignored",
                     val);
                break;
            }
            parse_serial(cfg, val);
            serial_set = true;
            break;
        case OPT_DEBUGCON:
            parse_chardev("-debugcon", val, &cfg->debugcon,
                          &cfg->debugcon_path);
            cfg->debugcon_set = true;
            break;
        case OPT_CHARDEV: {
            char err[256];
            if (cfg->n_chardevs == MACHINE_MAX_CHARDEVS)
                usage_error("-chardev %s: at most %d -chardev flags", val,
                            MACHINE_MAX_CHARDEVS);
            if (chardev_parse(val, &cfg->chardevs[cfg->n_chardevs], err,
                              sizeof(err)) != 0)
                usage_error("-chardev %s: %s", val, err);
            cfg->n_chardevs++;
            break;
        }
        case OPT_NO_REBOOT: cfg->no_reboot = true; break;
        case OPT_ICOUNT: parse_icount(cfg, val); break;
        case OPT_DEVICE: parse_device(cfg, val); break;
        case OPT_RTC: parse_rtc(cfg, val); break;
        case OPT_ACCEL: parse_accel(cfg, val); break;
        case OPT_D:
            if (!strcmp(val, "help")) {
                log_print_help(stdout);
                exit(0);
            }
            if (log_parse_mask(val, &cfg->log_mask) != 0)
                usage_error("-d %s: unknown log item (-d help lists them)",
                            val);
            break;
        case OPT_DFILE: cfg->log_file = val; break;
        case OPT_PERFMAP: cfg->perfmap = true; break;
        case OPT_GDB: cfg->gdb = val; break;
        case OPT_MONITOR: {
            char err[128];
            if (!monitor_spec_ok(val, err, sizeof(err)))
                usage_error("-monitor %s: %s", val, err);
            cfg->monitor = val;
            break;
        }
        case OPT_GDB_DEFAULT: cfg->gdb = "tcp::1234"; break;
        case OPT_GDB_WAIT: cfg->gdb_wait = true; break;
        case OPT_HELP: fputs(help_text, stdout); exit(0);
        case OPT_VERSION: printf("jet86 version %s\n", JET86_VERSION); exit(0);
        case OPT_HDA:
        case OPT_HDB:
        case OPT_HDC:
        case OPT_HDD:
        case OPT_CDROM:
        case OPT_FDA:
        case OPT_FDB:
        case OPT_DRIVE: add_drive(cfg, options[k].id, a, val); break;
        case OPT_BOOT: {
            char err[256];
            if (boot_order_parse(val, cfg->boot_order, err, sizeof(err)))
                usage_error("-boot %s: %s", val, err);
            break;
        }
        case OPT_SNAPSHOT: cfg->snapshot = true; break;
        case OPT_NET:
        case OPT_NIC:
            /* The board has no network card yet: "none" (what scripts
             * written for QEMU pass) is the only choice. */
            if (strcmp(val, "none") != 0)
                usage_error("%s %s: only 'none' is supported (jet86 has no "
                            "network card)",
                            a, val);
            break;
        }
    }

    {
        char err[512];
        if (chardev_resolve(cfg, err, sizeof(err)) != 0)
            usage_error("%s", err);
    }
    if (cfg->gdb_wait && !cfg->gdb &&
        (!cfg->monitor || !strcmp(cfg->monitor, "none")))
        usage_error("-S: waits for gdb, so it needs -gdb tcp::PORT or -s "
                    "(or a -monitor whose cont starts the CPU)");
    if (cfg->gdb && strcmp(cfg->gdb, "none") != 0 &&
        strncmp(cfg->gdb, "tcp:", 4) != 0)
        usage_error("-gdb %s: expected tcp::PORT or tcp:HOST:PORT",
                    cfg->gdb);
    if (cfg->monitor && !strcmp(cfg->monitor, "stdio") &&
        cfg->serial == SERIAL_STDIO)
        usage_error("-monitor stdio: stdio is COM1's already (add -serial "
                    "none or file:PATH, or use -monitor telnet::PORT,server,"
                    "nowait)");
    if (cfg->nographic && cfg->display == DISPLAY_SDL)
        usage_error("-nographic and -display sdl: choose one");
    if (cfg->nographic)
        cfg->display = DISPLAY_NONE;
    if (cfg->display == DISPLAY_SDL && cfg->no_vga)
        usage_error("-display sdl with -vga none: the window has no VGA to "
                    "show");
    if (!cfg->kernel && cfg->append)
        usage_error("-append needs -kernel");
    if (!cfg->kernel && cfg->initrd)
        usage_error("-initrd needs -kernel");
    if (cfg->debugcon_set && cfg->debugcon == SERIAL_STDIO &&
        cfg->serial == SERIAL_STDIO)
        usage_error("-debugcon stdio: stdio is COM1's already (add -serial "
                    "none or file:PATH, or use -debugcon file:PATH)");
}

int main(int argc, char **argv)
{
    struct machine_config cfg = {
        .ram_size = RAM_DEFAULT,
        .serial = SERIAL_STDIO,
        .backend = CONFIG_DEFAULT_BACKEND,
    };

    parse_args(argc, argv, &cfg);

    const char *bname = cfg.backend;
    if (!backend_find(bname))
        fatal("backend %s (the configured default) is not in this build "
              "(available: %s)",
              bname, backend_names());

    if (cfg.perfmap) {
#ifdef CONFIG_BACKEND_X86_64
        char path[64];
        snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)getpid());
        cfg.perfmap_file = fopen(path, "w");
        if (!cfg.perfmap_file)
            fatal_errno("-perfmap: %s", path);
        setvbuf(cfg.perfmap_file, NULL, _IOLBF, 0);
#else
        warn("-perfmap: only the native backend writes a perf map");
#endif
    }

    struct machine *m = xcalloc(1, sizeof(*m));
    machine_init(m, &cfg);
    struct gdb_stub *gdb = NULL;
    if (cfg.gdb && strcmp(cfg.gdb, "none") != 0)
        gdb = gdb_stub_open(cfg.gdb, m, cfg.gdb_wait);
    struct monitor *mon = monitor_open(m, cfg.monitor);
    int status = machine_run(m);
    monitor_free(mon);
    gdb_stub_close(gdb, status);
    machine_destroy(m);
    free(m);
    if (cfg.perfmap_file)
        fclose(cfg.perfmap_file);
    int sig = machine_stop_signal();
    if (sig) {
        fprintf(stderr, "jet86: terminating on signal %d\n", sig);
        signal(sig, SIG_DFL);
        raise(sig);
    }
    return status;
}
