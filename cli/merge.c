/*
 * merge.c: loghunt merge and scan --context-for (see merge.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/merge.h"
#include "cli/merge_doc.h"
#include "cli/output.h"
#include "cli/runtime.h"
#include "cli/scan_config.h"
#include "cli/state.h"
#include "cli/triage.h"
#include "core/filter.h"
#include "core/gzckpt.h"
#include "core/kmsg.h"
#include "core/replay.h"
#include "core/scan.h"
#include "core/status.h"
#include "core/timemap.h"
#include "formats/formats.h"

#define CONTEXT_TEXT (120 * LH_US)	/* as scan's text default */
#define DAY (86400 * LH_US)

struct input {
	FILE *fp;
	const char *name;
	uint64_t lineno;
	int triage;		/* a --context-for output */
	int have;		/* doc holds the next document */
	struct lh_doc doc;
};

struct merger {
	const struct lh_config *cfg;
	const struct lh_ruleset *rs;
	struct input *in;
	size_t nin;
	int alerts;		/* alerts (else query events) */
	int64_t gran;		/* the window's granule, µs */
	struct lh_timeline *win;
	int win_set, win_untimed;
	char *win_host;
	int64_t win_ts;
	struct lh_timeline *ctx;	/* context events and crashes */
	int64_t ctx_us;		/* context of the triage inputs, or -1 */
	int64_t context;
	struct lh_state *state;
	FILE *out;		/* stdout, or the text spool */
	char *line;
	size_t cap;
	size_t nshow, nout;
	char *fired;
	int color, problems, rc, csv_head;
	struct lh_doc_opts dopts;
};

static void
problem(struct merger *mg, const struct input *in, const char *msg)
{
	mg->problems = 1;
	fprintf(stderr, "loghunt: merge: %s:%llu: %s\n", in->name,
	    (unsigned long long)in->lineno, msg);
}

/* The next document of in (LH_OK), LH_EOF, or LH_FATAL. */
static int
next_doc(struct merger *mg, struct input *in)
{
	struct lh_err err;
	ssize_t n;
	int rc;

	in->have = 0;
	while ((n = getline(&mg->line, &mg->cap, in->fp)) >= 0) {
		in->lineno++;
		while (n > 0 && (mg->line[n - 1] == '\n' ||
		    mg->line[n - 1] == '\r'))
			n--;
		if (n == 0)
			continue;
		rc = lh_doc_parse(mg->line, (size_t)n, &mg->dopts, &in->doc,
		    &err);
		if (rc == LH_FATAL)
			return LH_FATAL;
		if (rc == LH_FAIL && mg->cfg->rule_sel != NULL &&
		    strstr(mg->line, "\"kind\":\"alert\"") != NULL &&
		    strstr(err.msg, "rule") != NULL)
			continue;	/* a rule --rule left out */
		if (rc != LH_OK) {
			problem(mg, in, err.msg);
			continue;
		}
		if (in->doc.kind == LH_DOC_TRIAGE_HEAD) {
			in->triage = 1;
			if (mg->ctx_us < 0 || in->doc.context_us < mg->ctx_us)
				mg->ctx_us = in->doc.context_us;
			lh_doc_free(&in->doc);
			continue;
		}
		in->have = 1;
		return LH_OK;
	}
	if (ferror(in->fp)) {
		problem(mg, in, strerror(errno));
	}
	return LH_EOF;
}

/* --since, --until and --host on one record, as scan applies them. */
static int
kept(const struct lh_config *cfg, const struct lh_match *m)
{
	return lh_filter_keeps(cfg->since, cfg->until, cfg->hosts, m->ts,
	    m->ts_flags, m->host, m->host_len);
}

/* 1 when m is a kernel segfault line (cli/triage.c decodes it). */
static int
segfault(const struct lh_match *m)
{
	struct lh_segv sv;

	return m->message != NULL && lh_kmsg_segfault(m->message,
	    m->message_len, &sv) == LH_OK;
}

/*
 * Moves the records of doc into tl (those the filters keep); with
 * crash_only, only segfault records, as events (rule -1).
 */
static int
take(struct merger *mg, struct lh_doc *doc, struct lh_timeline *tl,
    int crash_only)
{
	size_t i;

	for (i = 0; i < doc->nrec; i++) {
		struct lh_match *m = doc->rec[i];

		if (!kept(mg->cfg, m) || (crash_only && !segfault(m)))
			continue;
		if (crash_only) {
			m->rule = -1;
			m->ident = lh_match_identity(m);
		}
		if (lh_timeline_add(tl, m) != LH_OK)
			return LH_FATAL;
		doc->rec[i] = NULL;
	}
	return LH_OK;
}

/*
 * The first pass: which inputs are triage outputs, whether there are
 * alerts, and one timeline of the events of the triage inputs and the
 * records of segfault alerts: the crash records of one run's first pass
 * (all of them when triage inputs are given, else those that alerted)
 * and the context events of its second pass.  A record in both is one
 * (the fold drops the same path and position read twice), and extra
 * events outside the alerts' windows are never picked as context.
 */
static int
first_pass(struct merger *mg)
{
	size_t i;
	int rc = LH_OK;

	for (i = 0; i < mg->nin && rc == LH_OK; i++) {
		struct input *in = &mg->in[i];

		while (rc == LH_OK && (rc = next_doc(mg, in)) == LH_OK) {
			if (in->doc.kind == LH_DOC_ALERT)
				mg->alerts = 1;
			if (in->triage)
				rc = take(mg, &in->doc, mg->ctx, 0);
			else if (in->doc.kind == LH_DOC_ALERT)
				rc = take(mg, &in->doc, mg->ctx, 1);
			else
				rc = LH_EOF;	/* query events: no more */
			lh_doc_free(&in->doc);
		}
		if (rc == LH_EOF)
			rc = LH_OK;
		if (rc == LH_OK && !in->triage && fseeko(in->fp, 0, SEEK_SET)
		    != 0)
			rc = LH_FATAL;
		in->lineno = 0;
	}
	if (rc == LH_OK)
		rc = lh_timeline_finish(mg->ctx);
	return rc;
}

/* ---- the window ---------------------------------------------------------- */

/* The granule that a precision p needs: 1 s, 1 min, 1 h or 1 d. */
static int64_t
granule(int64_t p)
{
	static const int64_t g[] = { LH_US, 60 * LH_US, 3600 * LH_US, DAY };
	size_t i;

	for (i = 0; i < 3; i++)
		if (p <= g[i] && g[i] % p == 0)
			return g[i];
	return DAY;
}

static int64_t
floor_div(int64_t t, int64_t g)
{
	int64_t q = t / g;

	return t < 0 && q * g != t ? q - 1 : q;
}

/* 1 when doc belongs to the open window (under the granule now). */
static int
same_window(const struct merger *mg, const struct lh_doc *doc)
{
	if (!mg->win_set)
		return 1;
	if (doc->untimed != mg->win_untimed)
		return 0;
	if (doc->untimed && ((doc->host == NULL) != (mg->win_host == NULL) ||
	    (doc->host != NULL && strcmp(doc->host, mg->win_host) != 0)))
		return 0;
	if (doc->ts == LH_TS_NONE || mg->win_ts == LH_TS_NONE)
		return doc->ts == mg->win_ts;
	return floor_div(doc->ts, mg->gran) == floor_div(mg->win_ts,
	    mg->gran);
}

/* The order of the inputs: timed first, (host when untimed), time. */
static int
cmp_doc(const struct lh_doc *a, const struct lh_doc *b)
{
	int c;

	if (a->untimed != b->untimed)
		return a->untimed - b->untimed;
	if (a->untimed && (a->host == NULL || b->host == NULL) &&
	    a->host != b->host)
		return a->host == NULL ? -1 : 1;
	if (a->untimed && a->host != NULL && (c = strcmp(a->host,
	    b->host)) != 0)
		return c;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	return 0;
}

/* Prints the alerts of the finished window. */
static int
print_alerts(struct merger *mg, struct lh_report *rep)
{
	size_t i, n = lh_timeline_count(mg->win);
	int rc = LH_OK;

	for (i = 0; i < n && rc == LH_OK; i++) {
		if (!lh_report_shows(rep, i))
			continue;
		if (mg->cfg->format == LH_OUT_CSV && !mg->csv_head) {
			mg->csv_head = 1;
			rc = lh_out_alerts_head(mg->out, mg->cfg, 0,
			    mg->context > 0);
		}
		mg->fired[lh_timeline_get(mg->win, i)->rule] = 1;
		if (rc == LH_OK)
			rc = lh_out_alert(mg->out, mg->cfg, mg->rs, rep, i,
			    mg->color);
		mg->nshow++;
	}
	return rc;
}

static int
flush_alerts(struct merger *mg)
{
	struct lh_report rep;
	size_t n = lh_timeline_count(mg->win);
	int rc = LH_OK;

	memset(&rep, 0, sizeof(rep));
	rep.tl = mg->win;
	rep.nshow = n;
	rep.context = mg->context;
	if (mg->state != NULL && ((rep.show = calloc(n + 1, 1)) == NULL ||
	    lh_state_update(mg->state, mg->win, mg->rs, rep.show,
	    &rep.nshow) != LH_OK))
		rc = LH_FATAL;
	if (rc == LH_OK && lh_triage_loops(&rep, mg->ctx) != LH_OK)
		rc = LH_FATAL;
	if (rc == LH_OK && mg->context > 0 && lh_triage_context(&rep,
	    lh_timeline_count(mg->ctx) > 0 ? mg->ctx : NULL) != LH_OK)
		rc = LH_FATAL;
	if (rc == LH_OK)
		rc = print_alerts(mg, &rep);
	lh_report_free(&rep);
	return rc;
}

/* Folds, sorts and prints the window, then opens an empty one. */
static int
flush(struct merger *mg)
{
	int rc;

	if (!mg->win_set)
		return LH_OK;
	rc = lh_timeline_finish(mg->win);
	if (rc == LH_OK && mg->alerts)
		rc = flush_alerts(mg);
	else if (rc == LH_OK) {
		rc = lh_out_hits(mg->out, mg->cfg, mg->win, !mg->csv_head);
		mg->csv_head = 1;
		mg->nout += lh_timeline_count(mg->win);
	}
	lh_timeline_free(mg->win);
	free(mg->win_host);
	mg->win_host = NULL;
	mg->win_set = 0;
	if ((mg->win = lh_timeline_create()) == NULL)
		return LH_FATAL;
	return rc;
}

/* The input whose document comes next, or NULL when all are done. */
static struct input *
least(struct merger *mg)
{
	struct input *best = NULL;
	size_t i;

	for (i = 0; i < mg->nin; i++) {
		struct input *in = &mg->in[i];

		if (in->have && (best == NULL || cmp_doc(&in->doc,
		    &best->doc) < 0))
			best = in;
	}
	return best;
}

/* The second pass: the k-way merge of the alert or event inputs. */
static int
merge_pass(struct merger *mg)
{
	struct input *in;
	size_t i;
	int rc = LH_OK;

	for (i = 0; i < mg->nin; i++) {
		if (!mg->in[i].triage && (rc = next_doc(mg, &mg->in[i])) ==
		    LH_FATAL)
			return rc;
	}
	rc = LH_OK;
	while (rc == LH_OK && (in = least(mg)) != NULL) {
		struct lh_doc *d = &in->doc;

		if (granule(d->max_prec) > mg->gran)
			mg->gran = granule(d->max_prec);
		if (!same_window(mg, d))
			rc = flush(mg);
		if (rc == LH_OK && !mg->win_set) {
			mg->win_set = 1;
			mg->win_untimed = d->untimed;
			mg->win_ts = d->ts;
			if (d->host != NULL &&
			    (mg->win_host = strdup(d->host)) == NULL)
				rc = LH_FATAL;
		}
		if (rc == LH_OK)
			rc = take(mg, d, mg->win, 0);
		lh_doc_free(d);
		if (rc == LH_OK && (rc = next_doc(mg, in)) == LH_EOF)
			rc = LH_OK;
	}
	if (rc == LH_OK)
		rc = flush(mg);
	return rc;
}

/* ---- the command --------------------------------------------------------- */

/* Copies the spooled text to stdout. */
static int
copy_spool(FILE *spool)
{
	char buf[65536];
	size_t n;

	rewind(spool);
	while ((n = fread(buf, 1, sizeof(buf), spool)) > 0) {
		if (fwrite(buf, 1, n, stdout) != n)
			return LH_FAIL;
	}
	return ferror(spool) ? LH_FAIL : LH_OK;
}

/* Text: the count, the spooled alerts, the crash loops and the guides. */
static int
finish_text(struct merger *mg)
{
	struct lh_report rep;
	struct lh_timeline *none = lh_timeline_create();
	int rc;

	if (none == NULL)
		return LH_FATAL;
	if (mg->cfg->state != NULL && mg->nshow == 0) {
		lh_timeline_free(none);
		return LH_OK;	/* cron: nothing new, nothing to mail */
	}
	memset(&rep, 0, sizeof(rep));
	rep.tl = none;
	rc = lh_triage_loops(&rep, mg->ctx);
	if (rc == LH_OK)
		rc = lh_out_alerts_head(stdout, mg->cfg, mg->nshow, 0);
	if (rc == LH_OK)
		rc = copy_spool(mg->out);
	if (rc == LH_OK)
		rc = lh_out_alerts_tail(stdout, mg->cfg, mg->rs, &rep,
		    mg->fired, mg->color);
	lh_report_free(&rep);
	lh_timeline_free(none);
	return rc;
}

static int
finish(struct merger *mg)
{
	if (mg->alerts && mg->cfg->format == LH_OUT_TEXT)
		return finish_text(mg);
	if (mg->cfg->format != LH_OUT_CSV || mg->csv_head)
		return LH_OK;
	if (!mg->alerts) {
		struct lh_timeline *none = lh_timeline_create();
		int rc;

		if (none == NULL)
			return LH_FATAL;
		rc = lh_out_hits(stdout, mg->cfg, none, 1);
		lh_timeline_free(none);
		return rc;
	}
	return mg->cfg->state != NULL ? LH_OK : lh_out_alerts_head(stdout,
	    mg->cfg, 0, 0);
}

static int
open_inputs(struct merger *mg)
{
	int i, stdin_used = 0;

	mg->nin = (size_t)mg->cfg->nargs;
	if ((mg->in = calloc(mg->nin + 1, sizeof(*mg->in))) == NULL)
		return LH_FATAL;
	for (i = 0; i < mg->cfg->nargs; i++) {
		const char *a = mg->cfg->args[i];
		struct input *in = &mg->in[i];

		in->name = a;
		if (strcmp(a, "-") == 0 && !stdin_used) {
			/* read twice: spooled to a temporary file */
			char buf[65536];
			size_t n;

			stdin_used = 1;
			in->name = "(stdin)";
			if ((in->fp = tmpfile()) == NULL)
				return LH_FAIL;
			while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
				if (fwrite(buf, 1, n, in->fp) != n)
					return LH_FAIL;
			rewind(in->fp);
		} else if ((in->fp = fopen(a, "r")) == NULL) {
			fprintf(stderr, "loghunt: merge: %s: %s\n", a,
			    strerror(errno));
			return LH_FAIL;
		}
	}
	return LH_OK;
}

static void
close_all(struct merger *mg)
{
	size_t i;

	for (i = 0; mg->in != NULL && i < mg->nin; i++) {
		lh_doc_free(&mg->in[i].doc);
		if (mg->in[i].fp != NULL)
			fclose(mg->in[i].fp);
	}
	free(mg->in);
	if (mg->out != NULL && mg->out != stdout)
		fclose(mg->out);
	lh_timeline_free(mg->win);
	lh_timeline_free(mg->ctx);
	free(mg->win_host);
	free(mg->fired);
	free(mg->line);
}

/* The context width: --context, the triage inputs', or none. */
static void
context_width(struct merger *mg)
{
	const struct lh_config *cfg = mg->cfg;

	if (cfg->context >= 0)
		mg->context = cfg->context;
	else if (cfg->format == LH_OUT_TEXT && mg->ctx_us >= 0)
		mg->context = mg->ctx_us;
	else
		mg->context = 0;
	if (cfg->format == LH_OUT_TEXT && cfg->context < 0 && mg->ctx_us < 0 &&
	    mg->alerts && !cfg->quiet)
		fprintf(stderr, "loghunt: merge: no scan --context-for output "
		    "given: the text timeline comes without context\n");
	if (mg->ctx_us >= 0 && mg->context > mg->ctx_us && !cfg->quiet)
		fprintf(stderr, "loghunt: merge: --context is wider than the "
		    "scan --context-for runs used: context may be missing\n");
}

static int
setup(struct merger *mg, const struct lh_config *cfg,
    const struct lh_ruleset *rs)
{
	struct lh_err err;

	memset(mg, 0, sizeof(*mg));
	mg->cfg = cfg;
	mg->rs = rs;
	mg->ctx_us = -1;
	mg->gran = LH_US;
	mg->color = lh_opts_color(cfg);
	mg->dopts.rs = rs;
	mg->dopts.keep_body = cfg->format == LH_OUT_JSON && cfg->fields ==
	    NULL;
	mg->out = stdout;
	if ((mg->win = lh_timeline_create()) == NULL ||
	    (mg->ctx = lh_timeline_create()) == NULL ||
	    (mg->fired = calloc(lh_ruleset_count(rs) + 1, 1)) == NULL)
		return LH_FATAL;
	if (cfg->state != NULL && lh_state_load(cfg->state, &mg->state,
	    &err) != LH_OK) {
		fprintf(stderr, "loghunt: --state: %s\n", err.msg);
		return LH_FAIL;
	}
	return open_inputs(mg);
}

static int
run(struct merger *mg)
{
	int rc;

	if ((rc = first_pass(mg)) != LH_OK)
		return rc;
	context_width(mg);
	if (mg->alerts && mg->cfg->format == LH_OUT_TEXT &&
	    (mg->out = tmpfile()) == NULL)
		return LH_FAIL;
	if ((rc = merge_pass(mg)) != LH_OK)
		return rc;
	return finish(mg);
}

int
lh_merge_cmd(const struct lh_config *cfg, const struct lh_ruleset *rs)
{
	struct merger mg;
	struct lh_err err;
	int rc, ok;

	if (cfg->nargs < 1) {
		fprintf(stderr, "loghunt: merge wants the JSON outputs of "
		    "scans or queries (- for standard input)\n"
		    "Try 'loghunt --help'.\n");
		return 2;
	}
	rc = setup(&mg, cfg, rs);
	if (rc == LH_OK)
		rc = run(&mg);
	errno = 0;
	ok = rc == LH_OK && fflush(stdout) == 0 && !ferror(stdout);
	if (rc == LH_FATAL)
		fprintf(stderr, "loghunt: merge: out of memory\n");
	else if (!ok && rc == LH_OK && errno != EPIPE)
		fprintf(stderr, "loghunt: merge: output: %s\n",
		    strerror(errno != 0 ? errno : EIO));
	if (ok && mg.state != NULL && lh_state_save(mg.state, cfg->state,
	    &err) != LH_OK) {
		fprintf(stderr, "loghunt: --state: cannot write: %s\n",
		    err.msg);
		ok = 0;
	}
	lh_state_free(mg.state);
	close_all(&mg);
	if (!ok || mg.problems)
		return 2;
	return (mg.alerts ? mg.nshow : mg.nout) > 0 ? 0 : 1;
}

/* ---- scan --context-for -------------------------------------------------- */

/* A segfault line outside every window (the first pass keeps them). */
static int
ctx_select_crash(void *arg, const struct lh_event *ev)
{
	return lh_triage_segfault(NULL, ev) && !lh_windows_select(arg, ev);
}

static void
ctx_report(void *arg, int status, const char *msg)
{
	int *problems = arg;

	if (status <= LH_FAIL) {
		*problems = 1;
		fprintf(stderr, "loghunt: error: %s\n", msg);
	}
}

/* The alerts of cfg->context_for, folded as merge folds them. */
static int
load_alerts(struct merger *mg, const char *path)
{
	struct input *in;
	int rc;

	if ((mg->in = calloc(1, sizeof(*mg->in))) == NULL)
		return LH_FATAL;
	mg->nin = 1;
	in = &mg->in[0];
	in->name = path;
	if ((in->fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "loghunt: --context-for: %s: %s\n", path,
		    strerror(errno));
		return LH_FAIL;
	}
	while ((rc = next_doc(mg, in)) == LH_OK) {
		rc = take(mg, &in->doc, mg->win, 0);
		lh_doc_free(&in->doc);
		if (rc != LH_OK)
			return rc;
	}
	return rc == LH_EOF ? lh_timeline_finish(mg->win) : rc;
}

/*
 * One pass of ctx_scan over the paths with sc (filled here but for what
 * the caller sets after setup), its selected events into *ev.
 */
static int
ctx_pass(const struct lh_config *cfg, struct lh_scan_config *sc,
    struct lh_timeline **ev)
{
	struct lh_timeline *none = NULL;
	struct lh_scan_stats st;
	int rc;

	rc = lh_scan_run_extra(sc, cfg->args, (size_t)cfg->nargs, &none, ev,
	    &st);
	lh_runtime_exit_if_stopped();
	lh_timeline_free(none);	/* no rules: no matches */
	return rc;
}

/*
 * The triage events of a part, as the text timeline's two passes find
 * them (cli/main.c): the segfault lines outside the windows from a pass
 * that parses only records holding "segfault" and maps where the times
 * lie (core/timemap.h), then the events of the windows from a pass gated
 * by them, which reads only the chunks near a window (core/gate.h).  No
 * event is in both (an event is in a window of its host or not), so the
 * two timelines together, sorted, are what one pass selecting both would
 * give.  Pipes and standard input are copied for the second pass, and so
 * are the decoded bytes of xz and bzip2 files; gzip files resume at the
 * first pass's checkpoints (core/gzckpt.h), within the budgets of the text
 * timeline's context pass.
 */
static int
ctx_scan(struct merger *mg, struct lh_windows *ws, int *problems)
{
	const struct lh_config *cfg = mg->cfg;
	struct lh_scan_config sc;
	struct lh_timeline *crash = NULL, *ev = NULL;
	struct lh_timeindex *ix = NULL;
	struct lh_gzckpt_index *gz = NULL;
	struct lh_replay *rp = NULL;
	struct lh_config out = *cfg;
	int rc = LH_OK, rc2;

	lh_scan_config_of(cfg, &sc);
	if ((!sc.no_prefilter && ((ix = lh_timeindex_create()) == NULL ||
	    (gz = lh_gzckpt_index_create(lh_scan_gzckpt_budget(cfg))) ==
	    NULL)) || (rp = lh_replay_create(sc.tmpdir)) == NULL)
		rc = LH_FATAL;
	if (rp != NULL)
		lh_replay_set_budget(rp, lh_scan_copies_budget(cfg));
	sc.report = ctx_report;
	sc.report_arg = problems;
	sc.select = ctx_select_crash;
	sc.select_arg = ws;
	sc.select_words = lh_triage_segfault_words;
	sc.timemap_out = ix;
	sc.gzckpt_out = gz;
	sc.replay = rp;
	if (rc == LH_OK)
		rc = ctx_pass(cfg, &sc, &crash);
	if (ix != NULL)
		lh_timeindex_seal(ix);
	if (gz != NULL)
		lh_gzckpt_seal(gz, ix);
	if (rp != NULL)
		lh_replay_seal(rp);
	lh_scan_config_of(cfg, &sc);
	sc.report = ctx_report;
	sc.report_arg = problems;
	lh_windows_pass(&sc, ws, ix, rp);
	sc.gzckpt_in = gz;
	if (rc != LH_FATAL && (rc2 = ctx_pass(cfg, &sc, &ev)) != LH_OK &&
	    rc != LH_FATAL)
		rc = rc2;
	if (ev != NULL && crash != NULL && (lh_timeline_move(ev, crash) !=
	    LH_OK || lh_timeline_sort(ev) != LH_OK))
		rc = LH_FATAL;
	out.format = LH_OUT_JSON;
	out.fields = NULL;
	printf("{\"loghunt\":{\"triage\":{\"context_us\":%lld}}}\n",
	    (long long)mg->context);
	if (ev != NULL && lh_out_hits(stdout, &out, ev, 0) != LH_OK)
		rc = LH_FATAL;
	lh_timeline_free(crash);
	lh_timeline_free(ev);
	lh_timeindex_free(ix);
	lh_gzckpt_index_free(gz);
	lh_replay_free(rp);
	return rc;
}

int
lh_merge_context_for(const struct lh_config *cfg, const struct lh_ruleset *rs)
{
	struct merger mg;
	struct lh_report rep;
	struct lh_windows *ws = NULL;
	size_t nw;
	int rc, problems = 0;

	memset(&mg, 0, sizeof(mg));
	memset(&rep, 0, sizeof(rep));
	mg.cfg = cfg;
	mg.rs = rs;
	mg.dopts.rs = rs;
	mg.context = cfg->context >= 0 ? cfg->context : CONTEXT_TEXT;
	if ((mg.win = lh_timeline_create()) == NULL)
		rc = LH_FATAL;
	else
		rc = load_alerts(&mg, cfg->context_for);
	rep.tl = mg.win;
	rep.context = mg.context;
	rep.nshow = lh_timeline_count(mg.win);
	if (rc == LH_OK && (ws = lh_windows_create(&rep, &nw)) == NULL)
		rc = LH_FATAL;
	if (rc == LH_OK && cfg->nargs == 0) {
		fprintf(stderr, "loghunt: no path given\n");
		rc = LH_FAIL;
	}
	if (rc == LH_OK)
		rc = ctx_scan(&mg, ws, &problems);
	if (rc == LH_FATAL)
		fprintf(stderr, "loghunt: out of memory\n");
	lh_windows_free(ws);
	close_all(&mg);
	if (rc != LH_OK || problems || mg.problems || fflush(stdout) != 0)
		return 2;
	return 0;
}
