/*
 * console.c - COM1's host side: the -serial back ends (stdout, a file,
 * nothing), stdin in raw mode like QEMU's stdio back end, the Ctrl-A
 * escapes of -nographic, and host input fed to the UART's receiver by a
 * vtimer, at instruction boundaries and only as much as its FIFO takes.
 *
 * The terminal settings are process-wide (there is one controlling tty);
 * everything else is per console.
 */
#include "frontend/console.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "base/util.h"
#include "devices/uart.h"

/* How often host stdin is polled for serial input, in virtual time. */
#define CONSOLE_POLL_NS (1000 * 1000)
/* ... and while input is flowing or waiting for room in the receiver: about
 * one character time at 115200 baud, so pasted text arrives at line speed
 * rather than one byte per poll period. */
#define CONSOLE_CHAR_NS (100 * 1000)
#define CTRL_A 0x01

/* An output-only byte stream: stdout, a file, or nothing. */
struct console_out {
    const char *flag;     /* "-serial", "-debugcon": for messages */
    const char *what;     /* "COM1", "the debug console" */
    int fd;               /* -1: output discarded */
    const char *path;     /* file:PATH, or NULL for stdout */
    bool close;
};

struct console {
    struct vclock *clock;
    const struct cpu *cpu;
    bool icount;
    struct uart_state *uart;

    struct console_out out; /* COM1's output */
    bool in_stdin; /* poll host stdin for input */
    bool escape;   /* the previous input byte was Ctrl-A */
    struct vtimer poll_timer;
};

/* ---- host terminal (process-wide: there is one controlling tty) ---- */

static struct termios console_saved_tio;
static volatile sig_atomic_t console_tio_saved;

void console_restore_tty(void)
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

/* The output cannot be written: from now on it is lost, as on a cut
 * wire, and the guest runs on. Said once; a reader that went away (a
 * closed pipe, e.g. | head) is no news. */
static void console_out_failed(struct console_out *o, int err)
{
    if (err != EPIPE) {
        if (o->path)
            warn("%s file:%s: %s; the rest of %s's output is dropped", o->flag,
                 o->path, strerror(err), o->what);
        else
            warn("stdout: %s; the rest of %s's output is dropped",
                 strerror(err), o->what);
    }
    if (o->close)
        close(o->fd);
    o->fd = -1;
    o->close = false;
}

/* Open the stream kind names (a file is created; an error is fatal). */
static void console_out_init(struct console_out *o, const char *flag,
                             const char *what, enum serial_kind kind,
                             const char *path)
{
    *o = (struct console_out){ .flag = flag, .what = what, .fd = -1 };
    switch (kind) {
    case SERIAL_NONE: break;
    case SERIAL_FILE:
        o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (o->fd < 0)
            fatal_errno("%s file:%s", flag, path);
        o->close = true;
        o->path = path;
        break;
    case SERIAL_STDIO:
        o->fd = STDOUT_FILENO;
        signal(SIGPIPE, SIG_IGN);
        break;
    }
}

/* One byte, unbuffered: what the guest wrote is out before it goes on. */
static void console_out_byte(struct console_out *o, uint8_t byte)
{
    if (o->fd >= 0) {
        int err = write_full(o->fd, &byte, 1);
        if (err)
            console_out_failed(o, err);
    }
}

/* Close the file now; an error there (NFS, quota) is one more write
 * error. */
static void console_out_close(struct console_out *o)
{
    bool own = o->close;
    o->close = false;
    if (own && close(o->fd) != 0)
        console_out_failed(o, errno);
    o->fd = -1;
}

/* COM1 transmitter -> stdout or the -serial file. */
static void console_tx(void *opaque, uint8_t byte)
{
    struct console *c = opaque;
    console_out_byte(&c->out, byte);
}

/* At exit: close the -serial file. */
void console_close(struct console *c)
{
    if (c)
        console_out_close(&c->out);
}

static void console_msg(const char *s)
{
    /* the tty may be raw: end lines with CR LF */
    write_full(STDERR_FILENO, s, strlen(s));
}

/* Ctrl-A escapes, as QEMU's -nographic: x quits, h helps, Ctrl-A sends
 * one Ctrl-A. Returns true when byte was consumed. */
static bool console_escape(struct console *c, uint8_t byte)
{
    if (!c->escape) {
        if (byte == CTRL_A) {
            c->escape = true;
            return true;
        }
        return false;
    }
    c->escape = false;
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

/* Periodic vtimer: host stdin -> the UART's receiver, at an instruction
 * boundary (timers run between blocks), only as much as the FIFO takes. */
static void console_poll(void *opaque)
{
    struct console *c = opaque;
    size_t room = uart_can_receive(c->uart);
    int64_t next = room ? CONSOLE_POLL_NS : CONSOLE_CHAR_NS;

    if (room) {
        struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
        /* With -icount an idle CPU skips straight to the next deadline,
         * which is this poll: wait for input here as long as the poll
         * period, so an idle guest's clock keeps pace with the host (as
         * QEMU's icount sleep=on) instead of spinning. */
        int wait_ms =
            c->icount && c->cpu->halted ? (int)(CONSOLE_POLL_NS / 1000000) : 0;
        if (poll(&pfd, 1, wait_ms) > 0) {
            uint8_t buf[64], out[64];
            size_t k = 0;
            ssize_t n = read(STDIN_FILENO, buf,
                             room < sizeof(buf) ? room : sizeof(buf));
            if (n == 0) {
                c->in_stdin = false; /* end of input: stop polling */
                return;
            }
            for (ssize_t i = 0; i < n; i++)
                if (!console_escape(c, buf[i]))
                    out[k++] = buf[i];
            if (k)
                uart_receive(c->uart, out, k);
            if (n > 0)
                next = CONSOLE_CHAR_NS; /* more may be on its way */
        } else if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) {
            c->in_stdin = false;
            return;
        }
    }
    vtimer_mod(&c->poll_timer, vclock_now(c->clock) + next);
}

struct console *console_open(const struct machine_config *cfg,
                             struct vclock *clock, const struct cpu *cpu)
{
    struct console *c = xcalloc(1, sizeof(*c));

    c->clock = clock;
    c->cpu = cpu;
    c->icount = cfg->icount;
    console_out_init(&c->out, "-serial", "COM1", cfg->serial,
                     cfg->serial_path);
    if (cfg->serial == SERIAL_STDIO) {
        c->in_stdin = true;
        console_raw_tty();
    }
    vtimer_init(&c->poll_timer, clock, console_poll, c);
    return c;
}

void console_attach(struct console *c, struct uart_state *uart)
{
    c->uart = uart;
    uart_connect_tx(uart, console_tx, c);
    if (c->in_stdin)
        vtimer_mod(&c->poll_timer, vclock_now(c->clock) + CONSOLE_POLL_NS);
}

void console_free(struct console *c)
{
    console_restore_tty();
    if (!c)
        return;
    vtimer_del(&c->poll_timer);
    console_close(c);
    free(c);
}

/* ---- the debug console (-debugcon): output only ---- */

struct debug_console {
    struct console_out out;
};

struct debug_console *debug_console_open(enum serial_kind kind,
                                         const char *path)
{
    struct debug_console *d = xcalloc(1, sizeof(*d));
    console_out_init(&d->out, "-debugcon", "the debug console", kind, path);
    return d;
}

struct debug_console *debug_console_open_flag(const char *flag,
                                              enum serial_kind kind,
                                              const char *path)
{
    struct debug_console *d = xcalloc(1, sizeof(*d));
    console_out_init(&d->out, flag, "the debug console", kind, path);
    return d;
}

void debug_console_out(void *opaque, uint8_t byte)
{
    struct debug_console *d = opaque;
    console_out_byte(&d->out, byte);
}

void debug_console_close(struct debug_console *d)
{
    if (d)
        console_out_close(&d->out);
}

void debug_console_free(struct debug_console *d)
{
    debug_console_close(d);
    free(d);
}
