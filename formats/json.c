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
 * element per call; each element still gets its own line and offset: the
 * scan that counts a document's objects (over_budget) also notes where
 * every object inside an array starts and which array (by its ordinal in
 * text order) holds it, and the wrapper's array is found by the same
 * ordinal in the parsed tree.  When the counts disagree (duplicate keys
 * replaced a subtree), the elements keep the wrapper's position.  Hostile input is bounded: nesting depth 64
 * (json_tokener_new_ex), documents of at most JSON_MAX_DOC bytes, field
 * names of at most JSON_MAX_NAME bytes, JSON_MAX_FIELDS fields.  After a
 * document that breaks a limit or is not JSON, reading resumes at the next
 * line that starts a document ('{' then a key or the end of the line) no
 * further right than where the broken document started (the next NDJSON
 * line, the next element of a pretty-printed array), with one warning.
 *
 * Each document is handed to the converter of its kind (json_int.h:
 * journal JSON, a Filebeat document whose message is still the raw line,
 * or an ECS document).  With a gate (lh_parse_opts), a line that is one
 * whole document is first given to json_gate.c, which reads its time (and
 * json_gate_host.c its host) from the raw bytes when it can tell it
 * exactly; a document whose time the gate does not admit (for its host)
 * is skipped unparsed.
 *
 * json-c objects never leave the json format: every value is copied into
 * the event's arena, and every root is released with json_object_put()
 * before the next document (a wrapper's root lives until its last
 * element).  The state belongs to one thread.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/format.h"
#include "core/gate.h"
#include "core/prefilter.h"
#include "core/status.h"
#include "core/timemap.h"
#include "formats/json_int.h"

#define JSON_MAX_DEPTH	64
#define JSON_MAX_DOC	((size_t)LH_MAX_LINE * 8)
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

	/*
	 * Where the objects that are elements of an array start, in text
	 * order, with the ordinal of their array (see DESIGN); npos of them,
	 * at most JSON_MAX_OBJECTS + 1.
	 */
	struct elem_pos {
		uint64_t line, off;
		size_t arr;
	} *pos_of;
	size_t npos, narr;
	size_t stack[JSON_MAX_DEPTH + 1];	/* 0 object, else 1 + ordinal */
	size_t depth;
	int wrap_known;		/* pos_of[i] is the wrapper's element i */

	struct lh_json_doc doc;	/* documents into events (json_int.h) */
	struct lh_json_rawtime *rawtime;	/* with a gate: json_gate.c */
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

/*
 * The first pass's observer (core/timemap.h): a line's time and host as
 * the gate reads them (json_gate.c, json_gate_host.c).  Only a file of
 * one-line documents can be read in parts, so a line that is not a whole
 * document whose time json_gate.c knows (a document over several lines,
 * an array, damage, an unusual document) leaves the file out of the map:
 * the context pass reads it whole.
 */
static void
observe_line(void *arg, const char *line, size_t len, uint64_t off,
    uint64_t lines_before)
{
	struct json_state *s = arg;
	const char *host = NULL;
	int64_t ts = 0, prec;
	size_t i, hlen = 0;
	int flags;

	for (i = 0; i < len && is_blank((unsigned char)line[i]); i++)
		continue;
	if (i == len) {
		lh_timemap_line(s->src->timemap, off, lines_before,
		    LH_STAMP_NONE, 0, NULL, 0);
		return;
	}
	if (s->in_doc || s->in_array || !lh_json_rawtime(s->rawtime,
	    &s->doc, line, len, &ts, &prec, &flags)) {
		lh_timemap_fail(s->src->timemap);
		return;
	}
	if (!lh_json_rawhost(s->rawtime, &host, &hlen))
		host = NULL;
	lh_timemap_line(s->src->timemap, off, lines_before,
	    (flags & LH_TS_BOOT) ? LH_STAMP_NONE : LH_STAMP_TIME, ts, host,
	    hlen);
}

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
	if ((s->pos_of = calloc(JSON_MAX_OBJECTS + 1,
	    sizeof(s->pos_of[0]))) == NULL || ((opts->gate != NULL ||
	    src->timemap != NULL) &&
	    (s->rawtime = lh_json_rawtime_create()) == NULL)) {
		free(s->pos_of);
		json_tokener_free(s->tok);
		free(s);
		return lh_err_set(err, LH_FATAL, 0, "out of memory");
	}
	s->src = src;
	s->opts = *opts;
	s->doc.src = src;
	s->doc.opts = &s->opts;
	lh_err_clear(&s->doc.pending);
	if (src->timemap != NULL)
		lh_lines_observe(src->lines, observe_line, s);
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
	lh_json_doc_free(&s->doc);
	free(s->pos_of);
	lh_json_rawtime_free(s->rawtime);
	free(s);
}

/* ---- documents ---------------------------------------------------------- */

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
		a = lh_json_get_path(o, keys[i]);
		if (json_object_is_type(a, json_type_array) &&
		    (json_object_array_length(a) == 0 ||
		    json_object_is_type(json_object_array_get_idx(a, 0),
		    json_type_object)))
			return a;
	}
	return NULL;
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
	s->doc.truncated = 0;
	if (json_object_object_get_ex(o, "_source", &src) &&
	    json_object_is_type(src, json_type_object)) {
		o = src;
		wrapped = 1;
	}
	if (lh_json_is_journal(o))
		rc = lh_json_journal(&s->doc, o, ev);
	else if (!wrapped && lh_json_is_journald_input(o))
		rc = lh_json_journald_input(&s->doc, o, ev);
	else if (!wrapped && lh_json_is_filebeat_raw(o))
		rc = lh_json_filebeat(&s->doc, o, ev);
	else
		rc = lh_json_ecs(&s->doc, o, ev);
	if (rc == LH_OK && s->doc.truncated)
		lh_json_doc_warn(&s->doc, ev, "document has too many fields "
		    "or too long names; the rest were left out");
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
 * A container opens at byte i of the current line (c is '{' or '['): an
 * object inside an array has its position noted (see DESIGN).
 */
static void
open_container(struct json_state *s, char c, size_t i)
{
	size_t top = s->depth > 0 ? s->stack[s->depth - 1] : 0;

	if (c == '{' && top > 0 && s->npos <= JSON_MAX_OBJECTS) {
		s->pos_of[s->npos].line = s->lineno;
		s->pos_of[s->npos].off = s->lineoff + s->pos + i;
		s->pos_of[s->npos++].arr = top - 1;
	}
	if (s->depth < JSON_MAX_DEPTH + 1)
		s->stack[s->depth++] = c == '[' ? 1 + s->narr++ : 0;
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
		} else if (p[i] == '{' || p[i] == '[') {
			if (p[i] == '{')
				s->nobj++;
			else
				s->nval++;
			if (!s->nl)
				open_container(s, p[i], i);
		} else if (p[i] == '}' || p[i] == ']') {
			if (s->depth > 0)
				s->depth--;
		} else if (p[i] == ',') {
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

/*
 * Whether the gate skips the current line: one whole document whose time
 * json_gate.c reads exactly from the raw bytes, not relative to a boot,
 * and not admitted by the gate, for the document's host when
 * json_gate_host.c knows it.
 */
static int
gated(struct json_state *s)
{
	const char *host;
	int64_t ts, prec;
	size_t hlen;
	int flags;

	if (!lh_json_rawtime(s->rawtime, &s->doc, s->line, s->len, &ts,
	    &prec, &flags) || (flags & LH_TS_BOOT))
		return 0;
	if (!lh_gate_admits(s->opts.gate, ts))
		return 1;
	return lh_json_rawhost(s->rawtime, &host, &hlen) &&
	    !lh_gate_admits_host(s->opts.gate, host, hlen, ts);
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
		if (!s->in_doc && s->pos == 0 && !s->nl && !s->in_array &&
		    s->opts.gate != NULL && gated(s)) {
			s->src->gated++;
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
			s->npos = s->narr = s->depth = 0;
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
	if (s->wrap_known)
		return document(s, e, ev, s->pos_of[s->wrap_i - 1].line,
		    s->pos_of[s->wrap_i - 1].off);
	return document(s, e, ev, s->wrap_line, s->wrap_off);
}

/*
 * The ordinal of array a among the arrays of o in text order (json-c keeps
 * the keys in the order read): *k counts the arrays passed.  1 when found.
 */
static int
array_ordinal(struct json_object *o, struct json_object *a, size_t *k)
{
	struct json_object_iterator it, end;
	size_t i, n;

	if (json_object_is_type(o, json_type_array)) {
		if (o == a)
			return 1;
		++*k;
		n = json_object_array_length(o);
		for (i = 0; i < n; i++)
			if (array_ordinal(json_object_array_get_idx(o, i), a, k))
				return 1;
		return 0;
	}
	if (!json_object_is_type(o, json_type_object))
		return 0;
	it = json_object_iter_begin(o);
	end = json_object_iter_end(o);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it))
		if (array_ordinal(json_object_iter_peek_value(&it), a, k))
			return 1;
	return 0;
}

/*
 * Keeps in s->pos_of only the positions of the elements of the wrapper's
 * array a (root o); s->wrap_known when there is one for each element.
 */
static void
wrapper_positions(struct json_state *s, struct json_object *o,
    struct json_object *a)
{
	size_t k = 0, i, j = 0, n = json_object_array_length(a);

	s->wrap_known = 0;
	if (!array_ordinal(o, a, &k))
		return;
	for (i = 0; i < s->npos && i <= JSON_MAX_OBJECTS; i++)
		if (s->pos_of[i].arr == k)
			s->pos_of[j++] = s->pos_of[i];
	for (i = 0; i < n; i++)
		if (!json_object_is_type(json_object_array_get_idx(a, i),
		    json_type_object))
			return;
	s->wrap_known = j == n;
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
		wrapper_positions(s, o, a);
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

	if (s->doc.pending.status != LH_OK) {
		*err = s->doc.pending;
		lh_err_clear(&s->doc.pending);
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
