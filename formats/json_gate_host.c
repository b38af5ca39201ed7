/*
 * json_gate_host.c: the host of a JSON document read from its raw bytes
 * (the records of json_gate.c's scanner), as the event will name it, so
 * that the time map (core/timemap.h) can give a chunk of one host's
 * documents to that host's alerts only.
 *
 * DESIGN
 * The context pass keeps an event by host.hostname, else host.name
 * (cli/triage.c).  A document's event gets them as its kind says
 * (json_int.h DESIGN): journal JSON maps _HOSTNAME to host.hostname
 * (journald_map.c; no other journal field gives either name, since
 * "host.hostname" is not a journal field name); an ECS document, and the
 * journald and syslog inputs built on it, flatten the document
 * (json_ecs.c), whose first field of the name is the one looked up; a
 * Filebeat document's grok replaces the document's host.hostname with
 * its own when it reads one (json_filebeat.c merge_grok).  Nothing else
 * (auth_message.c, the pipelines' steps) sets either name; a document
 * that names none may get the host of its evidence root (core/scan.c),
 * which the format does not know: then the host is not known.
 *
 * Flattening joins the keys on the way to a scalar with dots, an empty
 * name before the first non-empty key adding none, and steps through
 * arrays without a name: "host.hostname" comes from a key of that name,
 * or "host" then "hostname", after any number of empty keys, through any
 * arrays.  The records hold the keys of three levels, not those inside
 * arrays: an empty key or an array on that way makes the host unknown, as
 * does a key given twice, a value that is not a string (json-c prints
 * numbers its own way), an escape json-c would pair as a surrogate, or a
 * document big enough to reach JSON_MAX_FIELDS fields (each takes two
 * bytes at least), which would drop fields.
 *
 * Which record the host is read from depends on the layout alone (names,
 * types, keys given twice), so it is worked out with the plan of the
 * layout (lh_json_gate_plan_host: the record, HOST_ABSENT or HOST_DUNNO),
 * and only its value is read for each document (an escape json-c would
 * pair, or a document of too many fields, still make it unknown).
 */
#include <stddef.h>
#include <string.h>

#include "core/buf.h"
#include "core/event.h"
#include "core/status.h"
#include "formats/json_gate_int.h"
#include "formats/json_int.h"

enum { FOUND, ABSENT, DUNNO };

/*
 * The record whose string value the host is (FOUND with *k), for a value
 * v of record k: ABSENT for null or an object (no field of that name),
 * DUNNO for what json-c prints its own way.
 */
static int
leaf(const struct val *v, int k, int *rk)
{
	if (v->type == V_NULL || v->type == V_OBJ)
		return ABSENT;
	if (v->type != V_STR)
		return DUNNO;
	*rk = k;
	return FOUND;
}

/* The record of value v (a record's). */
static int
rec(struct lh_json_rawtime *r, const struct val *v)
{
	return lh_json_gate_key_of(r, v);
}

/* Whether key k is the n bytes at s. */
static int
key_is(const struct key *k, const char *s, size_t n)
{
	return k->n == n && memcmp(k->p, s, n) == 0;
}

/* The key "host" of the document: its "hostname" or "name" (sub). */
static int
in_host(struct lh_json_rawtime *r, const struct val *v, const char *sub,
    int *rk)
{
	const struct key *k;
	size_t sl = strlen(sub);
	int i;

	if (v->type == V_ARR)
		return DUNNO;	/* objects in it would be flattened too */
	if (v->type != V_OBJ)
		return ABSENT;
	if (v->obj < 0)
		return DUNNO;
	for (i = r->L->objs[v->obj].first; i >= 0; i = k->next) {
		k = &r->L->keys[i];
		if (!key_is(k, sub, sl))
			continue;
		if (k->twice)
			return DUNNO;
		return leaf(&k->v, i, rk);
	}
	return ABSENT;
}

/*
 * The first field "host." + sub that flattening the object of record oi
 * makes (see DESIGN): FOUND (its record *rk), ABSENT or DUNNO.
 */
static int
flat_host(struct lh_json_rawtime *r, int oi, const char *sub, int *rk)
{
	const struct key *k;
	size_t sl = strlen(sub);
	int i, rc;

	if (oi < 0)
		return DUNNO;
	for (i = r->L->objs[oi].first; i >= 0; i = k->next) {
		k = &r->L->keys[i];
		if (k->n == 0 && (k->v.type == V_OBJ || k->v.type == V_ARR))
			return DUNNO;
		if (key_is(k, "host", 4))
			rc = in_host(r, &k->v, sub, rk);
		else if (k->n == 5 + sl && memcmp(k->p, "host.", 5) == 0 &&
		    memcmp(k->p + 5, sub, sl) == 0)
			rc = k->v.type == V_ARR ? DUNNO : leaf(&k->v, i, rk);
		else
			continue;
		if (k->twice)
			return DUNNO;
		if (rc != ABSENT)
			return rc;
	}
	return ABSENT;
}

/* journald_map.c: host.hostname is the first _HOSTNAME field. */
static int
journal_host(struct lh_json_rawtime *r, int o, int *rk)
{
	const struct val *v;

	r->bad = 0;
	v = lh_json_gate_exact(r, o, "_HOSTNAME");
	if (r->bad)
		return DUNNO;
	if (v == NULL)
		return ABSENT;
	/* an array is repeated fields or bytes: left to the parse */
	return v->type == V_OBJ ? ABSENT : leaf(v, rec(r, v), rk);
}

void
lh_json_gate_plan_host(struct lh_json_rawtime *r, struct plan *pl)
{
	int bad = r->bad, rk = -1, rc;

	if (pl->kind == JG_JOURNAL)
		rc = journal_host(r, pl->o, &rk);
	else if ((rc = flat_host(r, pl->o, "hostname", &rk)) == ABSENT)
		rc = flat_host(r, pl->o, "name", &rk);
	r->bad = bad;
	pl->host = rc == FOUND ? rk : rc == ABSENT ? HOST_ABSENT : HOST_DUNNO;
}

/*
 * The host of the plan's record k (a string), as the event names it: 1
 * with *p, *n (borrowed from the document or r->host), or 0 for an escape
 * json-c would pair as a surrogate.
 */
static int
host_value(struct lh_json_rawtime *r, int k, const char **p, size_t *n)
{
	const struct val *v = &r->L->keys[k].v;

	if (!v->esc) {
		*p = v->p;
		*n = v->n;
		return 1;
	}
	if (!lh_json_gate_unescape(&r->host, v))
		return 0;
	*p = r->host.len > 0 ? r->host.p : "";
	*n = r->host.len;
	return 1;
}

int
lh_json_rawhost(struct lh_json_rawtime *r, const char **host, size_t *hlen)
{
	const struct lh_field *f;
	int k = r->pl != NULL ? r->pl->host : HOST_DUNNO;

	switch (r->kind) {
	case JG_JOURNAL:
		break;
	case JG_GROK:
		if ((f = lh_event_get(&r->ev, LH_F_HOSTNAME)) != NULL) {
			*host = f->val;
			*hlen = f->len;
			return 1;
		}
		/* FALLTHROUGH */
	case JG_ECS:
		/* a flattened document of too many fields drops some */
		if (r->doclen / 2 >= JSON_MAX_FIELDS)
			return 0;
		break;
	default:
		return 0;
	}
	return k >= 0 && host_value(r, k, host, hlen);
}
