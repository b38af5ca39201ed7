/*
 * decode.c: segfault and exec-stack message details (see decode.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/decode.h"
#include "core/pipeline.h"

static const char *
find(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; k <= n && i <= n - k; i++) {
		if (memcmp(s + i, needle, k) == 0)
			return s + i;
	}
	return NULL;
}

/* Parses hex digits at *p (bounded by end) into *v; 0 if none. */
static int
hex(const char **p, const char *end, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;
	int n = 0;

	while (s < end && n < 16) {
		int c = *s, d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
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
	const char *q = at, *lb;
	long pid = 0, mul = 1;
	size_t n;

	if (q - start < 4 || q[-1] != ':' || q[-2] != ']')
		return 0;
	q -= 3;
	while (q >= start && *q >= '0' && *q <= '9') {
		pid += (*q - '0') * mul;
		mul *= 10;
		q--;
	}
	if (q < start || *q != '[' || mul == 1)
		return 0;
	lb = q;
	n = (size_t)(lb - start);
	if (n >= sizeof(out->comm))
		n = sizeof(out->comm) - 1;
	memcpy(out->comm, lb - n, n);
	out->comm[n] = '\0';
	out->pid = pid;
	return 1;
}

int
lh_decode_segfault(const char *msg, size_t len, struct lh_segv *out)
{
	const char *end = msg + len, *at, *p, *start;
	uint64_t err;

	memset(out, 0, sizeof(*out));
	start = msg + lh_dmesg_stamp_len(msg, len);
	if ((at = find(start, (size_t)(end - start), " segfault at ")) ==
	    NULL)
		return 0;
	if (!comm_pid(start, at, out))
		return 0;
	p = at + 13;
	if (!hex(&p, end, &out->addr) || !word(&p, end, " ip ") ||
	    !hex(&p, end, &out->ip) || !word(&p, end, " sp ") ||
	    !hex(&p, end, &out->sp) || !word(&p, end, " error ") ||
	    !hex(&p, end, &err))
		return 0;
	out->error = (unsigned long)err;
	lh_pf_describe(out->error, out->error_text, sizeof(out->error_text));
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
	return 1;
}

void
lh_pf_describe(unsigned long code, char *buf, size_t n)
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
lh_decode_execstack(const char *msg, size_t len, char *path, size_t n)
{
	const char *end = msg + len, *p, *q;
	size_t k;

	if ((p = find(msg, len, "process '")) == NULL)
		return 0;
	p += 9;
	if ((q = find(p, (size_t)(end - p),
	    "' started with executable stack")) == NULL)
		return 0;
	k = (size_t)(q - p);
	if (k >= n)
		k = n - 1;
	memcpy(path, p, k);
	path[k] = '\0';
	return 1;
}
