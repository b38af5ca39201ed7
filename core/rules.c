/*
 * rules.c: loading Kibana rule-export NDJSON with json-c.
 *
 * core/ links json-c here (and only here) because rules are data the core
 * owns; the event formats that read JSON live in formats/.
 */
#include <json-c/json.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/eql.h"
#include "core/esql.h"
#include "core/num.h"
#include "core/name.h"
#include "core/rules.h"
#include "core/status.h"

struct lh_ruleset {
	struct lh_rule **r;
	size_t n, cap;
	size_t eql_leaves;	/* lh_eql_share's count over the EQL rules */
};

/* Numbers the leaves the EQL rules of rs share (lh_eql_share). */
static void
share(struct lh_ruleset *rs)
{
	struct lh_eql **q = rs->n > 0 ? calloc(rs->n, sizeof(*q)) : NULL;
	size_t i, n = 0;

	rs->eql_leaves = 0;
	if (q == NULL)
		return;	/* memos of no leaf: numbers left are never read */
	for (i = 0; i < rs->n; i++)
		if (rs->r[i]->kind == LH_RULE_EQL && rs->r[i]->eql != NULL)
			q[n++] = rs->r[i]->eql;
	rs->eql_leaves = lh_eql_share(q, n);
	free(q);
}

size_t
lh_ruleset_eql_leaves(const struct lh_ruleset *rs)
{
	return rs->eql_leaves;
}

struct lh_ruleset *
lh_ruleset_create(void)
{
	return calloc(1, sizeof(struct lh_ruleset));
}

static void
free_strv(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		lh_name_free(v[i]);	/* new_terms_fields are interned */
	free(v);
}

static void
rule_free(struct lh_rule *r)
{
	size_t i;

	if (r == NULL)
		return;
	free(r->rule_id);
	free(r->name);
	free(r->description);
	free(r->severity);
	free(r->note);
	free(r->query);
	free(r->type);
	free(r->language);
	free(r->setup);
	free(r->proc_word);
	free_strv(r->terms, r->nterms);
	lh_eql_free(r->eql);
	lh_esql_free(r->esql);
	free_strv(r->index, r->nindex);
	free_strv(r->tags, r->ntags);
	for (i = 0; i < r->nmitre; i++) {
		free(r->mitre[i].tactic);
		free_strv(r->mitre[i].techniques, r->mitre[i].ntechniques);
	}
	free(r->mitre);
	lh_kql_free(r->kql);
	if (r->words != NULL) {
		for (i = 0; r->words[i] != NULL; i++)
			free(r->words[i]);
		free(r->words);
	}
	free(r);
}

void
lh_ruleset_free(struct lh_ruleset *rs)
{
	size_t i;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->n; i++)
		rule_free(rs->r[i]);
	free(rs->r);
	free(rs);
}

/* The string at key (owned) or NULL; *oom set when strdup failed. */
static char *
str_of(struct json_object *o, const char *key, int *oom)
{
	struct json_object *v;
	char *s;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	if ((s = strdup(json_object_get_string(v))) == NULL)
		*oom = 1;
	return s;
}

static char **
strv_of(struct json_object *o, const char *key, size_t *n, int *oom)
{
	struct json_object *v;
	char **out;
	size_t i, len;

	*n = 0;
	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_array))
		return NULL;
	len = json_object_array_length(v);
	if ((out = calloc(len + 1, sizeof(*out))) == NULL) {
		*oom = 1;
		return NULL;
	}
	for (i = 0; i < len; i++) {
		struct json_object *e = json_object_array_get_idx(v, i);

		out[*n] = strdup(json_object_get_string(e));
		if (out[*n] != NULL)
			(*n)++;
		else
			*oom = 1;
	}
	return out;
}

/* "ID Name" from an object with id and name, or NULL. */
static char *
id_name(struct json_object *o, int *oom)
{
	char *id = str_of(o, "id", oom), *name = str_of(o, "name", oom);
	char *s = NULL;
	size_t n;

	if (id != NULL && name != NULL) {
		n = strlen(id) + strlen(name) + 2;
		if ((s = malloc(n)) != NULL) {
			strcpy(s, id);
			strcat(s, " ");
			strcat(s, name);
		} else {
			*oom = 1;
		}
	}
	free(id);
	free(name);
	return s;
}

static void
add_technique(struct lh_mitre *m, struct json_object *t, int *oom)
{
	struct json_object *subs;
	char **v;
	size_t i, nsub = 0;

	if (json_object_object_get_ex(t, "subtechnique", &subs) &&
	    json_object_is_type(subs, json_type_array))
		nsub = json_object_array_length(subs);
	v = realloc(m->techniques, (m->ntechniques + 1 + nsub) *
	    sizeof(*v));
	if (v == NULL) {
		*oom = 1;
		return;
	}
	m->techniques = v;
	if ((v[m->ntechniques] = id_name(t, oom)) != NULL)
		m->ntechniques++;
	for (i = 0; i < nsub; i++) {
		v[m->ntechniques] = id_name(json_object_array_get_idx(subs, i),
		    oom);
		if (v[m->ntechniques] != NULL)
			m->ntechniques++;
	}
}

static void
load_threat(struct lh_rule *r, struct json_object *o, int *oom)
{
	struct json_object *threat, *t, *tactic, *techs;
	size_t i, j, n;

	if (!json_object_object_get_ex(o, "threat", &threat) ||
	    !json_object_is_type(threat, json_type_array))
		return;
	n = json_object_array_length(threat);
	if ((r->mitre = calloc(n + 1, sizeof(*r->mitre))) == NULL) {
		*oom = 1;
		return;
	}
	for (i = 0; i < n; i++) {
		struct lh_mitre *m = &r->mitre[r->nmitre];

		t = json_object_array_get_idx(threat, i);
		if (!json_object_object_get_ex(t, "tactic", &tactic))
			continue;
		if ((m->tactic = id_name(tactic, oom)) == NULL)
			continue;
		if (json_object_object_get_ex(t, "technique", &techs) &&
		    json_object_is_type(techs, json_type_array)) {
			for (j = 0; j < json_object_array_length(techs); j++)
				add_technique(m,
				    json_object_array_get_idx(techs, j), oom);
		}
		r->nmitre++;
	}
}

int
lh_rule_stateful(const struct lh_rule *r)
{
	return r->kind == LH_RULE_NEW_TERMS || r->kind == LH_RULE_ESQL ||
	    (r->kind == LH_RULE_EQL && lh_eql_is_sequence(r->eql));
}

int
lh_rule_wordless(const struct lh_rule *r)
{
	return r->kind != LH_RULE_QUERY || r->words == NULL;
}

/* ---- which rules need event.category ------------------------------------ */

/*
 * The scan parses fewer records for a rule that can only match events
 * with an event.category (core/scan.c: records of Elastic's syslog data
 * stream never have one).  A rule is known to need it when its condition
 * is a conjunction one of whose terms tests event.category: an EQL query
 * whose every (sub)query names a category other than "any" (a category is
 * a term on event.category, core/eql.h), an ES|QL query with such a
 * WHERE before STATS, and a KQL query whose every match needs a term
 * event.category:VALUE (lh_kql_required_values), all asked of the
 * compiled query.  A rule they cannot prove is treated as needing nothing
 * (every record parsed).
 */

/*
 * The process name a KQL rule requires, as a raw-text word
 * (lh_kql_required_tag), else NULL.  The scan uses it as the word of the
 * rule in syslog-family files, where the process name is the record's tag,
 * in the raw line (core/scan_prefilter.c).
 */
static char *
required_process(const struct lh_rule *r)
{
	return r->kql != NULL ? lh_kql_required_tag(r->kql) : NULL;
}

static int
needs_category(const struct lh_rule *r)
{
	switch (r->kind) {
	case LH_RULE_EQL:
		return lh_eql_needs_category(r->eql);
	case LH_RULE_ESQL:
		return lh_esql_requires(r->esql, "event.category");
	default:
		return lh_kql_required_values(r->kql, "event.category", NULL,
		    NULL);
	}
}

int
lh_rule_required_values(const struct lh_rule *r, const char *field,
    int (*fn)(void *arg, const char *v, size_t len), void *arg)
{
	switch (r->kind) {
	case LH_RULE_EQL:
		return lh_eql_required_values(r->eql, field, fn, arg);
	case LH_RULE_ESQL:
		return lh_esql_required_values(r->esql, field, fn, arg);
	default:
		return lh_kql_required_values(r->kql, field, fn, arg);
	}
}

/*
 * The history window of a new_terms rule: "now-N<unit>" (Kibana's date
 * math as the rules write it; units s, m, h, d, w) in µs, or -1.
 */
static int64_t
history_window(const char *s)
{
	static const struct {
		char unit;
		int64_t us;
	} units[] = { { 's', 1000000 }, { 'm', 60000000 },
		{ 'h', 3600000000LL }, { 'd', 86400000000LL },
		{ 'w', 604800000000LL } };
	size_t i, n;
	int64_t v;

	if (s == NULL || strncmp(s, "now-", 4) != 0 || (n = strlen(s)) < 6)
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (s[n - 1] == units[i].unit && lh_num_parse(s + 4, n - 5, 1,
		    3650LL * 86400, &v) == LH_OK)
			return (int64_t)v * units[i].us;
	}
	return -1;
}

/*
 * The new_terms keys of o into r; a reason when they are unusable (*oom
 * set when out of memory).
 */
static const char *
load_new_terms(struct lh_rule *r, struct json_object *o, int *oom)
{
	char *h = str_of(o, "history_window_start", oom);
	size_t i;

	r->terms = strv_of(o, "new_terms_fields", &r->nterms, oom);
	for (i = 0; i < r->nterms; i++)	/* looked up per event */
		r->terms[i] = lh_name_intern(r->terms[i]);
	r->history_us = history_window(h);
	free(h);
	if (r->nterms == 0)
		return "new_terms rule without new_terms_fields";
	if (r->nterms > LH_RULE_MAX_TERMS)
		return "too many new_terms_fields";
	if (r->history_us < 0)
		return "history_window_start is not \"now-N\" with a unit of "
		    "s, m, h, d or w";
	return NULL;
}

/*
 * Compiles r->query as its type and language say; the reason or NULL
 * (*oom set when out of memory).
 */
static const char *
compile(struct lh_rule *r, struct json_object *o, struct lh_err *err,
    int *oom)
{
	const char *t = r->type, *l = r->language, *why;
	size_t n = strlen(r->query);

	if (strcmp(t, "eql") == 0 && l != NULL && strcmp(l, "eql") == 0) {
		r->kind = LH_RULE_EQL;
		if ((r->eql = lh_eql_compile(r->query, n, err)) != NULL)
			return NULL;
		*oom = err->status == LH_FATAL;
		return err->msg;
	}
	if (strcmp(t, "esql") == 0 && l != NULL && strcmp(l, "esql") == 0) {
		r->kind = LH_RULE_ESQL;
		if ((r->esql = lh_esql_compile(r->query, n, err)) != NULL)
			return NULL;
		*oom = err->status == LH_FATAL;
		return err->msg;
	}
	if (strcmp(t, "query") != 0 && strcmp(t, "new_terms") != 0)
		return "type is not query, eql, new_terms or esql";
	if (l == NULL || strcmp(l, "kuery") != 0)
		return "language is not \"kuery\" (KQL)";
	r->kind = strcmp(t, "query") == 0 ? LH_RULE_QUERY : LH_RULE_NEW_TERMS;
	if (r->kind == LH_RULE_NEW_TERMS && (why = load_new_terms(r, o,
	    oom)) != NULL)
		return why;
	if ((r->kql = lh_kql_compile(r->query, n, err)) == NULL) {
		*oom = err->status == LH_FATAL;
		return err->msg;
	}
	if (lh_kql_plan(r->kql) != LH_OK)	/* (still valid, unplanned) */
		*oom = 1;
	lh_kql_required_words(r->kql, &r->words);
	return NULL;
}

/* The rule's metadata from o (*oom set when a copy failed). */
static void
load_meta(struct lh_rule *r, struct json_object *o, int *oom)
{
	struct json_object *v;

	r->rule_id = str_of(o, "rule_id", oom);
	r->name = str_of(o, "name", oom);
	r->description = str_of(o, "description", oom);
	r->severity = str_of(o, "severity", oom);
	r->note = str_of(o, "note", oom);
	r->setup = str_of(o, "setup", oom);
	r->query = str_of(o, "query", oom);
	r->type = str_of(o, "type", oom);
	r->language = str_of(o, "language", oom);
	if (json_object_object_get_ex(o, "risk_score", &v))
		r->risk_score = json_object_get_int(v);
	r->max_signals = 100;
	if (json_object_object_get_ex(o, "max_signals", &v))
		r->max_signals = json_object_get_int(v);
	r->enabled = !json_object_object_get_ex(o, "enabled", &v) ||
	    !json_object_is_type(v, json_type_boolean) ||
	    json_object_get_boolean(v);
	r->building_block = json_object_object_get_ex(o,
	    "building_block_type", &v) && json_object_is_type(v,
	    json_type_string);
	r->index = strv_of(o, "index", &r->nindex, oom);
	r->tags = strv_of(o, "tags", &r->ntags, oom);
	load_threat(r, o, oom);
}

/*
 * Builds a rule from one parsed line; NULL with why filled if refused, or
 * with why NULL when out of memory.
 */
static struct lh_rule *
make_rule(struct json_object *o, const char **why, struct lh_err *err)
{
	struct lh_rule *r = calloc(1, sizeof(*r));
	int oom = 0;

	*why = NULL;
	if (r == NULL)
		return NULL;
	load_meta(r, o, &oom);
	if (oom) {
		rule_free(r);
		return NULL;
	}
	if (r->rule_id == NULL || r->name == NULL)
		*why = "no rule_id or name";
	else if (r->type == NULL)
		*why = "no type";
	else if (r->query == NULL)
		*why = "no query";
	else
		*why = compile(r, o, err, &oom);
	if (oom)
		*why = NULL;	/* out of memory: no rule, no reason */
	if (*why == NULL && !oom)
		r->needs_category = needs_category(r);
	if (*why == NULL && !oom && r->kind == LH_RULE_QUERY)
		r->proc_word = required_process(r);
	if (*why == NULL && !oom && r->severity == NULL &&
	    (r->severity = strdup("low")) == NULL)
		oom = 1;
	if (*why != NULL || oom) {
		rule_free(r);
		return NULL;
	}
	return r;
}

static int
add(struct lh_ruleset *rs, struct lh_rule *r)
{
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 8;
		struct lh_rule **p = realloc(rs->r, cap * sizeof(*p));

		if (p == NULL)
			return LH_FATAL;
		rs->r = p;
		rs->cap = cap;
	}
	rs->r[rs->n++] = r;
	return LH_OK;
}

static int
known_id(const struct lh_ruleset *rs, const char *id)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		if (strcmp(rs->r[i]->rule_id, id) == 0)
			return 1;
	}
	return 0;
}

static int
load_line(struct lh_ruleset *rs, struct json_object *o, const char *origin,
    size_t lineno, int builtin, struct lh_diag *diag)
{
	struct lh_err err;
	struct json_object *v;
	struct lh_rule *r;
	const char *why;
	char *id;
	int oom = 0;

	lh_err_clear(&err);
	if (json_object_object_get_ex(o, "exported_count", &v))
		return LH_OK;	/* the export's summary line */
	if ((r = make_rule(o, &why, &err)) == NULL) {
		if (why == NULL)
			return LH_FATAL;
		id = str_of(o, "rule_id", &oom);
		lh_diag_add(diag, LH_WARN, "%s:%zu: rule %s refused: %s",
		    origin, lineno, id != NULL ? id : "(no rule_id)",
		    why);
		free(id);
		return LH_WARN;
	}
	if (known_id(rs, r->rule_id)) {
		lh_diag_add(diag, LH_WARN,
		    "%s:%zu: rule %s refused: duplicate rule_id", origin,
		    lineno, r->rule_id);
		rule_free(r);
		return LH_WARN;
	}
	r->builtin = builtin;
	if (add(rs, r) != LH_OK) {
		rule_free(r);
		return LH_FATAL;
	}
	return LH_OK;
}

/*
 * Whether the n bytes at p are only blanks.  (text need not be
 * NUL-terminated: strspn() read past the last line.)
 */
static int
blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

/* Whether the n bytes at p are the JSON null (which json-c parses to NULL). */
static int
json_null(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && blank(p + i, 1))
		i++;
	while (n > i && blank(p + n - 1, 1))
		n--;
	return n - i == 4 && memcmp(p + i, "null", 4) == 0;
}

int
lh_ruleset_load(struct lh_ruleset *rs, const char *text, size_t len,
    const char *origin, int builtin, struct lh_diag *diag)
{
	struct json_tokener *tok = json_tokener_new();
	size_t lineno = 0, pos = 0;
	int rc = LH_OK, k;

	if (tok == NULL) {
		lh_diag_add(diag, LH_FATAL, "%s: out of memory", origin);
		return LH_FATAL;
	}
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl != NULL ? (size_t)(nl - (text + pos)) : len - pos;
		struct json_object *o;

		lineno++;
		json_tokener_reset(tok);
		o = n <= INT_MAX ? json_tokener_parse_ex(tok, text + pos,
		    (int)n) : NULL;
		k = LH_OK;
		/* json-c (0.16) fails an allocation with no error set */
		if (o == NULL && n <= INT_MAX && !json_null(text + pos, n) &&
		    json_tokener_get_error(tok) == json_tokener_success)
			goto oom;
		if (o == NULL && !blank(text + pos, n)) {
			lh_diag_add(diag, LH_WARN,
			    "%s:%zu: not a JSON rule: %s", origin, lineno, json_tokener_error_desc(
			    json_tokener_get_error(tok)));
			k = LH_WARN;
		} else if (o != NULL && json_object_is_type(o,
		    json_type_object)) {
			k = load_line(rs, o, origin, lineno, builtin, diag);
		}
		json_object_put(o);
		if (k == LH_FATAL)
			goto oom;
		if (k < rc)
			rc = k;
		pos += n + 1;
	}
	json_tokener_free(tok);
	share(rs);
	return rc;
oom:
	json_tokener_free(tok);
	lh_diag_add(diag, LH_FATAL, "%s: out of memory", origin);
	return LH_FATAL;
}

size_t
lh_ruleset_count(const struct lh_ruleset *rs)
{
	return rs->n;
}

const struct lh_rule *
lh_ruleset_get(const struct lh_ruleset *rs, size_t i)
{
	return i < rs->n ? rs->r[i] : NULL;
}

int
lh_ruleset_find(const struct lh_ruleset *rs, const char *key,
    struct lh_err *err)
{
	size_t i, klen = strlen(key);
	int found = -1, count = 0;

	for (i = 0; i < rs->n; i++) {
		if (strcmp(rs->r[i]->rule_id, key) == 0 ||
		    strcasecmp(rs->r[i]->name, key) == 0)
			return (int)i;
	}
	for (i = 0; i < rs->n && klen > 0; i++) {
		if (strncasecmp(rs->r[i]->rule_id, key, klen) == 0 ||
		    strncasecmp(rs->r[i]->name, key, klen) == 0) {
			found = (int)i;
			count++;
		}
	}
	if (count == 1)
		return found;
	lh_err_set(err, LH_FAIL, 0, count == 0 ? "no rule matches '%s'" :
	    "'%s' matches several rules; give more of the id or name", key);
	return -1;
}

void
lh_ruleset_keep(struct lh_ruleset *rs, const int *keep)
{
	size_t i, j = 0;

	for (i = 0; i < rs->n; i++) {
		if (keep[i])
			rs->r[j++] = rs->r[i];
		else
			rule_free(rs->r[i]);
	}
	rs->n = j;
	share(rs);
}
