/*
 * util.h - the few things every module needs: fatal errors, the project's
 * assert, checked allocation and run-time gated debug logging (-d / -D).
 */
#ifndef BASE_UTIL_H
#define BASE_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Print "jet86: <message>" on stderr and exit(1). For host/config errors. */
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Same, with ": <strerror(errno)>" appended. */
_Noreturn void fatal_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "jet86: warning: <message>" on stderr. */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Invariants of the emulator itself (never guest behaviour). */
#define J_ASSERT(cond)                                                         \
    do {                                                                       \
        if (!(cond))                                                           \
            assert_fail(#cond, __FILE__, __LINE__);                            \
    } while (0)
_Noreturn void assert_fail(const char *expr, const char *file, int line);

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);

/* -d categories; each bit gates one kind of log line at run time. */
enum {
    LOG_IN_ASM = 1 << 0,  /* guest instructions of each translated block */
    LOG_OP = 1 << 1,      /* the IR of each block, as translated */
    LOG_EXEC = 1 << 2,    /* each block as it is executed */
    LOG_INT = 1 << 3,     /* interrupts and exceptions */
    LOG_OUT_ASM = 1 << 4, /* generated host code */
    LOG_OP_OPT = 1 << 5,  /* the IR after optimization */
    LOG_ICOUNT = 1 << 6,  /* at exit: guest instructions run, cache flushes */
    LOG_NOCHAIN = 1 << 7, /* not a log: never chain blocks (exact -d exec) */
    LOG_STATS = 1 << 8,   /* at exit: memory, start-up time, blocks */
    LOG_SCREEN = 1 << 10,  /* at exit: the VGA's text screen */
    LOG_POST = 1 << 9,    /* POST codes written to port 0x80 */
};
extern unsigned log_mask;
extern FILE *log_file; /* stderr unless -D FILE */

/* -D FILE: log_file writes to FILE. The first failed write (a full disk)
 * is reported once on stderr and the rest of the log is dropped; the run
 * goes on. Exits through fatal_errno() when FILE cannot be created. */
void log_open(const char *path);
/* Flush and close the -D file (a failure is reported as above, if not
 * yet); log_file is stderr again. Nothing to do without -D. */
void log_close(void);

/* write() all of buf, through EINTR and short writes, waiting on EAGAIN.
 * Returns 0, or the errno of the write that failed. */
int write_full(int fd, const void *buf, size_t len);

#define log_enabled(mask) ((log_mask & (mask)) != 0)
void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Parse "in_asm,op,exec": returns 0 and sets *mask, or -1 naming nothing valid. */
int log_parse_mask(const char *spec, unsigned *mask);
/* List the -d categories (for `-d help`). */
void log_print_help(FILE *f);

/* CLOCK_MONOTONIC in ns when the process began running its own code
 * (before main); base/clock.h host_clock_ns() reads the same clock. */
extern int64_t process_start_ns;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#endif
