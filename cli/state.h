/*
 * state.h: the --state file, what earlier runs already reported.
 *
 * DESIGN
 * An alert is remembered by its identity, never by a file position (logs
 * rotate and get compressed): a 64-bit FNV-1a hash of rule_id, host and
 * message with a leading dmesg stamp removed, plus its time and the
 * precision of that time.  A stored entry and an alert are the same when
 * the hashes are equal and the times agree at the coarser precision - the
 * rule that folds duplicates in the timeline (SPEC §6).  Each entry stands
 * for one alert per run, so ten identical lines stay ten alerts.
 *
 * The file is text, one entry per line, sorted:
 *   HASH TIME_US PRECISION_US FLAGS RULE_ID HOST
 * It is rewritten whole, atomically: FILE.tmp in the same directory,
 * fsync, rename over FILE, fsync of the directory.  It stays bounded:
 * entries that this run saw again are kept; the others only while they
 * are less than LH_STATE_DAYS days older than the newest entry; and never
 * more than LH_STATE_MAX entries (the oldest go first).
 */
#ifndef LH_STATE_H
#define LH_STATE_H

#include <stddef.h>

#include "core/err.h"
#include "core/match.h"
#include "core/timeline.h"
#include "core/rules.h"

#define LH_STATE_DAYS 90
#define LH_STATE_MAX 200000

struct lh_state;

/*
 * Reads the state file at path (borrowed); a file that does not exist is
 * an empty state.  On LH_OK *st is an owned state (free with
 * lh_state_free).  LH_FAIL when the file cannot be read or is not a state
 * file exactly as lh_state_save() writes it (err names the file and the
 * line), LH_FATAL when out of memory; *st is then NULL.
 */
int lh_state_load(const char *path, struct lh_state **st,
    struct lh_err *err);
/* Frees st; NULL is a no-op. */
void lh_state_free(struct lh_state *st);

/*
 * Sets show[i] (one byte per alert of tl, rules rs) to 1 for the alerts st
 * does not hold yet, 0 for the others, and records the new ones in st;
 * *nnew receives their number.  The identity of an alert is core's
 * (lh_match_ident with the rule id, lh_match_same_time).  LH_OK, or
 * LH_FATAL when out of memory.
 */
int lh_state_update(struct lh_state *st, const struct lh_timeline *tl,
    const struct lh_ruleset *rs, char *show, size_t *nnew);

/*
 * Writes st to path atomically (see DESIGN).  LH_OK, LH_FAIL with err
 * naming the file and the system's reason (path is then unchanged), or
 * LH_FATAL when out of memory.
 */
int lh_state_save(struct lh_state *st, const char *path, struct lh_err *err);

#endif
