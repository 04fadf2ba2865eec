/*
 * machine.c - the PC board: builds the memory and I/O maps, the firmware,
 * the devices and the CPU from a machine_config, wires them together, and
 * runs the CPU loop with reset and stop handling. The only place where the
 * board's wiring lives.
 *
 * Physical memory:
 *   0x00000000-0x0009FFFF  RAM (conventional memory)
 *   0x000A0000-0x000EFFFF  unassigned (VGA window, option ROMs: none yet)
 *   0x000F0000-0x000FFFFF  BIOS ROM (bios/rom.c)
 *   0x00100000-RAM end     RAM
 *   0xFFFF0000-0xFFFFFFFF  BIOS ROM alias (the reset vector)
 * I/O: PIC 0x20/0xA0/0x4D0, PIT 0x40-0x43/0x61, COM1 0x3F8 (IRQ4),
 * isa-debug-exit when asked for.
 */
#include "frontend/machine.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>

#include "bios/multiboot.h"
#include "bios/rom.h"
#include "devices/debug_exit.h"
#include "devices/irq.h"
#include "devices/pic.h"
#include "devices/pit.h"
#include "devices/uart.h"
#include "base/util.h"
#include "softmmu/access.h"
#include "translator/backend.h"
#include "translator/tb.h"

#define LOW_RAM_END 0xa0000u
#define HIGH_RAM_START 0x100000u
#define COM1_BASE 0x3f8
#define COM1_IRQ 4
/* How often host stdin is polled for serial input, in virtual time. */
#define CONSOLE_POLL_NS (1000 * 1000)
/* ... and while input is flowing or waiting for room in the receiver: about
 * one character time at 115200 baud, so pasted text arrives at line speed
 * rather than one byte per poll period. */
#define CONSOLE_CHAR_NS (100 * 1000)
#define CTRL_A 0x01

/* The one backend in use (translator/backend.h); main.c chooses it. */
const struct backend *backend = &backend_interp;

struct machine_host {
    struct machine *m;
    uint8_t *rom;
    struct irq intr; /* the PIC's output -> the CPU's INTR pin */

    /* COM1's host side */
    int out_fd;           /* -1: output discarded */
    const char *out_path; /* -serial file:PATH, or NULL for stdout */
    bool out_close;
    bool in_stdin; /* poll host stdin for input */
    bool escape;   /* the previous input byte was Ctrl-A */
    struct vtimer poll_timer;
};

/* ---- host terminal (process-wide: there is one controlling tty) ---- */

static struct termios console_saved_tio;
static volatile sig_atomic_t console_tio_saved;

static void console_restore_tty(void)
{
    if (console_tio_saved) {
        tcsetattr(STDIN_FILENO, TCSANOW, &console_saved_tio);
        console_tio_saved = 0;
    }
}

static void console_signal(int sig)
{
    console_restore_tty();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Raw input like QEMU's stdio back end: no echo, no line editing, no
 * signals from ^C (it goes to the guest; Ctrl-A x quits); output keeps
 * its post-processing. */
static void console_raw_tty(void)
{
    struct termios tio;

    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &tio) != 0)
        return;
    console_saved_tio = tio;
    console_tio_saved = 1;
    atexit(console_restore_tty);
    signal(SIGTERM, console_signal);
    signal(SIGHUP, console_signal);
    signal(SIGQUIT, console_signal);
    tio.c_iflag &= ~(unsigned)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR |
                               IGNCR | ICRNL | IXON);
    tio.c_lflag &= ~(unsigned)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    tio.c_cflag &= ~(unsigned)(CSIZE | PARENB);
    tio.c_cflag |= CS8;
    tio.c_cc[VMIN] = 1;
    tio.c_cc[VTIME] = 0;
    tcsetattr(STDIN_FILENO, TCSANOW, &tio);
}

/* COM1's output cannot be written: from now on it is lost, as on a cut
 * wire, and the guest runs on. Said once; a reader that went away (a
 * closed pipe, e.g. | head) is no news. */
static void console_out_failed(struct machine_host *h, int err)
{
    if (err != EPIPE) {
        if (h->out_path)
            warn("-serial file:%s: %s; the rest of COM1's output is dropped",
                 h->out_path, strerror(err));
        else
            warn("stdout: %s; the rest of COM1's output is dropped",
                 strerror(err));
    }
    if (h->out_close)
        close(h->out_fd);
    h->out_fd = -1;
    h->out_close = false;
}

/* COM1 transmitter -> stdout or the -serial file, unbuffered. */
static void console_tx(void *opaque, uint8_t byte)
{
    struct machine_host *h = opaque;
    if (h->out_fd >= 0) {
        int err = write_full(h->out_fd, &byte, 1);
        if (err)
            console_out_failed(h, err);
    }
}

/* At exit: close the -serial file; an error there (NFS, quota) is one more
 * write error. */
static void console_close(struct machine_host *h)
{
    bool own = h->out_close;
    h->out_close = false;
    if (own && close(h->out_fd) != 0)
        console_out_failed(h, errno);
    h->out_fd = -1;
}

static void console_msg(const char *s)
{
    /* the tty may be raw: end lines with CR LF */
    write_full(STDERR_FILENO, s, strlen(s));
}

/* Ctrl-A escapes, as QEMU's -nographic: x quits, h helps, Ctrl-A sends
 * one Ctrl-A. Returns true when byte was consumed. */
static bool console_escape(struct machine_host *h, uint8_t byte)
{
    if (!h->escape) {
        if (byte == CTRL_A) {
            h->escape = true;
            return true;
        }
        return false;
    }
    h->escape = false;
    switch (byte) {
    case 'x':
    case 'X':
        console_msg("\r\njet86: terminated (Ctrl-A x)\r\n");
        log_close();
        exit(0);
    case 'h':
    case 'H':
    case '?':
        console_msg("\r\nC-a h    print this help\r\n"
                    "C-a x    exit emulator\r\n"
                    "C-a C-a  sends C-a\r\n");
        return true;
    case CTRL_A: return false; /* a literal Ctrl-A for the guest */
    default: return true;
    }
}

/* Periodic vtimer: host stdin -> COM1 receiver, at an instruction boundary
 * (timers run between blocks), only as much as the FIFO takes. */
static void console_poll(void *opaque)
{
    struct machine_host *h = opaque;
    struct machine *m = h->m;
    size_t room = uart_can_receive(m->com1);
    int64_t next = room ? CONSOLE_POLL_NS : CONSOLE_CHAR_NS;

    if (room) {
        struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
        /* With -icount an idle CPU skips straight to the next deadline,
         * which is this poll: wait for input here as long as the poll
         * period, so an idle guest's clock keeps pace with the host (as
         * QEMU's icount sleep=on) instead of spinning. */
        int wait_ms = m->cfg.icount && m->cpu.halted
                          ? (int)(CONSOLE_POLL_NS / 1000000)
                          : 0;
        if (poll(&pfd, 1, wait_ms) > 0) {
            uint8_t buf[64], out[64];
            size_t k = 0;
            ssize_t n = read(STDIN_FILENO, buf,
                             room < sizeof(buf) ? room : sizeof(buf));
            if (n == 0) {
                h->in_stdin = false; /* end of input: stop polling */
                return;
            }
            for (ssize_t i = 0; i < n; i++)
                if (!console_escape(h, buf[i]))
                    out[k++] = buf[i];
            if (k)
                uart_receive(m->com1, out, k);
            if (n > 0)
                next = CONSOLE_CHAR_NS; /* more may be on its way */
        } else if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) {
            h->in_stdin = false;
            return;
        }
    }
    vtimer_mod(&h->poll_timer, vclock_now(&m->clock) + next);
}

static void console_init(struct machine *m)
{
    struct machine_host *h = m->host;
    const struct machine_config *cfg = &m->cfg;

    h->out_fd = -1;
    switch (cfg->serial) {
    case SERIAL_NONE: break;
    case SERIAL_FILE:
        h->out_fd = open(cfg->serial_path,
                         O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (h->out_fd < 0)
            fatal_errno("-serial file:%s", cfg->serial_path);
        h->out_close = true;
        h->out_path = cfg->serial_path;
        break;
    case SERIAL_STDIO:
        h->out_fd = STDOUT_FILENO;
        h->in_stdin = true;
        signal(SIGPIPE, SIG_IGN);
        console_raw_tty();
        break;
    }
    vtimer_init(&h->poll_timer, &m->clock, console_poll, h);
    if (h->in_stdin)
        vtimer_mod(&h->poll_timer, vclock_now(&m->clock) + CONSOLE_POLL_NS);
}

/* ---- CPU and board callbacks ---- */

static void machine_set_intr(void *opaque, int n, int level)
{
    (void)n;
    cpu_set_intr(opaque, level);
}

/* Bytes of [p, p + len) resident in host memory (mincore). */
static uint64_t resident_bytes(const void *p, size_t len)
{
    long pg = sysconf(_SC_PAGESIZE);
    uintptr_t a = (uintptr_t)p & ~(uintptr_t)(pg - 1);
    size_t n = ((uintptr_t)p + len - a + (size_t)pg - 1) / (size_t)pg;
    unsigned char *vec = malloc(n);
    uint64_t r = 0;
    if (!vec || mincore((void *)a, n * (size_t)pg, vec) != 0) {
        free(vec);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        r += vec[i] & 1;
    free(vec);
    return r * (uint64_t)pg;
}

/* At exit. -d icount: how much ran, the same on every backend: the
 * instructions completed before the one that ended the run (the OUT to
 * isa-debug-exit, whose device sees the count of its own instruction:
 * cpu_io_begin), or all of them at a block boundary. -d stats: the host
 * cost of the run. Guest RAM is resident
 * only where the guest touched it, and never shrinks, so peak RSS minus
 * the guest RAM resident at exit is what the emulator itself took. */
static void machine_log_exit(struct machine *m)
{
    if (log_enabled(LOG_ICOUNT))
        log_printf("icount: %" PRIu64 " guest instructions, %u code-cache "
                   "flushes\n",
                   m->cpu.icount, tb_flush_count);
    if (log_enabled(LOG_STATS)) {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        double peak = (double)ru.ru_maxrss / 1024.0;
        double ram = (double)resident_bytes(m->ram, (size_t)m->cfg.ram_size) /
                     (1024.0 * 1024.0);
        log_printf("stats: peak RSS %.1f MiB, guest RAM resident %.1f MiB, "
                   "beyond guest RAM %.1f MiB\n",
                   peak, ram, peak > ram ? peak - ram : 0.0);
        if (m->cpu.first_exec_ns)
            log_printf("stats: first guest instruction %.2f ms after "
                       "start\n",
                       (double)(m->cpu.first_exec_ns - process_start_ns) / 1e6);
        log_printf("stats: %" PRIu64 " blocks translated, %u code-cache "
                   "flushes\n",
                   tb_translated_count, tb_flush_count);
    }
}

static int machine_finish(struct machine *m)
{
    machine_log_exit(m);
    return m->exit_status;
}

/* isa-debug-exit: QEMU ends the process at once, so no guest instruction
 * after the OUT runs and nothing more reaches the console. */
static void machine_debug_exit(void *opaque, int status)
{
    struct machine *m = opaque;
    machine_log_exit(m);
    console_close(m->host);
    log_close();
    exit(status);
}

static void machine_shutdown(void *opaque, const char *why)
{
    struct machine *m = opaque;
    bool triple = why && strstr(why, "triple") != NULL;

    if (log_enabled(LOG_INT))
        log_printf("machine: %s\n", why ? why : "reset");
    if (!m->cfg.no_reboot) {
        machine_request_reset(m);
        return;
    }
    if (triple) {
        /* A triple fault is a guest failure: show it, exit non-zero. */
        fflush(stdout);
        console_restore_tty();
        fprintf(stderr, "jet86: %s\n", why);
        cpu_dump_state(&m->cpu, stderr);
        machine_request_stop(m, 1);
    } else {
        machine_request_stop(m, 0); /* guest-requested reset, -no-reboot */
    }
}

void machine_request_stop(struct machine *m, int status)
{
    m->stop = true;
    m->exit_status = status;
    m->cpu.stop_request = 1;
    m->cpu.exit_request = 1;
}

void machine_request_reset(struct machine *m)
{
    m->reset_pending = true;
    m->cpu.stop_request = 1;
    m->cpu.exit_request = 1;
}

static void machine_load_kernel(struct machine *m)
{
    char err[512];
    struct multiboot_args args = {
        .kernel = m->cfg.kernel,
        .append = m->cfg.append,
        .modules = m->cfg.initrd,
        .ram_size = m->cfg.ram_size,
    };
    struct multiboot_result res;

    if (!m->cfg.kernel)
        return;
    if (multiboot_load(&m->mem, &args, &res, err, sizeof(err)) != 0)
        fatal("%s", err);
    if (log_enabled(LOG_INT))
        log_printf("multiboot: kernel 0x%x-0x%x entry 0x%x info 0x%x\n",
                   res.kernel_start, res.kernel_end, res.entry, res.mbi);
}

void machine_init(struct machine *m, const struct machine_config *cfg)
{
    struct machine_host *h = xcalloc(1, sizeof(*h));

    memset(m, 0, sizeof(*m));
    m->cfg = *cfg;
    m->host = h;
    h->m = m;

    log_mask = cfg->log_mask;
    log_file = stderr;
    if (cfg->log_file)
        log_open(cfg->log_file);

    /* Memory map. One host block holds all RAM so that RAM offsets are
     * physical addresses; the part under the 640K-1M hole is unused. */
    memory_map_init(&m->mem);
    io_map_init(&m->io);
    J_ASSERT(cfg->ram_size > HIGH_RAM_START);
    if (cfg->ram_size != (size_t)cfg->ram_size)
        fatal("-m: %llu bytes do not fit the host address space",
              (unsigned long long)cfg->ram_size);
    /* Page-aligned and zero; the host backs only the pages touched. */
    m->ram = mmap(NULL, (size_t)cfg->ram_size, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m->ram == MAP_FAILED)
        fatal("-m: cannot allocate %llu MiB of guest RAM",
              (unsigned long long)(cfg->ram_size >> 20));
    mem_add_ram(&m->mem, "ram-low", 0, LOW_RAM_END, m->ram);
    mem_add_ram(&m->mem, "ram-high", HIGH_RAM_START,
                cfg->ram_size - HIGH_RAM_START, m->ram + HIGH_RAM_START);
    h->rom = xmalloc(BIOS_ROM_SIZE);
    bios_rom_build(h->rom);
    mem_add_rom(&m->mem, "bios", BIOS_ROM_BASE, BIOS_ROM_SIZE, h->rom);
    mem_add_rom(&m->mem, "bios-alias", BIOS_ROM_ALIAS, BIOS_ROM_SIZE, h->rom);

    /* Clock: host time, or executed instructions with -icount. */
    vclock_init(&m->clock, cfg->icount, cfg->icount_shift, &m->cpu.icount);

    /* CPU (cpu_init keeps the wiring set before it). */
    m->cpu.mem = &m->mem;
    m->cpu.io = &m->io;
    m->cpu.clock = &m->clock;
    m->cpu.on_shutdown = machine_shutdown;
    m->cpu.shutdown_opaque = m;
    cpu_init(&m->cpu);
    m->cpu.icount_mode = cfg->icount;

    /* Devices. */
    irq_init(&h->intr, machine_set_intr, &m->cpu, 0);
    m->pic = pic_init(&m->io, &h->intr);
    m->cpu.intr_ack = pic_intr_ack;
    m->cpu.intr_opaque = m->pic;
    m->pit = pit_init(&m->io, &m->clock, pic_get_irq(m->pic, 0));
    m->com1 = uart_init(&m->io, COM1_BASE, pic_get_irq(m->pic, COM1_IRQ),
                        &m->clock, console_tx, h);
    if (cfg->debug_exit)
        m->debug_exit =
            debug_exit_init(&m->io, cfg->debug_exit_iobase,
                            cfg->debug_exit_iosize, machine_debug_exit, m);
    console_init(m);

    /* The block cache: code buffer, and the memory map's code-write hook
     * so that loader writes invalidate blocks (translator/tb.h). */
    tb_init();
    tb_attach_cpu(&m->cpu);
    cpu_reset(&m->cpu);
    machine_load_kernel(m);
}

/* A reset of the whole board (guest request or triple fault without
 * -no-reboot): devices and CPU to power-on state, the kernel loaded anew
 * so the boot starts over as on a real machine with the same boot medium. */
static void machine_reset(struct machine *m)
{
    m->reset_pending = false;
    pic_reset(m->pic);
    pit_reset(m->pit);
    uart_reset(m->com1);
    tb_flush(&m->cpu);
    cpu_reset(&m->cpu);
    m->cpu.stop_request = 0;
    m->cpu.exit_request = 0;
    machine_load_kernel(m);
}

int machine_run(struct machine *m)
{
    for (;;) {
        cpu_exec(&m->cpu);
        if (m->stop)
            return machine_finish(m);
        if (m->reset_pending) {
            machine_reset(m);
            continue;
        }
        /* cpu_exec came back with no board request: it stopped itself. */
        m->cpu.stop_request = 0;
        return machine_finish(m);
    }
}

void machine_destroy(struct machine *m)
{
    struct machine_host *h = m->host;

    console_restore_tty();
    if (h) {
        vtimer_del(&h->poll_timer);
        console_close(h);
    }
    if (m->debug_exit)
        debug_exit_free(m->debug_exit);
    uart_free(m->com1);
    pit_free(m->pit);
    pic_free(m->pic);
    memory_map_destroy(&m->mem);
    if (m->ram && m->ram != MAP_FAILED)
        munmap(m->ram, (size_t)m->cfg.ram_size);
    m->ram = NULL;
    if (h)
        free(h->rom);
    free(h);
    log_close();
    m->host = NULL;
}
