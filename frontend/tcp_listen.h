/*
 * tcp_listen.h - a listening TCP socket for the front ends that serve a
 * port (-gdb tcp:[HOST]:PORT, -monitor telnet:[HOST]:PORT,server,nowait):
 * the HOST:PORT part checked once (a port 1-65535, a host name that fits)
 * and the socket set up one way (IPv4, SO_REUSEADDR, close-on-exec, one
 * connection waiting).
 */
#ifndef FRONTEND_TCP_LISTEN_H
#define FRONTEND_TCP_LISTEN_H

#include <stdbool.h>
#include <stddef.h>

/* The longest HOST accepted, without its terminating NUL. */
#define TCP_HOST_MAX 255

/* Split "[HOST]:PORT" (HOST empty: every local address). false with the
 * reason in err ("bad port number '0' (1-65535)") when it does not
 * parse; host is TCP_HOST_MAX + 1 bytes. */
bool tcp_hostport_parse(const char *hostport, char *host, int *port, char *err,
                        size_t errlen);

/* Listen on hostport ("[HOST]:PORT"). Errors are fatal, naming the flag
 * and its argument as the user wrote them: "-gdb tcp::99999: bad port
 * number '99999' (1-65535)", "-monitor ...: cannot listen on port 4444:
 * Address already in use". */
int tcp_listen(const char *flag, const char *spec, const char *hostport);

#endif
