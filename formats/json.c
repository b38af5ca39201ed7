/*
 * json.c: JSON documents (json-c): journalctl -o json, Filebeat output whose
 * message is still the raw line, and ECS documents (Elasticsearch exports).
 *
 * DESIGN
 * Reading.  The line reader feeds one json_tokener, which keeps its state
 * across json_tokener_parse_ex() calls, so one code path reads NDJSON (a
 * document per line), pretty-printed files and concatenated documents.  A
 * top-level array is read element by element as a stream (its '[' ',' ']'
 * are skipped between values), so a large export in one array costs the
 * memory of one element, and every element keeps its own line number.  The
 * test-fixture wrappers {"events":[...]}, {"expected":[...]} and a search
 * response {"hits":{"hits":[...]}} are parsed whole and handed out one
 * element per call.  Hostile input is bounded: nesting depth 64
 * (json_tokener_new_ex), documents of at most JSON_MAX_DOC bytes, field
 * names of at most JSON_MAX_NAME bytes, JSON_MAX_FIELDS fields.  After a
 * document that breaks a limit or is not JSON, reading resumes at the next
 * line that starts a document ('{' then a key or the end of the line) no
 * further right than where the broken document started (the next NDJSON
 * line, the next element of a pretty-printed array), with one warning.
 *
 * Kind of document (decided per document, in this order):
 *  1. journal JSON: a top-level MESSAGE, __REALTIME_TIMESTAMP or __CURSOR
 *     key (journal field names are upper case); every field goes through
 *     core/journald, a value that is an array of numbers 0..255 is the bytes
 *     of a non-UTF-8 field (journalctl(1) --output=json), an array of
 *     strings a repeated field, null an absent one.
 *  2. Filebeat output before the ingest pipeline (elastic-semantics §5.5):
 *     not _source-wrapped, a string message, no process.name, no
 *     event.ingested (the pipeline's first processor sets it), not the
 *     journald input, and either @metadata.beat "filebeat" or input.type
 *     with fileset.name "syslog", event.module "system" or
 *     data_stream.dataset "system.syslog".  The pipeline's grok and date
 *     steps run on message (lh_syslog_header_grok): the year of an RFC 3164 stamp
 *     comes from the document's @timestamp (Filebeat's read time), the zone
 *     from event.timezone when it is an offset.
 *  3. anything else is an ECS document, evaluated as it stands: flattened
 *     to dotted names, {"_source":...} unwrapped, no constants added.
 *
 * json-c objects never leave this file: every value is copied into the
 * event's arena, and every root is released with json_object_put() before
 * the next document (a wrapper's root lives until its last element).  The
 * state belongs to one thread; lh_tz_parse() is never called here, since a
 * zone name would setenv(3) TZ under running workers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/format.h"
#include "core/prefilter.h"
#include "core/status.h"
#include "formats/journald_map.h"
#include "formats/syslog_header.h"

#define JSON_MAX_DEPTH	64
#define JSON_MAX_DOC	((size_t)LH_MAX_LINE * 8)
#define JSON_MAX_NAME	1024
#define JSON_MAX_FIELDS	100000
/*
 * json-c 0.16 spends about 4 KiB on an object (its hash table, measured
 * with valgrind massif) and 80 bytes on any other value, so a document is
 * also limited in what it holds: 8 MiB of "{}," would otherwise take
 * gigabytes.  Real ECS documents have tens of objects.
 */
#define JSON_MAX_OBJECTS	2000
#define JSON_MAX_VALUES		200000

struct json_state {
	struct lh_source *src;
	struct lh_parse_opts opts;
	struct json_tokener *tok;

	const char *line;	/* the current line, valid until lh_lines_next */
	size_t len, pos;	/* its length and the next byte to read */
	uint64_t lineno, lineoff;
	int nl;			/* a line break is owed to the tokener */
	int eof;

	int in_doc;		/* the tokener holds part of a document */
	uint64_t doc_line, doc_off;
	size_t doc_col, doc_bytes;
	size_t nobj, nval;	/* containers and values counted so far */
	int in_str, esc;	/* where the count is: inside a string */
	int in_array;		/* between the elements of a top-level array */
	int resync;		/* skipping to a line starting a document */
	size_t sync_col;

	struct json_object *wrap_root;	/* a wrapper being handed out */
	struct json_object *wrap;
	size_t wrap_i;
	uint64_t wrap_line, wrap_off;

	struct lh_buf name;	/* dotted name being built */
	struct lh_buf bytes;	/* a journal byte-array value */
	int truncated;		/* fields were dropped from this event */
	struct lh_tz doc_tz;	/* event.timezone of a Filebeat document */
	struct lh_err pending;	/* a warning owed after an event */
};

static int
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	    c == '\v';
}

/* ---- probing --------------------------------------------------------- */

/* Whether the rest of the line after a complete first value is empty. */
static int
ends_line(const char *p, size_t n, size_t i)
{
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
		i++;
	return i == n || p[i] == '\n' || p[i] == '{' || p[i] == ',';
}

/*
 * A dmesg line ("[ 12.345] msg") also starts with '[' and even begins with
 * a valid JSON array; it is told apart by the text after the value.
 */
static int
json_probe(const char *p, size_t n)
{
	struct json_tokener *tok;
	struct json_object *o = NULL;
	enum json_tokener_error e;
	size_t i = 0, j;
	int score = 0;

	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && is_blank((unsigned char)p[i]))
		i++;
	if (i == n || (p[i] != '{' && p[i] != '['))
		return 0;
	if ((tok = json_tokener_new_ex(JSON_MAX_DEPTH)) == NULL)
		return 0;
	/* 4 KiB tell enough, and 64 KiB of "{}," would cost 80 MB here. */
	if (n - i > 4096)
		n = i + 4096;
	o = json_tokener_parse_ex(tok, p + i, (int)(n - i));
	e = json_tokener_get_error(tok);
	if (e == json_tokener_success)
		score = ends_line(p, n, i + json_tokener_get_parse_end(tok)) ?
		    90 : 0;
	else if (e == json_tokener_continue)
		score = 90;
	else if (p[i] == '{') {
		/* Damaged, but still more JSON than anything else. */
		for (j = i + 1; j < n && is_blank((unsigned char)p[j]); j++)
			;
		score = j < n && p[j] == '"' ? 50 : 0;
	}
	json_object_put(o);
	json_tokener_free(tok);
	return score;
}

/* ---- open / close ------------------------------------------------------ */

static int
json_open(void **state, struct lh_source *src,
    const struct lh_parse_opts *opts, struct lh_err *err)
{
	struct json_state *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return lh_err_set(err, LH_FATAL, 0, "out of memory");
	if ((s->tok = json_tokener_new_ex(JSON_MAX_DEPTH)) == NULL) {
		free(s);
		return lh_err_set(err, LH_FATAL, 0, "out of memory");
	}
	s->src = src;
	s->opts = *opts;
	lh_err_clear(&s->pending);
	*state = s;
	return LH_OK;
}

static void
json_close(void *state)
{
	struct json_state *s = state;

	if (s == NULL)
		return;
	json_tokener_free(s->tok);
	json_object_put(s->wrap_root);
	lh_buf_free(&s->name);
	lh_buf_free(&s->bytes);
	free(s);
}

/* ---- looking into a document ------------------------------------------- */

/*
 * The value at a dotted path, whether the document nests it ("event":
 * {"module": ...}), dots it ("event.module": ...) or mixes both; NULL when
 * absent or null.
 */
static struct json_object *
get_path(struct json_object *o, const char *path)
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
		if (path[kl] == '.' && (v = get_path(v, path + kl + 1)) != NULL)
			return v;
	}
	return NULL;
}

/* Whether the string at path equals want. */
static int
path_is(struct json_object *o, const char *path, const char *want)
{
	struct json_object *v = get_path(o, path);

	return json_object_is_type(v, json_type_string) &&
	    strcmp(json_object_get_string(v), want) == 0;
}

static int
is_journal(struct json_object *o)
{
	return json_object_object_get_ex(o, "MESSAGE", NULL) ||
	    json_object_object_get_ex(o, "__REALTIME_TIMESTAMP", NULL) ||
	    json_object_object_get_ex(o, "__CURSOR", NULL);
}

/* See DESIGN, kind 2. */
static int
is_filebeat_raw(struct json_object *o)
{
	struct json_object *input = get_path(o, "input.type");

	if (!json_object_is_type(get_path(o, "message"), json_type_string) ||
	    get_path(o, "process.name") != NULL ||
	    get_path(o, "event.ingested") != NULL ||
	    get_path(o, "journald") != NULL ||
	    path_is(o, "input.type", "journald"))
		return 0;
	if (path_is(o, "@metadata.beat", "filebeat"))
		return 1;
	return input != NULL && (path_is(o, "fileset.name", "syslog") ||
	    path_is(o, "event.module", "system") ||
	    path_is(o, "data_stream.dataset", "system.syslog"));
}

/*
 * The wrappers of a list of documents (see DESIGN), or NULL.  An object
 * that has a message or @timestamp of its own is a document.
 */
static struct json_object *
wrapped_array(struct json_object *o)
{
	static const char *const keys[] = { "events", "expected", "hits.hits" };
	struct json_object *a;
	size_t i;

	if (json_object_object_get_ex(o, "message", NULL) ||
	    json_object_object_get_ex(o, "@timestamp", NULL))
		return NULL;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		a = get_path(o, keys[i]);
		if (json_object_is_type(a, json_type_array) &&
		    (json_object_array_length(a) == 0 ||
		    json_object_is_type(json_object_array_get_idx(a, 0),
		    json_type_object)))
			return a;
	}
	return NULL;
}

/* ---- time --------------------------------------------------------------- */

static int
all_digits(const char *p, size_t n)
{
	size_t i = (n > 0 && p[0] == '-') ? 1 : 0;

	if (i == n || n - i > 15)
		return 0;
	for (; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

/*
 * @timestamp as Elasticsearch's date type reads it by default
 * (strict_date_optional_time||epoch_millis): an ISO 8601 string, or
 * milliseconds since the epoch as a number or a string of digits.  LH_OK,
 * LH_EOF when absent, LH_WARN when not understood.
 */
static int
doc_time(struct json_state *s, struct json_object *o, int64_t *us,
    int64_t *prec)
{
	struct json_object *t = NULL;
	const char *p;
	size_t n, used;
	double d;

	if (!json_object_object_get_ex(o, "@timestamp", &t) || t == NULL)
		return LH_EOF;
	switch (json_object_get_type(t)) {
	case json_type_int:
		*us = json_object_get_int64(t);
		goto millis;
	case json_type_double:
		d = json_object_get_double(t);
		if (!(d > -9e15 && d < 9e15))
			return LH_WARN;
		*us = (int64_t)(d * 1000.0 + (d < 0 ? -0.5 : 0.5));
		*prec = d == (double)(int64_t)d ? 1000 : 1;
		return LH_OK;
	case json_type_string:
		p = json_object_get_string(t);
		n = (size_t)json_object_get_string_len(t);
		if (all_digits(p, n)) {
			*us = strtoll(p, NULL, 10);
			goto millis;
		}
		if (lh_time_parse_iso(p, n, s->opts.tz, 1, us, prec, &used) !=
		    LH_OK || used != n)
			return LH_WARN;
		return LH_OK;
	default:
		return LH_WARN;
	}
millis:
	if (*us <= -9000000000000000LL / 1000 ||
	    *us >= 9000000000000000LL / 1000)
		return LH_WARN;
	*us *= 1000;
	*prec = 1000;
	return LH_OK;
}

static int
two_digits(const char *p, int *v)
{
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return -1;
	*v = (p[0] - '0') * 10 + (p[1] - '0');
	return 0;
}

/*
 * A fixed zone from event.timezone: add_locale writes "+02:00"; Java's
 * ZoneId, which the pipeline's date processor uses, also takes "Z", "UTC",
 * "GMT-0200", "+2".  Names ("Europe/Berlin") are not resolved: -1.
 */
static int
zone_offset(const char *z, struct lh_tz *tz)
{
	int sign, hh, mm = 0;
	size_t n;

	if (strncmp(z, "UTC", 3) == 0 || strncmp(z, "GMT", 3) == 0)
		z += 3;
	else if (strncmp(z, "UT", 2) == 0)
		z += 2;
	else if (strcmp(z, "Z") == 0)
		z++;
	lh_tz_utc(tz);
	if (*z == '\0')
		return 0;
	if (*z != '+' && *z != '-')
		return -1;
	sign = *z++ == '-' ? -1 : 1;
	n = strlen(z);
	if (n == 1 && z[0] >= '0' && z[0] <= '9')
		hh = z[0] - '0';
	else if (n < 2 || two_digits(z, &hh) != 0)
		return -1;
	else if (n == 5 && z[2] == ':' && two_digits(z + 3, &mm) == 0)
		;
	else if (n == 4 && two_digits(z + 2, &mm) == 0)
		;
	else if (n != 2)
		return -1;
	if (hh > 18 || mm > 59)
		return -1;
	tz->offset = sign * (hh * 3600L + mm * 60L);
	snprintf(tz->name, sizeof(tz->name), "%c%02d:%02d",
	    sign < 0 ? '-' : '+', hh, mm);
	return 0;
}

/* ---- flattening --------------------------------------------------------- */

/* A scalar as a field: strings as they are, numbers and booleans as text. */
static int
leaf(struct json_state *s, struct lh_event *ev, struct json_object *o,
    const char **name)
{
	const char *v;
	size_t n;

	if (ev->nfield >= JSON_MAX_FIELDS || s->name.len > JSON_MAX_NAME) {
		s->truncated = 1;
		return LH_OK;
	}
	if (*name == NULL && (*name = lh_event_strdup(ev,
	    s->name.p != NULL ? s->name.p : "", s->name.len)) == NULL)
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

static int flatten(struct json_state *, struct lh_event *, struct json_object *,
    int);

/* Elements of an array: repeated fields; objects flattened each. */
static int
flatten_array(struct json_state *s, struct lh_event *ev, struct json_object *a)
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
			rc = flatten(s, ev, e, 0);
		else
			rc = leaf(s, ev, e, &name);
	}
	return rc;
}

/*
 * Adds o under the dotted name in s->name.  skip_msg (top level only):
 * 0 keeps message, 1 leaves it out; @timestamp is left out at the top
 * level in any case (it is ev->ts).
 */
static int
flatten(struct json_state *s, struct lh_event *ev, struct json_object *o,
    int skip_msg)
{
	struct json_object_iterator it, end;
	size_t mark = s->name.len;
	const char *name = NULL;
	int rc = LH_OK;

	if (json_object_is_type(o, json_type_array))
		return flatten_array(s, ev, o);
	if (!json_object_is_type(o, json_type_object))
		return o == NULL ? LH_OK : leaf(s, ev, o, &name);
	it = json_object_iter_begin(o);
	end = json_object_iter_end(o);
	for (; rc == LH_OK && !json_object_iter_equal(&it, &end);
	    json_object_iter_next(&it)) {
		const char *k = json_object_iter_peek_name(&it);

		if (skip_msg >= 0 && (strcmp(k, "@timestamp") == 0 ||
		    (skip_msg && strcmp(k, "message") == 0)))
			continue;
		if ((mark > 0 && lh_buf_putc(&s->name, '.') != LH_OK) ||
		    lh_buf_puts(&s->name, k) != LH_OK)
			return LH_FATAL;
		rc = flatten(s, ev, json_object_iter_peek_value(&it), -1);
		s->name.len = mark;
		s->name.p[mark] = '\0';
	}
	return rc;
}

/* Flattens a whole document (see flatten) from the top level. */
static int
flatten_doc(struct json_state *s, struct lh_event *ev, struct json_object *o,
    int skip_msg)
{
	lh_buf_reset(&s->name);
	if (lh_buf_reserve(&s->name, 64) != LH_OK)
		return LH_FATAL;
	s->name.p[0] = '\0';
	return flatten(s, ev, o, skip_msg);
}

/* ---- the three kinds ---------------------------------------------------- */

static int
warn_event(struct json_state *s, const struct lh_event *ev, const char *what)
{
	if (s->pending.status == LH_OK)
		lh_err_set(&s->pending, LH_WARN, 0, "%s:%llu: %s", s->src->path,
		    (unsigned long long)ev->line, what);
	return LH_OK;
}

/* Invalid journal field names are refused by core/journald: ignored. */
static int
jfield(struct lh_event *ev, const char *k, const char *v, size_t n)
{
	int rc = lh_journald_map_field(ev, k, strlen(k), v, n);

	return rc == LH_WARN ? LH_OK : rc;
}

/* An array of numbers 0..255 into s->bytes: 1, or 0 when it is not one. */
static int
byte_array(struct json_state *s, struct json_object *a)
{
	size_t i, n = json_object_array_length(a);

	lh_buf_reset(&s->bytes);
	if (n == 0 || lh_buf_reserve(&s->bytes, n + 1) != LH_OK)
		return 0;
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		int64_t b;

		if (!json_object_is_type(e, json_type_int))
			return 0;
		if ((b = json_object_get_int64(e)) < 0 || b > 255)
			return 0;
		s->bytes.p[s->bytes.len++] = (char)b;
	}
	return 1;
}

/* One value of a journal field (see DESIGN, kind 1). */
static int
journal_value(struct json_state *s, struct lh_event *ev, const char *k,
    struct json_object *v, int nested)
{
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
		if (byte_array(s, v))
			return jfield(ev, k, s->bytes.p, s->bytes.len);
		if (nested)
			return LH_OK;
		n = json_object_array_length(v);
		for (i = 0; i < n && rc == LH_OK; i++)
			rc = journal_value(s, ev, k,
			    json_object_array_get_idx(v, i), 1);
		return rc;
	default:
		return jfield(ev, k, json_object_to_json_string_length(v,
		    JSON_C_TO_STRING_PLAIN, &n), n);
	}
}

static int
journal(struct json_state *s, struct json_object *o, struct lh_event *ev)
{
	struct json_object_iterator it, end;
	int rc;

	it = json_object_iter_begin(o);
	end = json_object_iter_end(o);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		rc = journal_value(s, ev, json_object_iter_peek_name(&it),
		    json_object_iter_peek_value(&it), 0);
		if (rc != LH_OK)
			return rc;
	}
	if ((rc = lh_journald_map_finish(ev)) == LH_WARN)
		return warn_event(s, ev,
		    "journal entry without a usable __REALTIME_TIMESTAMP");
	return rc;
}

static int
is_constant(const char *name)
{
	return strcmp(name, LH_F_DATASET) == 0 ||
	    strcmp(name, LH_F_DS_DATASET) == 0 ||
	    strcmp(name, LH_F_MODULE) == 0 || strcmp(name, LH_F_OS_TYPE) == 0;
}

static void
remove_at(struct lh_event *ev, size_t i)
{
	memmove(&ev->fields[i], &ev->fields[i + 1],
	    (ev->nfield - i - 1) * sizeof(ev->fields[0]));
	ev->nfield--;
}

/*
 * The grok's fields (from n0 on) replace the document's own fields of the
 * same name, as the pipeline's grok overwrites its targets (host.hostname);
 * but the dataset constants that Filebeat itself set stay as they were
 * (the document may be another fileset's, e.g. system.auth).
 */
static void
merge_grok(struct lh_event *ev, size_t n0)
{
	size_t i = n0, j;

	while (i < ev->nfield) {
		const char *name = ev->fields[i].name;
		int had = 0;

		for (j = 0; j < n0; j++)
			if (strcmp(ev->fields[j].name, name) == 0)
				had = 1;
		if (had && is_constant(name)) {
			remove_at(ev, i);
			continue;
		}
		for (j = 0; j < n0;) {
			if (strcmp(ev->fields[j].name, name) == 0) {
				remove_at(ev, j);
				n0--;
				i--;
			} else
				j++;
		}
		i++;
	}
}

/* See DESIGN, kind 2. */
static int
filebeat(struct json_state *s, struct json_object *o, struct lh_event *ev)
{
	struct json_object *m = get_path(o, "message");
	struct json_object *z = get_path(o, "event.timezone");
	struct lh_syslog_header_ctx ctx;
	int64_t read = LH_TS_NONE, prec = 1;
	size_t len = (size_t)json_object_get_string_len(m), n0;
	char *line;
	int rc, trc;

	if ((line = lh_event_strdup(ev, json_object_get_string(m), len)) ==
	    NULL)
		return LH_FATAL;
	trc = doc_time(s, o, &read, &prec);
	memset(&ctx, 0, sizeof(ctx));
	ctx.tz = s->opts.tz;
	if (json_object_is_type(z, json_type_string) &&
	    zone_offset(json_object_get_string(z), &s->doc_tz) == 0)
		ctx.tz = &s->doc_tz;
	ctx.ref = trc == LH_OK ? read : s->src->mtime;
	ctx.year = s->opts.year;
	if ((rc = flatten_doc(s, ev, o, 1)) != LH_OK)
		return rc;
	n0 = ev->nfield;
	if ((rc = lh_syslog_header_grok(line, len, &ctx, ev)) == LH_FATAL)
		return rc;
	merge_grok(ev, n0);
	if (rc == LH_WARN) {
		/* As in Elastic: the date step failed, @timestamp stays. */
		ev->ts = trc == LH_OK ? read : LH_TS_NONE;
		ev->ts_prec = trc == LH_OK ? prec : 1;
		ev->ts_flags = 0;
		if (lh_event_get(ev, LH_F_MESSAGE) == NULL &&
		    lh_event_add(ev, LH_F_MESSAGE, line, len) != LH_OK)
			return LH_FATAL;
		return warn_event(s, ev, "no syslog pattern fits the Filebeat "
		    "message; kept as a raw message");
	}
	return LH_OK;
}

static int
ecs(struct json_state *s, struct json_object *o, struct lh_event *ev)
{
	int64_t us = LH_TS_NONE, prec = 1;
	int rc, trc;

	if ((rc = flatten_doc(s, ev, o, 0)) != LH_OK)
		return rc;
	if ((trc = doc_time(s, o, &us, &prec)) == LH_OK) {
		ev->ts = us;
		ev->ts_prec = prec;
	} else if (trc == LH_WARN) {
		return warn_event(s, ev,
		    "@timestamp not understood; the event has no time");
	}
	return LH_OK;
}

/* One document into ev: LH_OK (maybe with a pending warning) or LH_FATAL. */
static int
document(struct json_state *s, struct json_object *o, struct lh_event *ev,
    uint64_t line, uint64_t off)
{
	struct json_object *src = NULL;
	int wrapped = 0, rc;

	lh_event_reset(ev);
	ev->line = line;
	ev->offset = off;
	s->truncated = 0;
	if (json_object_object_get_ex(o, "_source", &src) &&
	    json_object_is_type(src, json_type_object)) {
		o = src;
		wrapped = 1;
	}
	if (is_journal(o))
		rc = journal(s, o, ev);
	else if (!wrapped && is_filebeat_raw(o))
		rc = filebeat(s, o, ev);
	else
		rc = ecs(s, o, ev);
	if (rc == LH_OK && s->truncated)
		warn_event(s, ev, "document has too many fields or too long "
		    "names; the rest were left out");
	return rc;
}

/* ---- reading ------------------------------------------------------------ */

/*
 * Drops the document being read, which started at column col; reading
 * resumes as DESIGN says.
 */
static void
abandon(struct json_state *s, size_t col)
{
	json_tokener_reset(s->tok);
	s->resync = 1;
	s->sync_col = s->in_doc ? s->doc_col : col;
	s->in_doc = 0;
	s->nl = 0;
	s->pos = s->len;
}

/*
 * Whether the current line may start a document after abandon(): '{' no
 * further right than the lost document, then a key or the end of the line
 * (so that "{},{}" inside the lost document does not count).
 */
static int
sync_point(const struct json_state *s)
{
	size_t i = 0;

	while (i < s->len && is_blank((unsigned char)s->line[i]))
		i++;
	if (i >= s->len || s->line[i] != '{' || i > s->sync_col)
		return 0;
	for (i++; i < s->len && is_blank((unsigned char)s->line[i]); i++)
		;
	return i == s->len || s->line[i] == '"';
}

static int
fetch(struct json_state *s, struct lh_err *err)
{
	int rc;

	if (s->eof)
		return LH_EOF;
	rc = lh_lines_next(s->src->lines, &s->line, &s->len, err);
	if (rc == LH_EOF) {
		s->eof = 1;
		s->len = s->pos = 0;
		if (!s->in_doc)
			return LH_EOF;
		s->in_doc = 0;
		return lh_err_set(err, LH_WARN, 0, "%s:%llu: JSON document "
		    "truncated at the end of the input", s->src->path,
		    (unsigned long long)s->doc_line);
	}
	if (rc != LH_OK && rc != LH_WARN)
		return rc;
	s->pos = 0;
	s->lineno = lh_lines_lineno(s->src->lines);
	s->lineoff = lh_lines_offset(s->src->lines);
	if (rc == LH_WARN) {
		/* A cut line: the document in it cannot be whole. */
		while (s->pos < s->len && is_blank((unsigned char)s->line[s->pos]))
			s->pos++;
		abandon(s, s->pos);
		return LH_WARN;
	}
	if (s->resync) {
		if (!sync_point(s))
			s->pos = s->len;
		else
			s->resync = 0;
	}
	if (s->in_doc)
		s->nl = 1;
	return LH_OK;
}

/* Skips what separates documents; 1 when a document starts at pos. */
static int
between(struct json_state *s)
{
	while (s->pos < s->len) {
		unsigned char c = (unsigned char)s->line[s->pos];

		if (is_blank(c) || c == 0x1e)	/* RFC 7464 record separator */
			s->pos++;
		else if (c == 0xef && s->lineno == 1 && s->pos == 0 &&
		    s->len >= 3 && memcmp(s->line, "\xef\xbb\xbf", 3) == 0)
			s->pos += 3;
		else if (s->in_array && c == ',')
			s->pos++;
		else if (s->in_array && c == ']')
			s->in_array = 0, s->pos++;
		else if (!s->in_array && c == '[')
			s->in_array = 1, s->pos++;
		else
			return 1;
	}
	return 0;
}

/*
 * Counts the objects and values in the n bytes at p, which the tokener is
 * about to read (strings skipped); 0 while the document is within limits.
 */
static int
over_budget(struct json_state *s, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s->in_str) {
			if (s->esc)
				s->esc = 0;
			else if (p[i] == '\\')
				s->esc = 1;
			else if (p[i] == '"')
				s->in_str = 0;
		} else if (p[i] == '"') {
			s->in_str = 1;
		} else if (p[i] == '{') {
			s->nobj++;
		} else if (p[i] == ',' || p[i] == '[') {
			s->nval++;
		}
	}
	return s->nobj > JSON_MAX_OBJECTS || s->nval > JSON_MAX_VALUES;
}

/*
 * Feeds the tokener from the current line.  LH_OK with *o a complete value
 * (NULL for a JSON null), LH_EOF when it needs the next line, LH_WARN when
 * the document was abandoned (err says why).
 */
static int
feed(struct json_state *s, struct json_object **o, struct lh_err *err)
{
	const char *p = s->nl ? "\n" : s->line + s->pos;
	size_t n = s->nl ? 1 : s->len - s->pos, used;
	enum json_tokener_error e;

	if (s->doc_bytes + n > JSON_MAX_DOC) {
		abandon(s, 0);
		return lh_err_set(err, LH_WARN, 0, "%s:%llu: JSON document "
		    "larger than %zu MiB skipped", s->src->path,
		    (unsigned long long)s->doc_line, JSON_MAX_DOC >> 20);
	}
	if (over_budget(s, p, n)) {
		abandon(s, 0);
		return lh_err_set(err, LH_WARN, 0, "%s:%llu: JSON document "
		    "with more than %d objects or %d values skipped",
		    s->src->path, (unsigned long long)s->doc_line,
		    JSON_MAX_OBJECTS, JSON_MAX_VALUES);
	}
	*o = json_tokener_parse_ex(s->tok, p, (int)n);
	e = json_tokener_get_error(s->tok);
	if (e == json_tokener_continue) {
		s->doc_bytes += n;
		if (s->nl)
			s->nl = 0;
		else
			s->pos = s->len;
		return LH_EOF;
	}
	if (e != json_tokener_success) {
		abandon(s, 0);
		return lh_err_set(err, LH_WARN, 0, "%s:%llu: not JSON: %s",
		    s->src->path, (unsigned long long)s->lineno,
		    json_tokener_error_desc(e));
	}
	used = json_tokener_get_parse_end(s->tok);
	if (s->nl)
		s->nl = 0;
	else
		s->pos += used;
	json_tokener_reset(s->tok);
	s->in_doc = 0;
	return LH_OK;
}

/*
 * Whether the current line is one whole NDJSON document that the prefilter
 * may skip without parsing: it starts with '{' and ends with '}', none of
 * the prefilter's words occurs in it, and nothing in it could hide one -
 * no \u escape (which could spell a letter) and no array of numbers
 * (journalctl's form of a value that is not UTF-8).  Other escapes cannot
 * hide a word: "\tsegfault" still holds "segfault".
 */
static int
skippable(const struct json_state *s)
{
	const char *p = s->line, *q;
	size_t a = 0, b = s->len;

	while (a < b && is_blank((unsigned char)p[a]))
		a++;
	while (b > a && is_blank((unsigned char)p[b - 1]))
		b--;
	if (b - a < 2 || p[a] != '{' || p[b - 1] != '}')
		return 0;
	if (lh_prefilter_find(s->opts.prefilter, p + a, b - a) < b - a)
		return 0;
	for (q = p + a; (q = memchr(q, '\\', (size_t)(p + b - q))) != NULL;
	    q += 2) {
		if (q + 1 < p + b && q[1] == 'u')
			return 0;
	}
	for (q = p + a; (q = memchr(q, '[', (size_t)(p + b - q))) != NULL;) {
		const char *r = q;

		/* only where a value starts: "sshd[42]" inside text is none */
		while (r > p + a && is_blank((unsigned char)r[-1]))
			r--;
		if (r == p + a || (r[-1] != ':' && r[-1] != ',' &&
		    r[-1] != '[')) {
			q++;
			continue;
		}
		for (q++; q < p + b && is_blank((unsigned char)*q); q++)
			;
		if (q < p + b && ((*q >= '0' && *q <= '9') || *q == '-'))
			return 0;
	}
	return 1;
}

/* The next top-level value: LH_OK with *o, or a status for next(). */
static int
read_value(struct json_state *s, struct json_object **o, struct lh_err *err)
{
	int rc;

	for (;;) {
		if (!s->nl && s->pos >= s->len) {
			if ((rc = fetch(s, err)) != LH_OK)
				return rc;
			continue;
		}
		if (!s->in_doc && s->pos == 0 && !s->nl && !s->in_array &&
		    s->opts.prefilter != NULL && skippable(s)) {
			s->src->prefiltered++;
			s->pos = s->len;
			continue;
		}
		if (!s->in_doc) {
			if (!between(s))
				continue;
			s->in_doc = 1;
			s->doc_line = s->lineno;
			s->doc_off = s->lineoff + s->pos;
			s->doc_col = s->pos;
			s->doc_bytes = 0;
			s->nobj = s->nval = 0;
			s->in_str = s->esc = 0;
		}
		if ((rc = feed(s, o, err)) != LH_EOF)
			return rc;
	}
}

/* The next element of a wrapper; LH_EOF when none is left. */
static int
next_wrapped(struct json_state *s, struct lh_event *ev, struct lh_err *err)
{
	struct json_object *e;

	if (s->wrap_i >= json_object_array_length(s->wrap)) {
		json_object_put(s->wrap_root);
		s->wrap_root = s->wrap = NULL;
		return LH_EOF;
	}
	e = json_object_array_get_idx(s->wrap, s->wrap_i++);
	if (!json_object_is_type(e, json_type_object))
		return lh_err_set(err, LH_WARN, 0, "%s:%llu: element %zu of "
		    "the document list is not an object; skipped",
		    s->src->path, (unsigned long long)s->wrap_line, s->wrap_i);
	return document(s, e, ev, s->wrap_line, s->wrap_off);
}

/* A top-level value: a document, or a wrapper to hand out (LH_EOF). */
static int
take(struct json_state *s, struct json_object *o, struct lh_event *ev,
    struct lh_err *err)
{
	struct json_object *a;
	int rc;

	if (!json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return lh_err_set(err, LH_WARN, 0, "%s:%llu: JSON value is not "
		    "an object; skipped", s->src->path,
		    (unsigned long long)s->doc_line);
	}
	if ((a = wrapped_array(o)) != NULL) {
		s->wrap_root = o;
		s->wrap = a;
		s->wrap_i = 0;
		s->wrap_line = s->doc_line;
		s->wrap_off = s->doc_off;
		return LH_EOF;
	}
	rc = document(s, o, ev, s->doc_line, s->doc_off);
	json_object_put(o);
	return rc;
}

static int
json_next(void *state, struct lh_event *ev, struct lh_err *err)
{
	struct json_state *s = state;
	struct json_object *o = NULL;
	int rc;

	if (s->pending.status != LH_OK) {
		*err = s->pending;
		lh_err_clear(&s->pending);
		return LH_WARN;
	}
	for (;;) {
		if (s->wrap != NULL) {
			if ((rc = next_wrapped(s, ev, err)) != LH_EOF)
				return rc;
			continue;
		}
		if ((rc = read_value(s, &o, err)) != LH_OK)
			return rc;
		if ((rc = take(s, o, ev, err)) != LH_EOF)
			return rc;
	}
}

const struct lh_format lh_format_json = {
	"json", json_probe, json_open, json_next, json_close
};
