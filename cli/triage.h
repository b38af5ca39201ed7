/*
 * triage.h: what a responder reads beside each alert: the host's other
 * events around it (triage context) and repeated crashes of one program
 * (crash loops).
 *
 * DESIGN
 * Both are built by the main thread from extra timelines that a scan
 * collects through lh_scan_config.select (see core/scan.h):
 *   - crash loops from every segfault line of the first pass (the
 *     predicate lh_triage_segfault(); "segfault" is added to the
 *     prefilter, so those lines are parsed even when no rule wants them);
 *   - context from a second pass over the same paths (lh_windows_pass()):
 *     it reads only the parts of the files that the first pass's time
 *     maps place near a window, skips the records whose raw time lies in
 *     none (the gate), parses the rest with no prefilter and keeps the
 *     events of an alert's host inside one of its windows
 *     (lh_windows_select()); standard input and pipes are read from the
 *     first pass's copies.
 * The results are indexed by the alert's position in the timeline, so the
 * printing order stays the timeline's, whatever -j was.
 */
#ifndef LH_TRIAGE_H
#define LH_TRIAGE_H

#include <stddef.h>
#include <stdint.h>

#include "core/event.h"
#include "core/match.h"
#include "core/timeline.h"

#define LH_CONTEXT_MAX 50	/* context events per alert, nearest first */
#define LH_LOOP_ADDRS 8		/* fault addresses listed per crash loop */
#define LH_LOOP_MIN 2		/* segfaults that make a loop */

struct lh_ctx {
	const struct lh_match **ev;	/* owned array of borrowed events */
	size_t n;			/* shown, in time order */
	size_t total;			/* in the window, before the cut */
};

struct lh_loop {
	const char *host;		/* borrowed from the crash timeline */
	char comm[64];
	uint64_t count;
	const struct lh_match *first, *last;	/* borrowed */
	uint64_t addr[LH_LOOP_ADDRS];	/* the lowest distinct addresses */
	size_t naddr, ndistinct;
	size_t order;			/* first crash's place in its timeline */
};

/*
 * Everything printed besides the alerts.  Indexes are alert positions in
 * tl.  Filled by the functions below; free with lh_report_free().
 */
struct lh_report {
	const struct lh_timeline *tl;	/* the alerts, borrowed */
	char *show;		/* owned: show[i] nonzero prints alert i; NULL: all */
	size_t nshow;		/* alerts printed */
	int64_t context;	/* window either side, µs; 0: no context */
	struct lh_ctx *ctx;	/* owned, ctx[i] for alert i, or NULL */
	struct lh_loop *loops;	/* owned, in order of their first crash */
	size_t nloops;
	int *loop_of;		/* owned: alert i's loop, or -1; or NULL */
	struct lh_timeline *ctx_tl;	/* the context events (the caller's) */
};

void lh_report_free(struct lh_report *rep);

/* 1 when alert i of rep is printed. */
int lh_report_shows(const struct lh_report *rep, size_t i);

/*
 * select() predicate for the first pass: ev is a kernel segfault line
 * (lh_decode_segfault() reads it).  Thread-safe; arg is unused.
 */
int lh_triage_segfault(void *arg, const struct lh_event *ev);
/* The prefilter words of lh_triage_segfault (its select_words). */
extern char *lh_triage_segfault_words[];

/*
 * Groups the crashes (a timeline of segfault events) by host and crashed
 * command into rep->loops, those with at least LH_LOOP_MIN crashes, and
 * sets rep->loop_of for the segfault alerts of rep->tl.  Borrows crashes:
 * it must outlive rep.  LH_OK or LH_FATAL.
 */
int lh_triage_loops(struct lh_report *rep, const struct lh_timeline *crashes);

/* The alert windows of a context pass (an opaque, immutable set). */
struct lh_windows;

/*
 * The windows [t - w, t + w] of the printed alerts of rep that have a host
 * and a time (w = rep->context), by host (a core/gate.h gate).  Returns an
 * owned set (free with lh_windows_free), or NULL when out of memory; *n
 * receives the number of windows (0: no second pass is needed).
 */
struct lh_windows *lh_windows_create(const struct lh_report *rep, size_t *n);
void lh_windows_free(struct lh_windows *ws);
/* select() predicate: ev's host and time lie in a window.  Thread-safe. */
int lh_windows_select(void *arg, const struct lh_event *ev);
/*
 * Sets sc (made by lh_scan_config_of) up for the pass that reads the
 * events of ws's windows: lh_windows_select, the gate of ws (unless
 * sc->no_prefilter, LOGHUNT_PREFILTER=0: every record is read, for
 * checking), the first pass's time maps ix and copies rp (sealed, or
 * NULL), and no prefilter.  Borrows ws, ix and rp: they must outlive sc.
 */
struct lh_scan_config;
struct lh_timeindex;
struct lh_replay;
void lh_windows_pass(struct lh_scan_config *sc, struct lh_windows *ws,
    const struct lh_timeindex *ix, struct lh_replay *rp);

/*
 * Gives each printed alert of rep its context: the events of ctx (the
 * second pass' timeline, borrowed: it must outlive rep) of the same host
 * within rep->context, other than the alert's own record, the
 * LH_CONTEXT_MAX nearest in time (ctx NULL: none).  LH_OK or LH_FATAL.
 */
int lh_triage_context(struct lh_report *rep, const struct lh_timeline *ctx);

#endif
