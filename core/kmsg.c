/*
 * kmsg.c: kernel messages: the ring-buffer stamp, and the details of the
 * segfault and exec-stack messages (see kmsg.h).
 *
 * DESIGN
 * Scanners over borrowed (pointer, length) text that never read past its
 * end; messages may hold any bytes.  Numbers are bounded: the stamp's
 * seconds to 12 digits, its fraction kept to the microsecond, hexadecimal
 * values to 16 digits, the pid to what a long holds.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/kmsg.h"
#include "core/memfind.h"
#include "core/num.h"
#include "core/status.h"
#include "core/time.h"

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

size_t
lh_kmsg_stamp(const char *s, size_t n, int64_t *us, int64_t *prec)
{
	size_t j = 1, d;
	int64_t secs = 0, frac = 0, scale = LH_US;

	if (n < 4 || s[0] != '[')
		return 0;
	while (j < n && s[j] == ' ')
		j++;
	for (d = j; j < n && isdig(s[j]) && j - d < 12; j++)
		secs = secs * 10 + (s[j] - '0');
	if (j == d || j + 1 >= n || s[j] != '.' || !isdig(s[j + 1]))
		return 0;
	/* the fraction: digits past the microsecond are read, not kept */
	for (j++, *prec = LH_US; j < n && isdig(s[j]); j++) {
		if (scale > 1) {
			scale /= 10;
			frac += (s[j] - '0') * scale;
			*prec = scale;
		}
	}
	if (j >= n || s[j] != ']')
		return 0;
	*us = secs * LH_US + frac;
	return j + 1;
}

size_t
lh_kmsg_stamp_len(const char *s, size_t n)
{
	int64_t us, prec;
	size_t k = lh_kmsg_stamp(s, n, &us, &prec);

	return k != 0 && k < n && s[k] == ' ' ? k + 1 : 0;
}

/*
 * The first copy of needle in the n bytes at s, or NULL, found by the
 * needle's first byte that is not a space (spaces are common in messages,
 * " segfault at " otherwise rare): every alert's message is searched when
 * it is printed.
 */
static const char *
find(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), a = 0;

	while (a + 1 < k && needle[a] == ' ')
		a++;
	return lh_memfind(s, n, needle, k, a);
}

/* Parses hex digits at *p (bounded by end) into *v; 0 if none. */
static int
hex(const char **p, const char *end, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;
	int n = 0;

	while (s < end && n < 16) {
		int d = lh_num_hexdigit((unsigned char)*s);

		if (d < 0)
			break;
		x = x * 16 + (uint64_t)d;
		s++;
		n++;
	}
	*p = s;
	*v = x;
	return n > 0;
}

static int
word(const char **p, const char *end, const char *w)
{
	size_t k = strlen(w);

	if ((size_t)(end - *p) < k || memcmp(*p, w, k) != 0)
		return 0;
	*p += k;
	return 1;
}

/* "comm[pid]: " ending just before at; fills comm and pid. */
static int
comm_pid(const char *start, const char *at, struct lh_segv *out)
{
	const char *q = at - 2, *lb;
	int64_t pid;
	size_t n;

	if (at - start < 4 || at[-1] != ':' || at[-2] != ']')
		return 0;
	while (q > start && isdig(q[-1]))
		q--;
	if (q == start || q[-1] != '[' ||
	    lh_num_parse(q, (size_t)(at - 2 - q), 0, LONG_MAX, &pid) != LH_OK)
		return 0;
	lb = q - 1;
	n = (size_t)(lb - start);
	if (n >= sizeof(out->comm))
		n = sizeof(out->comm) - 1;
	memcpy(out->comm, lb - n, n);
	out->comm[n] = '\0';
	out->pid = (long)pid;
	return 1;
}

int
lh_kmsg_segfault(const char *msg, size_t len, struct lh_segv *out)
{
	const char *end = msg + len, *at, *p, *start;
	uint64_t err;

	memset(out, 0, sizeof(*out));
	start = msg + lh_kmsg_stamp_len(msg, len);
	if ((at = find(start, (size_t)(end - start), " segfault at ")) ==
	    NULL || !comm_pid(start, at, out))
		goto fail;
	p = at + 13;
	if (!hex(&p, end, &out->addr) || !word(&p, end, " ip ") ||
	    !hex(&p, end, &out->ip) || !word(&p, end, " sp ") ||
	    !hex(&p, end, &out->sp) || !word(&p, end, " error ") ||
	    !hex(&p, end, &err))
		goto fail;
	out->error = (unsigned long)err;
	lh_kmsg_pf_describe(out->error, out->error_text,
	    sizeof(out->error_text));
	if (word(&p, end, " in ")) {
		const char *b = p;
		size_t n;

		/* print_vma_addr: "FILE[start+size]" or "FILE[off,start+size]" */
		while (p < end && *p != '[')
			p++;
		n = (size_t)(p - b);
		if (n >= sizeof(out->mapped))
			n = sizeof(out->mapped) - 1;
		memcpy(out->mapped, b, n);
		out->mapped[n] = '\0';
	}
	return LH_OK;
fail:
	memset(out, 0, sizeof(*out));
	return LH_FAIL;
}

void
lh_kmsg_pf_describe(unsigned long code, char *buf, size_t n)
{
	const char *mode = (code & 0x4) ? "user-mode" : "kernel-mode";
	const char *access = (code & 0x10) ? "instruction fetch" :
	    (code & 0x2) ? "write" : "read";
	const char *why = (code & 0x1) ? "protection violation" :
	    "page not present";

	snprintf(buf, n, "%s %s, %s%s%s%s", mode, access, why,
	    (code & 0x8) ? ", reserved bit set" : "",
	    (code & 0x20) ? ", protection key" : "",
	    (code & 0x40) ? ", shadow stack" : "");
	if ((code & 0x15) == 0x15) {
		size_t k = strlen(buf);

		snprintf(buf + k, n - k, " (no-execute page: code run "
		    "from stack or heap?)");
	}
}

int
lh_kmsg_execstack(const char *msg, size_t len, char *path, size_t n)
{
	const char *end = msg + len, *p, *q;
	size_t k;

	if ((p = find(msg, len, "process '")) == NULL)
		return LH_FAIL;
	p += 9;
	if ((q = find(p, (size_t)(end - p),
	    "' started with executable stack")) == NULL)
		return LH_FAIL;
	k = (size_t)(q - p);
	if (k >= n)
		k = n - 1;
	memcpy(path, p, k);
	path[k] = '\0';
	return LH_OK;
}
