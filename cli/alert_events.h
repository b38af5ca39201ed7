/*
 * alert_events.h: printing what an alert of a stateful rule (an EQL
 * sequence, new_terms, ES|QL) carries beyond its event: its events with
 * their sources, its grouping values, the new terms, the bucket's counts,
 * and where host.id came from (core/detect.h names the fields).
 */
#ifndef LH_ALERT_EVENTS_H
#define LH_ALERT_EVENTS_H

#include "core/buf.h"
#include "core/match.h"

/* 1 when m is an alert of a stateful rule (it lists its events). */
int lh_alert_multi(const struct lh_match *m);

/* Appends the text lines of m's events, groups, terms and bucket. */
void lh_alert_text(struct lh_buf *b, const struct lh_match *m);

/*
 * Appends, inside the open "host" object, ',"id":...' when m has a
 * host.id (stateful alerts only: host.id is what sequences join on).
 */
void lh_alert_json_host(struct lh_buf *b, const struct lh_match *m);

/*
 * Appends, inside the open "loghunt" object, the members
 * host_id_from, group, new_terms, bucket and events (each preceded by
 * ','), those that m has.  LH_OK or LH_FATAL.
 */
int lh_alert_json(struct lh_buf *b, const struct lh_match *m);

/* One CSV cell's text: "group: ...; new terms: ...; N events". */
void lh_alert_csv_summary(struct lh_buf *t, const struct lh_match *m);

/* Every source of every event of m, "path:line" separated by spaces. */
void lh_alert_csv_sources(struct lh_buf *t, const struct lh_match *m);

#endif
