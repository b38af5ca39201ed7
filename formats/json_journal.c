/*
 * json_journal.c: journal JSON (journalctl -o json) as an event, through
 * the shared journald field map (see json_int.h, kind 1).
 */
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/event.h"
#include "core/status.h"
#include "formats/journald_map.h"
#include "formats/json_int.h"

int
lh_json_is_journal(struct json_object *o)
{
	return json_object_object_get_ex(o, "MESSAGE", NULL) ||
	    json_object_object_get_ex(o, "__REALTIME_TIMESTAMP", NULL) ||
	    json_object_object_get_ex(o, "__CURSOR", NULL);
}

/* Invalid journal field names are refused by journald_map: ignored. */
static int
jfield(struct lh_event *ev, const char *k, const char *v, size_t n)
{
	int rc = lh_journald_map_field(ev, k, strlen(k), v, n);

	return rc == LH_WARN ? LH_OK : rc;
}

/* An array of numbers 0..255 into d->bytes: 1, or 0 when it is not one. */
static int
byte_array(struct lh_json_doc *d, struct json_object *a)
{
	size_t i, n = json_object_array_length(a);

	lh_buf_reset(&d->bytes);
	if (n == 0 || lh_buf_reserve(&d->bytes, n + 1) != LH_OK)
		return 0;
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		int64_t b;

		if (!json_object_is_type(e, json_type_int))
			return 0;
		if ((b = json_object_get_int64(e)) < 0 || b > 255)
			return 0;
		d->bytes.p[d->bytes.len++] = (char)b;
	}
	return 1;
}

/* One value of a journal field (json_int.h DESIGN, kind 1). */
static int
journal_value(struct lh_json_doc *d, struct lh_event *ev, const char *k,
    struct json_object *v, int nested)
{
	const char *text;
	size_t i, n;
	int rc = LH_OK;

	switch (json_object_get_type(v)) {
	case json_type_null:
	case json_type_object:
		return LH_OK;
	case json_type_string:
		return jfield(ev, k, json_object_get_string(v),
		    (size_t)json_object_get_string_len(v));
	case json_type_array:
		if (byte_array(d, v))
			return jfield(ev, k, d->bytes.p, d->bytes.len);
		if (nested)
			return LH_OK;
		n = json_object_array_length(v);
		for (i = 0; i < n && rc == LH_OK; i++)
			rc = journal_value(d, ev, k,
			    json_object_array_get_idx(v, i), 1);
		return rc;
	default:
		/* n is set by the call: not in the same argument list */
		text = json_object_to_json_string_length(v,
		    JSON_C_TO_STRING_PLAIN, &n);
		return jfield(ev, k, text, n);
	}
}

/* See DESIGN of json_int.h, kind 1. */
int
lh_json_journal(struct lh_json_doc *d, struct json_object *o,
    struct lh_event *ev)
{
	struct json_object_iterator it, end;
	int rc;

	it = json_object_iter_begin(o);
	end = json_object_iter_end(o);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		rc = journal_value(d, ev, json_object_iter_peek_name(&it),
		    json_object_iter_peek_value(&it), 0);
		if (rc != LH_OK)
			return rc;
	}
	if ((rc = lh_journald_map_finish(ev, d->opts->lazy_auth)) == LH_WARN)
		return lh_json_doc_warn(d, ev,
		    "journal entry without a usable __REALTIME_TIMESTAMP");
	return rc;
}
