/*
 * esql_eval.c: evaluation of the ES|QL subset before STATS: reading an
 * event's fields as ES|QL columns, expressions with null, EVAL, MV_EXPAND
 * and WHERE, and the prefilter.
 *
 * DESIGN
 * An event is one row (one document); its cells are loaded from the event
 * on first use into the scratch's value pool, so a WHERE that fails early
 * reads few fields.  Values are read as ES|QL reads them from an index:
 * keyword and ip fields come from doc values, which are sorted and hold
 * each value once ("ES|QL multivalued fields": "Some field types, like
 * keyword remove duplicate values on write"), long and date values are
 * sorted but keep duplicates, text keeps the document's order; a keyword
 * longer than ignore_above is not indexed and reads as absent; @timestamp
 * is a millisecond date.  MV_EXPAND runs the rest of the pipeline once per
 * value ("ES|QL MV_EXPAND": "expands multivalued columns into one row per
 * value, duplicating other columns"), and a null cell stays one row.
 *
 * Null: a comparison, IN or DATE_TRUNC with a null or multi-valued operand
 * is null ("Working with NULL values in ES|QL": comparisons with NULL
 * return NULL; "ES|QL multivalued fields": single-value functions return
 * null with a warning on multivalued input, which is why
 * event.category == "authentication" does not hold for a document whose
 * event.category is ["authentication", "session"]); AND, OR and NOT are
 * three-valued; WHERE keeps a row only when its condition is true; IS
 * [NOT] NULL looks only at whether there is a value.  All of this reads
 * the immutable query and writes only the caller's scratch: thread-safe.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/esql.h"
#include "core/esql_int.h"
#include "core/field.h"
#include "core/ip.h"
#include "core/status.h"
#include "core/time.h"

#define DAY_US 86400000000LL

int
esql_scratch_init(struct lh_esql_scratch *s, const struct lh_esql *q)
{
	memset(s, 0, sizeof(*s));
	s->ncell = q->nslot;
	if (s->ncell > 0 && (s->cell = calloc(s->ncell,
	    sizeof(*s->cell))) == NULL)
		return LH_FATAL;
	return LH_OK;
}

void
esql_scratch_fini(struct lh_esql_scratch *s)
{
	free(s->pool);
	free(s->cell);
	memset(s, 0, sizeof(*s));
}

struct lh_esql_scratch *
lh_esql_scratch_create(const struct lh_esql *q)
{
	struct lh_esql_scratch *s = malloc(sizeof(*s));

	if (s != NULL && esql_scratch_init(s, q) != LH_OK) {
		free(s);
		s = NULL;
	}
	return s;
}

void
lh_esql_scratch_free(struct lh_esql_scratch *s)
{
	if (s == NULL)
		return;
	esql_scratch_fini(s);
	free(s);
}

/* ---- values ------------------------------------------------------------- */

static int
sign64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

int
esql_value_cmp(const struct lh_esql_value *a, const struct lh_esql_value *b)
{
	if (a->type == LH_ESQL_DOUBLE || b->type == LH_ESQL_DOUBLE) {
		double x = a->type == LH_ESQL_DOUBLE ? a->d : (double)a->n;
		double y = b->type == LH_ESQL_DOUBLE ? b->d : (double)b->n;

		return x < y ? -1 : x > y;
	}
	switch (a->type) {
	case LH_ESQL_KEYWORD:
		return lh_span_cmp(a->s, a->len, b->s, b->len);
	case LH_ESQL_IP:
		return lh_ip_cmp(&a->ip, &b->ip);
	default:
		return sign64(a->n, b->n);
	}
}

static int
qcmp(const void *a, const void *b)
{
	return esql_value_cmp(a, b);
}

int
esql_value_push(struct lh_esql_value **a, size_t *n, size_t *cap,
    const struct lh_esql_value *v)
{
	if (lh_grow(a, cap, *n + 1, sizeof(*v)) != LH_OK)
		return LH_FATAL;
	(*a)[(*n)++] = *v;
	return LH_OK;
}

static int
pool_push(struct lh_esql_scratch *s, const struct lh_esql_value *v)
{
	return esql_value_push(&s->pool, &s->npool, &s->cap, v);
}

/* Floors t to a multiple of m (m > 0), for negative t too. */
static int64_t
floor_to(int64_t t, int64_t m)
{
	int64_t r = t % m;

	return r < 0 ? t - r - m : t - r;
}

/* Parses one stored value of a field of type t into *v; 0 if unusable. */
static int
read_value(const struct lh_field *f, enum lh_esql_type t,
    struct lh_esql_value *v)
{
	memset(v, 0, sizeof(*v));
	v->type = t;
	switch (t) {
	case LH_ESQL_LONG:
		return lh_field_parse_long(f->val, f->len, &v->n) == LH_OK;
	case LH_ESQL_DATE:
		if (lh_field_parse_date(f->val, f->len, &v->n) != LH_OK)
			return 0;
		v->n = floor_to(v->n, 1000);	/* a date holds ms */
		return 1;
	case LH_ESQL_IP:
		return lh_ip_parse(f->val, f->len, &v->ip) == LH_OK;
	default:
		v->s = f->val;
		v->len = f->len;
		return 1;
	}
}

/* Sorts the n values at v (and drops duplicates when dedup); new count. */
static size_t
doc_values(struct lh_esql_value *v, size_t n, int dedup)
{
	size_t i, k;

	if (n < 2)
		return n;
	qsort(v, n, sizeof(*v), qcmp);
	if (!dedup)
		return n;
	for (i = 1, k = 1; i < n; i++)
		if (esql_value_cmp(&v[k - 1], &v[i]) != 0)
			v[k++] = v[i];
	return k;
}

/* Fills the cell of a field slot from the event. */
static int
load_field(struct ectx *c, const struct slot *sl, struct cell *cell)
{
	const struct lh_event *ev = c->ev;
	struct lh_esql_value v;
	size_t i;

	for (i = lh_field_find(ev, sl->name, 0); i < ev->nfield;
	    i = lh_field_find(ev, sl->name, i + 1)) {
		const struct lh_field *f = &ev->fields[i];

		if (sl->type == LH_ESQL_KEYWORD && !sl->text &&
		    !lh_field_keyword_indexed(f->val, f->len))
			continue;
		if (read_value(f, sl->type, &v) &&
		    pool_push(c->s, &v) != LH_OK)
			return LH_FATAL;
	}
	cell->nv = c->s->npool - cell->off;
	if (!sl->text && cell->nv > 1)
		cell->nv = doc_values(c->s->pool + cell->off, cell->nv,
		    sl->type == LH_ESQL_KEYWORD || sl->type == LH_ESQL_IP);
	c->s->npool = cell->off + cell->nv;
	return LH_OK;
}

/* Makes sure the cell of slot k is loaded. */
static int
load(struct ectx *c, size_t k)
{
	const struct slot *sl = &c->q->slot[k];
	struct cell *cell = &c->s->cell[k];
	struct lh_esql_value v;

	if (cell->loaded)
		return LH_OK;
	cell->loaded = 1;
	cell->off = c->s->npool;
	cell->nv = 0;
	if (sl->src == SRC_TS) {
		memset(&v, 0, sizeof(v));
		v.type = LH_ESQL_DATE;
		if (!lh_field_timestamp(c->ev, &v.n))
			return LH_OK;
		v.n = floor_to(v.n, 1000);
		cell->nv = 1;
		return pool_push(c->s, &v);
	}
	if (sl->src == SRC_FIELD)
		return load_field(c, sl, cell);
	return LH_OK;
}

/* ---- expressions -------------------------------------------------------- */

/*
 * DATE_TRUNC: "Rounds down a date to the closest interval since epoch"
 * (ES|QL DATE_TRUNC), in UTC.  A time duration is a fixed interval from
 * the epoch (Rounding's TimeIntervalRounding); one day, one week (to
 * Monday), one month, quarter or year are calendar units; several days
 * are a fixed interval (DateTrunc.createRounding).
 */
static int64_t
trunc_date(const struct expr *e, int64_t t)
{
	int64_t days, y;
	int m, d;

	switch (e->unit) {
	case TU_FIXED:
		return floor_to(t, e->span);
	case TU_DAY:
		return floor_to(t, DAY_US);
	case TU_WEEK:	/* 1970-01-01 was a Thursday: Mondays are 4 + 7k */
		return floor_to(t - 4 * DAY_US, 7 * DAY_US) + 4 * DAY_US;
	default:
		break;
	}
	days = floor_to(t, DAY_US) / DAY_US;
	lh_civil_from_days(days, &y, &m, &d);
	if (e->unit == TU_YEAR)
		m = 1;
	else if (e->unit == TU_QUARTER)
		m = (m - 1) / 3 * 3 + 1;
	return lh_days_from_civil(y, m, 1) * DAY_US;
}

/*
 * The value of a scalar expression: returns 0 (null), 1 (*v set) or 2
 * (multi-valued); c->status turns LH_FATAL when out of memory.
 */
static int
scalar(const struct expr *e, struct ectx *c, struct lh_esql_value *v)
{
	const struct cell *cell;
	int k;

	switch (e->kind) {
	case E_COL:
		if (c->out != NULL) {
			k = c->out[e->col].nv > 1 ? 2 : (int)c->out[e->col].nv;
			if (k == 1)
				*v = c->out[e->col].v[0];
			return k;
		}
		if (load(c, e->col) != LH_OK) {
			c->status = LH_FATAL;
			return 0;
		}
		cell = &c->s->cell[e->col];
		if (cell->nv == 1)
			*v = c->s->pool[cell->off];
		return cell->nv > 1 ? 2 : (int)cell->nv;
	case E_LIT:
		*v = e->lit;
		return e->type != LH_ESQL_NULL;
	case E_TRUNC:
		if ((k = scalar(e->kid[0], c, v)) != 1)
			return 0;	/* single-value function */
		v->n = trunc_date(e, v->n);
		return 1;
	default:
		memset(v, 0, sizeof(*v));
		v->type = LH_ESQL_BOOLEAN;
		if ((k = esql_truth(e, c)) < 0)
			return 0;
		v->n = k;
		return 1;
	}
}

/* x IN (list): null when x is null, or when no element equals x and one
 * of them is null (ES|QL In, as SQL's). */
static int
truth_in(const struct expr *e, struct ectx *c)
{
	struct lh_esql_value x, y;
	int null = 0;
	size_t i;

	if (scalar(e->kid[0], c, &x) != 1)
		return -1;
	for (i = 1; i < e->nkid; i++) {
		if (scalar(e->kid[i], c, &y) != 1)
			null = 1;
		else if (esql_value_cmp(&x, &y) == 0)
			return 1;
	}
	return null ? -1 : 0;
}

int
esql_truth(const struct expr *e, struct ectx *c)
{
	struct lh_esql_value a, b;
	int l, r;

	switch (e->kind) {
	case E_CMP:
		if (scalar(e->kid[0], c, &a) != 1 ||
		    scalar(e->kid[1], c, &b) != 1)
			return -1;
		l = esql_value_cmp(&a, &b);
		return e->op == CMP_NE ? l != 0 : lh_cmp_holds(e->op, l);
	case E_IN:
		return truth_in(e, c);
	case E_ISNULL:
		l = scalar(e->kid[0], c, &a) == 0;
		return e->op ? !l : l;
	case E_NOT:
		return (l = esql_truth(e->kid[0], c)) < 0 ? -1 : !l;
	case E_AND:
		if ((l = esql_truth(e->kid[0], c)) == 0 ||
		    (r = esql_truth(e->kid[1], c)) == 0)
			return 0;
		return l < 0 || r < 0 ? -1 : 1;
	case E_OR:
		if ((l = esql_truth(e->kid[0], c)) == 1 ||
		    (r = esql_truth(e->kid[1], c)) == 1)
			return 1;
		return l < 0 || r < 0 ? -1 : 0;
	default:
		if (scalar(e, c, &a) != 1)
			return -1;
		return a.n != 0;
	}
}

/* ---- the pipeline ------------------------------------------------------- */

static int
run_from(struct ectx *c, size_t k, row_sink sink, void *arg)
{
	const struct lh_esql *q = c->q;
	struct lh_esql_value v;
	struct cell save, *cell;
	size_t i;
	int r;

	for (; k < q->ncmd; k++) {
		const struct cmd *cmd = &q->cmd[k];

		if (cmd->kind == C_WHERE) {
			r = esql_truth(cmd->e, c);
			if (c->status != LH_OK)
				return c->status;
			if (r != 1)
				return LH_OK;
		} else if (cmd->kind == C_EVAL) {
			cell = &c->s->cell[cmd->slot];
			r = scalar(cmd->e, c, &v);
			if (c->status != LH_OK)
				return c->status;
			cell->loaded = 1;
			cell->off = c->s->npool;
			cell->nv = r == 1;
			if (r == 1 && pool_push(c->s, &v) != LH_OK)
				return LH_FATAL;
		} else {
			if (load(c, cmd->slot) != LH_OK)
				return LH_FATAL;
			cell = &c->s->cell[cmd->slot];
			if (cell->nv <= 1)
				continue;
			save = *cell;
			for (i = 0, r = LH_OK; i < save.nv && r == LH_OK; i++) {
				c->s->cell[cmd->slot].off = save.off + i;
				c->s->cell[cmd->slot].nv = 1;
				r = run_from(c, k + 1, sink, arg);
			}
			c->s->cell[cmd->slot] = save;
			return r;
		}
	}
	return sink == NULL ? LH_EOF : sink(arg, c->s);
}

int
esql_run_rows(const struct lh_esql *q, const struct lh_event *ev,
    struct lh_esql_scratch *s, row_sink sink, void *arg)
{
	struct ectx c = { q, ev, s, NULL, LH_OK };

	s->npool = 0;
	if (s->ncell > 0)
		memset(s->cell, 0, s->ncell * sizeof(*s->cell));
	return run_from(&c, 0, sink, arg);
}

/* Reads the cell of slot k for the STATS stage (esql_stats.c). */
int
esql_cell(const struct lh_esql *q, const struct lh_event *ev,
    struct lh_esql_scratch *s, size_t k)
{
	struct ectx c = { q, ev, s, NULL, LH_OK };

	return load(&c, k);
}

int
lh_esql_prefilter_match(const struct lh_esql *q, const struct lh_event *ev,
    struct lh_esql_scratch *s)
{
	int r = esql_run_rows(q, ev, s, NULL, NULL);

	return r == LH_EOF ? 1 : r == LH_OK ? 0 : LH_FATAL;
}
