/*
 * syslog_scan.h: byte scans of the syslog header code, part of the shared
 * syslog_header module (only that module's files include this): where a
 * run of bytes of a kind ends, 16 bytes a step where SSE2 is there.  Scans
 * take s (n bytes, borrowed) and a start i <= n, never read s[n], and
 * return an index in [i, n]; pure.
 */
#ifndef LH_SYSLOG_SCAN_H
#define LH_SYSLOG_SCAN_H

#include <stddef.h>

/* The first j >= i whose byte is not PRINTUSASCII ([!-~]), or n. */
size_t lh_syslog_printable_end(const char *s, size_t i, size_t n);

/* The first j >= i whose byte is ':', '[' or a newline, or n. */
size_t lh_syslog_tag_stop(const char *s, size_t i, size_t n);

/*
 * The first c >= i where s[c] is a ':' that an RFC 3164 stamp's hour may
 * come before: one or two bytes before it, a space before those
 * (s[c - 2] or s[c - 3] is a space); or n.
 */
size_t lh_syslog_hour_colon(const char *s, size_t i, size_t n);

#endif
