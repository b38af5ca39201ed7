/*
 * json_ecs.c: a json-c document as flattened ECS fields (see json_int.h):
 * looking values up by dotted path, reading @timestamp, flattening, and
 * the ECS kind of document.
 */
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/event.h"
#include "core/num.h"
#include "core/status.h"
#include "core/time.h"
#include "formats/json_int.h"

void
lh_json_doc_free(struct lh_json_doc *d)
{
	lh_buf_free(&d->name);
	lh_buf_free(&d->bytes);
}

int
lh_json_doc_warn(struct lh_json_doc *d, const struct lh_event *ev,
    const char *what)
{
	if (d->pending.status == LH_OK)
		lh_err_set(&d->pending, LH_WARN, 0, "%s:%llu: %s", d->src->path,
		    (unsigned long long)ev->line, what);
	return LH_OK;
}

struct json_object *
lh_json_get_path(struct json_object *o, const char *path)
{
	struct json_object_iterator it, end;
	size_t kl;

	if (!json_object_is_type(o, json_type_object))
		return NULL;
	it = json_object_iter_begin(o);
	end = json_object_iter_end(o);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *k = json_object_iter_peek_name(&it);
		struct json_object *v = json_object_iter_peek_value(&it);

		kl = strlen(k);
		if (strncmp(path, k, kl) != 0)
			continue;
		if (path[kl] == '\0' && v != NULL)
			return v;
		if (path[kl] == '.' &&
		    (v = lh_json_get_path(v, path + kl + 1)) != NULL)
			return v;
	}
	return NULL;
}

int
lh_json_path_is(struct json_object *o, const char *path, const char *want)
{
	struct json_object *v = lh_json_get_path(o, path);

	return json_object_is_type(v, json_type_string) &&
	    strcmp(json_object_get_string(v), want) == 0;
}

/*
 * epoch_millis as a string: an optional '-' and 1..15 digits into *ms.
 * lh_num_parse alone would also take a '+' and longer digit strings.
 */
static int
epoch_millis(const char *p, size_t n, int64_t *ms)
{
	size_t digits = n > 0 && p[0] == '-' ? n - 1 : n;

	return digits <= 15 && (n == 0 || p[0] != '+') &&
	    lh_num_parse(p, n, INT64_MIN, INT64_MAX, ms) == LH_OK;
}

int
lh_json_time_millis(int64_t ms, int64_t *us, int64_t *prec)
{
	if (ms <= -9000000000000000LL / 1000 || ms >= 9000000000000000LL / 1000)
		return LH_WARN;
	*us = ms * 1000;
	*prec = 1000;
	return LH_OK;
}

int
lh_json_time_text(const struct lh_json_doc *d, const char *p, size_t n,
    int64_t *us, int64_t *prec)
{
	int64_t ms;
	size_t used;

	if (epoch_millis(p, n, &ms))
		return lh_json_time_millis(ms, us, prec);
	if (lh_time_parse_iso(p, n, d->opts->tz, 1, us, prec, &used) != LH_OK ||
	    used != n)
		return LH_WARN;
	return LH_OK;
}

int
lh_json_doc_time(const struct lh_json_doc *d, struct json_object *o,
    int64_t *us, int64_t *prec)
{
	struct json_object *t = NULL;
	double x;

	if (!json_object_object_get_ex(o, "@timestamp", &t) || t == NULL)
		return LH_EOF;
	switch (json_object_get_type(t)) {
	case json_type_int:
		return lh_json_time_millis(json_object_get_int64(t), us, prec);
	case json_type_double:
		x = json_object_get_double(t);
		if (!(x > -9e15 && x < 9e15))
			return LH_WARN;
		*us = (int64_t)(x * 1000.0 + (x < 0 ? -0.5 : 0.5));
		*prec = x == (double)(int64_t)x ? 1000 : 1;
		return LH_OK;
	case json_type_string:
		return lh_json_time_text(d, json_object_get_string(t),
		    (size_t)json_object_get_string_len(t), us, prec);
	default:
		return LH_WARN;
	}
}

/* A scalar as a field: strings as they are, numbers and booleans as text. */
static int
leaf(struct lh_json_doc *d, struct lh_event *ev, struct json_object *o,
    const char **name)
{
	const char *v;
	size_t n;

	if (ev->nfield >= JSON_MAX_FIELDS || d->name.len > JSON_MAX_NAME) {
		d->truncated = 1;
		return LH_OK;
	}
	if (*name == NULL && (*name = lh_event_strdup(ev,
	    d->name.p != NULL ? d->name.p : "", d->name.len)) == NULL)
		return LH_FATAL;
	if (json_object_is_type(o, json_type_string)) {
		v = json_object_get_string(o);
		n = (size_t)json_object_get_string_len(o);
	} else {
		v = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN,
		    &n);
	}
	return lh_event_addcopy(ev, *name, v, n);
}

static int flatten(struct lh_json_doc *, struct lh_event *,
    struct json_object *, int);

/* Elements of an array: repeated fields; objects flattened each. */
static int
flatten_array(struct lh_json_doc *d, struct lh_event *ev, struct json_object *a)
{
	const char *name = NULL;
	size_t i, n = json_object_array_length(a);
	int rc = LH_OK;

	for (i = 0; i < n && rc == LH_OK; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		if (e == NULL)
			continue;
		if (json_object_is_type(e, json_type_object) ||
		    json_object_is_type(e, json_type_array))
			rc = flatten(d, ev, e, 0);
		else
			rc = leaf(d, ev, e, &name);
	}
	return rc;
}

/*
 * Adds o under the dotted name in d->name.  skip_msg (top level only):
 * 0 keeps message, 1 leaves it out; @timestamp is left out at the top
 * level in any case (it is ev->ts).
 */
static int
flatten(struct lh_json_doc *d, struct lh_event *ev, struct json_object *o,
    int skip_msg)
{
	struct json_object_iterator it, end;
	size_t mark = d->name.len;
	const char *name = NULL;
	int rc = LH_OK;

	if (json_object_is_type(o, json_type_array))
		return flatten_array(d, ev, o);
	if (!json_object_is_type(o, json_type_object))
		return o == NULL ? LH_OK : leaf(d, ev, o, &name);
	it = json_object_iter_begin(o);
	end = json_object_iter_end(o);
	for (; rc == LH_OK && !json_object_iter_equal(&it, &end);
	    json_object_iter_next(&it)) {
		const char *k = json_object_iter_peek_name(&it);

		if (skip_msg >= 0 && (strcmp(k, "@timestamp") == 0 ||
		    (skip_msg && strcmp(k, "message") == 0)))
			continue;
		if ((mark > 0 && lh_buf_putc(&d->name, '.') != LH_OK) ||
		    lh_buf_puts(&d->name, k) != LH_OK)
			return LH_FATAL;
		rc = flatten(d, ev, json_object_iter_peek_value(&it), -1);
		d->name.len = mark;
		d->name.p[mark] = '\0';
	}
	return rc;
}

int
lh_json_flatten(struct lh_json_doc *d, struct lh_event *ev,
    struct json_object *o, int skip_msg)
{
	lh_buf_reset(&d->name);
	if (lh_buf_reserve(&d->name, 64) != LH_OK)
		return LH_FATAL;
	d->name.p[0] = '\0';
	return flatten(d, ev, o, skip_msg);
}

/* See DESIGN of json_int.h, kind 3. */
int
lh_json_ecs(struct lh_json_doc *d, struct json_object *o, struct lh_event *ev)
{
	int64_t us = LH_TS_NONE, prec = 1;
	int rc, trc;

	if ((rc = lh_json_flatten(d, ev, o, 0)) != LH_OK)
		return rc;
	if ((trc = lh_json_doc_time(d, o, &us, &prec)) == LH_OK) {
		ev->ts = us;
		ev->ts_prec = prec;
	} else if (trc == LH_WARN) {
		return lh_json_doc_warn(d, ev,
		    "@timestamp not understood; the event has no time");
	}
	return LH_OK;
}
