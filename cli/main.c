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

#include "cli/opts.h"
#include "cli/output.h"
#include "core/analyzer.h"
#include "core/rules.h"
#include "core/scan.h"
#include "core/status.h"
#include "formats/formats.h"

extern const char lh_builtin_rules[];

struct reporter {
	int quiet;
	int problems;
};

static void
report(void *arg, int status, const char *msg)
{
	struct reporter *r = arg;

	if (status <= LH_FAIL)
		r->problems = 1;
	if (status == LH_OK || (r->quiet && status > LH_FAIL))
		return;
	fprintf(stderr, "loghunt: %s%s\n", status <= LH_FAIL ? "error: " :
	    "warning: ", msg);
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

/* Loads the built-in rules, then --rules files, then applies --rule. */
static struct lh_ruleset *
load_rules(const struct lh_config *cfg, struct reporter *rep)
{
	struct lh_ruleset *rs = lh_ruleset_create();
	struct lh_diag d;
	struct lh_err err;
	size_t i, n;
	int *keep, k;

	if (rs == NULL)
		return NULL;
	lh_diag_init(&d);
	lh_ruleset_load(rs, lh_builtin_rules, strlen(lh_builtin_rules),
	    "built-in rules", 1, &d);
	for (i = 0; cfg->rule_files && cfg->rule_files[i]; i++) {
		char *text = slurp(cfg->rule_files[i], &n);

		if (text == NULL) {
			lh_diag_add(&d, LH_FAIL, "%s: %s", cfg->rule_files[i],
			    strerror(errno));
			continue;
		}
		lh_ruleset_load(rs, text, n, cfg->rule_files[i], 0, &d);
		free(text);
	}
	for (i = 0; i < d.n; i++)
		report(rep, d.status[i], d.msg[i]);
	lh_diag_free(&d);
	if (cfg->rule_sel == NULL)
		return rs;
	if ((keep = calloc(lh_ruleset_count(rs) + 1, sizeof(int))) == NULL)
		return rs;
	for (i = 0; cfg->rule_sel[i] != NULL; i++) {
		if ((k = lh_ruleset_find(rs, cfg->rule_sel[i], &err)) < 0) {
			fprintf(stderr, "loghunt: --rule: %s\n", err.msg);
			free(keep);
			lh_ruleset_free(rs);
			return NULL;
		}
		keep[k] = 1;
	}
	lh_ruleset_keep(rs, keep);
	free(keep);
	return rs;
}

static int
use_color(const struct lh_config *cfg)
{
	if (cfg->color == LH_ALWAYS)
		return 1;
	if (cfg->color == LH_NEVER || getenv("NO_COLOR") != NULL)
		return 0;
	return isatty(STDOUT_FILENO);
}

static void
scan_config(const struct lh_config *cfg, struct lh_scan_config *sc,
    struct reporter *rep)
{
	memset(sc, 0, sizeof(*sc));
	sc->threads = cfg->threads;
	sc->formats = lh_formats;
	sc->popts.tz = &cfg->tz;
	sc->popts.year = cfg->year;
	sc->since = cfg->since;
	sc->until = cfg->until;
	sc->hosts = cfg->hosts;
	sc->report = report;
	sc->report_arg = rep;
}

static int
run_scan(const struct lh_config *cfg, struct lh_ruleset *rs,
    const struct lh_kql *q, char **paths, int npaths)
{
	struct reporter rep = { cfg->quiet, 0 };
	struct lh_scan_config sc;
	struct lh_scan_stats st;
	struct lh_timeline *tl;
	int rc, found;

	if (npaths == 0) {
		fprintf(stderr, "loghunt: no path given (use - for standard "
		    "input)\nTry 'loghunt --help'.\n");
		return 2;
	}
	scan_config(cfg, &sc, &rep);
	sc.rules = rs;
	sc.query = q;
	if (q != NULL) {
		sc.render = lh_out_render;
		sc.render_arg = (void *)(uintptr_t)cfg;
	}
	rc = lh_scan_run(&sc, paths, (size_t)npaths, &tl, &st);
	if (tl != NULL) {
		if (q != NULL)
			lh_out_query(stdout, cfg, tl);
		else
			lh_out_alerts(stdout, cfg, rs, tl, use_color(cfg));
	}
	found = tl != NULL && lh_timeline_count(tl) > 0;
	if (cfg->stats)
		lh_out_stats(stderr, &st, lh_formats,
		    tl ? lh_timeline_count(tl) : 0);
	lh_timeline_free(tl);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "loghunt: error writing output: %s\n",
		    strerror(errno));
		return 2;
	}
	if (rc != LH_OK || rep.problems)
		return 2;
	return found ? 0 : 1;
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
		fprintf(stderr, "loghunt: query: %s\n", err.msg);
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
	return rc;
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
		fprintf(stderr, "loghunt: explain: %s\n", err.msg);
		return 2;
	}
	lh_out_guide(stdout, lh_ruleset_get(rs, (size_t)k), use_color(cfg));
	return 0;
}

int
main(int argc, char **argv)
{
	struct lh_config cfg;
	struct reporter rep;
	struct lh_ruleset *rs = NULL;
	int rc;

	if ((rc = lh_opts_parse(argc, argv, &cfg)) != 0) {
		lh_opts_free(&cfg);
		return rc == 1 ? 0 : 2;
	}
	if (!cfg.format_set)
		cfg.format = LH_OUT_TEXT;
	rep.quiet = cfg.quiet;
	rep.problems = 0;
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
		if (cfg.cmd == LH_CMD_RULES)
			lh_out_rules(stdout, rs);
		rc = cfg.cmd == LH_CMD_RULES ? (rep.problems ? 2 : 0) :
		    cfg.cmd == LH_CMD_EXPLAIN ? cmd_explain(&cfg, rs) :
		    run_scan(&cfg, rs, NULL, cfg.args, cfg.nargs);
		if (rep.problems && rc != 2 && cfg.cmd == LH_CMD_SCAN)
			rc = 2;
		break;
	}
	lh_ruleset_free(rs);
	lh_opts_free(&cfg);
	return rc;
}
