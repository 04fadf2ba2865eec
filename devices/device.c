/*
 * device.c - creating devices by name and keeping them on their bus: the
 * "name,prop=value,..." parser that -device and the board share, the
 * -device help text, and the walks over a bus's devices (reset, free).
 */
#include "devices/device.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

const struct device_class *device_class_find(const char *name)
{
    for (size_t i = 0; device_classes[i]; i++)
        if (!strcmp(device_classes[i]->name, name))
            return device_classes[i];
    return NULL;
}

static int spec_error(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int spec_error(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* The names of the classes -device may create, ", "-separated. */
static void user_class_names(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; device_classes[i]; i++) {
        if (!device_classes[i]->user)
            continue;
        int n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
                         device_classes[i]->name);
        if (n < 0 || (size_t)n >= len - used)
            return;
        used += (size_t)n;
    }
}

/* The property names of cls, ", "-separated. */
static void prop_names(const struct device_class *cls, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = 0;
    for (int i = 0; i < cls->n_props; i++) {
        int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
                         cls->props[i].name);
        if (n < 0 || (size_t)n >= len - used)
            return;
        used += (size_t)n;
    }
}

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

/* One "prop=value" of cls into spec. */
static int parse_prop(struct device_spec *spec, const char *opt, char *err,
                      size_t errlen)
{
    const struct device_class *cls = spec->cls;
    size_t name_len = strcspn(opt, "=");
    for (int i = 0; i < cls->n_props; i++) {
        const struct device_prop *p = &cls->props[i];
        if (strlen(p->name) != name_len || strncmp(p->name, opt, name_len))
            continue;
        uint64_t v;
        if (opt[name_len] != '=')
            return spec_error(err, errlen, "%s needs a value (%s=N)", p->name,
                              p->name);
        if (!parse_uint(opt + name_len + 1, &v) || v < p->min || v > p->max)
            return spec_error(err, errlen, "%s must be %s", p->name, p->range);
        spec->prop[i] = v;
        return 0;
    }
    char names[128];
    prop_names(cls, names, sizeof(names));
    if (cls->n_props == 0)
        return spec_error(err, errlen, "%s has no properties (got '%.*s')",
                          cls->name, (int)name_len, opt);
    return spec_error(err, errlen, "unknown property '%.*s' of %s (%s)",
                      (int)name_len, opt, cls->name, names);
}

int device_spec_parse(struct device_spec *spec, const char *str, bool user,
                      char *err, size_t errlen)
{
    char *copy = xstrdup(str);
    char *save;
    char *name = strtok_r(copy, ",", &save);
    int ret = 0;

    memset(spec, 0, sizeof(*spec));
    spec->str = str;
    spec->cls = name ? device_class_find(name) : NULL;
    if (!spec->cls || (user && !spec->cls->user)) {
        char names[256];
        user_class_names(names, sizeof(names));
        if (spec->cls)
            ret = spec_error(err, errlen,
                             "%s is part of the board, not a -device "
                             "(available: %s)",
                             name, names);
        else
            ret = spec_error(err, errlen, "unknown device '%s' (available: %s)",
                             name ? name : "", names);
        goto out;
    }
    J_ASSERT(spec->cls->n_props <= DEVICE_MAX_PROPS);
    for (int i = 0; i < spec->cls->n_props; i++)
        spec->prop[i] = spec->cls->props[i].def;
    for (char *opt = strtok_r(NULL, ",", &save); opt;
         opt = strtok_r(NULL, ",", &save)) {
        ret = parse_prop(spec, opt, err, errlen);
        if (ret)
            goto out;
    }
    if (spec->cls->check)
        ret = spec->cls->check(spec->prop, err, errlen);
out:
    free(copy);
    return ret;
}

void device_print_help(FILE *f)
{
    fprintf(f, "Available devices:\n");
    for (size_t i = 0; device_classes[i]; i++) {
        const struct device_class *cls = device_classes[i];
        if (!cls->user)
            continue;
        fputs(cls->name, f);
        for (int k = 0; k < cls->n_props; k++) {
            const struct device_prop *p = &cls->props[k];
            fprintf(f,
                    p->hex ? "%s%s=N (default 0x%" PRIx64 ")"
                           : "%s%s=N (default %" PRIu64 ")",
                    k ? ", " : "  ", p->name, p->def);
        }
        fprintf(f, ": %s\n", cls->desc);
    }
}

void device_bus_init(struct device_bus *bus, struct memory_map *mem,
                     struct io_map *io, struct vclock *clock)
{
    memset(bus, 0, sizeof(*bus));
    bus->mem = mem;
    bus->io = io;
    bus->clock = clock;
    for (int i = 0; i < ISA_NUM_IRQS; i++)
        irq_fanout_init(&bus->isa_irq[i]);
}

struct irq *isa_irq(struct device_bus *bus, int n)
{
    J_ASSERT(n >= 0 && n < ISA_NUM_IRQS);
    return &bus->isa_irq[n].in;
}

struct device *device_create(struct device_bus *bus,
                             const struct device_spec *spec)
{
    struct device *dev = spec->cls->create(bus, spec->prop);
    dev->cls = spec->cls;
    dev->bus = bus;
    dev->next = NULL;
    if (bus->last)
        bus->last->next = dev;
    else
        bus->first = dev;
    bus->last = dev;
    device_reset(dev);
    return dev;
}

struct device *device_create_str(struct device_bus *bus, const char *str)
{
    struct device_spec spec;
    char err[256];
    if (device_spec_parse(&spec, str, false, err, sizeof(err)) != 0)
        fatal("device %s: %s", str, err);
    return device_create(bus, &spec);
}

void device_reset(struct device *dev)
{
    if (dev->cls->reset)
        dev->cls->reset(dev);
}

void device_destroy(struct device *dev)
{
    struct device_bus *bus = dev->bus;
    struct device *prev = NULL;
    for (struct device *d = bus->first; d != dev; d = d->next) {
        J_ASSERT(d);
        prev = d;
    }
    if (prev)
        prev->next = dev->next;
    else
        bus->first = dev->next;
    if (bus->last == dev)
        bus->last = prev;
    dev->cls->free(dev);
}

void device_bus_reset(struct device_bus *bus)
{
    for (struct device *d = bus->first; d; d = d->next)
        device_reset(d);
}

void device_bus_destroy(struct device_bus *bus)
{
    /* Newest first: a device goes before those it was connected to. */
    struct device *rev = NULL;
    for (struct device *d = bus->first, *next; d; d = next) {
        next = d->next;
        d->next = rev;
        rev = d;
    }
    bus->first = bus->last = NULL;
    for (struct device *d = rev, *next; d; d = next) {
        next = d->next;
        d->cls->free(d);
    }
}
