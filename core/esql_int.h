/*
 * esql_int.h: the compiled ES|QL pipeline, shared by the ES|QL stages
 * (esql_parse.c, esql_eval.c, esql_stats.c) and by nothing else.
 *
 * DESIGN
 * Compilation resolves every column name to a slot: a field read from the
 * event (lazily, once per event), @timestamp, a null metadata column, or
 * an EVAL result (each EVAL gets a fresh slot, so a later EVAL of the same
 * name shadows the earlier one as in ES|QL).  The commands before STATS
 * run per event over one row of cells (value ranges in a per-thread pool);
 * MV_EXPAND recurses once per value.  STATS and the final WHERE refer to
 * output columns: the aggregates, then the BY keys.  The whole structure
 * is immutable after lh_esql_compile().
 */
#ifndef LH_ESQL_INT_H
#define LH_ESQL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/esql.h"
#include "core/field.h"

/* Where the values of a slot come from. */
enum slot_src {
	SRC_FIELD,		/* the event field of that name */
	SRC_TS,			/* @timestamp: ev->ts */
	SRC_NULL,		/* a metadata column: always null offline */
	SRC_EVAL		/* computed by an EVAL command */
};

struct slot {
	char *name;		/* owned */
	enum lh_esql_type type;
	enum slot_src src;
	int text;		/* a text field: values keep order and dups */
};

enum ekind {
	E_COL,			/* a slot (or, after STATS, an output column) */
	E_LIT,			/* a literal */
	E_CMP,			/* kid[0] op kid[1] */
	E_IN,			/* kid[0] IN (kid[1..]) */
	E_ISNULL,		/* kid[0] IS [NOT] NULL */
	E_NOT,
	E_AND,
	E_OR,
	E_TRUNC			/* date_trunc(span, kid[0]) */
};

/* Comparison operators: lh_cmp's, plus not-equal. */
#define CMP_NE 100

/* Calendar units of date_trunc (a fixed span otherwise). */
enum trunc_unit { TU_FIXED, TU_DAY, TU_WEEK, TU_MONTH, TU_QUARTER, TU_YEAR };

struct expr {
	enum ekind kind;
	enum lh_esql_type type;	/* of the result */
	int op;			/* E_CMP: lh_cmp or CMP_NE; E_ISNULL: 1 = NOT */
	size_t col;		/* E_COL */
	struct lh_esql_value lit;	/* E_LIT (lit.s owned) */
	enum trunc_unit unit;	/* E_TRUNC */
	int64_t span;		/* E_TRUNC TU_FIXED: µs; E_LIT SPAN: see spec */
	struct expr **kid;
	size_t nkid;
};

enum ckind { C_EVAL, C_EXPAND, C_WHERE };

struct cmd {
	enum ckind kind;
	size_t slot;		/* C_EVAL: the result; C_EXPAND: the column */
	struct expr *e;		/* C_EVAL, C_WHERE */
};

enum akind { A_COUNT_ALL, A_COUNT, A_COUNT_DISTINCT, A_VALUES };

struct agg {
	enum akind kind;
	size_t slot;		/* the argument (not A_COUNT_ALL) */
};

/* An output column of STATS: an aggregate or a BY key. */
struct ocol {
	char *name;		/* owned */
	enum lh_esql_type type;
	int key;		/* BY key: slot; else aggregate index */
	size_t ref;
};

struct lh_esql {
	char **index;		/* FROM patterns, owned */
	size_t nindex;
	struct slot *slot;
	size_t nslot;
	struct cmd *cmd;	/* before STATS */
	size_t ncmd;
	struct agg *agg;
	size_t nagg;
	size_t *by;		/* slots of the BY keys */
	size_t nby;
	struct ocol *out;	/* aggregates, then keys */
	size_t nout;
	struct expr **post;	/* WHEREs after STATS, over output columns */
	size_t npost;
};

/* One cell of a row: nv values at pool[off]. */
struct cell {
	size_t off, nv;
	int loaded;
};

/* Per-thread evaluation state (public as struct lh_esql_scratch). */
struct lh_esql_scratch {
	struct lh_esql_value *pool;
	size_t npool, cap;
	struct cell *cell;	/* one per slot */
	size_t ncell;
};

/* Where the rows that reach STATS go: called once per row. */
typedef int (*row_sink)(void *arg, struct lh_esql_scratch *s);

/* ---- parser (esql_lex.c, esql_parse.c) ---------------------------------- */

enum tkind {
	T_EOF, T_IDENT, T_QID, T_STR, T_INT, T_DEC, T_OP, T_ASSIGN, T_PIPE,
	T_COMMA, T_LP, T_RP, T_STAR, T_MINUS, T_BAD
};

struct tok {
	enum tkind kind;
	size_t at, len;		/* source bytes */
	const char *str;	/* identifier or decoded string, slen bytes */
	size_t slen;		/* (valid until the next token) */
	int op;			/* T_OP */
	int64_t n;		/* T_INT */
	double d;		/* T_INT, T_DEC */
};

/* A visible column name during compilation. */
struct bind {
	const char *name;	/* borrowed from its slot or output column */
	size_t ref;		/* slot, or output column after STATS */
};

struct parser {
	const char *s;
	size_t n, i;
	struct tok t;
	struct lh_buf sbuf;	/* decoded string of the current token */
	struct lh_err *err;
	int status;
	int depth;
	struct lh_esql *q;
	struct bind *env;	/* visible columns, later ones shadow */
	size_t nenv, envcap;
	int implicit;		/* unknown names are event fields */
	int post;		/* after STATS: names are output columns */
};

/* Fills p->err (LH_FAIL, with the line and column of at); returns it. */
int esql_fail(struct parser *p, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Fills p->err with LH_FATAL (ENOMEM); returns it. */
int esql_oom(struct parser *p);
/* Reads the next token into p->t.  LH_OK or an error status. */
int esql_next(struct parser *p);
/* Reads a FROM index pattern into p->t (T_STR, or T_EOF). */
int esql_lex_pattern(struct parser *p);
/* Whether t is the identifier w (lowercase ASCII), case-insensitively. */
int esql_is_word(const struct tok *t, const char *w);

/* esql_parse.c */
void esql_expr_free(struct expr *e);
/* A boolean condition at the current token, or NULL (p->err set). */
struct expr *esql_condition(struct parser *p);
/* An expression at the current token, or NULL (p->err set). */
struct expr *esql_expr(struct parser *p);
/* The column name at the current token: an owned copy, or NULL. */
char *esql_name(struct parser *p);
/* Resolves the column named by the current token into *ref. */
int esql_resolve(struct parser *p, size_t *ref);
/* Makes name (borrowed; it must outlive p) visible as column ref. */
int esql_env_add(struct parser *p, const char *name, size_t ref);
/* Adds a slot named name (copied) into *ref. */
int esql_slot_add(struct parser *p, const char *name, enum lh_esql_type t,
    enum slot_src src, size_t *ref);
/* Appends the elsize bytes at x to the array *pp of *n elements. */
int esql_push(struct parser *p, void *pp, size_t *n, size_t elsize,
    const void *x);
/* The ES|QL name of type t ("keyword"). */
const char *esql_type_name(enum lh_esql_type t);

/* esql_eval.c */
int esql_scratch_init(struct lh_esql_scratch *s, const struct lh_esql *q);
void esql_scratch_fini(struct lh_esql_scratch *s);
/*
 * Runs the commands before STATS on ev; sink(arg, s) is called for each
 * row, with s->cell holding it.  sink returns LH_OK to go on, LH_EOF to
 * stop early (which run_rows returns), or an error.
 */
int esql_run_rows(const struct lh_esql *q, const struct lh_event *ev,
    struct lh_esql_scratch *s, row_sink sink, void *arg);
/*
 * What an expression reads its columns from: before STATS the row in s
 * (event fields loaded from ev on first use); after STATS the output
 * columns out.
 */
struct ectx {
	const struct lh_esql *q;
	const struct lh_event *ev;
	struct lh_esql_scratch *s;
	const struct lh_esql_column *out;
	int status;		/* LH_FATAL once a load ran out of memory */
};

/* Appends *v to the array *a of *n values (capacity *cap).  LH_OK or
 * LH_FATAL. */
int esql_value_push(struct lh_esql_value **a, size_t *n, size_t *cap,
    const struct lh_esql_value *v);
/* Loads the cell of slot k from ev if not yet done.  LH_OK or LH_FATAL. */
int esql_cell(const struct lh_esql *q, const struct lh_event *ev,
    struct lh_esql_scratch *s, size_t k);
/* Three-valued truth of a boolean expression: 1, 0, or -1 for null. */
int esql_truth(const struct expr *e, struct ectx *c);
/* Order of two values of the same type (or two numbers): < 0, 0, > 0. */
int esql_value_cmp(const struct lh_esql_value *a,
    const struct lh_esql_value *b);

#endif
