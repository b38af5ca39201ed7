/*
 * journal_export.c: `journalctl -o export` streams.
 *
 * DESIGN
 * The Journal Export Format (https://systemd.io/JOURNAL_EXPORT_FORMATS/):
 * an entry is a run of fields ended by one blank line; a field is either
 * "KEY=value\n" or, when the value is not plain text, "KEY\n" followed by
 * the value's size as a little-endian uint64, the value, and "\n".  Text
 * lines come from the line reader; binary values are read raw straight
 * into the event's arena (no second copy).
 *
 * The input is hostile, so nothing in it is trusted to be well formed:
 *   - a line that is not a field (e.g. syslog lines pasted between entries,
 *     as in Elastic's multiple-boots.export test file) is reported with its
 *     line number and skipped; the entry around it is kept;
 *   - a binary size over LH_MAX_LINE * 16, or a value not followed by "\n",
 *     means the framing is lost: it is reported and we skip to the next
 *     blank line, keeping the fields read so far;
 *   - a "__CURSOR=" line inside an entry starts a new entry even without a
 *     blank line before it (journalctl writes __CURSOR first in each entry),
 *     so a missing separator does not merge two entries;
 *   - an entry is bounded like a JSON document (formats/json.c): more than
 *     MAX_FIELDS fields or MAX_ENTRY bytes (keys and values) and it is
 *     reported with its line and offset and dropped whole, its remaining
 *     fields read and thrown away (binary values too, so the framing
 *     holds) up to the next blank line or __CURSOR line; without this an
 *     entry of a million 1 MiB lines would be kept in memory whole;
 *   - a damaged stream ends the file with LH_FAIL after the fields read so
 *     far were returned as an entry.
 * A warning met inside an entry is returned at once and the entry stays in
 * ev (next() resets ev only when it starts a new entry); a warning about a
 * finished entry (no timestamp) is returned by the call after it.
 *
 * Line numbers are physical: the newlines inside binary values, which the
 * line reader never sees, are counted in extra.
 *
 * Before an entry is parsed, the prefilter (lh_parse_opts) may skip the
 * whole entries ahead that are text fields only (skip_entries), and the
 * gate an entry of text fields only whose time and host, read from the
 * raw lines as journald_map.c reads them (struct facts: the first
 * __REALTIME_TIMESTAMP, else the first _SOURCE_REALTIME_TIMESTAMP; the
 * first _HOSTNAME, host.hostname), it does not admit (gate_entry).  The
 * gate looks at an entry once the line reader has returned its first
 * line, so that the reader's plan (core/timemap.h) has already skipped
 * the parts of the source the context pass does not need.
 *
 * The first pass of a text run maps the entries (core/timemap.h) through
 * an observer on the line reader (observe_line): an entry is told to the
 * map when it ends, at the offset and line of its first field, with its
 * time and host as above.  The map is given up for a source with a
 * binary field (its bytes are read raw, around the line reader, and its
 * newlines count in the line numbers), a line the reader cuts, or an
 * entry over the limits; an entry that a __CURSOR line begins without a
 * blank line before it continues the chunk above (LH_STAMP_CONT: the
 * chunk is always read), since the context pass can only start reading
 * at an entry the parse begins there anyway.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/buf.h"
#include "core/format.h"
#include "core/gate.h"
#include "core/prefilter.h"
#include "core/status.h"
#include "core/timemap.h"
#include "formats/journald_map.h"

#define MAX_BINARY ((uint64_t)LH_MAX_LINE * 16)
/*
 * The JSON reader's limit on fields (JSON_MAX_FIELDS, formats/json_int.h):
 * journald itself writes at most 1024 fields per entry (journal-importer.h
 * ENTRY_FIELD_COUNT_MAX).  The bytes of an entry: twice the largest
 * binary value, so that an entry holding one such value and ordinary
 * fields is read as before; the JSON reader's 8 MiB per document would
 * drop entries with a 8 to 16 MiB value that are read today.
 */
#define MAX_FIELDS 100000
#define MAX_ENTRY (MAX_BINARY * 2)
#define PROBE_LINES 64

/* Internal results: the line began the next entry (kept in carry); go on. */
#define NEW_ENTRY 2
#define CONTINUE 3

/*
 * What journald_map.c makes of an entry's stamps and host: the first
 * __REALTIME_TIMESTAMP field, else the first _SOURCE_REALTIME_TIMESTAMP
 * (each read only if it is the first of its name), and the first
 * _HOSTNAME (host.hostname).
 */
struct facts {
	int rt, srt;		/* 0 not seen, 1 read, -1 not a time */
	int64_t rt_us, srt_us;
	const char *host;	/* borrowed, or NULL when none was seen */
	size_t hlen;
};

struct export_state {
	int lazy_auth;		/* lh_parse_opts */
	const struct lh_prefilter *pf;	/* lh_parse_opts, or NULL */
	const struct lh_gate *gate;	/* lh_parse_opts, or NULL */
	struct lh_source *src;
	struct lh_buf carry;	/* a line that began the next entry */
	int has_carry;
	uint64_t carry_line, carry_off;
	uint64_t extra;		/* newlines read raw, inside binary fields */
	uint64_t rlines;	/* the line reader's count, as last seen */
	uint64_t lineno, off;	/* of the line being parsed */
	int in_entry;		/* ev holds an unfinished entry */
	size_t nfield;		/* journal fields in it */
	uint64_t nbytes;	/* bytes of their keys and values */
	int resync;		/* skipping to the next blank line */
	int oversize;		/* dropping an entry over the limits */
	int done;
	struct lh_err pending;	/* returned by the next call */
	struct lh_buf first;	/* gate_entry's copy of an entry's first line */
	struct {		/* the entry being mapped (observe_line) */
		int in;		/* its first field was seen */
		int cont;	/* begun by __CURSOR without a blank line */
		int failed;	/* the source is left out of the map */
		uint64_t off, lines_before;
		size_t nfield;
		uint64_t nbytes;
		struct facts f;	/* f.host is a copy, in host */
		struct lh_buf host;
	} map;
};


static int
has_prefix(const char *p, size_t n, const char *pre)
{
	size_t k = strlen(pre);

	return n >= k && memcmp(p, pre, k) == 0;
}

/*
 * Fields that only journal entries have; an entry naming none of them is
 * more likely a KEY=value config file (/etc/os-release) than an export.
 */
static int
is_journal_key(const char *p, size_t n)
{
	static const char *const keys[] = { "__CURSOR=", "__REALTIME_TIMESTAMP=",
		"MESSAGE=", "MESSAGE\n", "_TRANSPORT=", "_BOOT_ID=", NULL };
	size_t i;

	for (i = 0; keys[i] != NULL; i++) {
		if (has_prefix(p, n, keys[i]))
			return 1;
	}
	return 0;
}

/*
 * journalctl starts every entry with __CURSOR; other writers (hand-made
 * input to systemd-journal-remote) may not, so a first entry made only of
 * valid fields, one of them a journal field, also bids.
 */
static int
export_probe(const char *p, size_t n)
{
	const char *end = p + n, *nl, *eq;
	int lines = 0, journal = 0;

	if (has_prefix(p, n, "__CURSOR=") ||
	    has_prefix(p, n, "__REALTIME_TIMESTAMP="))
		return 95;
	while (p < end && lines < PROBE_LINES) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;	/* maybe cut by the probe window */
		if (nl == p)
			break;	/* end of the first entry */
		eq = memchr(p, '=', (size_t)(nl - p));
		if (!lh_journald_map_valid_name(p,
		    (size_t)((eq ? eq : nl) - p)))
			return 0;
		journal |= is_journal_key(p, (size_t)(end - p));
		lines++;
		if (eq == NULL)
			break;	/* a binary value follows */
		p = nl + 1;
	}
	return journal && lines >= 2 ? 80 : 0;
}

static void observe_line(void *, const char *, size_t, uint64_t, uint64_t);

static int
export_open(void **state, struct lh_source *src,
    const struct lh_parse_opts *opts, struct lh_err *err)
{
	struct export_state *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return lh_err_set(err, LH_FATAL, 0, "out of memory");
	s->src = src;
	s->lazy_auth = opts->lazy_auth;
	s->pf = opts->prefilter;
	s->gate = opts->gate;
	lh_err_clear(&s->pending);
	if (src->timemap != NULL)
		lh_lines_observe(src->lines, observe_line, s);
	*state = s;
	return LH_OK;
}

/* The next line: the carried one first, else the line reader's. */
static int
get_line(struct export_state *s, const char **line, size_t *len,
    struct lh_err *err)
{
	int rc;

	if (s->has_carry) {
		s->has_carry = 0;
		*line = s->carry.p;
		*len = s->carry.len;
		s->lineno = s->carry_line;
		s->off = s->carry_off;
		return LH_OK;
	}
	rc = lh_lines_next(s->src->lines, line, len, err);
	/*
	 * A jump of the reader's plan (the context pass) sets its count
	 * to the physical line, binary values' newlines too (observe_line).
	 */
	if ((rc == LH_OK || rc == LH_WARN) &&
	    lh_lines_lineno(s->src->lines) != s->rlines + 1)
		s->extra = 0;
	s->rlines = lh_lines_lineno(s->src->lines);
	s->lineno = s->rlines + s->extra;
	s->off = lh_lines_offset(s->src->lines);
	return rc;
}

static void
count_newlines(struct export_state *s, const char *p, size_t n)
{
	const char *q, *end = p + n;

	while ((q = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		s->extra++;
		p = q + 1;
	}
}

static int
warn(struct export_state *s, struct lh_err *err, const char *what)
{
	return lh_err_set(err, LH_WARN, 0, "%s:%llu: %s", s->src->path,
	    (unsigned long long)s->lineno, what);
}

/* Reads n raw bytes for the binary field begun at s->lineno. */
static int
read_raw(struct export_state *s, void *dst, size_t n, const char *key,
    struct lh_err *err)
{
	int rc = lh_lines_read_raw(s->src->lines, dst, n, err);

	if (rc == LH_OK)
		count_newlines(s, dst, n);
	else if (rc == LH_EOF)
		rc = lh_err_set(err, LH_WARN, 0,
		    "%s:%llu: binary field %s cut short by the end of the data",
		    s->src->path, (unsigned long long)s->lineno, key);
	return rc;
}

static uint64_t
le64(const unsigned char *b)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

/* Checks the "\n" after a binary value; the value was complete at EOF. */
static int
read_terminator(struct export_state *s, const char *key, struct lh_err *err)
{
	char c;
	int rc = lh_lines_read_raw(s->src->lines, &c, 1, err);

	if (rc == LH_EOF) {
		lh_err_clear(err);
		return LH_OK;
	}
	if (rc != LH_OK)
		return rc;
	if (c == '\n') {
		s->extra++;
		return LH_OK;
	}
	s->resync = 1;
	return lh_err_set(err, LH_WARN, 0, "%s:%llu: binary field %s is not "
	    "followed by a newline; skipped to the next blank line",
	    s->src->path, (unsigned long long)s->lineno, key);
}

/* Whether one more field of n bytes takes the entry over the limits. */
static int
over_limits(const struct export_state *s, uint64_t n)
{
	return s->nfield >= MAX_FIELDS || s->nbytes + n > MAX_ENTRY;
}

/*
 * Starts dropping the entry in ev, which went over the limits: reported
 * with the line and offset where it began.  LH_WARN.
 */
static int
oversize(struct export_state *s, struct lh_event *ev, struct lh_err *err)
{
	uint64_t line = s->nfield > 0 ? ev->line : s->lineno;
	uint64_t off = s->nfield > 0 ? ev->offset : s->off;

	s->oversize = 1;
	s->nfield = 0;
	s->nbytes = 0;
	lh_event_reset(ev);
	return lh_err_set(err, LH_WARN, 0, "%s:%llu: entry at offset %llu "
	    "has more than %d fields or %llu MiB, skipped", s->src->path,
	    (unsigned long long)line, (unsigned long long)off, MAX_FIELDS,
	    (unsigned long long)(MAX_ENTRY >> 20));
}

/*
 * Reads the size bytes of a binary value and its "\n", keeping none of it,
 * for an entry being dropped (oversize() when it is not yet).
 */
static int
drop_binary(struct export_state *s, struct lh_event *ev, const char *key,
    uint64_t size, struct lh_err *err)
{
	char chunk[16 * 1024];
	size_t n;
	int rc, was = s->oversize;

	while (size > 0) {
		n = size < sizeof(chunk) ? (size_t)size : sizeof(chunk);
		if ((rc = read_raw(s, chunk, n, key, err)) != LH_OK)
			return rc;
		size -= n;
	}
	if ((rc = read_terminator(s, key, err)) != LH_OK)
		return rc;
	return was ? LH_OK : oversize(s, ev, err);
}

/* A binary field whose name (already validated) is key[0..klen). */
static int
binary_value(struct export_state *s, struct lh_event *ev, const char *key,
    size_t klen, struct lh_err *err)
{
	unsigned char sz[8];
	char name[65], *val;
	uint64_t size;
	int rc;

	/* The line goes away with the next read: copy the name first. */
	memcpy(name, key, klen);
	name[klen] = '\0';
	if ((rc = read_raw(s, sz, sizeof(sz), name, err)) != LH_OK)
		return rc;
	if ((size = le64(sz)) > MAX_BINARY) {
		s->resync = 1;
		return lh_err_set(err, LH_WARN, 0, "%s:%llu: binary field %s "
		    "claims %llu bytes, more than %llu; skipped to the next "
		    "blank line", s->src->path, (unsigned long long)s->lineno,
		    name, (unsigned long long)size,
		    (unsigned long long)MAX_BINARY);
	}
	if (s->oversize || over_limits(s, klen + size))
		return drop_binary(s, ev, name, size, err);
	if ((val = lh_event_alloc(ev, (size_t)size + 1)) == NULL)
		return lh_err_set(err, LH_FATAL, 0, "out of memory");
	if ((rc = read_raw(s, val, (size_t)size, name, err)) != LH_OK)
		return rc;
	val[size] = '\0';
	if ((rc = read_terminator(s, name, err)) != LH_OK)
		return rc;
	if ((key = lh_event_strdup(ev, name, klen)) == NULL ||
	    lh_event_add(ev, key, val, (size_t)size) != LH_OK)
		return lh_err_set(err, LH_FATAL, 0, "out of memory");
	s->nbytes += klen + size;
	return LH_OK;
}

static void map_fail(struct export_state *);
static void map_field(struct export_state *, const char *, size_t,
    const char *, size_t);

/*
 * binary_value, and the value told to the map (observe_line told of its
 * name): a value that was not kept as a field leaves the source out.
 */
static int
binary_field(struct export_state *s, struct lh_event *ev, const char *key,
    size_t klen, struct lh_err *err)
{
	size_t n0 = ev->nfield;
	const struct lh_field *f;
	int rc = binary_value(s, ev, key, klen, err);

	if (s->src->timemap == NULL || s->map.failed)
		return rc;
	if (rc != LH_OK || s->resync || s->oversize || ev->nfield != n0 + 1) {
		map_fail(s);
		return rc;
	}
	f = &ev->fields[n0];
	map_field(s, f->name, klen, f->val, f->len);
	return rc;
}

/* Keeps the line that begins the next entry for the next call. */
static int
carry(struct export_state *s, const char *line, size_t len)
{
	lh_buf_reset(&s->carry);
	if (lh_buf_append(&s->carry, line, len) != LH_OK)
		return LH_FATAL;
	s->has_carry = 1;
	s->carry_line = s->lineno;
	s->carry_off = s->off;
	return NEW_ENTRY;
}

/*
 * Parses one non-blank line of an entry.  LH_OK (a field was added),
 * NEW_ENTRY, LH_WARN (reported), LH_EOF, LH_FAIL or LH_FATAL (err set).
 */
static int
field_line(struct export_state *s, struct lh_event *ev, const char *line,
    size_t len, struct lh_err *err)
{
	const char *eq = memchr(line, '=', len);
	size_t klen = eq != NULL ? (size_t)(eq - line) : len;
	int rc;

	if (!lh_journald_map_valid_name(line, klen))
		return warn(s, err, "not a journal export field, skipped");
	if (eq != NULL && s->oversize && has_prefix(line, len, "__CURSOR="))
		s->oversize = 0;	/* the dropped entry ended */
	if (eq != NULL && s->nfield > 0 && has_prefix(line, len, "__CURSOR="))
		return carry(s, line, len);
	if (s->nfield == 0 && !s->oversize) {
		ev->line = s->lineno;
		ev->offset = s->off;
	}
	if (eq == NULL)
		rc = binary_field(s, ev, line, klen, err);
	else if (s->oversize)
		return LH_OK;
	else if (over_limits(s, len - 1))
		return oversize(s, ev, err);
	else
		rc = lh_journald_map_field(ev, line, klen, eq + 1,
		    len - klen - 1);
	if (rc == LH_OK && !s->oversize) {
		s->nfield++;
		if (eq != NULL)
			s->nbytes += len - 1;
	}
	else if (rc == LH_FATAL)
		lh_err_set(err, LH_FATAL, 0, "out of memory");
	return rc;
}

/* Finishes the entry in ev and returns it. */
static int
emit(struct export_state *s, struct lh_event *ev, struct lh_err *err)
{
	int rc;

	s->in_entry = 0;
	if ((rc = lh_journald_map_finish(ev, s->lazy_auth)) == LH_FATAL)
		return lh_err_set(err, LH_FATAL, 0, "out of memory");
	if (rc == LH_WARN && s->pending.status == LH_OK)
		lh_err_set(&s->pending, LH_WARN, 0, "%s:%llu: entry without "
		    "__REALTIME_TIMESTAMP, kept without a time", s->src->path,
		    (unsigned long long)ev->line);
	return LH_OK;
}

/*
 * The end of the data (LH_EOF) or of its readable part (LH_FAIL, err set):
 * the fields read so far still make an entry, returned first.
 */
static int
end_of_data(struct export_state *s, struct lh_event *ev, int rc,
    struct lh_err *err)
{
	s->done = 1;
	if (s->nfield == 0)
		return rc;
	if (rc == LH_FAIL) {
		s->pending = *err;
		s->pending.status = LH_FAIL;
	}
	return emit(s, ev, err);
}

/* Handles one line: CONTINUE with the next, or what next() returns. */
static int
handle_line(struct export_state *s, struct lh_event *ev, const char *line,
    size_t len, struct lh_err *err)
{
	int rc;

	if (len == 0) {
		s->resync = 0;
		s->oversize = 0;
		return s->nfield > 0 ? emit(s, ev, err) : CONTINUE;
	}
	if (s->resync)
		return CONTINUE;
	rc = field_line(s, ev, line, len, err);
	if (rc == NEW_ENTRY)
		return emit(s, ev, err);
	if (rc == LH_EOF || rc == LH_FAIL)
		return end_of_data(s, ev, rc, err);
	return rc == LH_OK ? CONTINUE : rc;
}

/*
 * Whether p[0..n) (whole lines, the blank line after them left out) is an
 * entry of text fields only, that parsing would read as one entry without
 * a word about it: each line KEY=value with a valid KEY, no carriage
 * return, no __CURSOR= after the first line (of the entry: p's first line
 * when whole, else none of p's).  Binary fields, stray lines and the rest
 * are left to the parser.
 */
static int
plain_entry(const char *p, size_t n, int whole)
{
	const char *first = whole ? p : NULL, *end = p + n, *nl, *eq;

	if (memchr(p, '\r', n) != NULL)
		return 0;
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		eq = memchr(p, '=', (size_t)(nl - p));
		if (eq == NULL || !lh_journald_map_valid_name(p,
		    (size_t)(eq - p)) || (p != first &&
		    has_prefix(p, (size_t)(nl - p), "__CURSOR=")))
			return 0;
	}
	return 1;
}

/* The blank line in p[0..n): the offset of its "\n\n", or n. */
static size_t
blank_line(const char *p, size_t n)
{
	const char *q = p, *end = p + n;

	while ((q = memchr(q, '\n', (size_t)(end - q))) != NULL &&
	    q + 1 < end) {
		if (q[1] == '\n')
			return (size_t)(q - p);
		q++;
	}
	return n;
}

/* Notes the field key[0..klen) = v[0..n) (key valid) in f. */
static void
facts_field(struct facts *f, const char *key, size_t klen, const char *v,
    size_t n)
{
	if (klen < 9 || key[0] != '_')
		return;
	if (f->rt == 0 && klen == 20 &&
	    memcmp(key, "__REALTIME_TIMESTAMP", 20) == 0)
		f->rt = lh_journald_map_usec(v, n, &f->rt_us) == LH_OK ? 1 : -1;
	else if (f->srt == 0 && klen == 26 &&
	    memcmp(key, "_SOURCE_REALTIME_TIMESTAMP", 26) == 0)
		f->srt = lh_journald_map_usec(v, n, &f->srt_us) == LH_OK ?
		    1 : -1;
	else if (f->host == NULL && klen == 9 &&
	    memcmp(key, "_HOSTNAME", 9) == 0) {
		f->host = v;
		f->hlen = n;
	}
}

/* facts_field of the text field line p[0..n) ("KEY=value"). */
static void
facts_line(struct facts *f, const char *p, size_t n)
{
	const char *eq = n > 0 && p[0] == '_' ? memchr(p, '=', n) : NULL;

	if (eq != NULL)
		facts_field(f, p, (size_t)(eq - p), eq + 1,
		    n - (size_t)(eq - p) - 1);
}

/* facts_line over every line of p[0..n) (whole lines). */
static void
facts_lines(struct facts *f, const char *p, size_t n)
{
	const char *end = p + n, *nl;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		facts_line(f, p, (size_t)(nl - p));
	}
}

/* The time of f as lh_journald_map_finish() sets it: 1 with *ts, or 0. */
static int
facts_time(const struct facts *f, int64_t *ts)
{
	if (f->rt == 1)
		*ts = f->rt_us;
	else if (f->srt == 1)
		*ts = f->srt_us;
	else
		return 0;
	return 1;
}

/*
 * Whether the gate skips the plain entry p[0..n) (see plain_entry): its
 * time and host (struct facts) are ones the gate does not admit.  An
 * entry without a time is not skipped.
 */
static int
gated(const struct export_state *s, const char *p, size_t n)
{
	struct facts f;
	int64_t ts;

	memset(&f, 0, sizeof(f));
	facts_lines(&f, p, n);
	return facts_time(&f, &ts) &&
	    !lh_gate_admits_host(s->gate, f.host, f.hlen, ts);
}

/*
 * The prefilter on entries (core/prefilter.h), with the gate when there
 * is one too (core/gate.h): skips the whole entries ahead in which none of
 * the prefilter's words occurs (counted in src->prefiltered) or whose time
 * and host the gate does not admit (counted in src->gated).  The export
 * format writes text values as they are, so a word of a field's text is
 * in the entry's bytes; an entry with a binary field is always parsed.
 * Looks AHEAD bytes at a time (for the first word, with a prefilter), and
 * skips entries up to the first one that must be parsed; an entry longer
 * than that is parsed.  LH_OK or LH_FATAL.
 */
#define AHEAD (64 * 1024)

static int
skip_entries(struct export_state *s)
{
	const char *p;
	size_t n, h, e, off;

	for (;;) {
		if (lh_lines_ahead(s->src->lines, AHEAD, &p, &n) != LH_OK)
			return LH_FATAL;
		if (n > AHEAD)
			n = AHEAD;
		h = s->pf != NULL ? lh_prefilter_find(s->pf, p, n) : 0;
		for (off = 0; off < n && p[off] != '\n'; off += e + 2) {
			e = blank_line(p + off, n - off);
			if (e == n - off || !plain_entry(p + off, e + 1, 1))
				break;
			if (s->pf != NULL && off + e + 1 <= h)
				s->src->prefiltered++;
			else if (s->gate != NULL && gated(s, p + off, e + 1))
				s->src->gated++;
			else
				break;
		}
		if (off == 0)
			return LH_OK;
		lh_lines_skip(s->src->lines, off);
		s->rlines = lh_lines_lineno(s->src->lines);
	}
}

/*
 * The gate on the entry whose first line may be the line reader's last
 * (*len bytes at *line, read with status cut): when it is, and the entry
 * is one of text fields only (plain_entry) whose time and host the gate
 * does not admit, the rest of it is consumed and counted in src->gated:
 * 1.  Else 0: parse the line at *line (maybe now a copy: lh_lines_ahead
 * may move the reader's).  LH_FATAL when out of memory.
 */
static int
gate_entry(struct export_state *s, const char **line, size_t *len, int cut)
{
	const char *eq, *p;
	struct facts f;
	size_t n, e;
	int64_t ts;

	if (s->gate == NULL || s->nfield > 0 || s->oversize || s->resync ||
	    cut != LH_OK || *len == 0)
		return 0;
	lh_buf_reset(&s->first);
	if (lh_buf_append(&s->first, *line, *len) != LH_OK ||
	    lh_buf_putc(&s->first, '\0') != LH_OK)
		return LH_FATAL;
	*line = s->first.p;
	if ((eq = memchr(*line, '=', *len)) == NULL ||
	    !lh_journald_map_valid_name(*line, (size_t)(eq - *line)))
		return 0;
	memset(&f, 0, sizeof(f));
	facts_line(&f, *line, *len);
	if (lh_lines_ahead(s->src->lines, AHEAD, &p, &n) != LH_OK)
		return LH_FATAL;
	if (n > AHEAD)
		n = AHEAD;
	if (n > 0 && p[0] == '\n')
		e = 0;		/* the blank line follows the first line */
	else if ((e = blank_line(p, n)) == n || !plain_entry(p, e + 1, 0))
		return 0;
	else
		facts_lines(&f, p, ++e);
	if (!facts_time(&f, &ts) ||
	    lh_gate_admits_host(s->gate, f.host, f.hlen, ts))
		return 0;
	lh_lines_skip(s->src->lines, e + 1);
	s->rlines = lh_lines_lineno(s->src->lines);
	s->src->gated++;
	return 1;
}

/* ---- the time map (see DESIGN) ----------------------------------------- */

/* Tells the map of the entry being mapped, which has ended. */
static void
map_entry(struct export_state *s)
{
	enum lh_stamp k = LH_STAMP_CONT;
	int64_t ts = 0;

	if (!s->map.in || s->map.failed)
		return;
	s->map.in = 0;
	if (!s->map.cont)
		k = facts_time(&s->map.f, &ts) ? LH_STAMP_TIME : LH_STAMP_NONE;
	lh_timemap_line(s->src->timemap, s->map.off, s->map.lines_before, k,
	    ts, s->map.f.host, s->map.f.hlen);
}

static void
map_fail(struct export_state *s)
{
	s->map.failed = 1;
	lh_timemap_fail(s->src->timemap);
}

/*
 * A field of the entry being mapped, key[0..klen) = v[0..n), counted as
 * field_line and binary_field count it.
 */
static void
map_field(struct export_state *s, const char *key, size_t klen,
    const char *v, size_t n)
{
	const char *had = s->map.f.host;

	if (!s->map.in || s->map.nfield >= MAX_FIELDS ||
	    s->map.nbytes + klen + n > MAX_ENTRY) {
		map_fail(s);	/* the entry is dropped: not mapped */
		return;
	}
	s->map.nfield++;
	s->map.nbytes += klen + n;
	if (s->map.f.rt == 1 && had != NULL)
		return;		/* no later field changes the time or host */
	facts_field(&s->map.f, key, klen, v, n);
	if (had == NULL && s->map.f.host != NULL) {
		/* the value goes away: the host is kept */
		lh_buf_reset(&s->map.host);
		if (lh_buf_append(&s->map.host, s->map.f.host,
		    s->map.f.hlen) != LH_OK) {
			map_fail(s);
			return;
		}
		s->map.f.host = s->map.f.hlen > 0 ? s->map.host.p : "";
	}
}

/*
 * The first '=' of the line p[0..n), or NULL: the first 16 bytes in one
 * step with SSE2 (a key is mostly shorter), the rest by memchr.
 */
static inline const char *
first_eq(const char *p, size_t n)
{
#if defined(__SSE2__)
	unsigned m;

	if (n >= 16) {
		m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(
		    (const __m128i *)(const void *)p), _mm_set1_epi8('=')));
		if (m != 0)
			return p + __builtin_ctz(m);
		return memchr(p + 16, '=', n - 16);
	}
#endif
	return memchr(p, '=', n);
}

/* Whether the key p[0..klen) is __CURSOR. */
static int
is_cursor(const char *p, size_t klen)
{
	return klen == 8 && memcmp(p, "__CURSOR", 8) == 0;
}

/*
 * The first pass's observer (core/timemap.h): every line the reader
 * passes, read as the parse reads it (handle_line, field_line), but for
 * the names, which are checked only where an entry begins (so that an
 * entry begins, and a __CURSOR line splits it, where the parse's does): a
 * stray line inside an entry, which the parse skips, counts as a field
 * here, which only brings the limits nearer; it is never one of the names
 * struct facts looks at, which are all valid.
 */
static void
observe_line(void *arg, const char *line, size_t len, uint64_t off,
    uint64_t lines_before)
{
	struct export_state *s = arg;
	const char *eq;
	size_t klen;
	int cont = 0;

	if (s->map.failed)
		return;
	if (len == 0) {
		map_entry(s);
		return;
	}
	if (len >= LH_MAX_LINE - 1) {
		map_fail(s);	/* maybe cut */
		return;
	}
	eq = first_eq(line, len);
	klen = eq != NULL ? (size_t)(eq - line) : len;
	/* "__CURSOR=" begins the line: the first '=' ends that key */
	if (eq != NULL && s->map.in && s->map.nfield > 0 &&
	    is_cursor(line, klen)) {
		map_entry(s);
		cont = 1;
	}
	if (!s->map.in && !is_cursor(line, klen) &&
	    !lh_journald_map_valid_name(line, klen))
		return;		/* skipped by the parse with a warning */
	if (!s->map.in) {
		memset(&s->map.f, 0, sizeof(s->map.f));
		s->map.in = 1;
		s->map.cont = cont;
		s->map.off = off;
		/* the physical line, as get_line counts it */
		s->map.lines_before = lines_before + s->extra;
		s->map.nfield = 0;
		s->map.nbytes = 0;
	}
	/* a binary value is told by binary_field once it is read */
	if (eq == NULL)
		return;
	if (s->map.f.rt == 1 && s->map.f.host != NULL &&
	    s->map.nfield < MAX_FIELDS && s->map.nbytes + len - 1 <= MAX_ENTRY) {
		/* map_field's count, once the time and host are known */
		s->map.nfield++;
		s->map.nbytes += len - 1;
		return;
	}
	map_field(s, line, klen, eq + 1, len - klen - 1);
}

static int
export_next(void *state, struct lh_event *ev, struct lh_err *err)
{
	struct export_state *s = state;
	struct lh_err cut;
	const char *line;
	size_t len;
	int rc;

	if (s->pending.status != LH_OK) {
		*err = s->pending;
		lh_err_clear(&s->pending);
		return err->status;
	}
	if (s->done)
		return LH_EOF;
	if (!s->in_entry && s->pf != NULL &&
	    !s->has_carry && !s->resync && !s->oversize &&
	    skip_entries(s) != LH_OK)
		return lh_err_set(err, LH_FATAL, 0, "out of memory");
	if (!s->in_entry) {
		lh_event_reset(ev);
		s->nfield = 0;
		s->nbytes = 0;
		s->in_entry = 1;
	}
	for (;;) {
		lh_err_clear(&cut);
		rc = get_line(s, &line, &len, &cut);
		if (rc == LH_EOF || rc == LH_FAIL || rc == LH_FATAL) {
			*err = cut;
			return rc == LH_FATAL ? rc : end_of_data(s, ev, rc, err);
		}
		if ((rc = gate_entry(s, &line, &len, cut.status)) == LH_FATAL)
			return lh_err_set(err, LH_FATAL, 0, "out of memory");
		if (rc == 1)
			continue;
		rc = handle_line(s, ev, line, len, err);
		if (cut.status == LH_WARN && rc != LH_FATAL) {
			/* a line cut at LH_MAX_LINE: its first part was kept */
			if (rc == LH_OK && s->pending.status == LH_OK)
				s->pending = cut;
			else
				*err = cut;
			return rc == LH_OK ? LH_OK : LH_WARN;
		}
		if (rc != CONTINUE)
			return rc;
	}
}

static void
export_close(void *state)
{
	struct export_state *s = state;

	if (s == NULL)
		return;
	if (s->src->timemap != NULL)
		map_entry(s);	/* the last one, without a blank line */
	lh_buf_free(&s->carry);
	lh_buf_free(&s->first);
	lh_buf_free(&s->map.host);
	free(s);
}

const struct lh_format lh_format_journal_export = {
	"journal-export", export_probe, export_open, export_next, export_close
};
