/*
 * sniff.c: magic bytes, sniffed once and replayed (sniff.h).
 *
 * DESIGN
 * The replay buffer is filled completely (up to LH_SNIFF_BYTES or the end)
 * before classifying, because a tar header is recognised by its checksum
 * over 512 bytes.  Damage met while filling is kept and reported by the
 * read that follows the replayed bytes.  A skip drops replayed bytes
 * first and hands the rest down, so a plain file under a sniffer still
 * seeks.
 */
#include <stdlib.h>
#include <string.h>

#include "core/sniff.h"
#include "core/status.h"
#include "core/time.h"

struct sniff {
	struct lh_stream s;
	struct lh_stream *below;	/* borrowed */
	unsigned char peek[LH_SNIFF_BYTES];
	size_t plen, ppos;
	struct lh_err perr;	/* damage met while filling, after bytes */
	int pfail;
};

static int
sniff_read(struct lh_stream *s, void *buf, size_t cap, size_t *got,
    struct lh_err *err)
{
	struct sniff *f = s->state;

	*got = 0;
	if (f->ppos < f->plen) {
		size_t k = f->plen - f->ppos;

		if (k > cap)
			k = cap;
		memcpy(buf, f->peek + f->ppos, k);
		f->ppos += k;
		*got = k;
		return LH_OK;
	}
	if (f->pfail) {
		if (err != NULL)
			*err = f->perr;
		return f->perr.status;
	}
	return lh_stream_read(f->below, buf, cap, got, err);
}

/* Drops replay bytes first; the rest is the stream below's to skip. */
static int
sniff_skip(struct lh_stream *s, uint64_t n, uint64_t *done,
    struct lh_err *err)
{
	struct sniff *f = s->state;
	uint64_t more = 0;
	size_t k = f->plen - f->ppos;
	int rc;

	if (k > n)
		k = (size_t)n;
	f->ppos += k;
	*done = k;
	if (k == n || f->ppos < f->plen || f->pfail)
		return LH_OK;	/* a failure is told by the next read */
	rc = lh_stream_skip(f->below, n - k, NULL, 0, &more, err);
	*done += more;
	return rc;
}

static void
sniff_close(struct lh_stream *s)
{
	free(s->state);
}

static const struct lh_stream_ops sniff_ops = { sniff_read, sniff_close,
    sniff_skip };

struct lh_stream *
lh_sniff_create(struct lh_stream *below)
{
	struct sniff *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	f->s.ops = &sniff_ops;
	f->s.state = f;
	f->below = below;
	lh_err_clear(&f->perr);
	return &f->s;
}

int
lh_sniff_fill(struct lh_stream *s, enum lh_kind *kind, struct lh_err *err)
{
	struct sniff *f = s->state;
	size_t got;
	int rc;

	while (f->plen < LH_SNIFF_BYTES) {
		rc = lh_stream_read(f->below, f->peek + f->plen,
		    LH_SNIFF_BYTES - f->plen, &got, err);
		f->plen += got;
		if (rc == LH_EOF)
			break;
		if (rc != LH_OK && f->plen > 0 && rc != LH_FATAL) {
			f->perr = *err;
			f->pfail = 1;
			break;
		}
		if (rc != LH_OK)
			return rc;
	}
	*kind = lh_sniff_kind(f->peek, f->plen);
	return LH_OK;
}

const unsigned char *
lh_sniff_bytes(const struct lh_stream *s, size_t *n)
{
	const struct sniff *f = s->state;

	*n = f->plen;
	return f->peek;
}

static int
is_tar(const unsigned char *p, size_t n)
{
	unsigned long sum = 0, want = 0;
	size_t i;

	if (n < 512)
		return 0;
	if (memcmp(p + 257, "ustar", 5) == 0)
		return 1;
	/* a v7 tar has no magic: check the header checksum instead */
	for (i = 148; i < 156 && p[i] == ' '; i++)
		;
	if (i == 156 || p[i] < '0' || p[i] > '7' || p[0] == '\0')
		return 0;
	for (; i < 156 && p[i] >= '0' && p[i] <= '7'; i++)
		want = want * 8 + (p[i] - '0');
	for (i = 0; i < 512; i++)
		sum += (i >= 148 && i < 156) ? ' ' : p[i];
	return sum == want;
}

static int
is_zip_or_cpio(const unsigned char *p, size_t n)
{
	if (n >= 4 && p[0] == 'P' && p[1] == 'K' &&
	    ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6) ||
	    (p[2] == 7 && p[3] == 8)))
		return 1;
	if (n >= 6 && (memcmp(p, "070707", 6) == 0 ||
	    memcmp(p, "070701", 6) == 0 || memcmp(p, "070702", 6) == 0))
		return 1;
	return n >= 2 && ((p[0] == 0xc7 && p[1] == 0x71) ||
	    (p[0] == 0x71 && p[1] == 0xc7));
}

enum lh_kind
lh_sniff_kind(const unsigned char *p, size_t n)
{
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return LH_KIND_GZIP;
	if (n >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0)
		return LH_KIND_ZSTD;
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x9d)
		return LH_KIND_COMPRESSED;
	if (n >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0)
		return LH_KIND_XZ;
	if (n >= 4 && memcmp(p, "BZh", 3) == 0 && p[3] >= '1' && p[3] <= '9')
		return LH_KIND_BZIP2;
	if (n >= 4 && memcmp(p, "\x04\x22\x4d\x18", 4) == 0)
		return LH_KIND_COMPRESSED;
	if (n >= 6 && memcmp(p, "7z\xbc\xaf\x27\x1c", 6) == 0)
		return LH_KIND_SEVENZIP;
	if (is_zip_or_cpio(p, n) || is_tar(p, n))
		return LH_KIND_ARCHIVE;
	return LH_KIND_PLAIN;
}

int64_t
lh_sniff_gzip_mtime(const unsigned char *p, size_t n)
{
	uint32_t t;

	if (n < 10 || p[0] != 0x1f || p[1] != 0x8b)
		return -1;
	t = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 |
	    (uint32_t)p[7] << 24;
	return t == 0 ? -1 : (int64_t)t * LH_US;
}
