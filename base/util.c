/*
 * util.c - fatal errors, warnings, the project's assert, checked allocation
 * and the -d / -D debug log (see util.h).
 */
#define _GNU_SOURCE /* fopencookie */
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

unsigned log_mask;
int64_t process_start_ns;

__attribute__((constructor)) static void note_process_start(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    process_start_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
FILE *log_file;

_Noreturn void fatal(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("jet86: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

_Noreturn void fatal_errno(const char *fmt, ...)
{
    int err = errno;
    va_list ap;
    fflush(stdout);
    fputs("jet86: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, ": %s\n", strerror(err));
    exit(1);
}

void warn(const char *fmt, ...)
{
    va_list ap;
    fputs("jet86: warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

_Noreturn void assert_fail(const char *expr, const char *file, int line)
{
    fflush(stdout);
    fprintf(stderr, "jet86: internal error: %s:%d: assertion failed: %s\n",
            file, line, expr);
    abort();
}

static _Noreturn void out_of_memory(size_t size)
{
    fatal("out of memory (allocating %zu bytes)", size);
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory(n * size);
    return p;
}

void *xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q)
        out_of_memory(size);
    return q;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = xmalloc(n);
    memcpy(p, s, n);
    return p;
}

void log_printf(const char *fmt, ...)
{
    va_list ap;
    FILE *f = log_file ? log_file : stderr;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
}

int write_full(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                struct pollfd pfd = { .fd = fd, .events = POLLOUT };
                poll(&pfd, 1, -1);
                continue;
            }
            return errno;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The -D file behind log_file: a stdio stream over these functions, so a
 * write error is seen wherever the log text came from (log_printf, or the
 * disassembler and IR dumps writing to log_file), with its errno. */
struct log_sink {
    int fd;
    char *path;
    bool failed; /* reported; drop what follows */
};

static void log_sink_fail(struct log_sink *s, int err)
{
    if (s->failed)
        return;
    s->failed = true;
    warn("-D %s: %s; the rest of the log is dropped", s->path, strerror(err));
}

static ssize_t log_sink_write(void *cookie, const char *buf, size_t len)
{
    struct log_sink *s = cookie;
    if (!s->failed) {
        int err = write_full(s->fd, buf, len);
        if (err)
            log_sink_fail(s, err);
    }
    return (ssize_t)len; /* dropped text is not an error for stdio */
}

static int log_sink_close(void *cookie)
{
    struct log_sink *s = cookie;
    if (close(s->fd) != 0)
        log_sink_fail(s, errno);
    free(s->path);
    free(s);
    return 0;
}

void log_open(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        fatal_errno("-D %s", path);
    struct log_sink *s = xcalloc(1, sizeof(*s));
    s->fd = fd;
    s->path = xstrdup(path);
    FILE *f = fopencookie(s, "w",
                          (cookie_io_functions_t){ .write = log_sink_write,
                                                   .close = log_sink_close });
    if (!f)
        fatal_errno("-D %s", path);
    log_file = f;
}

void log_close(void)
{
    if (log_file && log_file != stderr)
        fclose(log_file);
    log_file = stderr;
}

/* The -d categories, in the order `-d help` lists them. */
static const struct {
    const char *name;
    unsigned mask;
    const char *help;
} log_items[] = {
    { "in_asm", LOG_IN_ASM, "guest instructions of each translated block" },
    { "out_asm", LOG_OUT_ASM, "host code generated for each block" },
    { "op", LOG_OP, "IR of each block as translated" },
    { "op_opt", LOG_OP_OPT, "IR of each block after optimization" },
    { "exec", LOG_EXEC, "each block as it is executed" },
    { "int", LOG_INT, "interrupts and exceptions" },
    { "icount", LOG_ICOUNT,
      "at exit: guest instructions executed (with -icount) and code-cache "
      "flushes" },
    { "stats", LOG_STATS,
      "at exit: peak RSS, its part beyond guest RAM, time to the first "
      "guest instruction, blocks translated" },
    { "screen", LOG_SCREEN,
      "at exit: the VGA's text screen as text (or that it shows graphics)" },
    { "post", LOG_POST, "POST codes the firmware writes to port 0x80" },
    { "nochain", LOG_NOCHAIN,
      "never chain blocks, so 'exec' logs every block run (slower)" },
};

void log_print_help(FILE *f)
{
    fprintf(f, "Log items (comma separated, -d LIST):\n");
    for (size_t i = 0; i < ARRAY_SIZE(log_items); i++)
        fprintf(f, "%-8s %s\n", log_items[i].name, log_items[i].help);
    fprintf(f, "%-8s %s\n", "all", "every item above but nochain");
}

int log_parse_mask(const char *spec, unsigned *mask)
{
    unsigned m = 0;
    const char *p = spec;

    if (!*spec)
        return -1;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        int found = 0;
        if (len == 3 && !strncmp(p, "all", 3)) {
            for (size_t i = 0; i < ARRAY_SIZE(log_items); i++)
                if (log_items[i].mask != LOG_NOCHAIN)
                    m |= log_items[i].mask;
            found = 1;
        }
        for (size_t i = 0; !found && i < ARRAY_SIZE(log_items); i++) {
            if (strlen(log_items[i].name) == len &&
                !strncmp(p, log_items[i].name, len)) {
                m |= log_items[i].mask;
                found = 1;
            }
        }
        if (!found)
            return -1;
        p += len;
        if (*p == ',')
            p++;
    }
    *mask = m;
    return 0;
}
