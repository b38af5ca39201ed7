/*
 * merge.h: loghunt merge, the reduce step of runs over parts of the
 * evidence, and scan --context-for, the map step of their triage context.
 *
 * DESIGN
 * Each input (a `scan --format json` or `query --format json` output) is
 * already in timeline order.  merge reads one document at a time from
 * each (a k-way merge) and turns each document back into its records, one
 * per loghunt.sources entry with that record's own time and precision
 * (cli/merge_doc.h).  Records of one event have times equal at the
 * coarser precision, so they lie in one granule of the coarsest
 * precision seen (1 s at least; 60 s, 1 h or 1 d when a part has such
 * stamps): merge collects the records of one granule (per host for
 * boot-relative ones) into a timeline, folds and sorts it with
 * lh_timeline_finish() - the very fold of one run - and prints it with the
 * printers of one run (cli/output.h), --state (cli/state.h) and the crash
 * loops and context of cli/triage.h.  Memory holds one granule, the crash
 * records (segfault alerts, or the triage inputs) and the context events.
 *
 * Text output is spooled to a temporary file, since its first line counts
 * the alerts.  Context needs the events of every part around the merged
 * alerts: `scan --context-for ALERTS.json PART` prints, as JSON events
 * after a head line {"loghunt":{"triage":{"context_us":N}}}, the events of
 * PART inside the alerts' windows and every segfault record of PART;
 * merge takes such files beside the alert files.
 */
#ifndef LH_MERGE_H
#define LH_MERGE_H

#include "cli/opts.h"
#include "core/rules.h"

/* loghunt merge FILE...: the exit status (0 output, 1 none, 2 error). */
int lh_merge_cmd(const struct lh_config *cfg, const struct lh_ruleset *rs);

/*
 * scan --context-for FILE PATH...: prints the triage events of the paths
 * for the alerts of FILE; the exit status (0, or 2 on an error).
 */
int lh_merge_context_for(const struct lh_config *cfg,
    const struct lh_ruleset *rs);

#endif
