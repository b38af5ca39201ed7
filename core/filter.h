/*
 * filter.h: the --since, --until and --host filters on one record.
 *
 * DESIGN
 * One definition for the scan's workers (core/scan.c, on each event) and
 * for loghunt merge (on each record read back), so that a merge over parts
 * keeps exactly the records one run keeps: a time bound drops records
 * without a wall-clock time (none, or boot-relative); host globs
 * (fnmatch(3)) drop records without a host.
 */
#ifndef LH_FILTER_H
#define LH_FILTER_H

#include <stddef.h>
#include <stdint.h>

/*
 * 1 when a record at ts (with LH_TS_* flags) of host (host_len bytes, or
 * NULL) passes since/until (µs, or LH_TS_NONE) and hosts (borrowed globs,
 * NULL-terminated, or NULL for any host); else 0.
 */
int lh_filter_keeps(int64_t since, int64_t until, const char *const *hosts,
    int64_t ts, int ts_flags, const char *host, size_t host_len);

#endif
