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

/* <PRI>: 1..3 digits, 0..191 at the start of s.  Sets *i past the '>'. */
int lh_syslog_pri(const char *s, size_t n, size_t *i);

/*
 * <PRI>VERSION SP at the start of s (RFC 5424 6.2: VERSION is 1..3 digits,
 * the first not 0): 1 with *i after the space, else 0.
 */
int lh_syslog_pri_version(const char *s, size_t n, size_t *i);

/*
 * The RFC 5424 header after TIMESTAMP SP, at s[*i]: HOSTNAME SP APP-NAME
 * SP PROCID SP MSGID SP STRUCTURED-DATA, then a space or the end.  Each
 * field is 1..255, 48, 128 and 32 PRINTUSASCII bytes; NILVALUE "-" gives
 * NULL; the structured data is "-" or [..][..]... (inside a PARAM-VALUE's
 * quotes a backslash escapes the next byte, RFC 5424 6.3.3, and an
 * unescaped ']' is tolerated).  1 with the fields (pointing into s) and
 * *i at the byte after the structured data, else 0 (the outputs are then
 * undefined).
 */
int lh_syslog_rest5424(const char *s, size_t n, size_t *i, const char **host,
    size_t *hostlen, const char **app, size_t *applen, const char **procid,
    size_t *procidlen);

#endif
