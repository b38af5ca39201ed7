/*
 * scan_run.c: one run's wiring: the walk feeding the pool, and the merger
 * (scan.h; what a worker does is scan.c).
 *
 * DESIGN
 * The caller's thread walks (core/walk.h) and hands each file to the pool
 * as it finds it (STYLE 3.6.3): there is no list of the whole tree, and
 * memory does not grow with the number of files.  A job is made per file
 * and numbered in walk order; a small look-ahead window (LOOKAHEAD jobs)
 * lets the most expensive of the next few files start first
 * (core/sched.h), which keeps the cores busy at the end of a run whose big
 * files come last, without a list of everything.  At most RING jobs exist
 * at once (in the window, queued, being read, or done and waiting for an
 * earlier one): when that many are out, the caller's thread submits the
 * window and drains the results queue until half as many are out, instead
 * of walking on (waking once per many jobs, not once per job), so the
 * pool's queue never blocks it and the walk never runs far ahead.
 *
 * Workers send batches of hits (a streamed query's, or the snapshots of
 * the events that feed stateful rules) and, last, each job back through
 * the results queue; the caller's thread is the merger.  Hits go straight
 * into the sorted store (core/hits.h), whose order is total, so their
 * arrival order does not matter; after the jobs, a query's go out and
 * the feeding events go through the stateful rules (core/detect.h) in
 * that order.  Jobs are finished in walk order (a ring indexed by the
 * job number): their problems are reported, their counters added, their
 * boot anchors noted, and the matches of a scan (alerts, events kept by
 * select()) moved into the timelines - in walk order, as the dating of
 * boots sees them.  Problems met by the walk itself are reported
 * where they fell in the walk, before the first job walked after them.
 * So stderr and stdout are the same for any -j.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/detect.h"
#include "core/detect_pair.h"
#include "core/evidence.h"
#include "core/hits.h"
#include "core/pool.h"
#include "core/queue.h"
#include "core/scan_job.h"
#include "core/sched.h"
#include "core/status.h"
#include "core/timeline.h"
#include "core/walk.h"

#define RING 128		/* jobs out at once (power of two) */
#define LOOKAHEAD 16		/* jobs walked but not yet submitted */
#define RESULT_SLOTS 16		/* batches on their way to the merger */
#define HITS_MEMORY ((uint64_t)64 << 20)
#define TICK_MS 250
/* blocks of feeding events kept for reuse: a batch of detect_pair.c's */
#define FPOOL_MAX 512

struct run {
	const struct lh_scan_config *cfg;
	struct lh_pool *pool;
	struct lh_queue *results;
	void *ws;		/* the workers' state */
	void **wp;		/* their addresses, for the pool */
	int made;
	struct lh_scan_pf pf;
	struct lh_evidence *tree;
	struct lh_job *ring[RING];	/* by seq % RING, not yet finished */
	struct lh_job *win[LOOKAHEAD];	/* walked, not submitted */
	size_t nwin;
	uint64_t next_seq, next_fin;
	struct lh_diag wdiag;	/* problems met while walking */
	size_t wreported;	/* of them, reported */
	const char *operand;	/* the command-line path being walked */
	char *dir;		/* the last directory probed for facts */
	size_t dirlen;
	/* a streamed query's hits, or the events that feed stateful rules */
	struct lh_hits *hits;	/* (then feeding is 1); or NULL */
	int feeding;
	struct lh_match_pool *fpool;	/* blocks of the feeding events */
	struct lh_timeline *tl, *xtl;
	struct lh_scan_stats *st;
	int rc;			/* the merge's: LH_OK, LH_FAIL or LH_FATAL */
	int64_t last_tick;
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Calls cfg->tick when a quarter of a second has passed since the last. */
static void
maybe_tick(struct run *r, int force)
{
	int64_t t;

	if (r->cfg->tick == NULL || r->cfg->progress == NULL)
		return;
	t = now_ms();
	if (force || t - r->last_tick >= TICK_MS) {
		r->last_tick = t;
		r->cfg->tick(r->cfg->tick_arg, r->cfg->progress);
	}
}

static void
fail(struct run *r, int rc)
{
	if (rc == LH_FATAL || r->rc == LH_FATAL)
		r->rc = LH_FATAL;
	else if (rc != LH_OK)
		r->rc = LH_FAIL;
}

/* ---- finishing jobs, in walk order --------------------------------------- */

static void
add_stats(struct lh_scan_stats *a, const struct lh_scan_stats *b)
{
	size_t i, k;

	a->files += b->files;
	a->leaves += b->leaves;
	a->raw_bytes += b->raw_bytes;
	a->events += b->events;
	a->skipped += b->skipped;
	a->filtered += b->filtered;
	a->binary += b->binary;
	a->unknown += b->unknown;
	a->damaged += b->damaged;
	a->prefiltered += b->prefiltered;
	a->gated += b->gated;
	a->planned_out += b->planned_out;
	a->gz_skipped += b->gz_skipped;
	a->matches += b->matches;
	a->selected += b->selected;
	for (i = 0; i < LH_MAX_FORMATS; i++) {
		a->leaves_by_format[i] += b->leaves_by_format[i];
		a->events_by_format[i] += b->events_by_format[i];
	}
	for (i = 0; i < b->nyears; i++) {
		for (k = 0; k < a->nyears && a->years[k] != b->years[i]; k++)
			;
		if (k == a->nyears && a->nyears < LH_MAX_YEARS)
			a->years[a->nyears++] = b->years[i];
		if (k < a->nyears)
			a->year_events[k] += b->year_events[i];
	}
}

struct promote {
	const struct lh_scan_config *cfg;
	int on;			/* notes (LH_OK) are reported as warnings */
};

static void
promoted(void *arg, int status, const char *msg)
{
	const struct promote *p = arg;

	p->cfg->report(p->cfg->report_arg, p->on && status == LH_OK ?
	    LH_WARN : status, msg);
}

/* Reports d's problems; promote turns its notes (LH_OK) into warnings. */
static void
report_diag(const struct lh_scan_config *cfg, const struct lh_diag *d,
    int promote)
{
	struct promote p = { cfg, promote };

	lh_diag_each(d, promoted, &p);
}

/*
 * Reports the walk's problems up to the mark (the first upto of them), or
 * all that are left (the counts of dropped and lost ones too) when all.
 */
static void
report_walk(struct run *r, size_t upto, int all)
{
	struct lh_diag rest;

	if (lh_scan_stopping(r->cfg))
		return;
	for (; r->wreported < upto && r->wreported < r->wdiag.n;
	    r->wreported++)
		r->cfg->report(r->cfg->report_arg,
		    r->wdiag.status[r->wreported], r->wdiag.msg[r->wreported]);
	if (!all)
		return;
	rest = r->wdiag;
	rest.msg += r->wreported;
	rest.status += r->wreported;
	rest.n -= r->wreported;
	r->wreported = r->wdiag.n;
	report_diag(r->cfg, &rest, 0);
}

/*
 * Reports the problems of job j.  A file named on the command line that
 * yielded no event says why (SPEC section 15): its notes (unknown format,
 * binary data) become warnings, and with no note the counters tell.  An
 * empty file stays silent: there was nothing in it to misread (rotation
 * leaves many, and a shell glob names them all).
 */
static void
report_job(const struct lh_scan_config *cfg, const struct lh_job *j)
{
	int silent = j->named && j->st.events == 0 &&
	    j->diag.worst > LH_FAIL && j->st.damaged == 0;
	char msg[LH_ERR_LEN];

	report_diag(cfg, &j->diag, silent);
	if (!silent || j->diag.n > 0 || j->st.skipped == 0)
		return;
	snprintf(msg, sizeof(msg), "%s: no event: none of its %llu records "
	    "has a known log layout", j->path,
	    (unsigned long long)j->st.skipped);
	cfg->report(cfg->report_arg, LH_WARN, msg);
}

/* Moves n matches into tl (NULL: frees them).  LH_OK or LH_FATAL. */
static int
move_all(struct lh_timeline *tl, struct lh_match **m, size_t n)
{
	int rc = LH_OK;
	size_t k;

	for (k = 0; k < n; k++) {
		if (tl == NULL || lh_timeline_add(tl, m[k]) != LH_OK) {
			lh_match_free(m[k]);
			rc = tl == NULL ? rc : LH_FATAL;
		}
	}
	free(m);
	return rc;
}

/* Moves the matches of j into the timelines (or frees them, stopping). */
static void
move_job(struct run *r, struct lh_job *j)
{
	int stop = lh_scan_stopping(r->cfg);

	/* the arena first: its matches must not outlive it */
	if (j->arena != NULL && (stop ||
	    lh_timeline_adopt(r->tl, j->arena) != LH_OK)) {
		fail(r, stop ? LH_OK : LH_FATAL);
		move_all(NULL, j->m, j->nm);
		move_all(NULL, j->x, j->nx);
		lh_arena_free(j->arena);
	} else if (move_all(stop ? NULL : r->tl, j->m, j->nm) != LH_OK ||
	    move_all(stop ? NULL : r->xtl, j->x, j->nx) != LH_OK) {
		fail(r, LH_FATAL);
	}
}

/* Finishes job j, the next in walk order, and frees it. */
static void
finish_job(struct run *r, struct lh_job *j)
{
	report_walk(r, j->walk_mark, 0);
	if (!lh_scan_stopping(r->cfg))
		report_job(r->cfg, j);
	if (j->diag.worst <= LH_FAIL || j->status == LH_FAIL)
		fail(r, LH_FAIL);
	if (j->status == LH_FATAL)
		fail(r, LH_FATAL);
	add_stats(r->st, &j->st);
	if (lh_evidence_add_boots(r->tree, j->boots) != LH_OK)
		fail(r, LH_FATAL);
	lh_boots_free(j->boots);
	move_job(r, j);
	lh_diag_free(&j->diag);
	free(j->path);
	free(j);
}

/* ---- the results queue --------------------------------------------------- */

/* Frees the hits of b left unmoved from i on, and b unless a job's own. */
static void
drop_batch(struct lh_batch *b, size_t i)
{
	for (; i < b->n; i++)
		lh_match_free(b->m[i]);
	free(b->m);
	lh_arena_free(b->arena);
	if (!b->done)
		free(b);
}

/* Takes in one message: hits to the store, or a job back. */
static void
take(struct run *r, struct lh_batch *b)
{
	struct lh_err err;
	struct lh_job *j;
	size_t i;

	for (i = 0; i < b->n && r->hits != NULL && r->rc != LH_FATAL &&
	    !lh_scan_stopping(r->cfg); i++) {
		lh_err_clear(&err);
		if (lh_hits_add(r->hits, b->m[i], &err) != LH_OK) {
			r->cfg->report(r->cfg->report_arg, LH_FATAL, err.msg);
			fail(r, LH_FATAL);
			i++;
			break;
		}
	}
	if (r->hits == NULL && b->done)
		i = 0;	/* not streamed: nothing came but the job */
	j = b->done ? b->job : NULL;
	drop_batch(b, i);
	if (j == NULL)
		return;
	j->done = 1;
	while (r->next_fin < r->next_seq &&
	    (j = r->ring[r->next_fin % RING])->done) {
		r->ring[r->next_fin % RING] = NULL;
		r->next_fin++;
		finish_job(r, j);
	}
}

/* Waits for one message (a tick at most) and takes it, then any more. */
static void
drain(struct run *r, int wait)
{
	void *item;
	int got;

	if (lh_queue_timedpop(r->results, &item, wait ? TICK_MS : 0,
	    &got) != LH_OK)
		return;
	while (got) {
		take(r, item);
		if (lh_queue_timedpop(r->results, &item, 0, &got) != LH_OK)
			break;
	}
	maybe_tick(r, 0);
}

/* ---- the walk ------------------------------------------------------------ */

/* Submits the most expensive job of the window (the first of equals). */
static void
submit_one(struct run *r)
{
	struct lh_sched_item it[LOOKAHEAD];
	size_t i, k;

	for (i = 0; i < r->nwin; i++) {
		it[i].cost = r->win[i]->cost;
		it[i].name = r->win[i]->path;
		it[i].job = r->win[i];
	}
	k = lh_sched_pick(it, r->nwin);
	/* never blocks: the pool's queue has room for every job out */
	(void)lh_pool_submit(r->pool, r->win[k]);
	memmove(r->win + k, r->win + k + 1, (r->nwin - k - 1) *
	    sizeof(*r->win));
	r->nwin--;
}

/*
 * Notes the host facts of the directories path lies in, below the operand
 * walked, that the last file did not share (core/evidence.h).
 */
static int
probe_dirs(struct run *r, const char *path)
{
	size_t i, op = strlen(r->operand), end;
	const char *slash = strrchr(path, '/');
	char *d;

	if (slash == NULL || strcmp(path, r->operand) == 0)
		return LH_OK;
	end = (size_t)(slash - path);
	for (i = op > 0 ? op - 1 : 0; i <= end; i++) {
		if (path[i] != '/' || (i <= r->dirlen && r->dir != NULL &&
		    memcmp(path, r->dir, i) == 0 &&
		    (i == r->dirlen || r->dir[i] == '/')))
			continue;
		if (lh_evidence_note_dir(r->tree, path, i) != LH_OK)
			return LH_FATAL;
	}
	if ((d = strndup(path, end)) == NULL)
		return LH_FATAL;
	free(r->dir);
	r->dir = d;
	r->dirlen = end;
	return LH_OK;
}

static struct lh_job *
make_job(struct run *r, const char *path)
{
	struct lh_job *j;

	if ((j = calloc(1, sizeof(*j))) == NULL)
		return NULL;
	if ((j->path = strdup(path)) == NULL) {
		free(j);
		return NULL;
	}
	lh_diag_init(&j->diag);
	j->named = r->operand != NULL && strcmp(path, r->operand) == 0;
	j->cost = lh_sched_cost(path, &j->size);
	j->seq = r->next_seq++;
	j->walk_mark = r->wdiag.n;
	r->ring[j->seq % RING] = j;
	return j;
}

static int
on_file(void *arg, const char *path)
{
	struct run *r = arg;
	struct lh_scan_progress *p = r->cfg->progress;
	struct lh_job *j;

	if (lh_scan_stopping(r->cfg))
		return LH_FAIL;		/* ends the walk */
	if (probe_dirs(r, path) != LH_OK ||
	    lh_evidence_note_file(r->tree, path) != LH_OK ||
	    (j = make_job(r, path)) == NULL)
		return LH_FATAL;
	if (p != NULL) {
		p->files_total++;
		p->bytes_total += j->size;
	}
	r->win[r->nwin++] = j;
	if (r->nwin == LOOKAHEAD)
		submit_one(r);
	if (r->next_seq - r->next_fin < RING)
		return LH_OK;
	/* full: drain to half, so that the walker wakes once per many jobs */
	while (r->nwin > 0)
		submit_one(r);
	while (r->next_seq - r->next_fin > RING / 2)
		drain(r, 1);
	return LH_OK;
}

/* Walks every operand, handing files out as they come.  See lh_walk(). */
static int
walk_all(struct run *r, char *const *paths, size_t npaths)
{
	size_t p;
	int rc = LH_OK, wrc, stdin_seen = 0;

	for (p = 0; p < npaths; p++) {
		/*
		 * Standard input gives its bytes once: named again, it would
		 * be read by two workers at once, each getting part of it.
		 */
		if (strcmp(paths[p], "-") == 0 && stdin_seen++)
			continue;
		r->operand = paths[p];
		wrc = lh_walk(paths[p], on_file, r, &r->wdiag);
		if (wrc == LH_FATAL)
			return LH_FATAL;
		if (lh_scan_stopping(r->cfg))
			break;
		if (wrc != LH_OK)
			rc = LH_FAIL;
	}
	return rc;
}

/*
 * Walks, submits and waits until every job is finished (in walk order)
 * and the pool joined.  LH_OK, LH_FAIL (the walk skipped something) or
 * LH_FATAL.
 */
static int
run_jobs(struct run *r, char *const *paths, size_t npaths)
{
	int rc = walk_all(r, paths, npaths);

	while (r->nwin > 0)
		submit_one(r);
	maybe_tick(r, 1);
	while (r->next_fin < r->next_seq)
		drain(r, 1);
	lh_pool_join(r->pool);
	report_walk(r, 0, 1);
	return rc;
}

/* ---- setting up, tearing down, the end ----------------------------------- */

static int
setup(const struct lh_scan_config *cfg, struct run *r)
{
	struct lh_worker_env env;
	int n = cfg->threads > 0 ? cfg->threads : 1;

	r->cfg = cfg;
	r->last_tick = now_ms();
	lh_diag_init(&r->wdiag);
	lh_scan_pf_make(cfg, &r->pf);
	if ((r->tree = lh_evidence_create()) == NULL ||
	    (r->results = lh_queue_create(RESULT_SLOTS)) == NULL ||
	    (r->wp = calloc((size_t)n, sizeof(*r->wp))) == NULL)
		return LH_FATAL;
	env.cfg = cfg;
	env.pf = &r->pf;
	env.tree = r->tree;
	env.results = r->results;
	env.stream = r->hits != NULL;
	if ((r->made = lh_workers_make(&env, &r->ws, r->wp, n)) == 0 ||
	    (r->pool = lh_pool_create(r->made, RING, lh_scan_work,
	    r->wp)) == NULL)
		return LH_FATAL;
	return LH_OK;
}

static void
teardown(struct run *r)
{
	lh_pool_free(r->pool);
	lh_queue_free(r->results);
	lh_workers_free(r->ws, r->made);
	lh_diag_free(&r->wdiag);
	lh_scan_pf_free(&r->pf);
	lh_evidence_free(r->tree);
	lh_hits_free(r->hits);
	lh_match_pool_free(r->fpool);
	free(r->dir);
	free(r->wp);
}

/* Feeds one sorted, folded feeding event (owned) to the stateful rules. */
static int
feed_one(void *arg, const struct lh_match *m)
{
	return lh_detect_pair_feed(arg, (struct lh_match *)(uintptr_t)m);
}

/*
 * Runs the stateful rules over the feeding events of the run, sorted and
 * folded by r->hits (core/detect.h), into r->tl; their problems are
 * reported.  LH_OK, LH_WARN or LH_FATAL.
 */
static int
stateful(struct run *r)
{
	struct lh_detect_pair *d;
	struct lh_hits_stats hs;
	struct lh_err err;
	int rc;

	if (!r->feeding)
		return LH_OK;
	lh_err_clear(&err);
	if ((d = lh_detect_pair_create(r->cfg->rules, r->cfg->threads, r->tl,
	    r->fpool, &r->st->detect, &err)) == NULL) {
		r->cfg->report(r->cfg->report_arg, LH_FATAL, "out of memory");
		return LH_FATAL;
	}
	rc = lh_hits_finish(r->hits, r->tree, feed_one, d, &err);
	if (rc == LH_OK)
		rc = lh_detect_pair_end(d);
	else if (err.status == LH_OK)
		lh_err_set(&err, LH_FATAL, ENOMEM, "out of memory");
	lh_detect_pair_free(d);
	lh_hits_stats(r->hits, &hs);
	r->st->spilled = hs.spilled;
	if (rc != LH_OK)
		r->cfg->report(r->cfg->report_arg, rc, err.msg);
	return rc;
}

struct counted {
	const struct lh_scan_config *cfg;
	uint64_t n;
};

static int
count_emit(void *arg, const struct lh_match *m)
{
	struct counted *c = arg;

	c->n++;
	return c->cfg->emit(c->cfg->emit_arg, m);
}

/* A streamed query's end: its hits, dated, sorted and folded, out. */
static int
stream_out(struct run *r)
{
	struct counted c = { r->cfg, 0 };
	struct lh_hits_stats hs;
	struct lh_err err;
	int rc;

	lh_err_clear(&err);
	rc = lh_hits_finish(r->hits, r->tree, count_emit, &c, &err);
	if (rc == LH_FATAL)
		r->cfg->report(r->cfg->report_arg, LH_FATAL, err.msg[0] ?
		    err.msg : "out of memory");
	lh_hits_stats(r->hits, &hs);
	r->st->folded = c.n;
	r->st->spilled = hs.spilled;
	return rc;
}

/* Sets up what the run merges into.  LH_OK or LH_FATAL. */
static int
targets(const struct lh_scan_config *cfg, struct run *r, int extra)
{
	struct lh_hits_opts ho;
	struct lh_err err;

	r->feeding = cfg->query == NULL && lh_detect_count(cfg->rules) > 0;
	if ((cfg->emit != NULL && cfg->query != NULL) || r->feeding) {
		ho.dir = cfg->tmpdir;
		ho.budget = cfg->hits_memory ? cfg->hits_memory : HITS_MEMORY;
		/* the stateful rules keep some; a printer thread all */
		ho.give = r->feeding || cfg->emit_owns;
		ho.raw_first = cfg->spill_raw;
		/*
		 * the stateful rules give the blocks of the events they no
		 * longer hold back to a pool of their own, an eighth of the
		 * budget of the sorted store
		 */
		if (r->feeding && (r->fpool = lh_match_pool_create(FPOOL_MAX,
		    ho.budget / 8)) == NULL)
			return LH_FATAL;
		ho.pool = r->feeding ? r->fpool : cfg->emit_pool;
		lh_err_clear(&err);
		if ((r->hits = lh_hits_create(&ho, &err)) == NULL)
			return LH_FATAL;
	}
	r->tl = lh_timeline_create();
	if (extra)
		r->xtl = lh_timeline_create();
	return r->tl == NULL || (extra && r->xtl == NULL) ? LH_FATAL : LH_OK;
}

/* After the jobs: stateful rules, dating, sorting; or the stream out. */
static int
conclude(struct run *r)
{
	int rc = LH_OK;

	if (lh_scan_stopping(r->cfg))
		return LH_OK;
	if (r->rc == LH_OK || r->rc == LH_FAIL)
		rc = stateful(r) == LH_FATAL ? LH_FATAL : LH_OK;
	if (r->hits != NULL && !r->feeding && r->rc != LH_FATAL && rc == LH_OK)
		rc = stream_out(r);
	if (lh_evidence_date(r->tree, r->tl) != LH_OK ||
	    (r->xtl != NULL && lh_evidence_date(r->tree, r->xtl) != LH_OK) ||
	    lh_timeline_finish(r->tl) != LH_OK ||
	    (r->xtl != NULL && lh_timeline_finish(r->xtl) != LH_OK))
		rc = LH_FATAL;
	return rc;
}

int
lh_scan_run(const struct lh_scan_config *cfg, char *const *paths,
    size_t npaths, struct lh_timeline **tlp, struct lh_scan_stats *st)
{
	return lh_scan_run_extra(cfg, paths, npaths, tlp, NULL, st);
}

int
lh_scan_run_extra(const struct lh_scan_config *cfg, char *const *paths,
    size_t npaths, struct lh_timeline **tlp, struct lh_timeline **xtlp,
    struct lh_scan_stats *st)
{
	struct run r;
	int rc, crc;

	memset(st, 0, sizeof(*st));
	memset(&r, 0, sizeof(r));
	r.st = st;
	*tlp = NULL;
	if (xtlp != NULL)
		*xtlp = NULL;
	if (targets(cfg, &r, xtlp != NULL) != LH_OK ||
	    setup(cfg, &r) != LH_OK) {
		teardown(&r);
		lh_timeline_free(r.tl);
		lh_timeline_free(r.xtl);
		return LH_FATAL;
	}
	rc = run_jobs(&r, paths, npaths);
	crc = conclude(&r);
	if (r.rc != LH_OK && rc != LH_FATAL)
		rc = r.rc;
	if (crc != LH_OK && rc != LH_FATAL)
		rc = crc;
	teardown(&r);
	*tlp = r.tl;
	if (xtlp != NULL)
		*xtlp = r.xtl;
	return rc;
}
