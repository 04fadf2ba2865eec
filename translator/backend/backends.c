/*
 * backends.c - the list of the backends this build has: the native one
 * first where the host has one (CONFIG_BACKEND_X86_64), then the portable
 * interpreter, always. The command line picks from it by name, and the
 * unit tests run every IR op on each entry.
 */
#include <string.h>

#include "translator/backend.h"

const struct backend *const backend_list[] = {
#ifdef CONFIG_BACKEND_X86_64
    &backend_x86_64,
#endif
    &backend_interp,
};

const unsigned backend_count = sizeof(backend_list) / sizeof(backend_list[0]);

const struct backend *backend_find(const char *name)
{
    for (unsigned i = 0; i < backend_count; i++)
        if (!strcmp(backend_list[i]->name, name))
            return backend_list[i];
    return NULL;
}
