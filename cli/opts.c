/*
 * opts.c: the option table, getopt_long, and checked numbers.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/opts.h"
#include "cli/runtime.h"
#include "core/event.h"
#include "core/num.h"
#include "core/status.h"

#define VERSION "0.1.0"

enum {
	O_COLOR = 256, O_NO_GUIDE, O_PROGRESS, O_RULE, O_RULES, O_SINCE,
	O_STATS, O_TZ, O_UNTIL, O_VERSION, O_YEAR, O_HOST, O_CONTEXT,
	O_FIELDS, O_STATE, O_CONTEXT_FOR, O_MAX_MEMORY
};

struct opt {
	const char *name;
	int val;		/* short letter or O_* */
	const char *arg;	/* argument name, or NULL */
	const char *help;
};

/* Keep sorted by long name. */
static const struct opt table[] = {
	{ "color", O_COLOR, "WHEN", "colour by severity: auto, always, never" },
	{ "context", O_CONTEXT, "DUR", "events of the host around each alert (2m; 0 off)" },
	{ "context-for", O_CONTEXT_FOR, "FILE", "scan: the triage events for FILE's alerts (merge)" },
	{ "fields", O_FIELDS, "LIST", "query: only these fields (a,b,c)" },
	{ "format", 'f', "FMT", "output format: text, json, csv, bulk (query)" },
	{ "help", 'h', NULL, "print this help and exit" },
	{ "host", O_HOST, "GLOB", "only events of matching hosts (repeatable)" },
	{ "max-memory", O_MAX_MEMORY, "SIZE", "memory budget: 512M, 2G (default 1G)" },
	{ "no-guide", O_NO_GUIDE, NULL, "do not print investigation guides" },
	{ "progress", O_PROGRESS, "WHEN", "progress on stderr: auto, always, never" },
	{ "quiet", 'q', NULL, "no warnings, only errors" },
	{ "rule", O_RULE, "RULE", "only this rule: id, name or prefix (repeatable)" },
	{ "rules", O_RULES, "FILE", "load more rules (Kibana export NDJSON)" },
	{ "since", O_SINCE, "TIME", "only events at or after TIME (RFC 3339, date, -7d)" },
	{ "state", O_STATE, "FILE", "report only alerts not in FILE, then record them" },
	{ "stats", O_STATS, NULL, "print counters to stderr at the end" },
	{ "threads", 'j', "N", "worker threads (default: online CPUs)" },
	{ "tz", O_TZ, "ZONE", "zone of timestamps without one (default UTC)" },
	{ "until", O_UNTIL, "TIME", "only events at or before TIME" },
	{ "version", O_VERSION, NULL, "print the version and exit" },
	{ "year", O_YEAR, "YYYY", "year of RFC 3164 timestamps (no inference)" },
};
#define NOPT (sizeof(table) / sizeof(table[0]))

void
lh_opts_usage(FILE *fp)
{
	size_t i;

	fprintf(fp,
	    "usage: loghunt [scan] [options] path ...\n"
	    "       loghunt query [options] kql path ...\n"
	    "       loghunt rules [--rules file]\n"
	    "       loghunt explain rule\n"
	    "       loghunt analyze [text ...]\n"
	    "       loghunt merge [options] file ...\n\noptions:\n");
	for (i = 0; i < NOPT; i++) {
		char left[40];

		if (table[i].val < 256)
			snprintf(left, sizeof(left), "-%c, --%s%s%s",
			    table[i].val, table[i].name,
			    table[i].arg ? " " : "",
			    table[i].arg ? table[i].arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s",
			    table[i].name, table[i].arg ? " " : "",
			    table[i].arg ? table[i].arg : "");
		fprintf(fp, "  %-24s %s\n", left, table[i].help);
	}
}

static int __attribute__((format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "loghunt: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'loghunt --help'.\n");
	return 2;
}

/*
 * A time for --since/--until: RFC 3339, a date (midnight in --tz), or a
 * relative "-7d" / "-12h" / "-30m" / "-45s" before now.
 */
static int
parse_when(const char *s, const struct lh_tz *tz, int64_t *us)
{
	size_t used, n = strlen(s);
	int64_t prec, v;
	char unit;

	if (n >= 3 && n < 32 && s[0] == '-' &&
	    strchr("smhdw", s[n - 1]) != NULL) {
		unit = s[n - 1];
		if (lh_num_parse(s + 1, n - 2, 0, 100000000, &v) != LH_OK)
			return -1;
		v *= unit == 's' ? 1 : unit == 'm' ? 60 : unit == 'h' ? 3600 :
		    unit == 'd' ? 86400 : 604800;
		*us = ((int64_t)time(NULL) - v) * LH_US;
		return 0;
	}
	if (lh_time_parse_iso(s, n, tz, 1, us, &prec, &used) != LH_OK ||
	    used != n)
		return -1;
	return 0;
}

static int push(const char ***v, const char *s);

/* A --context duration: 0, or N followed by s, m, h or d (N alone: s). */
static int
parse_duration(const char *s, int64_t *us)
{
	size_t n = strlen(s);
	int64_t v, mul = 1;

	if (n == 0 || n >= 32)
		return -1;
	if (strchr("smhd", s[n - 1]) != NULL) {
		mul = s[n - 1] == 's' ? 1 : s[n - 1] == 'm' ? 60 :
		    s[n - 1] == 'h' ? 3600 : 86400;
		n--;
	}
	if (lh_num_parse(s, n, 0, 366L * 86400, &v) != LH_OK ||
	    v > 366L * 86400 / mul)
		return -1;
	*us = (int64_t)v * mul * LH_US;
	return 0;
}

/* Splits a --fields list "a,b,c" into cfg->fields. */
static int
parse_fields(const char *s, struct lh_config *cfg)
{
	char *p, *tok, *save = NULL;

	free(cfg->fields_buf);
	free(cfg->fields);
	cfg->fields = NULL;
	if ((cfg->fields_buf = strdup(s)) == NULL)
		return -1;
	for (tok = strtok_r(cfg->fields_buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		for (p = tok + strlen(tok); p > tok && p[-1] == ' '; p--)
			p[-1] = '\0';
		if (*tok != '\0' && push(&cfg->fields, tok) != 0)
			return -1;
	}
	return cfg->fields == NULL ? -1 : 0;
}

static int
push(const char ***v, const char *s)
{
	size_t n = 0;
	const char **p;

	while (*v != NULL && (*v)[n] != NULL)
		n++;
	if ((p = realloc(*v, (n + 2) * sizeof(*p))) == NULL) {
		fprintf(stderr, "loghunt: out of memory\n");
		return -1;
	}
	p[n] = s;
	p[n + 1] = NULL;
	*v = p;
	return 0;
}

static int
parse_when_opt(const char *s, enum lh_when *w)
{
	if (strcmp(s, "auto") == 0)
		*w = LH_AUTO;
	else if (strcmp(s, "always") == 0)
		*w = LH_ALWAYS;
	else if (strcmp(s, "never") == 0)
		*w = LH_NEVER;
	else
		return -1;
	return 0;
}

static int
parse_format(const char *s, enum lh_fmt *f)
{
	if (strcmp(s, "text") == 0)
		*f = LH_OUT_TEXT;
	else if (strcmp(s, "json") == 0)
		*f = LH_OUT_JSON;
	else if (strcmp(s, "csv") == 0)
		*f = LH_OUT_CSV;
	else if (strcmp(s, "bulk") == 0)
		*f = LH_OUT_BULK;
	else
		return -1;
	return 0;
}

static const char *since_arg, *until_arg;

/*
 * A size for --max-memory: a number of bytes with an optional K, M, G or
 * T suffix (powers of 1024; a trailing "B" or "iB" is allowed), from
 * LH_MEMORY_MIN to 1 TiB.
 */
static int
parse_size(const char *s, uint64_t *bytes)
{
	size_t n = strlen(s), k;
	int64_t v;
	int shift = 0;

	if (n > 2 && strcmp(s + n - 2, "iB") == 0)
		n -= 2;
	else if (n > 1 && (s[n - 1] == 'B' || s[n - 1] == 'b'))
		n--;
	if (n > 1 && strchr("kKmMgGtT", s[n - 1]) != NULL) {
		k = (size_t)(strchr("kKmMgGtT", s[n - 1]) - "kKmMgGtT");
		shift = 10 * (int)(k / 2 + 1);
		n--;
	}
	if (n == 0 || lh_num_parse(s, n, 1, (int64_t)1 << 40, &v) != LH_OK ||
	    (uint64_t)v > ((uint64_t)1 << 40) >> shift)
		return -1;
	*bytes = (uint64_t)v << shift;
	return *bytes >= LH_MEMORY_MIN ? 0 : -1;
}

/* One option; 0 to go on, 1 done (help/version), 2 usage error. */
static int
one(int c, struct lh_config *cfg)
{
	struct lh_err err;
	int64_t v;

	switch (c) {
	case 'f':
		if (parse_format(optarg, &cfg->format) != 0)
			return usage_error("unknown format '%s'", optarg);
		cfg->format_set = 1;
		break;
	case 'h':
		lh_opts_usage(stdout);
		return 1;
	case 'j':
		if (lh_num_parse(optarg, strlen(optarg), 1, 256, &v) != LH_OK)
			return usage_error("-j wants 1 to 256, not '%s'",
			    optarg);
		cfg->threads = (int)v;
		break;
	case 'q':
		cfg->quiet = 1;
		break;
	case O_COLOR:
	case O_PROGRESS:
		if (parse_when_opt(optarg, c == O_COLOR ? &cfg->color :
		    &cfg->progress) != 0)
			return usage_error("want auto, always or never, "
			    "not '%s'", optarg);
		break;
	case O_CONTEXT:
		if (parse_duration(optarg, &cfg->context) != 0)
			return usage_error("--context wants a duration such as "
			    "2m, 30s, 1h or 0, not '%s'", optarg);
		break;
	case O_MAX_MEMORY:
		if (parse_size(optarg, &cfg->max_memory) != 0)
			return usage_error("--max-memory wants a size from 4M "
			    "to 1T such as 512M or 2G, not '%s'", optarg);
		cfg->max_memory_set = 1;
		break;
	case O_FIELDS:
		if (parse_fields(optarg, cfg) != 0)
			return usage_error("--fields wants field names, "
			    "comma-separated, not '%s'", optarg);
		break;
	case O_STATE:
		cfg->state = optarg;
		break;
	case O_CONTEXT_FOR:
		cfg->context_for = optarg;
		break;
	case O_HOST:
		if (push(&cfg->hosts, optarg) != 0)
			return 2;
		break;
	case O_NO_GUIDE:
		cfg->no_guide = 1;
		break;
	case O_RULE:
		if (push(&cfg->rule_sel, optarg) != 0)
			return 2;
		break;
	case O_RULES:
		if (push(&cfg->rule_files, optarg) != 0)
			return 2;
		break;
	case O_SINCE:
		since_arg = optarg;
		break;
	case O_UNTIL:
		until_arg = optarg;
		break;
	case O_STATS:
		cfg->stats = 1;
		break;
	case O_TZ:
		if (lh_runtime_tz(optarg, &cfg->tz, &err) != LH_OK)
			return usage_error("%s", err.msg);
		break;
	case O_VERSION:
		printf("loghunt %s\n", VERSION);
		return 1;
	case O_YEAR:
		if (lh_num_parse(optarg, strlen(optarg), 1970, 9999, &v) !=
		    LH_OK)
			return usage_error("--year wants a year, not '%s'",
			    optarg);
		cfg->year = (int)v;
		break;
	default:
		return usage_error("%s", "bad option");
	}
	return 0;
}

static int
command(const char *s, enum lh_cmd *cmd)
{
	static const char *const names[] = { "scan", "query", "rules",
	    "explain", "analyze", "merge" };
	int i;

	for (i = 0; i < 6; i++) {
		if (strcmp(s, names[i]) == 0) {
			*cmd = (enum lh_cmd)i;
			return 1;
		}
	}
	return 0;
}

int
lh_opts_parse(int argc, char **argv, struct lh_config *cfg)
{
	struct option lo[NOPT + 1];
	char shorts[64];
	size_t i, k = 0;
	int c, rc, first = 1;
	long n;

	memset(cfg, 0, sizeof(*cfg));
	lh_tz_utc(&cfg->tz);
	cfg->since = cfg->until = LH_TS_NONE;
	cfg->context = -1;
	cfg->max_memory = LH_MEMORY_DEFAULT;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	cfg->threads = n > 0 ? (int)(n > 64 ? 64 : n) : 1;
	for (i = 0; i < NOPT; i++) {
		lo[i].name = table[i].name;
		lo[i].has_arg = table[i].arg ? required_argument : no_argument;
		lo[i].flag = NULL;
		lo[i].val = table[i].val;
		if (table[i].val < 256) {
			shorts[k++] = (char)table[i].val;
			if (table[i].arg)
				shorts[k++] = ':';
		}
	}
	memset(&lo[NOPT], 0, sizeof(lo[NOPT]));
	shorts[k] = '\0';
	if (argc > 1 && command(argv[1], &cfg->cmd)) {
		argv++;
		argc--;
	}
	(void)first;
	optind = 1;
	since_arg = until_arg = NULL;
	while ((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		if (c == '?')
			return usage_error("%s", "unknown option");
		if ((rc = one(c, cfg)) != 0)
			return rc;
	}
	/* times are read after --tz, whatever the order on the line */
	if (since_arg != NULL && parse_when(since_arg, &cfg->tz,
	    &cfg->since) != 0)
		return usage_error("--since: cannot read time '%s'", since_arg);
	if (until_arg != NULL && parse_when(until_arg, &cfg->tz,
	    &cfg->until) != 0)
		return usage_error("--until: cannot read time '%s'", until_arg);
	if (cfg->format == LH_OUT_BULK && cfg->cmd != LH_CMD_QUERY)
		return usage_error("%s", "--format bulk is for query");
	cfg->args = argv + optind;
	cfg->nargs = argc - optind;
	return 0;
}

void
lh_opts_free(struct lh_config *cfg)
{
	free(cfg->hosts);
	free(cfg->rule_sel);
	free(cfg->rule_files);
	free(cfg->fields);
	free(cfg->fields_buf);
}

int
lh_opts_color(const struct lh_config *cfg)
{
	if (cfg->color == LH_ALWAYS)
		return 1;
	if (cfg->color == LH_NEVER || lh_runtime_no_color())
		return 0;
	return isatty(STDOUT_FILENO);
}
