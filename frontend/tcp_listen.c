/*
 * tcp_listen.c - the listening socket of -gdb and -monitor telnet
 * (frontend/tcp_listen.h).
 */
#include "frontend/tcp_listen.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/util.h"

bool tcp_hostport_parse(const char *hostport, char *host, int *port, char *err,
                        size_t errlen)
{
    const char *colon = strrchr(hostport, ':');
    if (!colon) {
        snprintf(err, errlen, "expected [HOST]:PORT");
        return false;
    }
    size_t hl = (size_t)(colon - hostport);
    if (hl > TCP_HOST_MAX) {
        snprintf(err, errlen, "host name too long");
        return false;
    }
    const char *ps = colon + 1;
    char *end;
    errno = 0;
    long p = strtol(ps, &end, 10);
    /* digits only: no sign, no blanks, no trailing text */
    if (*ps < '0' || *ps > '9' || *end || errno || p < 1 || p > 65535) {
        snprintf(err, errlen, "bad port number '%s' (1-65535)", ps);
        return false;
    }
    memcpy(host, hostport, hl);
    host[hl] = 0;
    *port = (int)p;
    return true;
}

int tcp_listen(const char *flag, const char *spec, const char *hostport)
{
    char host[TCP_HOST_MAX + 1], err[128];
    int port;
    if (!tcp_hostport_parse(hostport, host, &port, err, sizeof(err)))
        fatal("%s %s: %s", flag, spec, err);
    struct addrinfo hints = { .ai_family = AF_INET,
                              .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_PASSIVE };
    struct addrinfo *ai;
    char ports[8];
    snprintf(ports, sizeof(ports), "%d", port);
    int e = getaddrinfo(host[0] ? host : NULL, ports, &hints, &ai);
    if (e)
        fatal("%s %s: %s", flag, spec, gai_strerror(e));
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
    if (fd < 0)
        fatal_errno("%s %s: socket", flag, spec);
    /* a port left in TIME_WAIT by the previous run is taken again */
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 1) != 0)
        fatal_errno("%s %s: cannot listen on port %d", flag, spec, port);
    freeaddrinfo(ai);
    return fd;
}
