/*
 * scan.c: what a worker does with a file (scan.h; the caller's side, the
 * walk and the merger, is scan_run.c).
 *
 * DESIGN
 * A job is one file named by the walk.  A worker reads the file's leaves
 * (core/input.h), probes the formats, parses, filters and evaluates into
 * the job: its matches, problems and counters.  Its struct worker (event,
 * KQL scratch, render buffer) is its own.  In a streamed query the hits
 * go to the merger in bounded batches through the results queue while
 * the file is read (a worker blocks while that queue is full: STYLE
 * 3.6's back-pressure, both ways); every job ends with one last message,
 * the job's own batch, which gives the job back to the merger.  The only
 * other shared writes are the two atomic progress counters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/detect.h"
#include "core/eql.h"
#include "core/evidence.h"
#include "core/filter.h"
#include "core/input.h"
#include "core/kmsg.h"
#include "core/pool.h"
#include "core/scan_job.h"
#include "core/status.h"
#include "core/timemap.h"

#define BATCH_HITS 1024		/* hits per batch to the merger */
#define BATCH_BYTES (256 * 1024)	/* or about this much of them */
#define PROBE_BYTES (64 * 1024)
#define MIN_BID 10

static const char F_HOST_ID[] = "host.id";
static const char F_HOST_ID_FROM[] = "loghunt.host_id_from";


struct worker {
	const struct lh_scan_config *cfg;
	struct lh_queue *results;	/* batches to the merger */
	int stream;		/* hits go out in batches (cfg->emit) */
	struct lh_batch *batch;	/* hits not handed over yet, or NULL */
	struct lh_parse_opts popts;	/* cfg->popts plus the prefilter */
	const struct lh_scan_pf *pf;	/* the run's prefilters */
	struct lh_event ev;
	struct lh_kql_scratch *scratch;
	struct lh_detect_scratch *detect;	/* NULL: no stateful rule */
	struct lh_buf out;	/* rendered query hit */
	struct lh_job *job;	/* the job being read */
	struct lh_evidence *tree;	/* host facts of evidence roots */
	const struct lh_host_facts *facts;	/* of the leaf being read */
	int anchors;		/* the leaf may date boots (syslog) */
	int64_t year_lo, year_hi;	/* the span of year, cached */
	int year;
	int fatal;
};

static int
append(struct lh_match ***v, size_t *n, size_t *cap, struct lh_match *m)
{
	if (lh_grow(v, cap, *n + 1, sizeof(**v)) != LH_OK)
		return LH_FATAL;
	(*v)[(*n)++] = m;
	return LH_OK;
}

static int
keep(struct lh_job *j, struct lh_match *m)
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
	struct lh_job *j = w->job;
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
filtered(const struct lh_scan_config *cfg, const struct lh_event *ev)
{
	const struct lh_field *f = NULL;

	/* the host is looked up only when --host asks (per-event path) */
	if (cfg->hosts != NULL && cfg->hosts[0] != NULL &&
	    (f = lh_event_get(ev, LH_F_HOSTNAME)) == NULL)
		f = lh_event_get(ev, LH_F_HOSTNAME_ALT);
	return !lh_filter_keeps(cfg->since, cfg->until, cfg->hosts, ev->ts,
	    ev->ts_flags, f != NULL ? f->val : NULL, f != NULL ? f->len : 0);
}

/* Hands w's batch of hits to the merger (blocks while the queue is full). */
static int
hand_over(struct worker *w)
{
	struct lh_batch *b = w->batch;

	if (b == NULL || b->n == 0)
		return LH_OK;
	w->batch = NULL;
	if (lh_queue_push(w->results, b) != LH_OK)
		return LH_FATAL;	/* never: closed after the pool */
	return LH_OK;
}

/* The batch the next streamed hit goes to (NULL when out of memory). */
static struct lh_batch *
batch(struct worker *w)
{
	struct lh_batch *b = w->batch;

	if (b != NULL && (b->n >= BATCH_HITS || b->bytes >= BATCH_BYTES) &&
	    hand_over(w) != LH_OK)
		return NULL;
	if (w->batch == NULL) {
		if ((b = calloc(1, sizeof(*b))) == NULL)
			return NULL;
		b->job = w->job;
		w->batch = b;
	}
	return w->batch;
}

/* Keeps a hit m: in the job, or in the batch streamed to the merger. */
static int
keep_streamed(struct worker *w, struct lh_batch *b, struct lh_match *m,
    size_t bytes)
{
	if (!w->stream)
		return keep(w->job, m);
	if (append(&b->m, &b->n, &b->cap, m) != LH_OK) {
		lh_match_free(m);
		return LH_FATAL;
	}
	b->bytes += bytes;
	w->job->st.matches++;
	return LH_OK;
}

/* Keeps a query hit: rendered here, in the worker, when cfg->render is set. */
static int
keep_hit(struct worker *w, const char *path)
{
	const char *matched;
	struct lh_match view, *m;
	struct lh_arena **arena = &w->job->arena;
	struct lh_batch *b = NULL;
	struct lh_srcref src;
	size_t n;

	if (w->stream) {
		if ((b = batch(w)) == NULL)
			return LH_FATAL;
		arena = &b->arena;
	}
	matched = lh_kql_matched(w->scratch, &n);
	if (w->cfg->render == NULL) {
		m = lh_match_create(&w->ev, -1, matched, path);
		return m == NULL ? LH_FATAL : keep_streamed(w, b, m,
		    256 + 64 * w->ev.nfield);
	}
	lh_match_view(&view, &src, &w->ev, -1, matched, path);
	lh_buf_reset(&w->out);
	if (w->cfg->render(w->cfg->render_arg, &view, &w->out) != LH_OK)
		return LH_FATAL;
	/* a batch's arena lives briefly: heap chunks, recycled warm */
	if (*arena == NULL && (*arena = b != NULL ?
	    lh_arena_create_heap(BATCH_BYTES + BATCH_BYTES / 4) :
	    lh_arena_create()) == NULL)
		return LH_FATAL;
	m = lh_match_create_rendered(&view, w->out.p != NULL ? w->out.p : "",
	    w->out.len, *arena);
	return m == NULL ? LH_FATAL : keep_streamed(w, b, m,
	    w->out.len + view.message_len + strlen(path) + 128);
}

/*
 * Keeps a snapshot of w->ev when it can feed a stateful rule (see
 * core/detect.h): it goes to the merger in a batch, like a streamed
 * query's hits, and the merger runs those rules over the snapshots.
 */
static int
keep_feed(struct worker *w, const char *path)
{
	struct lh_batch *b;
	struct lh_match *m;
	int k;

	k = lh_detect_feeds(w->cfg->rules, &w->ev, w->detect, w->scratch);
	if (k <= 0)
		return k == 0 ? LH_OK : LH_FATAL;
	if ((b = batch(w)) == NULL || (b->arena == NULL && (b->arena =
	    lh_arena_create_heap(BATCH_BYTES + BATCH_BYTES / 4)) == NULL) ||
	    (m = lh_detect_snapshot(w->detect, &w->ev, path, &b->arena)) ==
	    NULL)
		return LH_FATAL;
	if (append(&b->m, &b->n, &b->cap, m) != LH_OK) {
		lh_match_free(m);
		return LH_FATAL;
	}
	b->bytes += 256 + 64 * m->nf;
	return LH_OK;
}

/*
 * Evaluates the rules (or the query) on w->ev and keeps what matched.
 * With stateful rules, the rules are evaluated on the view of w->ev that
 * holds only the fields they read (lh_detect_view: pointer lookups), and
 * a match copies w->ev itself.
 */
static int
evaluate(struct worker *w, const char *path)
{
	const struct lh_scan_config *cfg = w->cfg;
	const struct lh_event *ev = &w->ev;
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
	if (w->detect != NULL &&
	    (ev = lh_detect_view(w->detect, &w->ev)) == NULL)
		return LH_FATAL;
	for (i = 0; cfg->rules != NULL && i < lh_ruleset_count(cfg->rules);
	    i++) {
		const struct lh_rule *r = lh_ruleset_get(cfg->rules, i);

		if (r->kind == LH_RULE_QUERY) {
			if ((k = lh_kql_match(r->kql, ev, w->scratch)) ==
			    LH_FATAL)
				return LH_FATAL;
			if (k == 0)
				continue;
			m = lh_match_create(&w->ev, (int)i,
			    lh_kql_matched(w->scratch, &n), path);
		} else if (r->kind == LH_RULE_EQL && !lh_rule_stateful(r)) {
			if (!lh_eql_step_match(r->eql, 0, ev))
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

/*
 * The time map's part of a leaf (core/timemap.h): in the context pass, its
 * plan (*plan, owned, set on src's lines; 0: read nothing of it); in a
 * first pass that maps, a fresh map in src->timemap.  1 to read the leaf,
 * 0 to skip it, LH_FATAL when out of memory.
 */
static int
map_leaf(struct worker *w, struct lh_source *src, struct lh_range **plan)
{
	const struct lh_scan_config *cfg = w->cfg;
	size_t n;
	int r;

	*plan = NULL;
	src->timemap = NULL;
	if (cfg->timemap_in != NULL && w->popts.gate != NULL) {
		r = lh_timeindex_plan(cfg->timemap_in, src->path,
		    w->popts.gate, plan, &n);
		if (r < 0)
			return LH_FATAL;
		if (r == 1 && n == 0) {
			w->job->st.planned_out++;
			return 0;
		}
		if (r == 1)
			lh_lines_plan(src->lines, *plan, n);
	}
	if (cfg->timemap_out != NULL &&
	    (src->timemap = lh_timemap_create()) == NULL)
		return LH_FATAL;
	return 1;
}

/*
 * Puts a leaf's map into the index when it was read to its end, else
 * notes the leaf's path (read, not mapped: see lh_timeindex_note).
 */
static int
map_done(struct worker *w, struct lh_source *src, struct lh_range *plan,
    int rc)
{
	struct lh_timemap *tm = src->timemap;

	if (plan != NULL) {
		lh_lines_plan(src->lines, NULL, 0);
		free(plan);
	}
	src->timemap = NULL;
	if (tm == NULL)
		return rc;
	if (rc != LH_EOF) {
		lh_timemap_free(tm);
		return lh_timeindex_note(w->cfg->timemap_out, src->path) ==
		    LH_FATAL ? LH_FATAL : rc;
	}
	return lh_timeindex_put(w->cfg->timemap_out, src->path, tm) ==
	    LH_FATAL ? LH_FATAL : rc;
}

static int
parse_leaf(struct worker *w, struct lh_source *src, int fi)
{
	const struct lh_format *fmt = w->cfg->formats[fi];
	struct lh_job *j = w->job;
	struct lh_range *plan;
	struct lh_err err;
	void *state = NULL;
	int rc;

	lh_err_clear(&err);
	if ((rc = map_leaf(w, src, &plan)) != 1) {
		free(plan);
		if (rc == LH_FATAL)
			lh_diag_add(&j->diag, rc, "%s: out of memory",
			    src->path);
		return rc == 0 ? LH_OK : LH_FATAL;
	}
	if ((rc = fmt->open(&state, src, &w->popts, &err)) != LH_OK) {
		lh_diag_add(&j->diag, rc, "%s", err.msg);
		map_done(w, src, plan, rc);
		return rc == LH_FATAL ? LH_FATAL : LH_OK;
	}
	j->st.leaves_by_format[fi]++;
	for (;;) {
		if (lh_scan_stopping(w->cfg)) {
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
	j->st.gated += src->gated;
	if (map_done(w, src, plan, rc) == LH_FATAL && rc != LH_FATAL) {
		lh_diag_add(&j->diag, LH_FATAL, "%s: out of memory",
		    src->path);
		rc = LH_FATAL;
	}
	return rc == LH_FATAL ? LH_FATAL : LH_OK;
}

static int
on_leaf(void *arg, struct lh_source *src)
{
	struct worker *w = arg;
	int fi;

	if (lh_scan_stopping(w->cfg))
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

void
lh_scan_work(void *arg, void *item)
{
	struct worker *w = arg;
	struct lh_scan_progress *p = w->cfg->progress;
	struct lh_input_opts io = { w->cfg->limits, w->cfg->replay,
		w->cfg->gzckpt_out, w->cfg->gzckpt_in };
	struct lh_input_stats ist;
	int rc;

	w->job = item;
	if (!w->fatal && !lh_scan_stopping(w->cfg)) {
		memset(&ist, 0, sizeof(ist));
		rc = lh_input_read_opts(w->job->path, &io, on_leaf, w,
		    &w->job->diag, &ist);
		if (rc != LH_FATAL && hand_over(w) != LH_OK)
			rc = LH_FATAL;
		w->job->st.files += ist.files;
		w->job->st.leaves += ist.leaves;
		w->job->st.raw_bytes += ist.raw_bytes;
		w->job->st.gz_skipped += ist.gz_skipped;
		w->job->status = rc;
		if (rc == LH_FATAL)
			w->fatal = 1;
	}
	/* the only shared writes: two atomic counters */
	if (p != NULL) {
		atomic_fetch_add(&p->bytes_done, w->job->size);
		atomic_fetch_add(&p->files_done, 1);
	}
	/* a batch left by a failure goes with the job's last message */
	w->job->fin.job = w->job;
	w->job->fin.done = 1;
	if (w->batch != NULL) {
		w->job->fin.arena = w->batch->arena;
		w->job->fin.m = w->batch->m;
		w->job->fin.n = w->batch->n;
		free(w->batch);
		w->batch = NULL;
	}
	(void)lh_queue_push(w->results, &w->job->fin);
}

int
lh_workers_make(const struct lh_worker_env *env, void **ws, void **wp, int n)
{
	const struct lh_scan_config *cfg = env->cfg;
	struct worker *w = calloc((size_t)n, sizeof(*w));
	int i;

	if ((*ws = w) == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		w[i].results = env->results;
		w[i].stream = env->stream;
		w[i].tree = env->tree;
		w[i].pf = env->pf;
		w[i].cfg = cfg;
		w[i].popts = cfg->popts;
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

void
lh_workers_free(void *ws, int n)
{
	struct worker *w = ws;
	int i;

	for (i = 0; w != NULL && i < n; i++) {
		lh_event_free(&w[i].ev);
		lh_buf_free(&w[i].out);
		lh_kql_scratch_free(w[i].scratch);
		lh_detect_scratch_free(w[i].detect);
	}
	free(w);
}
