/*
 * chardev.c - -chardev, -serial chardev:ID and -device isa-debugcon's
 * chardev= (frontend/chardev.h).
 */
#include "frontend/chardev.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* Split "key=value" options after the first comma-separated word; calls
 * fn for each; a word without '=' is passed with value NULL. */
static int parse_opts(char *s, int (*fn)(void *ctx, const char *key,
                                         const char *value, char *err,
                                         size_t errlen),
                      void *ctx, char *err, size_t errlen)
{
    char *save = NULL;
    for (char *tok = strtok_r(s, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (eq)
            *eq = 0;
        if (fn(ctx, tok, eq ? eq + 1 : NULL, err, errlen))
            return -1;
    }
    return 0;
}

static int chardev_opt(void *ctx, const char *key, const char *value,
                       char *err, size_t errlen)
{
    struct chardev_config *c = ctx;
    if (!value) {
        snprintf(err, errlen, "%s: expected KEY=VALUE", key);
        return -1;
    }
    if (!strcmp(key, "id")) {
        if (!*value) {
            snprintf(err, errlen, "id= is empty");
            return -1;
        }
        c->id = value;
    } else if (!strcmp(key, "path")) {
        if (c->kind != SERIAL_FILE) {
            snprintf(err, errlen, "path= is for the file back end only");
            return -1;
        }
        if (!*value) {
            snprintf(err, errlen, "path= is empty");
            return -1;
        }
        c->path = value;
    } else {
        snprintf(err, errlen, "unknown option %s (id, path)", key);
        return -1;
    }
    return 0;
}

int chardev_parse(const char *arg, struct chardev_config *c, char *err,
                  size_t errlen)
{
    char *s = xstrdup(arg); /* kept: c's strings point into it */
    char *comma = strchr(s, ',');
    const char *backend = s;
    memset(c, 0, sizeof(*c));
    if (comma)
        *comma = 0;
    if (!strcmp(backend, "stdio")) {
        c->kind = SERIAL_STDIO;
    } else if (!strcmp(backend, "file")) {
        c->kind = SERIAL_FILE;
    } else if (!strcmp(backend, "null")) {
        c->kind = SERIAL_NONE;
    } else {
        snprintf(err, errlen,
                 "unknown back end '%s' (stdio, file, null)", backend);
        free(s);
        return -1;
    }
    if (comma && parse_opts(comma + 1, chardev_opt, c, err, errlen)) {
        free(s);
        return -1;
    }
    if (!c->id) {
        snprintf(err, errlen, "missing id=");
        free(s);
        return -1;
    }
    if (c->kind == SERIAL_FILE && !c->path) {
        snprintf(err, errlen, "the file back end needs path=");
        free(s);
        return -1;
    }
    return 0;
}

bool chardev_is_debugcon_device(const char *arg)
{
    static const char name[] = "isa-debugcon";
    size_t n = sizeof(name) - 1;
    return !strncmp(arg, name, n) && (arg[n] == 0 || arg[n] == ',');
}

static int debugcon_opt(void *ctx, const char *key, const char *value,
                        char *err, size_t errlen)
{
    struct debugcon_config *d = ctx;
    if (!value) {
        snprintf(err, errlen, "%s: expected KEY=VALUE", key);
        return -1;
    }
    if (!strcmp(key, "iobase")) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(value, &end, 0);
        if (!*value || *end || errno || v > 0xffff || value[0] == '-') {
            snprintf(err, errlen, "iobase=%s: expected a port number "
                     "0-0xffff", value);
            return -1;
        }
        d->iobase = (uint16_t)v;
    } else if (!strcmp(key, "chardev")) {
        if (!*value) {
            snprintf(err, errlen, "chardev= is empty");
            return -1;
        }
        d->chardev = value;
    } else {
        snprintf(err, errlen,
                 "isa-debugcon has no property '%s' (iobase, chardev)", key);
        return -1;
    }
    return 0;
}

int chardev_parse_debugcon(const char *arg, struct debugcon_config *d,
                           char *err, size_t errlen)
{
    char *s = xstrdup(arg); /* kept: d->chardev points into it */
    char *comma = strchr(s, ',');
    memset(d, 0, sizeof(*d));
    d->iobase = 0xe9;
    if (comma && parse_opts(comma + 1, debugcon_opt, d, err, errlen)) {
        free(s);
        return -1;
    }
    if (!d->chardev) {
        snprintf(err, errlen, "isa-debugcon needs chardev=ID (and a "
                 "-chardev ...,id=ID)");
        free(s);
        return -1;
    }
    return 0;
}

/* The chardev named id, marked used by what (NULL with a message when it
 * is missing or taken). */
static struct chardev_config *chardev_take(struct machine_config *cfg,
                                           const char *id, const char *what,
                                           char *err, size_t errlen)
{
    for (int i = 0; i < cfg->n_chardevs; i++) {
        struct chardev_config *c = &cfg->chardevs[i];
        if (strcmp(c->id, id) != 0)
            continue;
        if (c->used_by) {
            snprintf(err, errlen, "%s: chardev '%s' is already used by %s",
                     what, id, c->used_by);
            return NULL;
        }
        c->used_by = what;
        return c;
    }
    snprintf(err, errlen, "%s: no chardev with id '%s' (define it with "
             "-chardev BACKEND,id=%s)", what, id, id);
    return NULL;
}

int chardev_resolve(struct machine_config *cfg, char *err, size_t errlen)
{
    for (int i = 0; i < cfg->n_chardevs; i++) {
        for (int j = 0; j < i; j++) {
            if (!strcmp(cfg->chardevs[i].id, cfg->chardevs[j].id)) {
                snprintf(err, errlen, "-chardev: duplicate id '%s'",
                         cfg->chardevs[i].id);
                return -1;
            }
        }
    }
    if (cfg->serial_chardev) {
        struct chardev_config *c = chardev_take(
            cfg, cfg->serial_chardev, "-serial chardev", err, errlen);
        if (!c)
            return -1;
        cfg->serial = c->kind;
        cfg->serial_path = c->path;
    }
    for (int i = 0; i < cfg->n_debugcons; i++) {
        struct debugcon_config *d = &cfg->debugcons[i];
        struct chardev_config *c = chardev_take(
            cfg, d->chardev, "-device isa-debugcon", err, errlen);
        if (!c)
            return -1;
        d->kind = c->kind;
        d->path = c->path;
        if (d->kind == SERIAL_STDIO && cfg->serial == SERIAL_STDIO) {
            snprintf(err, errlen,
                     "-device isa-debugcon: chardev '%s' is stdio, which is "
                     "COM1's already (add -serial none or file:PATH)",
                     d->chardev);
            return -1;
        }
    }
    return 0;
}
