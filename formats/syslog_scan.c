/*
 * syslog_scan.c: byte scans of the syslog header code (see syslog_scan.h):
 * the RFC 5424 header fields, the tag of RFC 3164 lines and the places an
 * RFC 3164 stamp may hang on in other lines are read on every line of a
 * text run's first pass.
 */
#include <stddef.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__SSE2__) && defined(__x86_64__) && defined(__GNUC__)
#define LH_SCAN_AVX2 1
#include <immintrin.h>
#endif

#include "formats/syslog_scan.h"

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

size_t
lh_syslog_printable_end(const char *s, size_t i, size_t n)
{
#if defined(__SSE2__)
	/* x + 95 takes 33..126 to -128..-35 (signed), every other byte above */
	const __m128i shift = _mm_set1_epi8(0x80 - 33);
	const __m128i top = _mm_set1_epi8(-35);
	unsigned m;

	for (; n - i >= 16; i += 16) {
		m = (unsigned)_mm_movemask_epi8(_mm_cmpgt_epi8(_mm_add_epi8(
		    _mm_loadu_si128((const __m128i *)(const void *)(s + i)),
		    shift), top));
		if (m != 0)
			return i + (size_t)__builtin_ctz(m);
	}
#endif
	while (i < n && s[i] >= 33 && s[i] <= 126)
		i++;
	return i;
}

size_t
lh_syslog_tag_stop(const char *s, size_t i, size_t n)
{
#if defined(__SSE2__)
	const __m128i colon = _mm_set1_epi8(':'), open = _mm_set1_epi8('[');
	const __m128i nl = _mm_set1_epi8('\n');
	__m128i x;
	unsigned m;

	for (; n - i >= 16; i += 16) {
		x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
		    _mm_cmpeq_epi8(x, colon), _mm_cmpeq_epi8(x, open)),
		    _mm_cmpeq_epi8(x, nl)));
		if (m != 0)
			return i + (size_t)__builtin_ctz(m);
	}
#endif
	while (i < n && s[i] != ':' && s[i] != '[' && s[i] != '\n')
		i++;
	return i;
}

/* Whether s[c] (c >= 2) is a ':' with a space two or three bytes before. */
static int
hour_colon(const char *s, size_t c)
{
	return s[c] == ':' && (s[c - 2] == ' ' || (c >= 3 && s[c - 3] == ' '));
}

#if defined(__SSE2__)
/* Bit j: hour_colon(p, j) for the 16 bytes at p (p[-3] may be read). */
static inline unsigned
hour_colons16(const char *p, __m128i colon, __m128i sp)
{
	return (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(
	    _mm_loadu_si128((const __m128i *)(const void *)p), colon),
	    _mm_or_si128(_mm_cmpeq_epi8(_mm_loadu_si128(
	    (const __m128i *)(const void *)(p - 2)), sp),
	    _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)
	    (const void *)(p - 3)), sp))));
}
#endif

#if defined(LH_SCAN_AVX2)
/* Bit j: hour_colon(p, j) for the 32 bytes at p (p[-3] may be read). */
__attribute__((target("avx2"))) static inline uint32_t
hour_colons32(const char *p)
{
	const __m256i colon = _mm256_set1_epi8(':'), sp = _mm256_set1_epi8(' ');

	return (uint32_t)_mm256_movemask_epi8(_mm256_and_si256(
	    _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(const void *)
	    p), colon), _mm256_or_si256(_mm256_cmpeq_epi8(_mm256_loadu_si256(
	    (const __m256i *)(const void *)(p - 2)), sp), _mm256_cmpeq_epi8(
	    _mm256_loadu_si256((const __m256i *)(const void *)(p - 3)), sp))));
}

/*
 * lh_syslog_hour_colon from i >= 3 with AVX2, 32 bytes a step, for n >=
 * 35 (the last step reads the 32 bytes before n, and 3 before them).
 */
__attribute__((target("avx2"))) static size_t
hour_colon_avx2(const char *s, size_t i, size_t n)
{
	uint32_t m;

	for (; n - i >= 32; i += 32)
		if ((m = hour_colons32(s + i)) != 0)
			return i + (size_t)__builtin_ctz(m);
	if (i >= n)
		return n;
	/* the last 32 bytes, those before i masked out */
	m = hour_colons32(s + n - 32) >> (i - (n - 32));
	return m != 0 ? i + (size_t)__builtin_ctz(m) : n;
}
#endif

size_t
lh_syslog_hour_colon(const char *s, size_t i, size_t n)
{
#if defined(__SSE2__)
	const __m128i colon = _mm_set1_epi8(':'), sp = _mm_set1_epi8(' ');
	unsigned m;
#endif

	for (i = i < 2 ? 2 : i; i < n && i < 3; i++)
		if (hour_colon(s, i))
			return i;
#if defined(LH_SCAN_AVX2)
	if (n >= 35 && __builtin_cpu_supports("avx2"))
		return hour_colon_avx2(s, i, n);
#endif
#if defined(__SSE2__)
	/* most lines have few colons: 32 bytes without one are passed over */
	for (; i < n && n - i >= 32; i += 32) {
		__m128i a = _mm_loadu_si128((const __m128i *)(const void *)
		    (s + i));
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)
		    (s + i + 16));

		if (_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(a, colon),
		    _mm_cmpeq_epi8(b, colon))) == 0)
			continue;
		if ((m = hour_colons16(s + i, colon, sp)) != 0)
			return i + (size_t)__builtin_ctz(m);
		if ((m = hour_colons16(s + i + 16, colon, sp)) != 0)
			return i + 16 + (size_t)__builtin_ctz(m);
	}
	for (; i < n && n - i >= 16; i += 16)
		if ((m = hour_colons16(s + i, colon, sp)) != 0)
			return i + (size_t)__builtin_ctz(m);
	/* the last 16 bytes, those before i masked out */
	if (i < n && n >= 19) {
		m = hour_colons16(s + n - 16, colon, sp) >> (i - (n - 16));
		return m != 0 ? i + (size_t)__builtin_ctz(m) : n;
	}
#endif
	for (; i < n; i++)
		if (hour_colon(s, i))
			return i;
	return n;
}

int
lh_syslog_pri(const char *s, size_t n, size_t *i)
{
	size_t j;
	int v = 0;

	if (n < 3 || s[0] != '<')
		return 0;
	for (j = 1; j < n && j <= 3 && isdig(s[j]); j++)
		v = v * 10 + (s[j] - '0');
	if (j == 1 || j >= n || s[j] != '>' || v > 191)
		return 0;
	*i = j + 1;
	return 1;
}

int
lh_syslog_pri_version(const char *s, size_t n, size_t *i)
{
	size_t e, j;

	if (!lh_syslog_pri(s, n, &j) || j >= n || s[j] < '1' || s[j] > '9')
		return 0;
	for (e = j + 1; e < n && e - j < 3 && isdig(s[e]); e++)
		continue;
	if (e >= n || s[e] != ' ')
		return 0;
	*i = e + 1;
	return 1;
}

/* A field of [a, e) of s into *p and *len as field5424 puts it. */
static void
put_field(const char *s, size_t a, size_t e, const char **p, size_t *len)
{
	*p = NULL;
	if (e - a != 1 || s[a] != '-') {
		*p = s + a;
		*len = e - a;
	}
}

/*
 * An RFC 5424 header field at s[*i]: 1..max PRINTUSASCII bytes and a
 * space.  NILVALUE "-" leaves *p NULL.
 */
static int
field5424(const char *s, size_t n, size_t *i, size_t max, const char **p,
    size_t *len)
{
	size_t j = lh_syslog_printable_end(s, *i, n);

	if (j == *i || j - *i > max || j >= n || s[j] != ' ')
		return 0;
	put_field(s, *i, j, p, len);
	*i = j + 1;
	return 1;
}

/*
 * STRUCTURED-DATA: "-" or [..][..]...; inside a PARAM-VALUE's quotes '\'
 * escapes the next byte (RFC 5424 6.3.3: '"', '\' and ']'), and an
 * unescaped ']' inside quotes is tolerated.
 */
static int
skip_sd(const char *s, size_t n, size_t *i)
{
	size_t j = *i;
	int quoted;

	if (j < n && s[j] == '-') {
		*i = j + 1;
		return 1;
	}
	if (j >= n || s[j] != '[')
		return 0;
	while (j < n && s[j] == '[') {
		for (quoted = 0, j++; j < n; j++) {
			if (quoted && s[j] == '\\')
				j++;
			else if (s[j] == '"')
				quoted = !quoted;
			else if (!quoted && s[j] == ']')
				break;
		}
		if (j >= n)
			return 0;
		j++;
	}
	*i = j;
	return 1;
}

#if defined(__SSE2__)
/*
 * Where the four fields of lh_syslog_rest5424 end, when they end in the
 * 32 bytes at s (n - i > 32 bytes from the caller's i): 1 or 0 as the
 * field5424 calls would return, with e[f] the offset of field f's space;
 * -1 when a field reaches past those bytes.  field5424 stops at the first
 * byte that is not PRINTUSASCII, which must be a space after 1..max
 * bytes: the masks mark those bytes.
 */
static int
ends32(const char *s, size_t e[4])
{
	static const size_t max[4] = { 255, 48, 128, 32 };
	const __m128i shift = _mm_set1_epi8(0x80 - 33);
	const __m128i top = _mm_set1_epi8(-35), sp = _mm_set1_epi8(' ');
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
	__m128i y = _mm_loadu_si128((const __m128i *)(const void *)(s + 16));
	uint32_t np, spc;
	size_t a = 0, f;

	np = (uint32_t)_mm_movemask_epi8(_mm_cmpgt_epi8(_mm_add_epi8(x, shift),
	    top)) | (uint32_t)_mm_movemask_epi8(_mm_cmpgt_epi8(
	    _mm_add_epi8(y, shift), top)) << 16;
	spc = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, sp)) |
	    (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(y, sp)) << 16;
	for (f = 0; f < 4; f++) {
		if (a >= 32 || (np >> a) == 0)
			return -1;
		e[f] = a + (size_t)__builtin_ctz(np >> a);
		if (e[f] == a || e[f] - a > max[f] || !(spc >> e[f] & 1))
			return 0;
		a = e[f] + 1;
	}
	return 1;
}
#endif

int
lh_syslog_rest5424(const char *s, size_t n, size_t *i, const char **host,
    size_t *hostlen, const char **app, size_t *applen, const char **procid,
    size_t *procidlen)
{
	const char *msgid;
	size_t msgidlen;
#if defined(__SSE2__)
	size_t e[4], b = *i;
	int r;

	if (n - b > 32 && (r = ends32(s + b, e)) >= 0) {
		if (r == 0)
			return 0;
		put_field(s, b, b + e[0], host, hostlen);
		put_field(s, b + e[0] + 1, b + e[1], app, applen);
		put_field(s, b + e[1] + 1, b + e[2], procid, procidlen);
		*i = b + e[3] + 1;
		return skip_sd(s, n, i) && (*i >= n || s[*i] == ' ');
	}
#endif
	return field5424(s, n, i, 255, host, hostlen) &&
	    field5424(s, n, i, 48, app, applen) &&
	    field5424(s, n, i, 128, procid, procidlen) &&
	    field5424(s, n, i, 32, &msgid, &msgidlen) && skip_sd(s, n, i) &&
	    (*i >= n || s[*i] == ' ');
}
