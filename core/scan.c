/*
 * scan.c: one run: what a worker does with a file, and the wiring of the
 * walk, the pool and the merger (scan.h).
 *
 * DESIGN
 * A job is one file named by the walk.  The caller's thread walks every
 * path first (core/walk.h), estimates each file's cost from stat() alone
 * (core/sched.h) and submits the jobs, most expensive first, to a pool of
 * workers (core/pool.h).  A worker reads the file's leaves (core/input.h),
 * probes the formats, parses, filters and evaluates into the job: its
 * matches, problems and counters.  Its struct worker (event, KQL scratch,
 * render buffer) is its own.  The only shared writes are the two atomic
 * progress counters.  After the pool is joined, the caller's thread merges
 * the jobs in walk order into the timeline (core/timeline.h).
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/detect.h"
#include "core/eql.h"
#include "core/evidence.h"
#include "core/input.h"
#include "core/kmsg.h"
#include "core/pool.h"
#include "core/scan_int.h"
#include "core/sched.h"
#include "core/status.h"
#include "core/walk.h"

#define QUEUE_SLOTS 64
#define PROBE_BYTES (64 * 1024)
#define MIN_BID 10

static const char F_HOST_ID[] = "host.id";
static const char F_HOST_ID_FROM[] = "loghunt.host_id_from";

struct job {
	char *path;
	struct lh_arena *arena;	/* the job's rendered hits, or NULL */
	uint64_t cost;		/* estimated work, for scheduling */
	uint64_t size;		/* bytes on disk, for progress */
	struct lh_diag diag;
	struct lh_match **m;	/* matches */
	size_t nm, capm;
	struct lh_match **x;	/* events kept by cfg->select */
	size_t nx, capx;
	struct lh_match **f;	/* events that feed stateful rules */
	size_t nf, capf;
	struct lh_scan_stats st;
	int status;
	int named;		/* named on the command line, not walked to */
	struct lh_boots *boots;	/* kernel records with both clocks */
};

struct worker {
	const struct lh_scan_config *cfg;
	struct lh_parse_opts popts;	/* cfg->popts plus the prefilter */
	const struct lh_scan_pf *pf;	/* the run's prefilters */
	struct lh_event ev;
	struct lh_kql_scratch *scratch;
	struct lh_detect_scratch *detect;	/* NULL: no stateful rule */
	struct lh_buf out;	/* rendered query hit */
	struct job *job;	/* the job being read */
	struct lh_evidence *tree;	/* host facts of evidence roots */
	const struct lh_host_facts *facts;	/* of the leaf being read */
	int anchors;		/* the leaf may date boots (syslog) */
	int64_t year_lo, year_hi;	/* the span of year, cached */
	int year;
	int fatal;
};

/* cfg->stop is set: one relaxed load, cheap enough per record. */
static int
stopping(const struct lh_scan_config *cfg)
{
	return cfg->stop != NULL &&
	    atomic_load_explicit(cfg->stop, memory_order_relaxed) != 0;
}

static int
append(struct lh_match ***v, size_t *n, size_t *cap, struct lh_match *m)
{
	if (lh_grow(v, cap, *n + 1, sizeof(**v)) != LH_OK)
		return LH_FATAL;
	(*v)[(*n)++] = m;
	return LH_OK;
}

static int
keep(struct job *j, struct lh_match *m)
{
	if (append(&j->m, &j->nm, &j->capm, m) != LH_OK) {
		lh_match_free(m);
		return LH_FATAL;
	}
	j->st.matches++;
	return LH_OK;
}

/* Keeps a copy of w->ev when cfg->select wants it. */
static int
select_event(struct worker *w, const char *path)
{
	struct job *j = w->job;
	struct lh_match *m;

	if (!w->cfg->select(w->cfg->select_arg, &w->ev))
		return LH_OK;
	if ((m = lh_match_create(&w->ev, -1, "", path)) == NULL)
		return LH_FATAL;
	if (append(&j->x, &j->nx, &j->capx, m) != LH_OK) {
		lh_match_free(m);
		return LH_FATAL;
	}
	j->st.selected++;
	return LH_OK;
}

static void
count_year(struct worker *w, int64_t ts)
{
	struct lh_scan_stats *st = &w->job->st;
	int64_t y, days;
	int m, d;
	size_t i;

	if (ts < w->year_lo || ts >= w->year_hi) {
		days = ts >= 0 ? ts / (86400 * LH_US) :
		    -((-ts + 86400 * LH_US - 1) / (86400 * LH_US));
		lh_civil_from_days(days, &y, &m, &d);
		w->year = (int)y;
		w->year_lo = lh_days_from_civil(y, 1, 1) * 86400 * LH_US;
		w->year_hi = lh_days_from_civil(y + 1, 1, 1) * 86400 * LH_US;
	}
	for (i = 0; i < st->nyears; i++) {
		if (st->years[i] == w->year) {
			st->year_events[i]++;
			return;
		}
	}
	if (st->nyears < LH_MAX_YEARS) {
		st->years[st->nyears] = w->year;
		st->year_events[st->nyears++] = 1;
	}
}

static int
host_ok(const struct lh_scan_config *cfg, const struct lh_event *ev)
{
	const struct lh_field *f;
	char host[256];
	size_t i, n;

	if (cfg->hosts == NULL || cfg->hosts[0] == NULL)
		return 1;
	if ((f = lh_event_get(ev, LH_F_HOSTNAME)) == NULL &&
	    (f = lh_event_get(ev, LH_F_HOSTNAME_ALT)) == NULL)
		return 0;
	n = f->len < sizeof(host) - 1 ? f->len : sizeof(host) - 1;
	memcpy(host, f->val, n);
	host[n] = '\0';
	for (i = 0; cfg->hosts[i] != NULL; i++) {
		if (fnmatch(cfg->hosts[i], host, 0) == 0)
			return 1;
	}
	return 0;
}

static int
filtered(const struct lh_scan_config *cfg, const struct lh_event *ev)
{
	int timed = ev->ts != LH_TS_NONE && !(ev->ts_flags & LH_TS_BOOT);

	if (cfg->since != LH_TS_NONE && (!timed || ev->ts < cfg->since))
		return 1;
	if (cfg->until != LH_TS_NONE && (!timed || ev->ts > cfg->until))
		return 1;
	return !host_ok(cfg, ev);
}

/* Keeps a query hit: rendered here, in the worker, when cfg->render is set. */
static int
keep_hit(struct worker *w, const char *path)
{
	const char *matched;
	struct lh_match view, *m;
	struct lh_srcref src;
	size_t n;

	matched = lh_kql_matched(w->scratch, &n);
	if (w->cfg->render == NULL) {
		m = lh_match_create(&w->ev, -1, matched, path);
		return m == NULL ? LH_FATAL : keep(w->job, m);
	}
	lh_match_view(&view, &src, &w->ev, -1, matched, path);
	lh_buf_reset(&w->out);
	if (w->cfg->render(w->cfg->render_arg, &view, &w->out) != LH_OK)
		return LH_FATAL;
	if (w->job->arena == NULL &&
	    (w->job->arena = lh_arena_create()) == NULL)
		return LH_FATAL;
	m = lh_match_create_rendered(&view, w->out.p != NULL ? w->out.p : "",
	    w->out.len, w->job->arena);
	return m == NULL ? LH_FATAL : keep(w->job, m);
}

/*
 * Keeps a snapshot of w->ev when it can feed a stateful rule (see
 * core/detect.h): the merger runs those rules over the snapshots.
 */
static int
keep_feed(struct worker *w, const char *path)
{
	struct job *j = w->job;
	struct lh_match *m;
	int k;

	k = lh_detect_feeds(w->cfg->rules, &w->ev, w->detect, w->scratch);
	if (k <= 0)
		return k == 0 ? LH_OK : LH_FATAL;
	if ((m = lh_detect_snapshot(w->detect, &w->ev, path)) == NULL)
		return LH_FATAL;
	if (append(&j->f, &j->nf, &j->capf, m) != LH_OK) {
		lh_match_free(m);
		return LH_FATAL;
	}
	return LH_OK;
}

/* Evaluates the rules (or the query) on w->ev and keeps what matched. */
static int
evaluate(struct worker *w, const char *path)
{
	const struct lh_scan_config *cfg = w->cfg;
	struct lh_match *m;
	size_t i, n;
	int k;

	if (cfg->select != NULL && select_event(w, path) != LH_OK)
		return LH_FATAL;
	lh_kql_scratch_reset(w->scratch);
	if (cfg->query != NULL) {
		if ((k = lh_kql_match(cfg->query, &w->ev, w->scratch)) <= 0)
			return k == LH_FATAL ? LH_FATAL : LH_OK;
		return keep_hit(w, path);
	}
	for (i = 0; cfg->rules != NULL && i < lh_ruleset_count(cfg->rules);
	    i++) {
		const struct lh_rule *r = lh_ruleset_get(cfg->rules, i);

		if (r->kind == LH_RULE_QUERY) {
			if ((k = lh_kql_match(r->kql, &w->ev, w->scratch)) ==
			    LH_FATAL)
				return LH_FATAL;
			if (k == 0)
				continue;
			m = lh_match_create(&w->ev, (int)i,
			    lh_kql_matched(w->scratch, &n), path);
		} else if (r->kind == LH_RULE_EQL && !lh_rule_stateful(r)) {
			if (!lh_eql_step_match(r->eql, 0, &w->ev))
				continue;
			m = lh_match_create(&w->ev, (int)i, "", path);
		} else {
			continue;
		}
		if (m == NULL || keep(w->job, m) != LH_OK)
			return LH_FATAL;
	}
	return w->detect != NULL ? keep_feed(w, path) : LH_OK;
}

static int
looks_binary(const char *p, size_t n)
{
	size_t i, lim = n < 4096 ? n : 4096;

	for (i = 0; i < lim; i++) {
		if (p[i] == '\0')
			return 1;
	}
	return 0;
}

/* The index of the format that bids highest on src, or -1. */
static int
choose(struct worker *w, struct lh_source *src)
{
	const struct lh_format *const *f = w->cfg->formats;
	struct lh_err err;
	const char *p;
	size_t n;
	int i, best = -1, bid, top = MIN_BID - 1;

	/*
	 * Damage met while reading the bytes to probe: the stream counts as
	 * damaged, not as unknown (the input layer reports the damage, with
	 * its offset, once the stream is given up).
	 */
	if (lh_lines_peek(src->lines, PROBE_BYTES, &p, &n, &err) != LH_OK) {
		w->job->st.damaged++;
		return -2;
	}
	if (n == 0)
		return -2;	/* empty: nothing to read, nothing to say */
	for (i = 0; f[i] != NULL && i < LH_MAX_FORMATS; i++) {
		bid = f[i]->probe(p, n);
		if (bid > top) {
			top = bid;
			best = i;
		}
	}
	if (best < 0 && lh_lines_untold(src->lines, &err) != LH_OK) {
		w->job->st.damaged++;
		return -2;
	}
	if (best < 0) {
		if (looks_binary(p, n))
			w->job->st.binary++;
		else
			w->job->st.unknown++;
		lh_diag_add(&w->job->diag, LH_OK, "%s: %s, skipped", src->path,
		    looks_binary(p, n) ? "binary data of no known format" :
		    "text of no known log format");
	}
	return best;
}

/*
 * host.id, which the EQL sequences join on (SPEC section 12): the
 * record's own (the journal's _MACHINE_ID, an ECS document's host.id),
 * else the etc/machine-id of the evidence root the file lies below, else
 * the host name; loghunt.host_id_from says which of the last two.  A
 * record with none of them keeps no host.id: EQL never joins on a null
 * key.
 */
static int
host_id(struct worker *w, struct lh_event *ev, const struct lh_field *host)
{
	const char *from;

	if (lh_event_get(ev, F_HOST_ID) != NULL)
		return LH_OK;
	if (w->facts != NULL && w->facts->machine_id != NULL) {
		from = "machine-id";
		if (lh_event_adds(ev, F_HOST_ID, w->facts->machine_id) !=
		    LH_OK)
			return LH_FATAL;
	} else if (host != NULL) {
		from = "host.hostname";
		if (lh_event_add(ev, F_HOST_ID, host->val, host->len) !=
		    LH_OK)
			return LH_FATAL;
	} else {
		return LH_OK;
	}
	return lh_event_adds(ev, F_HOST_ID_FROM, from);
}

/*
 * What the evidence tree adds to an event (core/evidence.h): the host of
 * its root when the record names none, and the boot a kernel record with
 * both clocks dates.  LH_OK or LH_FATAL.
 */
static int
enrich(struct worker *w, struct lh_event *ev)
{
	const struct lh_field *host, *msg, *proc;
	int64_t us, prec;

	if (w->facts == NULL && w->detect == NULL && !w->anchors)
		return LH_OK;	/* the common case: nothing to add */
	host = lh_event_get(ev, LH_F_HOSTNAME);
	if (host == NULL && w->facts != NULL && w->facts->hostname != NULL &&
	    lh_event_get(ev, LH_F_HOSTNAME_ALT) == NULL) {
		if (lh_event_adds(ev, LH_F_HOSTNAME, w->facts->hostname) !=
		    LH_OK)
			return LH_FATAL;
		host = lh_event_get(ev, LH_F_HOSTNAME);
	}
	if (w->detect != NULL && host_id(w, ev, host) != LH_OK)
		return LH_FATAL;
	if (!w->anchors || host == NULL || ev->ts == LH_TS_NONE ||
	    (ev->ts_flags & LH_TS_BOOT) ||
	    (proc = lh_event_get(ev, LH_F_PROC_NAME)) == NULL ||
	    proc->len != 6 || memcmp(proc->val, "kernel", 6) != 0 ||
	    (msg = lh_event_get(ev, LH_F_MESSAGE)) == NULL ||
	    lh_kmsg_stamp(msg->val, msg->len, &us, &prec) == 0)
		return LH_OK;
	if (w->job->boots == NULL && (w->job->boots = lh_boots_create()) ==
	    NULL)
		return LH_FATAL;
	return lh_boots_add(w->job->boots, host->val, host->len, ev->ts - us,
	    ev->ts_prec > prec ? ev->ts_prec : prec);
}

static int
parse_leaf(struct worker *w, struct lh_source *src, int fi)
{
	const struct lh_format *fmt = w->cfg->formats[fi];
	struct job *j = w->job;
	struct lh_err err;
	void *state = NULL;
	int rc;

	lh_err_clear(&err);
	if ((rc = fmt->open(&state, src, &w->popts, &err)) != LH_OK) {
		lh_diag_add(&j->diag, rc, "%s", err.msg);
		return rc == LH_FATAL ? LH_FATAL : LH_OK;
	}
	j->st.leaves_by_format[fi]++;
	for (;;) {
		if (stopping(w->cfg)) {
			rc = LH_FATAL;	/* ends the input: see on_leaf */
			break;
		}
		lh_err_clear(&err);
		rc = fmt->next(state, &w->ev, &err);
		if (rc == LH_OK) {
			if (enrich(w, &w->ev) != LH_OK) {
				rc = LH_FATAL;
				break;
			}
			j->st.events++;
			j->st.events_by_format[fi]++;
			if (w->ev.ts_flags & LH_TS_YEAR)
				count_year(w, w->ev.ts);
			if (filtered(w->cfg, &w->ev)) {
				j->st.filtered++;
				continue;
			}
			if ((rc = evaluate(w, src->path)) != LH_OK)
				break;
		} else if (rc == LH_WARN) {
			j->st.skipped++;
			lh_diag_add(&j->diag, LH_WARN, "%s", err.msg);
		} else {
			if (rc == LH_FATAL && err.msg[0] == '\0')
				lh_err_set(&err, rc, 0, "%s: out of memory",
				    src->path);
			if (rc == LH_FAIL || rc == LH_FATAL) {
				j->st.damaged++;
				lh_diag_add(&j->diag, rc, "%s", err.msg);
			}
			break;
		}
	}
	fmt->close(state);
	j->st.prefiltered += src->prefiltered;
	return rc == LH_FATAL ? LH_FATAL : LH_OK;
}

static int
on_leaf(void *arg, struct lh_source *src)
{
	struct worker *w = arg;
	int fi;

	if (stopping(w->cfg))
		return LH_FATAL;	/* stop reading this file's leaves */
	if ((fi = choose(w, src)) < 0)
		return LH_OK;
	w->facts = lh_evidence_lookup(w->tree, src->path);
	/* kernel lines with both clocks are syslog lines */
	w->anchors = strcmp(w->cfg->formats[fi]->name, "syslog") == 0;
	w->popts.prefilter = lh_scan_pf_leaf(w->pf, w->cfg->formats[fi], src,
	    &w->cfg->popts);
	return parse_leaf(w, src, fi);
}

/* The pool's function: reads the file of job j (a struct job). */
static void
work(void *arg, void *item)
{
	struct worker *w = arg;
	struct lh_scan_progress *p = w->cfg->progress;
	struct lh_input_stats ist;
	int rc;

	w->job = item;
	if (!w->fatal && !stopping(w->cfg)) {
		memset(&ist, 0, sizeof(ist));
		rc = lh_input_read(w->job->path, on_leaf, w, &w->job->diag,
		    &ist);
		w->job->st.files += ist.files;
		w->job->st.leaves += ist.leaves;
		w->job->st.raw_bytes += ist.raw_bytes;
		w->job->status = rc;
		if (rc == LH_FATAL)
			w->fatal = 1;
	}
	/* the only shared writes: two atomic counters */
	if (p != NULL) {
		atomic_fetch_add(&p->bytes_done, w->job->size);
		atomic_fetch_add(&p->files_done, 1);
	}
}

/* ---- the caller's side: walking, then merging --------------------------- */

struct walker {
	struct lh_pool *pool;
	struct job **jobs;	/* in walk order */
	size_t n, cap;
	struct lh_diag diag;	/* problems met while walking */
	const char *operand;	/* the command-line path being walked */
	struct lh_evidence *tree;	/* facts of the roots walked */
};

static int
on_file(void *arg, const char *path)
{
	struct walker *wk = arg;
	struct job *j;

	if (lh_grow(&wk->jobs, &wk->cap, wk->n + 1, sizeof(*wk->jobs)) !=
	    LH_OK)
		return LH_FATAL;
	if ((j = calloc(1, sizeof(*j))) == NULL ||
	    (j->path = strdup(path)) == NULL) {
		free(j);
		return LH_FATAL;
	}
	if (lh_evidence_note_file(wk->tree, path) != LH_OK) {
		free(j->path);
		free(j);
		return LH_FATAL;
	}
	lh_diag_init(&j->diag);
	j->named = wk->operand != NULL && strcmp(path, wk->operand) == 0;
	j->cost = lh_sched_cost(path, &j->size);
	wk->jobs[wk->n++] = j;
	return LH_OK;
}

/*
 * The jobs in the order to submit them (core/sched.h): an owned array
 * (free with free(3)), or NULL when out of memory.  wk->jobs keeps the
 * walk order, which is the order problems are reported in.
 */
static struct lh_sched_item *
job_order(const struct walker *wk)
{
	struct lh_sched_item *it = calloc(wk->n + 1, sizeof(*it));
	size_t i;

	if (it == NULL)
		return NULL;
	for (i = 0; i < wk->n; i++) {
		it[i].cost = wk->jobs[i]->cost;
		it[i].name = wk->jobs[i]->path;
		it[i].job = wk->jobs[i];
	}
	lh_sched_order(it, wk->n);
	return it;
}

/* Hands every job to the pool, blocking while its queue is full. */
static int
submit(struct walker *wk)
{
	struct lh_sched_item *order;
	size_t i;
	int rc = LH_OK;

	if ((order = job_order(wk)) == NULL)
		return LH_FATAL;
	for (i = 0; i < wk->n && rc == LH_OK; i++)
		if (lh_pool_submit(wk->pool, order[i].job) != LH_OK)
			rc = LH_FATAL;
	free(order);
	return rc;
}

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
 * Reports the problems of job j.  A file named on the command line that
 * yielded no event says why (SPEC section 15): its notes (unknown format,
 * binary data) become warnings, and with no note the counters tell.  An
 * empty file stays silent: there was nothing in it to misread (rotation
 * leaves many, and a shell glob names them all).
 */
static void
report_job(const struct lh_scan_config *cfg, const struct job *j)
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

/*
 * Folds the finished jobs into tl, xtl (events kept by cfg->select) and
 * ftl (events that feed stateful rules), in job order.  Frees the jobs.
 */
static int
merge(const struct lh_scan_config *cfg, struct walker *wk,
    struct lh_timeline *tl, struct lh_timeline *xtl,
    struct lh_timeline *ftl, struct lh_scan_stats *st)
{
	int rc = LH_OK, stop = stopping(cfg);
	size_t i;

	for (i = 0; i < wk->n; i++) {
		struct job *j = wk->jobs[i];

		if (!stop)
			report_job(cfg, j);
		if (j->diag.worst <= LH_FAIL || j->status == LH_FAIL)
			rc = rc == LH_FATAL ? rc : LH_FAIL;
		if (j->status == LH_FATAL)
			rc = LH_FATAL;
		add_stats(st, &j->st);
		if (lh_evidence_add_boots(wk->tree, j->boots) != LH_OK)
			rc = LH_FATAL;
		lh_boots_free(j->boots);
		/* the arena first: its matches must not outlive it */
		if (j->arena != NULL && (stop ||
		    lh_timeline_adopt(tl, j->arena) != LH_OK)) {
			rc = stop ? rc : LH_FATAL;
			move_all(NULL, j->m, j->nm);
			move_all(NULL, j->x, j->nx);
			move_all(NULL, j->f, j->nf);
			lh_arena_free(j->arena);
		} else if (move_all(stop ? NULL : tl, j->m, j->nm) != LH_OK ||
		    move_all(stop ? NULL : xtl, j->x, j->nx) != LH_OK ||
		    move_all(stop ? NULL : ftl, j->f, j->nf) != LH_OK) {
			rc = LH_FATAL;
		}
		lh_diag_free(&j->diag);
		free(j->path);
		free(j);
	}
	free(wk->jobs);
	return rc;
}

/*
 * Makes the state of up to n workers; returns how many were made (0 when
 * out of memory).
 */
static int
init_workers(const struct lh_scan_config *cfg,
    const struct lh_scan_pf *pf, struct lh_evidence *tree,
    struct worker *w, void **wp, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		w[i].cfg = cfg;
		w[i].tree = tree;
		w[i].popts = cfg->popts;
		w[i].pf = pf;
		w[i].popts.lazy_auth = lh_scan_lazy_auth(cfg);
		lh_event_init(&w[i].ev);
		if ((w[i].scratch = lh_kql_scratch_create()) == NULL)
			break;
		if (cfg->query == NULL && lh_detect_count(cfg->rules) > 0 &&
		    (w[i].detect = lh_detect_scratch_create(cfg->rules)) ==
		    NULL) {
			lh_kql_scratch_free(w[i].scratch);
			break;
		}
		wp[i] = &w[i];
	}
	return i;
}

static void
free_workers(struct worker *w, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		lh_event_free(&w[i].ev);
		lh_buf_free(&w[i].out);
		lh_kql_scratch_free(w[i].scratch);
		lh_detect_scratch_free(w[i].detect);
	}
}

/* Sleeps ms milliseconds (the caller's thread, while polling). */
static void
nap(long ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	nanosleep(&ts, NULL);
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Calls cfg->tick when a quarter of a second has passed since *last. */
static void
maybe_tick(const struct lh_scan_config *cfg, int64_t *last)
{
	int64_t t = now_ms();

	if (t - *last >= 250) {
		*last = t;
		cfg->tick(cfg->tick_arg, cfg->progress);
	}
}

/*
 * submit() for a run with a progress display: the caller's thread must
 * not block in a full queue, so it submits with trysubmit and polls, then
 * waits for the workers by watching the counter of files done.
 */
static int
submit_ticking(const struct lh_scan_config *cfg, struct walker *wk)
{
	struct lh_scan_progress *p = cfg->progress;
	struct lh_sched_item *order;
	int64_t last = now_ms();
	size_t i;
	int rc = LH_OK, queued;

	p->files_total = wk->n;
	p->bytes_total = 0;
	for (i = 0; i < wk->n; i++)
		p->bytes_total += wk->jobs[i]->size;
	cfg->tick(cfg->tick_arg, p);
	if (wk->n == 0)
		return LH_OK;
	if ((order = job_order(wk)) == NULL)
		return LH_FATAL;
	for (i = 0; i < wk->n && rc == LH_OK; i++) {
		while ((rc = lh_pool_trysubmit(wk->pool, order[i].job,
		    &queued)) == LH_OK && !queued) {
			nap(10);
			maybe_tick(cfg, &last);
		}
		rc = rc == LH_OK ? LH_OK : LH_FATAL;
	}
	free(order);
	while (rc == LH_OK && atomic_load(&p->files_done) < wk->n) {
		nap(10);
		maybe_tick(cfg, &last);
	}
	return rc;
}

static int
walk_all(struct walker *wk, char *const *paths, size_t npaths)
{
	size_t p;
	int rc = LH_OK, wrc;

	for (p = 0; p < npaths; p++) {
		wk->operand = paths[p];
		wrc = lh_walk(paths[p], on_file, wk, &wk->diag);
		if (wrc == LH_FATAL)
			return LH_FATAL;
		if (wrc != LH_OK)
			rc = LH_FAIL;
	}
	return rc;
}

int
lh_scan_run(const struct lh_scan_config *cfg, char *const *paths,
    size_t npaths, struct lh_timeline **tlp, struct lh_scan_stats *st)
{
	return lh_scan_run_extra(cfg, paths, npaths, tlp, NULL, st);
}

/*
 * Walks, submits and waits: after it the pool is joined and wk->jobs holds
 * every job, done.  LH_OK, LH_FAIL (the walk skipped something) or
 * LH_FATAL.
 */
static int
run_jobs(const struct lh_scan_config *cfg, struct walker *wk,
    char *const *paths, size_t npaths)
{
	int rc = walk_all(wk, paths, npaths);

	if (rc != LH_FATAL && (cfg->tick != NULL && cfg->progress != NULL ?
	    submit_ticking(cfg, wk) : submit(wk)) != LH_OK)
		rc = LH_FATAL;
	lh_pool_join(wk->pool);
	return rc;
}

/* What a run sets up before it walks, and tears down after. */
struct run {
	struct walker wk;
	struct worker *w;
	void **wp;		/* &w[i], for the pool */
	struct lh_scan_pf pf;
	int made;		/* workers whose state was made */
};

/* Makes the workers and starts the pool.  LH_OK or LH_FATAL. */
static int
setup(const struct lh_scan_config *cfg, struct run *r)
{
	int n = cfg->threads > 0 ? cfg->threads : 1;

	if ((r->w = calloc((size_t)n, sizeof(*r->w))) == NULL ||
	    (r->wp = calloc((size_t)n, sizeof(*r->wp))) == NULL)
		return LH_FATAL;
	lh_scan_pf_make(cfg, &r->pf);
	if ((r->wk.tree = lh_evidence_create()) == NULL)
		return LH_FATAL;
	if ((r->made = init_workers(cfg, &r->pf, r->wk.tree, r->w, r->wp,
	    n)) == 0 ||
	    (r->wk.pool = lh_pool_create(r->made, QUEUE_SLOTS, work,
	    r->wp)) == NULL)
		return LH_FATAL;
	return LH_OK;
}

static void
teardown(struct run *r)
{
	lh_pool_free(r->wk.pool);
	free_workers(r->w, r->made);
	lh_diag_free(&r->wk.diag);
	lh_scan_pf_free(&r->pf);
	lh_evidence_free(r->wk.tree);
	free(r->wp);
	free(r->w);
}

/*
 * Runs the stateful rules over the feeding events of ftl (core/detect.h)
 * into tl; their problems are reported.  LH_OK, LH_WARN or LH_FATAL.
 */
static int
stateful(const struct lh_scan_config *cfg, struct lh_timeline *ftl,
    struct lh_timeline *tl, struct lh_scan_stats *st)
{
	struct lh_err err;
	int rc;

	if (cfg->query != NULL || lh_detect_count(cfg->rules) == 0)
		return LH_OK;
	if (lh_timeline_finish(ftl) != LH_OK)
		return LH_FATAL;
	lh_err_clear(&err);
	rc = lh_detect_run(cfg->rules, ftl, tl, &st->detect, &err);
	if (rc != LH_OK)
		cfg->report(cfg->report_arg, rc, err.msg);
	return rc;
}

int
lh_scan_run_extra(const struct lh_scan_config *cfg, char *const *paths,
    size_t npaths, struct lh_timeline **tlp, struct lh_timeline **xtlp,
    struct lh_scan_stats *st)
{
	struct run r;
	struct lh_timeline *tl, *xtl = NULL, *ftl;
	int rc, wrc;

	memset(st, 0, sizeof(*st));
	memset(&r, 0, sizeof(r));
	lh_diag_init(&r.wk.diag);
	*tlp = NULL;
	if (xtlp != NULL)
		*xtlp = NULL;
	tl = lh_timeline_create();
	if (xtlp != NULL)
		xtl = lh_timeline_create();
	if (tl == NULL || (xtlp != NULL && xtl == NULL) ||
	    setup(cfg, &r) != LH_OK) {
		teardown(&r);
		lh_timeline_free(tl);
		lh_timeline_free(xtl);
		return LH_FATAL;
	}
	rc = run_jobs(cfg, &r.wk, paths, npaths);
	if (!stopping(cfg))
		report_diag(cfg, &r.wk.diag, 0);
	ftl = lh_timeline_create();
	wrc = ftl == NULL ? LH_FATAL : merge(cfg, &r.wk, tl, xtl, ftl, st);
	if ((wrc == LH_OK || wrc == LH_FAIL) && !stopping(cfg))
		wrc = stateful(cfg, ftl, tl, st) == LH_FATAL ? LH_FATAL : wrc;
	lh_timeline_free(ftl);
	if (wrc != LH_OK && rc != LH_FATAL)
		rc = wrc;
	if (lh_evidence_date(r.wk.tree, tl) != LH_OK ||
	    (xtl != NULL && lh_evidence_date(r.wk.tree, xtl) != LH_OK) ||
	    lh_timeline_finish(tl) != LH_OK ||
	    (xtl != NULL && lh_timeline_finish(xtl) != LH_OK))
		rc = LH_FATAL;
	teardown(&r);
	*tlp = tl;
	if (xtlp != NULL)
		*xtlp = xtl;
	return rc;
}
