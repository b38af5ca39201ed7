/*
 * detect_int.h: what detect.c, detect_feeds.c and detect_terms.c share
 * (not public).
 */
#ifndef LH_DETECT_INT_H
#define LH_DETECT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/event.h"
#include "core/rules.h"

#define LH_TERMS_MAX_COMBOS 64	/* combinations made of one event */

/*
 * A snapshot's verdict per rule (its matched text): '0' when the event
 * does not feed the rule; for a sequence whose steps it matches are a
 * mask below LH_DETECT_MASKS, that mask as a digit of LH_DETECT_HEX (the
 * merger need not evaluate the steps again), 'x' for a larger one;
 * otherwise '1'.  Written by detect_feeds.c, read by detect.c.
 */
#define LH_DETECT_MASKS 16
#define LH_DETECT_HEX "0123456789abcdef"

/*
 * 1 when an alert of a stateful rule keeps the field named name (borrowed)
 * of its last event: the fields its outputs print and its triage reads
 * (message, host and process names, data set, host.id, ...); the others
 * were only for the rules.
 */
int lh_detect_alert_field(const char *name);

/* The history of one new_terms rule: term -> when last seen. */
struct lh_terms;

/*
 * Returns an owned history for rule r (borrowed; must outlive it; free
 * with lh_terms_free) over evidence that starts at start (µs), or NULL
 * when out of memory.
 */
struct lh_terms *lh_terms_create(const struct lh_rule *r, int64_t start);
void lh_terms_free(struct lh_terms *t);

/*
 * Builds into combos (reset first) the terms of ev: one value of each of
 * the rule's new_terms_fields, every combination of the distinct values
 * of multi-valued fields (at most LH_TERMS_MAX_COMBOS), each encoded as
 * the values in field order, each value as "LEN:" and its bytes.  *n is 0
 * when a field is missing.  LH_OK or LH_FATAL.
 */
int lh_terms_of(const struct lh_terms *t, const struct lh_event *ev,
    struct lh_buf *combos, size_t *n);

/*
 * Notes that the term (len bytes at key, from lh_terms_of) occurs at ts
 * (events come in time order) and sets *isnew: 1 when an alert is due
 * (see detect_terms.c), -1 when the term is new but falls in the first
 * history span of the evidence, 0 otherwise.  LH_OK or LH_FATAL.
 */
int lh_terms_see(struct lh_terms *t, const char *key, size_t len,
    int64_t ts, int *isnew);

/*
 * Steps through the encoded terms of lh_terms_of(): *off from 0; sets
 * *key and *len and returns 1, or 0 after the last.
 */
int lh_terms_next(const struct lh_buf *combos, size_t *off,
    const char **key, size_t *len);

#endif
