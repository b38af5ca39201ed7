/*
 * input.c: files, directories, compression and archives down to leaves.
 *
 * DESIGN
 * Every level of an input is a struct rd: a pull reader over the level
 * below (a file descriptor, or the data of an archive member), with a
 * replay buffer so the first bytes can be sniffed without losing them.
 * Sniffing decides what the bytes are:
 *   - compressed or archive data goes to a libarchive reader (all filters;
 *     formats tar, zip, 7z, cpio and raw), whose members (or, for the raw
 *     format, the decompressed stream) become new levels;
 *   - anything else is a leaf: it gets a line reader and goes to the
 *     callback, which probes the record formats.
 * libarchive pulls from our readers through callbacks, so a member of a
 * .tar.zst inside a zip streams through three decoders without touching
 * the disk.  A native journal file needs random access: its leaf offers an
 * fd, the file's own when it is plain, else a memfd holding the content.
 */
#define _GNU_SOURCE
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/decomp.h"
#include "core/input.h"
#include "core/lines.h"
#include "core/status.h"
#include "core/time.h"

#define SNIFF 4096
#define ARCHIVE_BLOCK (128 * 1024)

enum kind { K_PLAIN, K_GZIP, K_ZSTD, K_XZ, K_BZIP2, K_COMPRESSED,
	K_ARCHIVE, K_SEVENZIP, K_JOURNAL };

struct rd {
	int (*read)(void *arg, void *buf, size_t cap, size_t *got,
	    struct lh_err *err);
	void *arg;
	char peek[SNIFF];
	size_t plen, ppos;
	uint64_t pos;		/* bytes delivered by read() */
	/*
	 * Damage met while sniffing, after some bytes: those bytes are
	 * still delivered (a short damaged member keeps its complete lines)
	 * and the error comes after them.
	 */
	struct lh_err perr;
	int pfail;
};

struct ctx {
	lh_leaf_fn fn;
	void *arg;
	struct lh_diag *diag;
	struct lh_input_stats *st;
	int failed;
	int fatal;
};

/* ---- readers ---------------------------------------------------------- */

struct fd_reader {
	int fd;
	const char *path;
};

static int
fd_read(void *arg, void *buf, size_t cap, size_t *got, struct lh_err *err)
{
	struct fd_reader *f = arg;
	ssize_t n;

	do {
		n = read(f->fd, buf, cap);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return lh_err_set(err, LH_FAIL, errno, "%s: read error",
		    f->path);
	*got = (size_t)n;
	return n == 0 ? LH_EOF : LH_OK;
}

/*
 * A member is read block by block (archive_read_data_block), not with
 * archive_read_data(): that one fills the whole buffer and, when the data
 * breaks part-way, drops what it had copied, losing the complete lines
 * before the damage.
 */
struct member_reader {
	struct archive *a;
	const char *path;
	const char *blk;	/* the current data block, blen bytes */
	size_t blen;
	int64_t boff;		/* member offset of blk[0] */
	uint64_t pos;		/* member bytes delivered so far */
	int failed;		/* the member's data was damaged */
	int eof;
	int warned;		/* a bad checksum: fail once blk is drained */
};

static int
member_read(void *arg, void *buf, size_t cap, size_t *got, struct lh_err *err)
{
	struct member_reader *m = arg;
	const void *b;
	size_t n;
	int ar;

	*got = 0;
	while (m->blen == 0 && !m->eof) {
		b = NULL;
		if (m->warned)
			ar = ARCHIVE_FAILED;
		else
			ar = archive_read_data_block(m->a, &b, &m->blen,
			    &m->boff);
		if (ar == ARCHIVE_WARN) {
			/* ("ZIP bad CRC") after the data it is about */
			m->warned = 1;
			if (b == NULL)
				m->blen = 0;
		}
		if (ar == ARCHIVE_EOF) {
			m->eof = 1;
			m->blen = 0;
		} else if (ar < ARCHIVE_WARN) {
			const char *why = archive_error_string(m->a);

			m->failed = 1;
			m->blen = 0;
			return lh_err_set(err, LH_FAIL, 0, "%s: damaged data "
			    "at offset %llu: %s", m->path,
			    (unsigned long long)m->pos,
			    why != NULL ? why : "read error");
		} else {
			m->blk = b;
		}
	}
	if (m->blen == 0)
		return LH_EOF;
	if (m->boff > 0 && (uint64_t)m->boff > m->pos) {
		/* a hole in a sparse member reads as NUL bytes */
		n = (uint64_t)m->boff - m->pos < cap ?
		    (size_t)((uint64_t)m->boff - m->pos) : cap;
		memset(buf, 0, n);
	} else {
		n = m->blen < cap ? m->blen : cap;
		memcpy(buf, m->blk, n);
		m->blk += n;
		m->blen -= n;
		m->boff += (int64_t)n;
	}
	m->pos += n;
	*got = n;
	return LH_OK;
}

static int
rd_read(struct rd *r, void *buf, size_t cap, size_t *got, struct lh_err *err)
{
	int rc;

	*got = 0;
	if (r->ppos < r->plen) {
		size_t k = r->plen - r->ppos;

		if (k > cap)
			k = cap;
		memcpy(buf, r->peek + r->ppos, k);
		r->ppos += k;
		*got = k;
		return LH_OK;
	}
	if (r->pfail) {
		if (err != NULL)
			*err = r->perr;
		return r->perr.status;
	}
	rc = r->read(r->arg, buf, cap, got, err);
	r->pos += *got;
	return rc;
}

/* Fills the replay buffer with up to SNIFF bytes.  LH_OK or LH_FAIL. */
static int
rd_sniff(struct rd *r, struct lh_err *err)
{
	while (r->plen < SNIFF) {
		size_t got = 0;
		int rc = r->read(r->arg, r->peek + r->plen, SNIFF - r->plen,
		    &got, err);

		r->plen += got;
		r->pos += got;
		if (rc == LH_EOF || (rc == LH_OK && got == 0))
			break;
		if (rc != LH_OK && r->plen > 0 && rc != LH_FATAL) {
			r->perr = *err;
			r->pfail = 1;
			break;
		}
		if (rc != LH_OK)
			return rc;
	}
	return LH_OK;
}

/* ---- sniffing --------------------------------------------------------- */

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

static enum kind
sniff(const unsigned char *p, size_t n)
{
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return K_GZIP;
	if (n >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0)
		return K_ZSTD;
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x9d)
		return K_COMPRESSED;
	if (n >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0)
		return K_XZ;
	if (n >= 4 && memcmp(p, "BZh", 3) == 0 && p[3] >= '1' && p[3] <= '9')
		return K_BZIP2;
	if (n >= 4 && memcmp(p, "\x04\x22\x4d\x18", 4) == 0)
		return K_COMPRESSED;
	if (n >= 8 && memcmp(p, "LPKSHHRH", 8) == 0)
		return K_JOURNAL;
	if (n >= 4 && p[0] == 'P' && p[1] == 'K' &&
	    ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6) ||
	    (p[2] == 7 && p[3] == 8)))
		return K_ARCHIVE;
	if (n >= 6 && memcmp(p, "7z\xbc\xaf\x27\x1c", 6) == 0)
		return K_SEVENZIP;
	if (n >= 6 && (memcmp(p, "070707", 6) == 0 ||
	    memcmp(p, "070701", 6) == 0 || memcmp(p, "070702", 6) == 0))
		return K_ARCHIVE;
	if (n >= 2 && ((p[0] == 0xc7 && p[1] == 0x71) ||
	    (p[0] == 0x71 && p[1] == 0xc7)))
		return K_ARCHIVE;
	if (is_tar(p, n))
		return K_ARCHIVE;
	return K_PLAIN;
}

/* The MTIME of a gzip header, in µs, or -1 when unset. */
static int64_t
gzip_mtime(const unsigned char *p, size_t n)
{
	uint32_t t;

	if (n < 10 || p[0] != 0x1f || p[1] != 0x8b)
		return -1;
	t = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 |
	    (uint32_t)p[7] << 24;
	return t == 0 ? -1 : (int64_t)t * LH_US;
}

/* ---- leaves ----------------------------------------------------------- */

struct leaf {
	struct rd *r;
	struct lh_stream stream;
	struct lh_source src;
	int fd;			/* the plain file's fd, or -1 */
	int memfd;		/* materialized content, or -1 */
};

static int
leaf_stream_read(struct lh_stream *s, void *buf, size_t cap, size_t *got,
    struct lh_err *err)
{
	struct leaf *lf = s->state;

	return rd_read(lf->r, buf, cap, got, err);
}

static const struct lh_stream_ops leaf_ops = { leaf_stream_read, NULL };

/* Copies everything the line reader has not consumed into a memfd. */
static int
materialize(struct leaf *lf, struct lh_err *err)
{
	char *chunk;
	int fd, rc = LH_OK;
	size_t got;

	if ((fd = memfd_create("loghunt-journal", MFD_CLOEXEC)) < 0)
		return lh_err_set(err, LH_FAIL, errno, "%s: memfd",
		    lf->src.path);
	if ((chunk = malloc(ARCHIVE_BLOCK)) == NULL) {
		close(fd);
		return lh_err_set(err, LH_FATAL, ENOMEM, "out of memory");
	}
	for (;;) {
		rc = lh_lines_read_some(lf->src.lines, chunk, ARCHIVE_BLOCK,
		    &got, err);
		if (rc != LH_OK)
			break;
		if (write(fd, chunk, got) != (ssize_t)got) {
			rc = lh_err_set(err, LH_FAIL, errno, "%s: memfd write",
			    lf->src.path);
			break;
		}
	}
	free(chunk);
	if (rc == LH_EOF)
		rc = LH_OK;
	/* a damaged tail still leaves the journal's readable part */
	if (rc == LH_FATAL) {
		close(fd);
		return rc;
	}
	lseek(fd, 0, SEEK_SET);
	lf->memfd = fd;
	return rc;
}

static int
leaf_get_fd(struct lh_source *src, int *fd, struct lh_err *err)
{
	struct leaf *lf = src->priv;
	int rc = LH_OK;

	if (lf->fd >= 0) {
		*fd = lf->fd;
		return LH_OK;
	}
	if (lf->memfd < 0)
		rc = materialize(lf, err);
	if (lf->memfd < 0)
		return rc == LH_OK ? LH_FAIL : rc;
	*fd = lf->memfd;
	return rc;
}

static int
do_leaf(struct ctx *c, struct rd *r, const char *path, int64_t mtime, int fd)
{
	struct leaf lf;
	struct lh_err err;
	int rc;

	memset(&lf, 0, sizeof(lf));
	lf.r = r;
	lf.fd = fd;
	lf.memfd = -1;
	lf.stream.ops = &leaf_ops;
	lf.stream.state = &lf;
	lf.src.path = path;
	lf.src.mtime = mtime;
	lf.src.get_fd = leaf_get_fd;
	lf.src.priv = &lf;
	if ((lf.src.lines = lh_lines_create(&lf.stream, path)) == NULL)
		return LH_FATAL;
	c->st->leaves++;
	rc = c->fn(c->arg, &lf.src);
	/*
	 * A stream skipped (binary, unknown text) after its probe had met
	 * damage: the damage is still reported.
	 */
	if (rc != LH_FATAL && lh_lines_untold(lf.src.lines, &err) != LH_OK) {
		lh_diag_add(c->diag, LH_FAIL, "%s", err.msg);
		c->failed = 1;
	}
	lh_lines_free(lf.src.lines);
	if (lf.memfd >= 0)
		close(lf.memfd);
	return rc;
}

/* ---- archives and compressed streams ------------------------------------ */

struct la_client {
	struct rd *r;
	char *buf;
	struct lh_err err;
	int failed;
};

static la_ssize_t
la_read(struct archive *a, void *arg, const void **out)
{
	struct la_client *cl = arg;
	size_t got = 0;
	int rc = rd_read(cl->r, cl->buf, ARCHIVE_BLOCK, &got, &cl->err);

	*out = cl->buf;
	if (rc == LH_OK || rc == LH_EOF)
		return (la_ssize_t)got;
	cl->failed = 1;
	archive_set_error(a, EIO, "%s", cl->err.msg);
	return -1;
}

static int level(struct ctx *c, struct rd *r, const char *path,
    int64_t mtime, int depth, int fd);

static char *
member_path(const char *parent, const char *name)
{
	size_t a = strlen(parent), b = strlen(name);
	char *p = malloc(a + b + 2);

	if (p == NULL)
		return NULL;
	memcpy(p, parent, a);
	p[a] = '!';
	memcpy(p + a + 1, name, b + 1);
	return p;
}

static void
report_archive(struct ctx *c, struct archive *a, const char *path,
    const char *what)
{
	const char *why = archive_error_string(a);

	/* the offset in the archive's own (decompressed) byte stream */
	lh_diag_add(c->diag, LH_FAIL, "%s: %s at offset %lld: %s", path, what,
	    (long long)archive_filter_bytes(a, 0),
	    why != NULL ? why : "damaged data");
	c->failed = 1;
}

/* Reads one member (or the raw stream) of a as a new level. */
static int
member(struct ctx *c, struct archive *a, struct archive_entry *e,
    const char *path, int64_t mtime, int depth, int *failed)
{
	struct member_reader mr;
	struct rd sub;
	char *mpath = NULL;
	int raw, rc;

	raw = (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) ==
	    ARCHIVE_FORMAT_RAW;
	if (!raw) {
		const char *name = archive_entry_pathname(e);

		if (archive_entry_filetype(e) != AE_IFREG)
			return LH_OK;
		if ((mpath = member_path(path,
		    name != NULL ? name : "?")) == NULL)
			return LH_FATAL;
		if (archive_entry_mtime_is_set(e))
			mtime = (int64_t)archive_entry_mtime(e) * LH_US +
			    archive_entry_mtime_nsec(e) / 1000;
	}
	memset(&sub, 0, sizeof(sub));
	memset(&mr, 0, sizeof(mr));
	mr.a = a;
	mr.path = raw ? path : mpath;
	sub.read = member_read;
	sub.arg = &mr;
	rc = level(c, &sub, mr.path, mtime, depth + 1, -1);
	*failed = mr.failed;
	free(mpath);
	return rc;
}

static struct archive *
new_archive(void)
{
	struct archive *a = archive_read_new();

	if (a == NULL)
		return NULL;
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_7zip(a);
	archive_read_support_format_cpio(a);
	archive_read_support_format_raw(a);
	return a;
}

/*
 * 7z needs to seek: a plain file's own descriptor (a duplicate), else the
 * content copied into a memfd.  Returns an fd to close, or -1 (reported).
 */
static int
seekable_fd(struct ctx *c, struct rd *r, const char *path, int fd)
{
	char *buf;
	size_t got;
	int mfd, rc;

	if (fd >= 0)
		return dup(fd);
	if ((mfd = memfd_create("loghunt-7z", MFD_CLOEXEC)) < 0 ||
	    (buf = malloc(ARCHIVE_BLOCK)) == NULL) {
		if (mfd >= 0)
			close(mfd);
		lh_diag_add(c->diag, LH_FAIL, "%s: cannot buffer: %s", path,
		    strerror(errno));
		return -1;
	}
	for (;;) {
		struct lh_err err;

		rc = rd_read(r, buf, ARCHIVE_BLOCK, &got, &err);
		if (rc == LH_OK && write(mfd, buf, got) == (ssize_t)got)
			continue;
		if (rc != LH_EOF)
			lh_diag_add(c->diag, LH_FAIL, "%s", rc == LH_OK ?
			    "memfd write failed" : err.msg);
		break;
	}
	free(buf);
	return mfd;
}

static int
unpack(struct ctx *c, struct rd *r, const char *path, int64_t mtime,
    int depth, int fd)
{
	struct la_client cl;
	struct archive *a;
	struct archive_entry *e;
	int64_t gzt = gzip_mtime((const unsigned char *)r->peek, r->plen);
	int rc = LH_OK, ar, failed = 0;

	memset(&cl, 0, sizeof(cl));
	cl.r = r;
	if ((cl.buf = malloc(ARCHIVE_BLOCK)) == NULL ||
	    (a = new_archive()) == NULL) {
		free(cl.buf);
		return LH_FATAL;
	}
	if (gzt >= 0)
		mtime = gzt;
	if (fd >= 0)
		lseek(fd, 0, SEEK_SET);
	if (fd >= 0 ? archive_read_open_fd(a, fd, ARCHIVE_BLOCK) != ARCHIVE_OK
	    : archive_read_open(a, &cl, NULL, la_read, NULL) != ARCHIVE_OK) {
		report_archive(c, a, path, "cannot read");
		goto out;
	}
	for (;;) {
		ar = archive_read_next_header(a, &e);
		if (ar == ARCHIVE_EOF)
			break;
		if (ar == ARCHIVE_WARN)
			lh_diag_add(c->diag, LH_WARN, "%s: %s", path,
			    archive_error_string(a));
		else if (ar != ARCHIVE_OK) {
			/*
			 * When the member before broke on the same damage,
			 * its reader has reported it already: once is enough.
			 */
			if (!failed)
				report_archive(c, a, path, "damaged archive");
			c->failed = 1;
			break;
		}
		rc = member(c, a, e, path, mtime, depth, &failed);
		if (rc == LH_FATAL)
			break;
		rc = LH_OK;
	}
out:
	archive_read_free(a);
	free(cl.buf);
	if (fd >= 0)
		close(fd);
	return rc;
}

static int
pull_rd(void *arg, void *buf, size_t cap, size_t *got, struct lh_err *err)
{
	return rd_read(arg, buf, cap, got, err);
}

static int
decoder_read(void *arg, void *buf, size_t cap, size_t *got,
    struct lh_err *err)
{
	return lh_decoder_read(arg, buf, cap, got, err);
}

/*
 * A gzip, zstd, xz or bzip2 stream: decoded by us, so nothing before the
 * damage is lost.
 */
static int
decode(struct ctx *c, struct rd *r, enum kind k, const char *path,
    int64_t mtime, int depth)
{
	struct lh_decoder *d;
	struct rd sub;
	int64_t gzt = gzip_mtime((const unsigned char *)r->peek, r->plen);
	int rc;

	d = lh_decoder_create(k == K_GZIP ? LH_GZIP : k == K_ZSTD ? LH_ZSTD :
	    k == K_XZ ? LH_XZ : LH_BZIP2, pull_rd, r, path);
	if (d == NULL)
		return LH_FATAL;
	memset(&sub, 0, sizeof(sub));
	sub.read = decoder_read;
	sub.arg = d;
	rc = level(c, &sub, path, gzt >= 0 ? gzt : mtime, depth + 1, -1);
	lh_decoder_free(d);
	return rc;
}

static int
level(struct ctx *c, struct rd *r, const char *path, int64_t mtime,
    int depth, int fd)
{
	struct lh_err err;
	enum kind k;

	lh_err_clear(&err);
	if (rd_sniff(r, &err) != LH_OK) {
		lh_diag_add(c->diag, LH_FAIL, "%s", err.msg);
		c->failed = 1;
		return LH_OK;
	}
	k = sniff((const unsigned char *)r->peek, r->plen);
	if (k != K_PLAIN && k != K_JOURNAL && depth >= LH_MAX_DEPTH) {
		lh_diag_add(c->diag, LH_FAIL,
		    "%s: nested deeper than %d levels, skipped", path,
		    LH_MAX_DEPTH);
		c->failed = 1;
		return LH_OK;
	}
	if (k == K_GZIP || k == K_ZSTD || k == K_XZ || k == K_BZIP2)
		return decode(c, r, k, path, mtime, depth);
	if (k == K_COMPRESSED || k == K_ARCHIVE || k == K_SEVENZIP)
		return unpack(c, r, path, mtime, depth, k == K_SEVENZIP ?
		    seekable_fd(c, r, path, fd) : -1);
	return do_leaf(c, r, path, mtime, k == K_JOURNAL ? fd : -1);
}

int
lh_input_read(const char *path, lh_leaf_fn fn, void *arg,
    struct lh_diag *diag, struct lh_input_stats *st)
{
	struct ctx c;
	struct fd_reader fr;
	struct rd r;
	struct stat sb;
	int fd, rc;
	int64_t mtime;

	memset(&c, 0, sizeof(c));
	c.fn = fn;
	c.arg = arg;
	c.diag = diag;
	c.st = st;
	if (strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
	} else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		lh_diag_add(diag, LH_FAIL, "%s: %s", path, strerror(errno));
		return LH_FAIL;
	}
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode))
		mtime = (int64_t)sb.st_mtim.tv_sec * LH_US +
		    sb.st_mtim.tv_nsec / 1000;
	else
		mtime = (int64_t)time(NULL) * LH_US;
	st->files++;
	memset(&r, 0, sizeof(r));
	fr.fd = fd;
	fr.path = path;
	r.read = fd_read;
	r.arg = &fr;
	rc = level(&c, &r, path, mtime, 0, S_ISREG(sb.st_mode) ? fd : -1);
	st->raw_bytes += r.pos;
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc == LH_FATAL)
		return LH_FATAL;
	return c.failed ? LH_FAIL : LH_OK;
}
