/*
 * scan.h: one run over the evidence, in parallel, into one timeline.
 *
 * DESIGN
 * The calling thread walks the paths and hands each file to a pool of N
 * workers as it finds it (bounded queues both ways); a worker takes a
 * file, reads every leaf in it (input.c), picks the format whose probe
 * bids highest, parses each record into its own reusable event, applies
 * the filters and evaluates every rule (or the query) with its own
 * scratch.  A worker
 * never prints and never touches shared state: a job's matches, problems
 * and counters stay in the job, or go to the merger in batches.  The
 * caller's thread - the single merger - reports problems in walk order as
 * jobs finish, and sorts and folds the matches (in the timeline, or in
 * bounded memory for a streamed query), so the output is the same for any
 * -j.  See core/scan_run.c.
 * Rules, query and formats are immutable while workers run.
 */
#ifndef LH_SCAN_H
#define LH_SCAN_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/detect.h"
#include "core/format.h"
#include "core/kql.h"
#include "core/limits.h"
#include "core/match.h"
#include "core/timeline.h"
#include "core/rules.h"

#define LH_MAX_FORMATS 16
#define LH_MAX_YEARS 16

/*
 * What a run has done so far, for a progress display.  The workers add to
 * the atomic counters as they finish files; the totals are set by the
 * caller's thread after the walk, before tick() is first called, and only
 * read from that thread.
 */
struct lh_scan_progress {
	atomic_uint_least64_t files_done;
	atomic_uint_least64_t bytes_done;	/* sizes of the files done */
	uint64_t files_total, bytes_total;
};

struct lh_scan_config {
	int threads;				/* >= 1 */
	const struct lh_format *const *formats;	/* NULL-terminated */
	const struct lh_ruleset *rules;		/* scan: the rules */
	const struct lh_kql *query;		/* query: instead of rules */
	struct lh_parse_opts popts;
	int64_t since, until;			/* µs, or LH_TS_NONE */
	const char *const *hosts;		/* host globs, NULL-terminated */
	/*
	 * When set, a query hit is rendered by the worker that found it (in
	 * parallel): render() appends the output of the view to out, and the
	 * match keeps that text instead of the event's fields.  Called from
	 * worker threads: it must be thread-safe.  Scans keep the fields.
	 */
	int (*render)(void *arg, const struct lh_match *view,
	    struct lh_buf *out);
	void *render_arg;
	/*
	 * Events kept besides the matches, for a second look by the caller
	 * (triage context, crash summaries): select() is called by the
	 * workers on every event that passes the filters, so it must be
	 * read-only and thread-safe; when it returns nonzero a copy of the
	 * event (rule -1, no matched terms) goes to the extra timeline of
	 * lh_scan_run_extra().  select_words (NULL-terminated, borrowed) are
	 * added to the prefilter so that the records select() wants are
	 * parsed.  rules and query may both be NULL: then only select() runs,
	 * on the records holding one of select_words (on every record when
	 * select_words is NULL).
	 */
	int (*select)(void *arg, const struct lh_event *ev);
	void *select_arg;
	char **select_words;
	int no_prefilter;	/* parse every record, whatever the rules */
	/*
	 * When set, the caller's thread calls tick() about four times a
	 * second while the workers run (and once when the walk is done),
	 * instead of blocking until they finish.
	 */
	struct lh_scan_progress *progress;
	void (*tick)(void *arg, const struct lh_scan_progress *p);
	void *tick_arg;
	/*
	 * When set, a flag (set by a signal handler: lock-free) that stops
	 * the run: workers leave the record they are on and skip what is
	 * left, the merger reports and folds nothing.  Discard the result.
	 */
	const atomic_int *stop;
	/*
	 * Streamed query output (a query only; lh_scan_run_extra's *tl then
	 * stays empty): when set, hits are not held in a timeline but sorted
	 * in bounded memory (core/hits.h), and emit() receives each one,
	 * folded, in timeline order, on the caller's thread, once every file
	 * is read.  emit returns LH_OK to go on (anything else stops the run
	 * and is its result).
	 */
	int (*emit)(void *arg, const struct lh_match *m);
	void *emit_arg;
	int emit_owns;		/* emit owns each match (lh_match_free) */
	struct lh_match_pool *emit_pool;	/* lh_hits_opts.pool, or NULL */
	uint64_t hits_memory;	/* hits held before spilling; 0: 64M */
	const char *tmpdir;	/* for spilled hits (borrowed), or NULL */
	uint64_t spill_raw;	/* lh_spill_opts.raw_first; 0: default */
	/*
	 * Time maps (core/timemap.h, borrowed).  timemap_out: the first pass
	 * of a run that will want context maps every line-oriented source
	 * it reads to the end into it.  timemap_in (sealed), with
	 * popts.gate: the context pass reads of a mapped source only the
	 * parts its plan names, and nothing of a source with an empty plan.
	 */
	struct lh_timeindex *timemap_out;
	const struct lh_timeindex *timemap_in;
	/*
	 * gzip checkpoints (core/gzckpt.h, borrowed), alongside the time
	 * maps: the first pass records them into gzckpt_out, the context
	 * pass resumes a gzip file from those of gzckpt_in (sealed) instead
	 * of inflating it from the start.
	 */
	struct lh_gzckpt_index *gzckpt_out;
	const struct lh_gzckpt_index *gzckpt_in;
	/*
	 * Copies of the inputs that cannot be read twice (core/replay.h;
	 * borrowed, or NULL): the first pass of a run that will want
	 * context records them, the context pass (once sealed) reads them.
	 */
	struct lh_replay *replay;
	/* The decoders' and copies' caps (borrowed); NULL: the defaults. */
	const struct lh_limits *limits;
	/* Problems, in job order, from the caller's thread. */
	void (*report)(void *arg, int status, const char *msg);
	void *report_arg;
};

struct lh_scan_stats {
	uint64_t files, leaves, raw_bytes;
	uint64_t events;		/* records parsed into events */
	uint64_t skipped;		/* records skipped (malformed) */
	uint64_t prefiltered;		/* records not parsed: no rule word */
	uint64_t gated;			/* records not parsed: out of time */
	uint64_t planned_out;		/* sources not read: out of time */
	uint64_t gz_skipped;		/* gzip content jumped over */
	uint64_t filtered;		/* events left out by --since/--host */
	uint64_t binary;		/* leaves skipped: unknown binary */
	uint64_t unknown;		/* leaves skipped: unknown text */
	uint64_t damaged;		/* leaves or files cut short by damage */
	uint64_t leaves_by_format[LH_MAX_FORMATS];
	uint64_t events_by_format[LH_MAX_FORMATS];
	int years[LH_MAX_YEARS];	/* years inferred for RFC 3164 */
	uint64_t year_events[LH_MAX_YEARS];
	size_t nyears;
	uint64_t matches;		/* before folding duplicates */
	uint64_t folded;		/* streamed hits, after folding */
	uint64_t spilled;		/* bytes of hits written to $TMPDIR */
	uint64_t selected;		/* events kept by select() */
	struct lh_detect_stats detect;	/* the stateful rules */
};

/*
 * Scans paths (npaths of them) with cfg.  On return *tl holds the finished
 * timeline (owned: free with lh_timeline_free) and *st the counters.
 * Returns LH_OK, LH_FAIL when some input could not be read completely
 * (everything readable was scanned), or LH_FATAL.
 */
int lh_scan_run(const struct lh_scan_config *cfg, char *const *paths,
    size_t npaths, struct lh_timeline **tl, struct lh_scan_stats *st);
/*
 * Like lh_scan_run(), and *extra receives the events cfg->select() kept,
 * as a finished timeline of their own (owned: free with lh_timeline_free;
 * records of one event in several files folded as for matches).
 */
int lh_scan_run_extra(const struct lh_scan_config *cfg, char *const *paths,
    size_t npaths, struct lh_timeline **tl, struct lh_timeline **extra,
    struct lh_scan_stats *st);

#endif
