/*
 * gate.h: a set of time intervals that lets a format skip records cheaply
 * (the triage context pass reads only the records near the alerts).
 *
 * DESIGN
 * A gate is a sorted array of disjoint closed intervals of µs UTC, built
 * once by the caller and then only read (by any number of workers).  A
 * format that can read a record's time from its raw bytes, exactly as its
 * full parse would set it, may skip the record when the gate does not
 * admit that time; when it cannot tell the time cheaply and exactly, it
 * parses the record as usual.  Untimed and boot-relative records are
 * never wanted by the context, but a format must not skip them on a guess.
 */
#ifndef LH_GATE_H
#define LH_GATE_H

#include <stddef.h>
#include <stdint.h>

struct lh_gate;

/*
 * Returns an owned gate (free with lh_gate_free) admitting the union of the
 * n intervals [lo[i], hi[i]] (in any order, overlapping or not), or NULL
 * when out of memory.  lo and hi are copied.
 */
struct lh_gate *lh_gate_create(const int64_t *lo, const int64_t *hi,
    size_t n);
void lh_gate_free(struct lh_gate *g);

/*
 * Returns an owned gate like lh_gate_create(), whose intervals also belong
 * to hosts: interval i to the host host[i] (NUL-terminated, copied).  The
 * plain questions below answer for the union; the _host ones for one
 * host's intervals (none for a host not named).
 */
struct lh_gate *lh_gate_create_hosts(const char *const *host,
    const int64_t *lo, const int64_t *hi, size_t n);

/* 1 when ts (µs UTC) lies in one of g's intervals, else 0. */
int lh_gate_admits(const struct lh_gate *g, int64_t ts);

/*
 * Like lh_gate_admits() and lh_gate_overlaps(), for the intervals of the
 * host of hlen bytes at host (not NUL-terminated); for the union when g
 * has no hosts or host is NULL (the record's host is not known).
 */
int lh_gate_admits_host(const struct lh_gate *g, const char *host,
    size_t hlen, int64_t ts);
int lh_gate_overlaps_host(const struct lh_gate *g, const char *host,
    size_t hlen, int64_t lo, int64_t hi);

/*
 * 1 when some instant of [lo, hi] lies in one of g's intervals: a chunk of
 * records whose times all lie in [lo, hi] may be skipped when this is 0.
 */
int lh_gate_overlaps(const struct lh_gate *g, int64_t lo, int64_t hi);

#endif
