/*
 * output.h: printing the timeline, the guides and the counters.
 *
 * The printing functions return LH_OK, or LH_FAIL when fp had a write
 * error (errno tells which; they stop writing at the first one), or
 * LH_FATAL when out of memory.  The caller still checks fflush(fp).
 */
#ifndef LH_OUTPUT_H
#define LH_OUTPUT_H

#include <stdio.h>

#include "cli/opts.h"
#include "cli/triage.h"
#include "core/format.h"
#include "core/match.h"
#include "core/rules.h"
#include "core/scan.h"

/*
 * Prints the alerts of rep->tl that rep shows (rules rs) in cfg->format,
 * with their context and crash loops, then (text) the guides of the rules
 * that fired.  With --state and nothing new, prints nothing.
 */
int lh_out_alerts(FILE *fp, const struct lh_config *cfg,
    const struct lh_ruleset *rs, const struct lh_report *rep, int color);
/*
 * Renders the body of a query hit (view: see lh_match_view) into out, in
 * the format of cfg (passed as arg).  Thread-safe: for the scan workers.
 */
int lh_out_render(void *arg, const struct lh_match *view, struct lh_buf *out);
/*
 * A streamed query's output, piece by piece: the header (CSV), then each
 * hit, appended to b (the caller writes b out).
 */
void lh_out_query_head(struct lh_buf *b, const struct lh_config *cfg);
void lh_out_query_hit(struct lh_buf *b, const struct lh_config *cfg,
    const struct lh_match *m);
/* Prints the query hits of tl in cfg->format. */
int lh_out_query(FILE *fp, const struct lh_config *cfg,
    const struct lh_timeline *tl);
/* Prints the rule list (loghunt rules). */
int lh_out_rules(FILE *fp, const struct lh_ruleset *rs);
/* Prints one rule's guide (loghunt explain). */
int lh_out_guide(FILE *fp, const struct lh_rule *r, int color);
/*
 * Prints the --stats counters of a pass that took seconds; tl and rs (may
 * be NULL) give the alerts by rule.
 */
void lh_out_stats(FILE *fp, const struct lh_scan_stats *st,
    const struct lh_format *const *formats, const struct lh_timeline *tl,
    const struct lh_ruleset *rs, double seconds);

/*
 * One alert at a time, for loghunt merge (cli/merge.h), printing exactly
 * what lh_out_alerts() prints in pieces: the head (text: "N alerts",
 * csv: the header row, with a context column when ctx), then alert i of
 * rep->tl (rep as for lh_out_alerts), then the tail (text: the crash loops
 * of rep and the guides of the rules whose fired[] byte is set; other
 * formats: nothing).
 */
int lh_out_alerts_head(FILE *fp, const struct lh_config *cfg, size_t nshow,
    int ctx);
int lh_out_alert(FILE *fp, const struct lh_config *cfg,
    const struct lh_ruleset *rs, const struct lh_report *rep, size_t i,
    int color);
int lh_out_alerts_tail(FILE *fp, const struct lh_config *cfg,
    const struct lh_ruleset *rs, const struct lh_report *rep,
    const char *fired, int color);
/*
 * Prints the query hits of tl as lh_out_query() does, the csv header only
 * when head is set: for output in pieces.
 */
int lh_out_hits(FILE *fp, const struct lh_config *cfg,
    const struct lh_timeline *tl, int head);

#endif
