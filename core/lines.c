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
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)	/* 64-bit BMI, POPCNT */
#define LH_LINES_AVX2 1
#include <immintrin.h>
#endif

#include "core/lines.h"
#include "core/prefilter.h"
#include "core/status.h"
#include "core/timemap.h"

#define INITIAL (256 * 1024)
#define SPAN 4096	/* bytes whose newlines observe_all_avx2 lists */

struct lh_lines {
	struct lh_stream *s;
	const char *path;
	char *buf;
	size_t cap, start, end;
	uint64_t base;		/* stream offset of buf[0] */
	uint64_t lineno, line_off;
	int eof;		/* the stream said EOF */
	int failed;		/* the stream said LH_FAIL; pending */
	int told;		/* a call has returned that failure */
	struct lh_err fail;
	int skipping;		/* discarding the rest of a cut line */
	size_t cur;		/* buf index of the line last returned */
	lh_lines_observer obs;	/* told of every line, or NULL */
	void *obs_arg;
	const struct lh_range *plan;	/* borrowed, or NULL: read all */
	size_t nplan, pi;	/* ranges, the range in force */
	int avx2;		/* observe_all may use AVX2, BMI, POPCNT */
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
#if defined(LH_LINES_AVX2)
	l->avx2 = __builtin_cpu_supports("avx2") &&
	    __builtin_cpu_supports("bmi") && __builtin_cpu_supports("popcnt");
#endif
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

void
lh_lines_portable(struct lh_lines *l)
{
	l->avx2 = 0;
}

void
lh_lines_observe(struct lh_lines *l, lh_lines_observer fn, void *arg)
{
	l->obs = fn;
	l->obs_arg = arg;
}

void
lh_lines_plan(struct lh_lines *l, const struct lh_range *r, size_t n)
{
	l->plan = r;
	l->nplan = n;
	l->pi = 0;
}

/*
 * Passes over the want bytes before the range in force, beyond the buffer:
 * the buffer is emptied, the stream skips the rest (seeking where it can,
 * else read through the buffer) and the line count takes the range's.
 * The end or a failure met is left to the next fill(), as a read's.
 */
static int
plan_skip(struct lh_lines *l, uint64_t want)
{
	uint64_t done = 0;
	int rc;

	if (l->failed || l->eof)
		return LH_OK;	/* the next fill() tells */
	want -= l->end - l->start;
	l->base += l->end;
	l->start = l->end = 0;
	rc = lh_stream_skip(l->s, want, l->buf, l->cap, &done, &l->fail);
	l->base += done;
	if (rc == LH_EOF)
		l->eof = 1;
	else if (rc != LH_OK)
		l->failed = 1;
	else
		l->lineno = l->plan[l->pi].lines_before;
	return LH_OK;
}

/*
 * Before a line: moves to the range of the plan in force, discarding the
 * bytes before it and setting the line count.  LH_EOF after the last
 * range; LH_OK otherwise (a failure to read is left to the caller's next
 * fill(), which reports it).
 */
static int
plan_seek(struct lh_lines *l)
{
	uint64_t pos, want;

	for (;;) {
		pos = l->base + l->start;
		while (l->pi < l->nplan && pos >= l->plan[l->pi].end)
			l->pi++;
		if (l->pi == l->nplan) {
			l->start = l->end;
			l->eof = 1;
			return LH_EOF;
		}
		if (pos >= l->plan[l->pi].start)
			return LH_OK;
		want = l->plan[l->pi].start - pos;
		if (want > l->end - l->start)
			return plan_skip(l, want);
		l->start += (size_t)want;
		l->lineno = l->plan[l->pi].lines_before;
		return LH_OK;
	}
}

/* Tells the observer of the line of len bytes at buf[at], k lines on. */
static void
observe(struct lh_lines *l, size_t at, size_t len, uint64_t k)
{
	if (len > 0 && l->buf[at + len - 1] == '\r')
		len--;
	l->obs(l->obs_arg, l->buf + at, len, l->base + at, l->lineno + k);
}

static void
emit(struct lh_lines *l, size_t len, size_t consumed, const char **line,
    size_t *n)
{
	if (l->obs != NULL)
		observe(l, l->start, len, 0);
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

	if (l->plan != NULL && !l->skipping && plan_seek(l) == LH_EOF)
		return LH_EOF;
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
			l->told = 1;
			l->eof = 1;
			return LH_FAIL;
		}
		return LH_EOF;
	}
}

/*
 * The number of newlines in p[0..n): with SSE2, 16 bytes a step, counted
 * per byte lane (up to 255 steps) and summed with psadbw (no popcount,
 * which x86-64 without -mpopcnt makes a library call).
 */
static uint64_t
count_nl(const char *p, size_t n)
{
	uint64_t c = 0;
	size_t i = 0;

#if defined(__SSE2__)
	const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();

	while (i + 16 <= n) {
		__m128i acc = zero, sum;
		int k;

		for (k = 0; k < 255 && i + 16 <= n; k++, i += 16)
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(nl,
			    _mm_loadu_si128((const __m128i *)(const void *)
			    (p + i))));
		sum = _mm_sad_epu8(acc, zero);
		c += (uint64_t)_mm_cvtsi128_si64(sum) +
		    (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(sum, sum));
	}
#endif
	for (; i < n; i++)
		c += p[i] == '\n';
	return c;
}

#if defined(LH_LINES_AVX2)
/* count_nl with AVX2: 32 bytes a step (the caller checked the CPU). */
__attribute__((target("avx2"))) static uint64_t
count_nl_avx2(const char *p, size_t n)
{
	const __m256i nl = _mm256_set1_epi8('\n');
	const __m256i zero = _mm256_setzero_si256();
	uint64_t c = 0;
	size_t i = 0;

	while (i + 32 <= n) {
		__m256i acc = zero, sum;
		int k;

		for (k = 0; k < 255 && i + 32 <= n; k++, i += 32)
			acc = _mm256_sub_epi8(acc, _mm256_cmpeq_epi8(nl,
			    _mm256_loadu_si256((const __m256i *)(const void *)
			    (p + i))));
		sum = _mm256_sad_epu8(acc, zero);
		c += (uint64_t)_mm256_extract_epi64(sum, 0) +
		    (uint64_t)_mm256_extract_epi64(sum, 1) +
		    (uint64_t)_mm256_extract_epi64(sum, 2) +
		    (uint64_t)_mm256_extract_epi64(sum, 3);
	}
	return c + count_nl(p + i, n - i);
}
#endif

/* The newlines of the n bytes at the start of l's window. */
static uint64_t
count_start(const struct lh_lines *l, size_t n)
{
#if defined(LH_LINES_AVX2)
	if (l->avx2)
		return count_nl_avx2(l->buf + l->start, n);
#endif
	return count_nl(l->buf + l->start, n);
}

static int
is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r';
}

/*
 * The reader's fields that telling lines in bulk needs, copied out once:
 * an observer does not call the reader, but the compiler would reload
 * them from l after every call.
 */
struct teller {
	lh_lines_observer fn;
	void *arg;
	const char *buf;
	uint64_t base, lineno;	/* of buf[0], of the next line */
	size_t at;		/* where the next line starts in buf */
};

static struct teller
teller(const struct lh_lines *l)
{
	struct teller t = { l->obs, l->obs_arg, l->buf, l->base, l->lineno,
	    l->start };

	return t;
}

/* Tells the observer of the line at t->at that ends with buf[e] "\n". */
static inline void
tell(struct teller *t, size_t e)
{
	size_t len = e - t->at;

	if (len > 0 && t->buf[e - 1] == '\r')
		len--;
	t->fn(t->arg, t->buf + t->at, len, t->base + t->at, t->lineno++);
	t->at = e + 1;
}

#if defined(LH_LINES_AVX2)
/* The newlines of the 64 bytes at p, bit i for p[i]. */
__attribute__((target("avx2,bmi,popcnt"))) static inline uint64_t
nl_mask(const char *p)
{
	const __m256i nl = _mm256_set1_epi8('\n');
	const __m256i *v = (const __m256i *)(const void *)p;

	return (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(nl,
	    _mm256_loadu_si256(v))) |
	    (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(nl,
	    _mm256_loadu_si256(v + 1))) << 32;
}

/*
 * The offsets of the newlines in the n bytes at p (n a multiple of 64, at
 * most SPAN) into pos (SPAN + 2 of them): their number.  Each block of 64
 * bytes writes the offsets of its first two newlines whether it has them
 * or not (an offset past the block then, overwritten by the next block's)
 * and of more only when it has more: no branch taken by chance while
 * lines are longer than 32 bytes, where taking each bit of the block in
 * turn mispredicted about once a line.
 */
__attribute__((target("avx2,bmi,popcnt"))) static size_t
flatten(const char *p, size_t n, uint16_t *pos)
{
	size_t o, k = 0, c, j;
	uint64_t m;

	for (o = 0; o < n; o += 64) {
		m = nl_mask(p + o);
		c = (size_t)_mm_popcnt_u64(m);
		pos[k] = (uint16_t)(o + _tzcnt_u64(m));
		m = _blsr_u64(m);
		pos[k + 1] = (uint16_t)(o + _tzcnt_u64(m));
		for (j = 2; j < c; j++) {
			m = _blsr_u64(m);
			pos[k + j] = (uint16_t)(o + _tzcnt_u64(m));
		}
		k += c;
	}
	return k;
}

/*
 * observe_all with AVX2: the newlines of up to SPAN bytes are found 64 at
 * a time and their offsets listed first (flatten), then the lines told
 * (lines are about 100 bytes: a memchr call per line cost more than its
 * scan); the tail of fewer than 64 bytes byte by byte.  The lines told are
 * those of observe_all: each newline in [start, start + n) ends one, in
 * order.
 */
__attribute__((target("avx2,bmi,popcnt"))) static uint64_t
observe_all_avx2(struct lh_lines *l, size_t n)
{
	uint16_t pos[SPAN + 2];
	struct teller t = teller(l);
	size_t end = l->start + n, i = l->start, w, k, j;

	for (; end - i >= 64; i += w) {
		w = end - i < SPAN ? (end - i) & ~(size_t)63 : SPAN;
		k = flatten(t.buf + i, w, pos);
		for (j = 0; j < k; j++)
			tell(&t, i + pos[j]);
	}
	for (; i < end; i++)
		if (t.buf[i] == '\n')
			tell(&t, i);
	return t.lineno - l->lineno;
}
#endif

/* Tells the observer of the complete lines in the n bytes at start. */
static uint64_t
observe_all(struct lh_lines *l, size_t n)
{
	struct teller t;
	size_t end = l->start + n;
	const char *nl;

#if defined(LH_LINES_AVX2)
	if (l->avx2)
		return observe_all_avx2(l, n);
#endif
	t = teller(l);
	while (t.at < end && (nl = memchr(t.buf + t.at, '\n', end - t.at)) !=
	    NULL)
		tell(&t, (size_t)(nl - t.buf));
	return t.lineno - l->lineno;
}

/* Drops the n bytes at start (complete lines), counting them. */
static void
drop(struct lh_lines *l, size_t n, uint64_t *skipped)
{
	uint64_t k = l->obs != NULL ? observe_all(l, n) : count_start(l, n);

	l->lineno += k;
	*skipped += k;
	l->start += n;
}

/*
 * lh_prefilter_find() over p[0..n) in windows that double from 4 KiB: the
 * prefilter scans for each word in turn, so one rare word would make every
 * call scan the whole buffer, and dense hits (a common word) would cost
 * the buffer's size each.  Each window starts where the last one ended,
 * less the longest word but one (a word that crosses the edge is found by
 * the next window, and no earlier hit can be missed), so a buffer with
 * no hit is scanned about once.
 */
static size_t
find_hit(const struct lh_prefilter *pf, const char *p, size_t n)
{
	size_t win = 4096, from = 0, end, h, ov = lh_prefilter_maxlen(pf);

	ov = ov > 0 ? ov - 1 : 0;
	for (;;) {
		end = win < n ? win : n;
		if ((h = lh_prefilter_find(pf, p + from, end - from)) <
		    end - from)
			return from + h;
		if (end == n)
			return n;
		if (end - ov > from)
			from = end - ov;
		win *= 2;
	}
}

int
lh_lines_next_hit(struct lh_lines *l, const struct lh_prefilter *pf,
    const char **line, size_t *len, uint64_t *skipped, struct lh_err *err)
{
	if (l->plan != NULL && !l->skipping && plan_seek(l) == LH_EOF)
		return LH_EOF;
	for (;;) {
		size_t avail = l->end - l->start, h, ls;
		const char *nl;
		int rc;

		if (l->skipping || avail >= LH_MAX_LINE)
			return lh_lines_next(l, line, len, err);
		h = find_hit(pf, l->buf + l->start, avail);
		if (h < avail) {
			ls = l->start + h;
			while (ls > l->start && l->buf[ls - 1] != '\n')
				ls--;
			/* a continuation line belongs to the record above */
			while (ls > l->start && is_ws(l->buf[ls])) {
				ls--;
				while (ls > l->start && l->buf[ls - 1] != '\n')
					ls--;
			}
			drop(l, ls - l->start, skipped);
			return lh_lines_next(l, line, len, err);
		}
		nl = avail > 0 ? memrchr(l->buf + l->start, '\n', avail) : NULL;
		if (nl != NULL)
			drop(l, (size_t)(nl - (l->buf + l->start)) + 1, skipped);
		rc = fill(l);
		if (rc == LH_OK)
			continue;
		if (rc == LH_FATAL)
			return lh_err_set(err, LH_FATAL, 0, "out of memory");
		if (rc == LH_EOF && l->end > l->start) {
			/* a last line without newline and without a hit */
			if (l->obs != NULL)
				observe(l, l->start, l->end - l->start, 0);
			l->lineno++;
			(*skipped)++;
			l->start = l->end;
		}
		return lh_lines_next(l, line, len, err);
	}
}

int
lh_lines_ahead(struct lh_lines *l, size_t want, const char **p, size_t *n)
{
	int rc = LH_OK;

	if (want > l->cap / 2)
		want = l->cap / 2;
	while (!l->skipping && l->end - l->start < want && rc == LH_OK)
		rc = fill(l);
	*p = l->buf + l->start;
	*n = l->skipping ? 0 : l->end - l->start;
	return rc == LH_FATAL ? LH_FATAL : LH_OK;
}

void
lh_lines_skip(struct lh_lines *l, size_t n)
{
	l->lineno += l->obs != NULL ? observe_all(l, n) : count_start(l, n);
	l->start += n;
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
			l->told = 1;
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
	size_t got;
	int rc;

	while (n > 0) {
		rc = lh_lines_read_some(l, d, n, &got, err);
		if (rc == LH_EOF)
			return LH_EOF;	/* not an error here: the caller says */
		if (rc != LH_OK)
			return rc;
		d += got;
		n -= got;
	}
	return LH_OK;
}

int
lh_lines_untold(const struct lh_lines *l, struct lh_err *err)
{
	if (!l->failed || l->told)
		return LH_OK;
	if (err != NULL)
		*err = l->fail;
	return LH_FAIL;
}
