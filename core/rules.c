/*
 * rules.c: loading Kibana rule-export NDJSON with json-c.
 *
 * core/ links json-c here (and only here) because rules are data the core
 * owns; the event formats that read JSON live in formats/.
 */
#include <ctype.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/rules.h"
#include "core/status.h"

struct lh_ruleset {
	struct lh_rule **r;
	size_t n, cap;
};

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
		free(v[i]);
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

/*
 * Builds a rule from one parsed line; NULL with why filled if refused, or
 * with why NULL when out of memory.
 */
static struct lh_rule *
make_rule(struct json_object *o, const char **why, struct lh_err *err)
{
	struct lh_rule *r = calloc(1, sizeof(*r));
	int oom = 0;
	char *type = str_of(o, "type", &oom);
	char *lang = str_of(o, "language", &oom);
	struct json_object *v;

	*why = NULL;
	if (r == NULL)
		goto fail;
	r->rule_id = str_of(o, "rule_id", &oom);
	r->name = str_of(o, "name", &oom);
	r->description = str_of(o, "description", &oom);
	r->severity = str_of(o, "severity", &oom);
	r->note = str_of(o, "note", &oom);
	r->query = str_of(o, "query", &oom);
	if (json_object_object_get_ex(o, "risk_score", &v))
		r->risk_score = json_object_get_int(v);
	r->index = strv_of(o, "index", &r->nindex, &oom);
	r->tags = strv_of(o, "tags", &r->ntags, &oom);
	load_threat(r, o, &oom);
	if (oom)
		goto fail;
	if (r->rule_id == NULL || r->name == NULL)
		*why = "no rule_id or name";
	else if (type == NULL || strcmp(type, "query") != 0)
		*why = "type is not \"query\" (only KQL query rules run)";
	else if (lang == NULL || strcmp(lang, "kuery") != 0)
		*why = "language is not \"kuery\" (only KQL runs)";
	else if (r->query == NULL)
		*why = "no query";
	else if ((r->kql = lh_kql_compile(r->query, strlen(r->query),
	    err)) == NULL)
		*why = err->status == LH_FATAL ? NULL : err->msg;
	if (*why != NULL || r->kql == NULL)
		goto fail;
	if (r->severity == NULL && (r->severity = strdup("low")) == NULL)
		goto fail;
	lh_kql_required_words(r->kql, &r->words);
	free(type);
	free(lang);
	return r;
fail:
	free(type);
	free(lang);
	rule_free(r);
	return NULL;
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
}
