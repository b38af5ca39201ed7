/*
 * tz.h: named time zones from TZif data (RFC 8536), without global state.
 *
 * The bytes of a zone file (/usr/share/zoneinfo/Europe/Berlin) are read by
 * the caller (cli/runtime.c) and parsed here into an immutable struct
 * lh_zone that any number of threads may query at once.
 */
#ifndef LH_TZ_H
#define LH_TZ_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct lh_zone;

/*
 * Parses the TZif data p (n bytes, borrowed; versions 1 to 4, the 64-bit
 * data of version 2 and later, and its POSIX TZ footer).  Returns an owned
 * zone (free with lh_zone_free), or NULL with err filled: LH_FAIL when the
 * data is not a valid TZif file, LH_FATAL when out of memory.
 */
struct lh_zone *lh_zone_parse(const unsigned char *p, size_t n,
    struct lh_err *err);

/* Frees z; NULL is a no-op. */
void lh_zone_free(struct lh_zone *z);

/*
 * The offset of z from UTC (seconds east) at t (seconds since the epoch,
 * UTC): the tm_gmtoff glibc's localtime_r(3) gives with TZ set to the same
 * file.  Pure and thread-safe.
 */
long lh_zone_offset(const struct lh_zone *z, int64_t t);

/*
 * Parses a POSIX TZ rule such as "CET-1CEST,M3.5.0,M10.5.0/3" (the TZif
 * footer form) into an owned zone without transitions (free with
 * lh_zone_free), or NULL with err filled.  For tests and callers that have
 * a rule but no file.
 */
struct lh_zone *lh_zone_posix(const char *rule, struct lh_err *err);

#endif
