/*
 * main.c: loghunt's entry point: commands, rules loading, exit status.
 *
 * Exit status (SPEC §8): 0 at least one alert (or query hit), 1 none, 2 an
 * error - bad usage, or some input could not be read completely (what could
 * be read is still reported).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/escape.h"
#include "cli/merge.h"
#include "cli/opts.h"
#include "cli/outpipe.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "cli/runtime.h"
#include "cli/scan_config.h"
#include "cli/state.h"
#include "cli/triage.h"
#include "core/analyzer.h"
#include "core/gzckpt.h"
#include "core/replay.h"
#include "core/rules.h"
#include "core/scan.h"
#include "core/status.h"
#include "core/timemap.h"
#include "formats/formats.h"

extern const char lh_builtin_rules[];

/* The default --context of text output. */
#define CONTEXT_TEXT (120 * LH_US)

struct reporter {
	int quiet;
	int problems;
	struct lh_progress *pr;	/* erased before a message, or NULL */
	int fatal;		/* an LH_FATAL problem was said */
};

/*
 * Prints "loghunt: PREFIX: MSG" on stderr with MSG escaped: messages carry
 * file and member names and text from the evidence, which must not reach
 * the terminal raw (cli/escape.h).
 */
static void
say(const char *prefix, const char *msg)
{
	struct lh_buf b = { 0 };

	lh_esc_text(&b, msg, strlen(msg));
	fprintf(stderr, "loghunt: %s%s\n", prefix, b.p != NULL ? b.p : "");
	lh_buf_free(&b);
}

static void
report(void *arg, int status, const char *msg)
{
	struct reporter *r = arg;

	if (status <= LH_FAIL)
		r->problems = 1;
	if (status == LH_FATAL)
		r->fatal = 1;
	if (status == LH_OK || (r->quiet && status > LH_FAIL))
		return;
	if (r->pr != NULL)
		lh_progress_clear(r->pr);
	say(status <= LH_FAIL ? "error: " : "warning: ", msg);
}

/* Says that the run ran out of memory (LH_FATAL) unless rep said it. */
static void
say_fatal(int rc, const struct reporter *rep)
{
	if (rc == LH_FATAL && !rep->fatal)
		say("", "out of memory");
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *p = NULL, *q;
	size_t cap = 0, n = 0, k;

	if (fp == NULL)
		return NULL;
	for (;;) {
		if (n + 65536 + 1 > cap) {
			cap = cap ? cap * 2 : 131072;
			if (cap > 64 * 1024 * 1024 || (q = realloc(p, cap)) ==
			    NULL) {
				free(p);
				fclose(fp);
				errno = EFBIG;
				return NULL;
			}
			p = q;
		}
		if ((k = fread(p + n, 1, 65536, fp)) == 0)
			break;
		n += k;
	}
	fclose(fp);
	p[n] = '\0';
	*len = n;
	return p;
}

/*
 * Applies --rule: keeps only the rules named ("all": every rule but the
 * building blocks); a scan without --rule keeps the enabled rules that
 * are not building blocks.  Kibana installs its prebuilt rules disabled
 * and hides building blocks; the two seed rules ship enabled, the rest of
 * the Linux ruleset disabled (see the man page, RULES).  LH_OK or LH_FAIL
 * (said).
 */
static int
select_rules(const struct lh_config *cfg, struct lh_ruleset *rs)
{
	struct lh_err err;
	size_t i;
	int *keep, k, rc = LH_OK;

	if (cfg->rule_sel == NULL && cfg->cmd != LH_CMD_SCAN)
		return LH_OK;
	if ((keep = calloc(lh_ruleset_count(rs) + 1, sizeof(int))) == NULL) {
		say("--rule: ", "out of memory");
		return LH_FAIL;
	}
	/* a scan runs building blocks only when named, as Kibana hides them */
	for (i = 0; cfg->rule_sel == NULL && i < lh_ruleset_count(rs); i++)
		keep[i] = !lh_ruleset_get(rs, i)->building_block &&
		    lh_ruleset_get(rs, i)->enabled;
	for (i = 0; cfg->rule_sel != NULL && cfg->rule_sel[i] != NULL &&
	    rc == LH_OK; i++) {
		if (strcmp(cfg->rule_sel[i], "all") == 0) {
			for (k = 0; k < (int)lh_ruleset_count(rs); k++)
				keep[k] |= !lh_ruleset_get(rs,
				    (size_t)k)->building_block;
		} else if ((k = lh_ruleset_find(rs, cfg->rule_sel[i], &err)) <
		    0) {
			say("--rule: ", err.msg);
			rc = LH_FAIL;
		} else {
			keep[k] = 1;
		}
	}
	if (rc == LH_OK)
		lh_ruleset_keep(rs, keep);
	free(keep);
	return rc;
}

/*
 * Loads the built-in rules, then --rules files, then applies --rule.
 * Refused rules are reported and the others kept; NULL (exit 2) when the
 * built-in rules cannot be loaded, out of memory, or on a bad --rule.
 */
static struct lh_ruleset *
load_rules(const struct lh_config *cfg, struct reporter *rep)
{
	struct lh_ruleset *rs = lh_ruleset_create();
	struct lh_diag d;
	size_t i, n;
	int rc;

	lh_diag_init(&d);
	if (rs == NULL) {
		say("", "rules: out of memory");
		return NULL;
	}
	rc = lh_ruleset_load(rs, lh_builtin_rules, strlen(lh_builtin_rules),
	    "built-in rules", 1, &d);
	for (i = 0; rc != LH_FATAL && cfg->rule_files &&
	    cfg->rule_files[i]; i++) {
		char *text = slurp(cfg->rule_files[i], &n);

		if (text == NULL) {
			lh_diag_add(&d, LH_FAIL, "%s: %s", cfg->rule_files[i],
			    strerror(errno));
			continue;
		}
		rc = lh_ruleset_load(rs, text, n, cfg->rule_files[i], 0, &d);
		free(text);
	}
	lh_diag_each(&d, report, rep);
	lh_diag_free(&d);
	if (rc == LH_FATAL || select_rules(cfg, rs) != LH_OK) {
		lh_ruleset_free(rs);
		return NULL;
	}
	return rs;
}

static void
scan_config(const struct lh_config *cfg, struct lh_scan_config *sc,
    struct reporter *rep)
{
	lh_scan_config_of(cfg, sc);
	sc->report = report;
	sc->report_arg = rep;
}

/*
 * One pass over the paths with sc, with a progress line named label when
 * one is wanted.  See lh_scan_run_extra().
 */
static int
pass(const struct lh_config *cfg, struct lh_scan_config *sc,
    struct reporter *rep, const char *label, char **paths, int npaths,
    struct lh_timeline **tl, struct lh_timeline **xtl,
    struct lh_scan_stats *st)
{
	struct lh_scan_progress p;
	struct lh_progress pr;
	int rc;

	if (lh_progress_wanted(cfg)) {
		atomic_init(&p.files_done, 0);
		atomic_init(&p.bytes_done, 0);
		p.files_total = p.bytes_total = 0;
		lh_progress_start(&pr, stderr, label);
		sc->progress = &p;
		sc->tick = lh_progress_tick;
		sc->tick_arg = &pr;
		rep->pr = &pr;
	}
	rc = lh_scan_run_extra(sc, paths, (size_t)npaths, tl, xtl, st);
	if (rep->pr != NULL)
		lh_progress_clear(rep->pr);
	rep->pr = NULL;
	lh_runtime_exit_if_stopped();	/* SIGINT: no output, no --state */
	sc->progress = NULL;
	sc->tick = NULL;
	return rc;
}

static void
quiet_report(void *arg, int status, const char *msg)
{
	(void)arg;
	(void)status;
	(void)msg;
}

/*
 * The second pass: every record of the same paths (no prefilter), keeping
 * the events of alert hosts inside the alerts' windows, attached to the
 * alerts.  Its problems were reported by the first pass already.
 */
static int
context_pass(const struct lh_config *cfg, struct lh_report *report,
    char **paths, int npaths, const struct lh_timeindex *ix,
    const struct lh_gzckpt_index *gz, struct lh_replay *rp,
    struct lh_scan_stats *st)
{
	struct reporter rep = { 1, 0, NULL, 0 };
	struct lh_scan_config sc;
	struct lh_timeline *ctl = NULL, *none = NULL;
	struct lh_windows *ws;
	size_t nw;
	int rc;

	if ((ws = lh_windows_create(report, &nw)) == NULL)
		return LH_FATAL;
	if (nw == 0) {
		lh_windows_free(ws);
		return lh_triage_context(report, NULL);
	}
	scan_config(cfg, &sc, &rep);	/* sc.no_prefilter: the environment */
	sc.report = quiet_report;
	lh_windows_pass(&sc, ws, ix, rp);
	sc.gzckpt_in = gz;
	rc = pass(cfg, &sc, &rep, "context", paths, npaths, &none, &ctl, st);
	lh_timeline_free(none);	/* no rules, no query: no matches */
	if (ctl != NULL && lh_triage_context(report, ctl) != LH_OK)
		rc = LH_FATAL;
	lh_windows_free(ws);
	/* the context events are borrowed by report: kept until exit */
	report->ctx_tl = ctl;
	return rc == LH_FATAL ? LH_FATAL : LH_OK;
}

/*
 * Ends the output on stdout after a printer returned rc: 1 when it is
 * complete, or when the reader went away (EPIPE, as in `loghunt ... |
 * head -1`: SIGPIPE is ignored, cli/runtime.c), which ends quietly as if
 * the output had completed; else 0 after "loghunt: stdout: REASON".
 */
static int
write_done(int rc)
{
	int e = errno;

	if (rc == LH_FATAL) {
		say("", "output: out of memory");
		return 0;
	}
	if (rc == LH_OK) {
		errno = 0;
		if (fflush(stdout) == 0 && !ferror(stdout))
			return 1;
		e = errno;
	}
	if (e == EPIPE)
		return 1;
	fprintf(stderr, "loghunt: stdout: %s\n", strerror(e != 0 ? e : EIO));
	return 0;
}

/* --state: which alerts are new; NULL state means every alert. */
static int
apply_state(struct lh_state *state, struct lh_report *report,
    const struct lh_ruleset *rs)
{
	size_t n = lh_timeline_count(report->tl);

	report->nshow = n;
	if (state == NULL)
		return LH_OK;
	if ((report->show = calloc(n + 1, 1)) == NULL ||
	    lh_state_update(state, report->tl, rs, report->show,
	    &report->nshow) != LH_OK)
		return LH_FATAL;
	return LH_OK;
}

static struct lh_state *
load_state(const struct lh_config *cfg, int *bad)
{
	struct lh_state *state;
	struct lh_err err;

	*bad = 0;
	if (cfg->state == NULL)
		return NULL;
	if (lh_state_load(cfg->state, &state, &err) != LH_OK) {
		say("--state: ", err.status == LH_FATAL ||
		    err.errnum == ENOMEM ? "out of memory" : err.msg);
		*bad = 1;
	}
	return state;
}

static int
save_state(const struct lh_config *cfg, struct lh_state *state)
{
	struct lh_err err;

	lh_runtime_exit_if_stopped();
	if (state == NULL || lh_state_save(state, cfg->state, &err) == LH_OK)
		return 1;
	say("--state: cannot write: ", err.status == LH_FATAL ||
	    err.errnum == ENOMEM ? "out of memory" : err.msg);
	return 0;
}

/* The context window of cfg's output (µs; 0: none). */
static int64_t
context_of(const struct lh_config *cfg)
{
	return cfg->context >= 0 ? cfg->context :
	    cfg->format == LH_OUT_TEXT ? CONTEXT_TEXT : 0;
}

/*
 * The triage around the alerts: crash loops, then the context pass (with
 * the first pass's time maps ix and gzip checkpoints gz, or NULL, and its
 * copies of the inputs that cannot be read twice, rp, or NULL).
 */
static int
triage(const struct lh_config *cfg, struct lh_report *report,
    const struct lh_timeline *crashes, char **paths, int npaths,
    const struct lh_timeindex *ix, const struct lh_gzckpt_index *gz,
    struct lh_replay *rp)
{
	struct lh_scan_stats st;
	struct lh_replay_totals rt;
	int rc = LH_OK;
	double t0 = lh_progress_now();

	if (crashes != NULL && lh_triage_loops(report, crashes) != LH_OK)
		return LH_FATAL;
	report->context = context_of(cfg);
	if (report->context > 0 && report->nshow > 0) {
		rc = context_pass(cfg, report, paths, npaths, ix, gz, rp, &st);
		memset(&rt, 0, sizeof(rt));
		if (rp != NULL)
			lh_replay_totals(rp, &rt);
		if (cfg->stats)
			fprintf(stderr, "loghunt: context pass: %llu sources "
			    "not read, %llu events parsed, %llu skipped by "
			    "time, %llu kept, %.1f MB of gzip content not "
			    "inflated (%.1f MB of checkpoints), %.1f MB read "
			    "from copies of decoded files (%llu copies, %.1f "
			    "MB; %llu over budget), %.3f s\n",
			    (unsigned long long)st.planned_out,
			    (unsigned long long)st.events,
			    (unsigned long long)st.gated,
			    (unsigned long long)st.selected,
			    (double)st.gz_skipped / 1e6,
			    gz != NULL ? (double)lh_gzckpt_bytes(gz) / 1e6 :
			    0.0, (double)rt.read / 1e6,
			    (unsigned long long)rt.copies,
			    (double)rt.bytes / 1e6,
			    (unsigned long long)rt.over,
			    lh_progress_now() - t0);
	}
	return rc;
}

static int
run_detect(const struct lh_config *cfg, struct lh_ruleset *rs, char **paths,
    int npaths)
{
	struct reporter rep = { cfg->quiet, 0, NULL, 0 };
	struct lh_report report;
	struct lh_scan_config sc;
	struct lh_scan_stats st;
	struct lh_timeline *tl = NULL, *crashes = NULL;
	struct lh_timeindex *ix = NULL;
	struct lh_gzckpt_index *gz = NULL;
	struct lh_replay *rp = NULL;
	struct lh_state *state;
	double t0 = lh_progress_now();
	int rc, bad, ok = 0;

	memset(&report, 0, sizeof(report));
	if ((state = load_state(cfg, &bad)) == NULL && bad)
		return 2;
	scan_config(cfg, &sc, &rep);
	sc.rules = rs;
	sc.select = lh_triage_segfault;
	sc.select_words = lh_triage_segfault_words;
	/* a context pass will follow: learn where the times lie */
	if ((context_of(cfg) > 0 && !sc.no_prefilter &&
	    ((ix = lh_timeindex_create()) == NULL ||
	    (gz = lh_gzckpt_index_create(lh_scan_gzckpt_budget(cfg))) ==
	    NULL)) || (context_of(cfg) > 0 &&
	    (rp = lh_replay_create(sc.tmpdir)) == NULL)) {
		lh_timeindex_free(ix);
		lh_gzckpt_index_free(gz);
		lh_state_free(state);
		say("", "out of memory");
		return 2;
	}
	if (rp != NULL)
		lh_replay_set_budget(rp, lh_scan_copies_budget(cfg));
	sc.timemap_out = ix;
	sc.gzckpt_out = gz;
	sc.replay = rp;
	rc = pass(cfg, &sc, &rep, "reading", paths, npaths, &tl, &crashes, &st);
	if (ix != NULL)
		lh_timeindex_seal(ix);
	if (gz != NULL)
		lh_gzckpt_seal(gz, ix);
	if (rp != NULL)
		lh_replay_seal(rp);
	if (tl != NULL) {
		report.tl = tl;
		if (apply_state(state, &report, rs) != LH_OK ||
		    triage(cfg, &report, crashes, paths, npaths, ix, gz, rp) !=
		    LH_OK)
			rc = LH_FATAL;
		ok = write_done(lh_out_alerts(stdout, cfg, rs, &report,
		    lh_opts_color(cfg)));
		if (cfg->stats)
			lh_out_stats(stderr, &st, lh_formats, tl, rs,
			    lh_progress_now() - t0);
	}
	if (ok && rc != LH_FATAL && !save_state(cfg, state))
		ok = 0;
	say_fatal(rc, &rep);
	lh_report_free(&report);
	lh_timeindex_free(ix);
	lh_gzckpt_index_free(gz);
	lh_replay_free(rp);
	lh_timeline_free(report.ctx_tl);
	lh_timeline_free(crashes);
	lh_timeline_free(tl);
	lh_state_free(state);
	if (!ok || rc != LH_OK || rep.problems)
		return 2;
	return report.nshow > 0 ? 0 : 1;
}

/* Match blocks kept for the merger: two batches of the printer's. */
#define QPOOL_MAX (2 * LH_OUTPIPE_BATCH)

/* Renders a query's hit (the printer thread of cli/outpipe.h). */
static void
qout_render(struct lh_buf *b, void *arg, const struct lh_match *m)
{
	lh_out_query_hit(b, arg, m);
}

/* Hands a hit, owned (lh_scan_config.emit_owns), to the printer. */
static int
qout_put(void *arg, const struct lh_match *m)
{
	return lh_outpipe_put(arg, (struct lh_match *)(uintptr_t)m);
}

static int
run_query(const struct lh_config *cfg, const struct lh_kql *q, char **paths,
    int npaths)
{
	struct reporter rep = { cfg->quiet, 0, NULL, 0 };
	struct lh_buf head = { 0 };
	struct lh_outpipe *op;
	struct lh_match_pool *mp;
	struct lh_scan_config sc;
	struct lh_scan_stats st;
	struct lh_timeline *tl;
	double t0 = lh_progress_now();
	int rc, orc;

	lh_out_query_head(&head, cfg);
	op = lh_outpipe_create(stdout, qout_render, (void *)(uintptr_t)cfg,
	    head.p, head.len);
	lh_buf_free(&head);
	scan_config(cfg, &sc, &rep);
	/*
	 * the blocks of the hits the merger unpacks come back from the
	 * printer (about a batch at a time): an eighth of their share
	 */
	mp = lh_match_pool_create(QPOOL_MAX, sc.hits_memory / 8);
	if (op == NULL || mp == NULL) {
		lh_outpipe_free(op);
		say("", "out of memory");
		return 2;
	}
	lh_outpipe_recycle(op, mp);
	sc.query = q;
	/* bulk names each document's index from its fields: keep them */
	sc.render = cfg->format == LH_OUT_BULK ? NULL : lh_out_render;
	sc.render_arg = (void *)(uintptr_t)cfg;
	/*
	 * hits stream out sorted, in bounded memory (core/hits.h), to the
	 * printer thread
	 */
	sc.emit = qout_put;
	sc.emit_arg = op;
	sc.emit_owns = 1;
	sc.emit_pool = mp;
	rc = pass(cfg, &sc, &rep, "reading", paths, npaths, &tl, NULL, &st);
	if (rc == LH_EOF)
		rc = LH_OK;	/* stdout failed: write_done says so */
	orc = lh_outpipe_end(op);
	lh_outpipe_free(op);
	lh_match_pool_free(mp);
	say_fatal(rc, &rep);
	if (cfg->stats)
		lh_out_stats(stderr, &st, lh_formats, NULL, NULL,
		    lh_progress_now() - t0);
	lh_timeline_free(tl);
	if (!write_done(orc) || rc != LH_OK || rep.problems)
		return 2;
	return st.folded > 0 ? 0 : 1;
}

static int
run_scan(const struct lh_config *cfg, struct lh_ruleset *rs,
    const struct lh_kql *q, char **paths, int npaths)
{
	if (npaths == 0) {
		fprintf(stderr, "loghunt: no path given (use - for standard "
		    "input)\nTry 'loghunt --help'.\n");
		return 2;
	}
	if (q != NULL)
		return run_query(cfg, q, paths, npaths);
	return run_detect(cfg, rs, paths, npaths);
}

static int
cmd_query(const struct lh_config *cfg)
{
	struct lh_err err;
	struct lh_kql *q;
	int rc;

	if (cfg->nargs < 1) {
		fprintf(stderr, "loghunt: query wants a KQL query and paths\n"
		    "Try 'loghunt --help'.\n");
		return 2;
	}
	lh_err_clear(&err);
	if ((q = lh_kql_compile(cfg->args[0], strlen(cfg->args[0]),
	    &err)) == NULL) {
		say("query: ", err.status == LH_FATAL ? "out of memory" :
		    err.msg);
		return 2;
	}
	rc = run_scan(cfg, NULL, q, cfg->args + 1, cfg->nargs - 1);
	lh_kql_free(q);
	return rc;
}

static int
analyze_line(const char *s, size_t n, struct lh_tokens *t)
{
	size_t i;

	if (lh_analyze(s, n, t) != LH_OK)
		return 2;
	for (i = 0; i < t->n; i++) {
		fputs(lh_token(t, i), stdout);
		putchar(i + 1 < t->n ? ' ' : '\n');
	}
	if (t->n == 0)
		putchar('\n');
	return 0;
}

static int
cmd_analyze(const struct lh_config *cfg)
{
	struct lh_tokens t;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int i, rc = 0;

	lh_tokens_init(&t);
	for (i = 0; i < cfg->nargs && rc == 0; i++)
		rc = analyze_line(cfg->args[i], strlen(cfg->args[i]), &t);
	while (cfg->nargs == 0 && rc == 0 &&
	    (n = getline(&line, &cap, stdin)) >= 0) {
		if (n > 0 && line[n - 1] == '\n')
			n--;
		rc = analyze_line(line, (size_t)n, &t);
	}
	free(line);
	lh_tokens_free(&t);
	return write_done(LH_OK) ? rc : 2;
}

static int
cmd_explain(const struct lh_config *cfg, const struct lh_ruleset *rs)
{
	struct lh_err err;
	int k;

	if (cfg->nargs != 1) {
		fprintf(stderr, "loghunt: explain wants one rule (id, name or "
		    "unique prefix)\n");
		return 2;
	}
	if ((k = lh_ruleset_find(rs, cfg->args[0], &err)) < 0) {
		say("explain: ", err.msg);
		return 2;
	}
	return write_done(lh_out_guide(stdout, lh_ruleset_get(rs, (size_t)k),
	    lh_opts_color(cfg))) ? 0 : 2;
}

int
main(int argc, char **argv)
{
	struct lh_config cfg;
	struct reporter rep;
	struct lh_ruleset *rs = NULL;
	int rc;

	lh_runtime_init();
	if ((rc = lh_opts_parse(argc, argv, &cfg)) != 0) {
		lh_opts_free(&cfg);
		lh_runtime_free();
		return rc == 1 ? 0 : 2;
	}
	if (!cfg.format_set)
		cfg.format = LH_OUT_TEXT;
	if (cfg.fields != NULL && cfg.cmd != LH_CMD_QUERY) {
		fprintf(stderr, "loghunt: --fields is for loghunt query\n");
		lh_opts_free(&cfg);
		lh_runtime_free();
		return 2;
	}
	rep.quiet = cfg.quiet;
	rep.problems = 0;
	rep.pr = NULL;
	rep.fatal = 0;
	switch (cfg.cmd) {
	case LH_CMD_ANALYZE:
		rc = cmd_analyze(&cfg);
		break;
	case LH_CMD_QUERY:
		rc = cmd_query(&cfg);
		break;
	default:
		if ((rs = load_rules(&cfg, &rep)) == NULL) {
			rc = 2;
			break;
		}
		rc = cfg.cmd == LH_CMD_RULES ? (!write_done(lh_out_rules(stdout,
		    rs)) || rep.problems ? 2 : 0) :
		    cfg.cmd == LH_CMD_EXPLAIN ? cmd_explain(&cfg, rs) :
		    cfg.cmd == LH_CMD_MERGE ? lh_merge_cmd(&cfg, rs) :
		    cfg.context_for != NULL ? lh_merge_context_for(&cfg, rs) :
		    run_scan(&cfg, rs, NULL, cfg.args, cfg.nargs);
		if (rep.problems && rc != 2 && cfg.cmd == LH_CMD_SCAN)
			rc = 2;
		break;
	}
	lh_ruleset_free(rs);
	lh_opts_free(&cfg);
	lh_runtime_free();
	return rc;
}
