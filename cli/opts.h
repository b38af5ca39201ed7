/*
 * opts.h: the command line, parsed once into a struct lh_config.
 *
 * DESIGN
 * One sorted table describes every option (long name, short letter,
 * argument, help); it generates the getopt_long arrays and the usage text,
 * so help and parser cannot drift.  All run-time configuration lives in
 * struct lh_config, filled here and passed down as const.
 */
#ifndef LH_OPTS_H
#define LH_OPTS_H

#include <stdio.h>
#include <stdint.h>

#include "core/time.h"

enum lh_cmd { LH_CMD_SCAN, LH_CMD_QUERY, LH_CMD_RULES, LH_CMD_EXPLAIN,
	LH_CMD_ANALYZE, LH_CMD_MERGE };
enum lh_fmt { LH_OUT_TEXT, LH_OUT_JSON, LH_OUT_CSV, LH_OUT_BULK };
enum lh_when { LH_AUTO, LH_ALWAYS, LH_NEVER };

/* --max-memory: the default, and the least accepted. */
#define LH_MEMORY_DEFAULT ((uint64_t)1 << 30)
#define LH_MEMORY_MIN ((uint64_t)4 << 20)

struct lh_config {
	enum lh_cmd cmd;
	enum lh_fmt format;
	int format_set;
	int threads;
	int64_t since, until;		/* µs or LH_TS_NONE */
	const char **hosts;		/* NULL-terminated, borrowed from argv */
	const char **rule_sel;		/* --rule values */
	const char **rule_files;	/* --rules values */
	struct lh_tz tz;
	int year;
	int no_guide, stats, quiet;
	enum lh_when color, progress;
	int64_t context;		/* µs either side; -1: the default */
	const char **fields;		/* --fields, NULL-terminated, or NULL */
	char *fields_buf;		/* owned: the split --fields value */
	const char *state;		/* --state FILE, or NULL */
	const char *context_for;	/* --context-for FILE, or NULL */
	uint64_t max_memory;		/* --max-memory, bytes */
	int max_memory_set;		/* given on the command line */
	char **args;			/* operands after the command */
	int nargs;
};

/*
 * Parses argv into cfg.  Returns 0 to go on, 1 when it printed help or the
 * version (exit 0), or 2 after printing a usage error to stderr (exit 2).
 */
int lh_opts_parse(int argc, char **argv, struct lh_config *cfg);

/* Frees what lh_opts_parse allocated. */
void lh_opts_free(struct lh_config *cfg);

/*
 * 1 when output to stdout is coloured: --color always, or auto (the
 * default) on a terminal without NO_COLOR.
 */
int lh_opts_color(const struct lh_config *cfg);

/* The usage text (the man page SYNOPSIS). */
void lh_opts_usage(FILE *fp);

#endif
