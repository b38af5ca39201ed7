/*
 * syslog_host.h: SYSLOGHOST, the host of a syslog header, part of the
 * shared syslog_header module (only that module's files include this).
 */
#ifndef LH_SYSLOG_HOST_H
#define LH_SYSLOG_HOST_H

#include <stddef.h>

#include "formats/syslog_header.h"

/*
 * Whether p (n bytes, a whole token: a space follows it) is a
 * SYSLOGHOST = IPORHOST (?:%{IP}|%{HOSTNAME}).  HOSTNAME is dot-separated
 * labels of [0-9A-Za-z][0-9A-Za-z-]{0,62} with an optional final dot;
 * IPV4 is a subset of it.  IPV6 may carry "(%.+)?": the zone is taken up
 * to the space (grok's greedy .+ could reach past it; not followed here).
 * Borrows p; pure.
 */
int lh_syslog_host_valid(const char *p, size_t n);

/*
 * The token at s[i] (s is n bytes) that a SYSLOGHOST may be: the index of
 * the first space at or after i (n when there is none), and in *valid
 * whether the bytes before it are a host (lh_syslog_host_valid; 0 when
 * there are none).  m (borrowed, may be NULL) keeps the last valid host:
 * a line with the host of the line before is not checked again.
 */
size_t lh_syslog_host_token(const char *s, size_t n, size_t i,
    struct lh_syslog_memo *m, int *valid);

#endif
