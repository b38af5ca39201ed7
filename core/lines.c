/*
 * lines.c: splitting a stream into lines, in bounded memory.
 *
 * DESIGN
 * One buffer holds [start, end) unread bytes.  When no newline is left in
 * it, the unread tail moves to the front and the buffer is refilled; it
 * grows (doubling) only while a single line needs it, up to LH_MAX_LINE.
 * A line longer than that is returned cut, and the reader then discards
 * bytes up to the next newline, so no input can make it grow further.
 */
#include <stdlib.h>
#include <string.h>

#include "core/lines.h"
#include "core/status.h"

#define INITIAL (256 * 1024)

struct lh_lines {
	struct lh_stream *s;
	const char *path;
	char *buf;
	size_t cap, start, end;
	uint64_t base;		/* stream offset of buf[0] */
	uint64_t lineno, line_off;
	int eof;		/* the stream said EOF */
	int failed;		/* the stream said LH_FAIL; pending */
	struct lh_err fail;
	int skipping;		/* discarding the rest of a cut line */
	size_t cur;		/* buf index of the line last returned */
};

struct lh_lines *
lh_lines_create(struct lh_stream *s, const char *path)
{
	struct lh_lines *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	if ((l->buf = malloc(INITIAL)) == NULL) {
		free(l);
		return NULL;
	}
	l->cap = INITIAL;
	l->s = s;
	l->path = path;
	return l;
}

void
lh_lines_free(struct lh_lines *l)
{
	if (l == NULL)
		return;
	free(l->buf);
	free(l);
}

/*
 * Reads more bytes after end, moving or growing the buffer as needed.
 * Returns LH_OK if bytes were added, LH_EOF, LH_FAIL or LH_FATAL.
 */
static int
fill(struct lh_lines *l)
{
	size_t got = 0;
	int rc;

	if (l->failed)
		return LH_FAIL;
	if (l->eof)
		return LH_EOF;
	if (l->start > 0 && l->end == l->cap) {
		memmove(l->buf, l->buf + l->start, l->end - l->start);
		l->base += l->start;
		l->end -= l->start;
		l->start = 0;
	}
	if (l->end == l->cap) {
		size_t cap = l->cap * 2;
		char *p;

		if (cap > LH_MAX_LINE * 2)
			cap = LH_MAX_LINE * 2;
		if (cap <= l->cap)
			return LH_OK;	/* full: caller cuts the line */
		if ((p = realloc(l->buf, cap)) == NULL)
			return LH_FATAL;
		l->buf = p;
		l->cap = cap;
	}
	rc = lh_stream_read(l->s, l->buf + l->end, l->cap - l->end, &got,
	    &l->fail);
	l->end += got;
	if (rc == LH_EOF) {
		l->eof = 1;
		return got > 0 ? LH_OK : LH_EOF;
	}
	if (rc != LH_OK) {
		l->failed = 1;
		return got > 0 ? LH_OK : LH_FAIL;
	}
	return LH_OK;
}

static void
emit(struct lh_lines *l, size_t len, size_t consumed, const char **line,
    size_t *n)
{
	*line = l->buf + l->start;
	l->cur = l->start;
	*n = len;
	if (len > 0 && (*line)[len - 1] == '\r')
		(*n)--;
	l->lineno++;
	l->line_off = l->base + l->start;
	l->start += consumed;
}

int
lh_lines_next(struct lh_lines *l, const char **line, size_t *len,
    struct lh_err *err)
{
	size_t scanned = 0;

	for (;;) {
		char *nl = memchr(l->buf + l->start + scanned, '\n',
		    l->end - l->start - scanned);
		size_t avail;
		int rc;

		if (nl != NULL) {
			size_t n = (size_t)(nl - (l->buf + l->start));

			if (l->skipping) {
				l->skipping = 0;
				l->start += n + 1;
				scanned = 0;
				continue;
			}
			emit(l, n, n + 1, line, len);
			return LH_OK;
		}
		avail = l->end - l->start;
		if (l->skipping) {
			l->start = l->end;
			avail = 0;
		} else if (avail >= LH_MAX_LINE) {
			emit(l, LH_MAX_LINE, LH_MAX_LINE, line, len);
			l->skipping = 1;
			return lh_err_set(err, LH_WARN, 0,
			    "%s:%llu: line longer than %d bytes, cut",
			    l->path, (unsigned long long)l->lineno,
			    LH_MAX_LINE);
		}
		scanned = avail;
		rc = fill(l);
		if (rc == LH_OK)
			continue;
		if (rc == LH_FATAL)
			return lh_err_set(err, LH_FATAL, 0, "out of memory");
		/*
		 * A last line without a newline is a line at the end of the
		 * stream, but not before damage: it may be cut short.
		 */
		if (rc == LH_EOF && avail > 0 && !l->skipping) {
			emit(l, avail, avail, line, len);
			return LH_OK;
		}
		if (rc == LH_FAIL) {
			if (err != NULL)
				*err = l->fail;
			l->failed = 0;
			l->eof = 1;
			return LH_FAIL;
		}
		return LH_EOF;
	}
}

uint64_t
lh_lines_lineno(const struct lh_lines *l)
{
	return l->lineno;
}

uint64_t
lh_lines_offset(const struct lh_lines *l)
{
	return l->line_off;
}

int
lh_lines_peek(struct lh_lines *l, size_t want, const char **p, size_t *n,
    struct lh_err *err)
{
	if (want > l->cap)
		want = l->cap;
	while (l->end - l->start < want) {
		int rc = fill(l);

		if (rc == LH_EOF || rc == LH_FAIL)
			break;	/* a failure is reported by lh_lines_next */
		if (rc == LH_FATAL)
			return lh_err_set(err, LH_FATAL, 0, "out of memory");
	}
	*p = l->buf + l->start;
	*n = l->end - l->start;
	return LH_OK;
}

int
lh_lines_next_byte(struct lh_lines *l, const char **line)
{
	size_t keep;
	int rc;

	while (l->start == l->end) {
		if (l->failed || l->eof)
			return -1;
		/*
		 * Make room without dropping the current line: move it to
		 * the front ourselves, so fill() finds space after it.
		 */
		keep = l->cur <= l->start ? l->cur : l->start;
		if (keep > 0) {
			memmove(l->buf, l->buf + keep, l->end - keep);
			l->base += keep;
			l->end -= keep;
			l->start -= keep;
			l->cur -= keep;
			if (line != NULL)
				*line -= keep;
		}
		if (l->end == l->cap)
			return -1;	/* a line that fills the buffer */
		rc = fill(l);
		if (rc != LH_OK)
			return -1;
	}
	return (unsigned char)l->buf[l->start];
}

int
lh_lines_read_some(struct lh_lines *l, void *dst, size_t n, size_t *got,
    struct lh_err *err)
{
	size_t avail;
	int rc;

	*got = 0;
	while ((avail = l->end - l->start) == 0) {
		rc = fill(l);
		if (rc == LH_FATAL)
			return lh_err_set(err, LH_FATAL, 0, "out of memory");
		if (rc == LH_FAIL) {
			if (err != NULL)
				*err = l->fail;
			return LH_FAIL;
		}
		if (rc == LH_EOF)
			return LH_EOF;
	}
	*got = avail < n ? avail : n;
	memcpy(dst, l->buf + l->start, *got);
	l->start += *got;
	return LH_OK;
}

int
lh_lines_read_raw(struct lh_lines *l, void *dst, size_t n, struct lh_err *err)
{
	char *d = dst;

	while (n > 0) {
		size_t avail = l->end - l->start;
		int rc;

		if (avail > 0) {
			size_t k = avail < n ? avail : n;

			memcpy(d, l->buf + l->start, k);
			l->start += k;
			d += k;
			n -= k;
			continue;
		}
		rc = fill(l);
		if (rc == LH_FATAL)
			return lh_err_set(err, LH_FATAL, 0, "out of memory");
		if (rc == LH_FAIL) {
			if (err != NULL)
				*err = l->fail;
			return LH_FAIL;
		}
		if (rc == LH_EOF)
			return lh_err_set(err, LH_EOF, 0,
			    "%s: unexpected end of data", l->path);
	}
	return LH_OK;
}
