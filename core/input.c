/*
 * input.c: files, compression and archives down to leaves (input.h).
 *
 * DESIGN
 * Every level of an input is a stream (core/stream.h) read through a
 * sniffer (core/sniff.h), which decides once what the bytes are and
 * replays them:
 *   - gzip, zstd, xz and bzip2 go through our decoders (core/decomp.h),
 *     whose output is a new level;
 *   - archives and the rarer compressions go to a libarchive reader (all
 *     filters; formats tar, zip, 7z, cpio and raw), whose members (or, for
 *     the raw format, the decompressed stream) become new levels;
 *   - anything else is a leaf: it gets a line reader and goes to the
 *     callback, which probes the record formats.
 * libarchive pulls from our streams through callbacks, so a member of a
 * .tar.zst inside a zip streams through three decoders without touching
 * the disk.  A format that needs random access (a native journal file)
 * asks its leaf for an fd: the file's own when it is plain, else a memfd
 * holding the content.  Which formats need one is theirs to know.
 * In the first pass of a run with a context pass, a file's xz or bzip2
 * decoder is teed into a copy (core/replay.h, slow()), which the context
 * pass reads in the file's place one level down, instead of decoding again.
 *
 * Memory: each decoder's window comes from struct lh_limits (limits.h),
 * and so does the size of a copy made for random access (a 7z archive, a
 * native journal inside an archive or a compressed file): a larger one is
 * refused with a message, the copy made so far is freed (the memfd is
 * closed on every path; it never has a name), and the next member or file
 * is read.  libarchive decodes what we do not (lz4, compress(1) and the
 * compressed members of zip and 7z archives) and has no option for a
 * memory limit (archive_read_set_options() knows none): lz4 and compress
 * need little by format, and a member's data is pulled block by block
 * (archive_read_data_block), so only the decoder's own window can grow;
 * an LZMA or xz member of a zip or 7z gets the dictionary its header
 * asks for, which we cannot cap from outside.
 *
 * Named FIFOs: open(2) of a FIFO blocks until a writer opens it, so every
 * path is opened with O_NONBLOCK.  A FIFO then waits for a writer (one
 * non-blocking read of one byte tells: data, EAGAIN for a writer that has
 * not written yet, 0 for none) with poll(2) in steps, at most FIFO_WAIT_S
 * seconds, after which it is reported and skipped rather than hanging the
 * run; the byte read while looking is replayed before the rest (struct
 * held).  A pipe without a name (`<(cmd)`, a shell pipe) cannot get a
 * writer later: read 0 is its end.  Standard input is read as it is: its
 * open file description is shared with the shell, whose flags must not
 * change.  Once a writer is there the descriptor blocks again.
 */
#define _GNU_SOURCE
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#ifdef __linux__
#include <sys/vfs.h>
#endif
#include <time.h>
#include <unistd.h>

#include "core/decomp.h"
#include "core/input.h"
#include "core/limits.h"
#include "core/lines.h"
#include "core/replay.h"
#include "core/sniff.h"
#include "core/status.h"
#include "core/stream.h"
#include "core/time.h"

#define ARCHIVE_BLOCK (128 * 1024)
#define FIFO_WAIT_S 10		/* the longest wait for a FIFO's writer */
#define FIFO_POLL_MS 100
#define PIPEFS_MAGIC 0x50495045	/* statfs f_type of a pipe with no name */

struct ctx {
	struct lh_limits lim;
	struct lh_gzckpt_index *gz_out;	/* borrowed, or NULL */
	const struct lh_gzckpt_index *gz_in;	/* borrowed, or NULL */
	struct lh_stream *gz;	/* a file's gzip decoder, until dispatched */
	struct lh_replay *copies;	/* decoded copies (slow()), or NULL */
	lh_leaf_fn fn;
	void *arg;
	struct lh_diag *diag;
	struct lh_input_stats *st;
	int failed;
};

/* ---- archive members ----------------------------------------------------- */

/*
 * A member is read block by block (archive_read_data_block), not with
 * archive_read_data(): that one fills the whole buffer and, when the data
 * breaks part-way, drops what it had copied, losing the complete lines
 * before the damage.
 */
struct member_stream {
	struct lh_stream s;	/* embedded: no close */
	struct archive *a;
	const char *path;
	const char *blk;	/* the current data block, blen bytes */
	size_t blen;
	int64_t boff;		/* member offset of blk[0] */
	int failed;		/* the member's data was damaged */
	int eof;
	int warned;		/* a bad checksum: fail once blk is drained */
};

/* Makes m->blk hold data, or sets m->eof.  LH_OK or LH_FAIL. */
static int
member_block(struct member_stream *m, struct lh_err *err)
{
	const void *b;
	const char *why;
	int ar;

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
			why = archive_error_string(m->a);
			m->failed = 1;
			m->blen = 0;
			return lh_err_set(err, LH_FAIL, 0, "%s: damaged data "
			    "at offset %llu: %s", m->path,
			    (unsigned long long)m->s.pos,
			    why != NULL ? why : "read error");
		} else {
			m->blk = b;
		}
	}
	return LH_OK;
}

static int
member_read(struct lh_stream *s, void *buf, size_t cap, size_t *got,
    struct lh_err *err)
{
	struct member_stream *m = s->state;
	size_t n;
	int rc;

	*got = 0;
	if ((rc = member_block(m, err)) != LH_OK)
		return rc;
	if (m->blen == 0)
		return LH_EOF;
	if (m->boff > 0 && (uint64_t)m->boff > s->pos) {
		/* a hole in a sparse member reads as NUL bytes */
		n = (uint64_t)m->boff - s->pos < cap ?
		    (size_t)((uint64_t)m->boff - s->pos) : cap;
		memset(buf, 0, n);
	} else {
		n = m->blen < cap ? m->blen : cap;
		memcpy(buf, m->blk, n);
		m->blk += n;
		m->blen -= n;
		m->boff += (int64_t)n;
	}
	*got = n;
	return LH_OK;
}

static const struct lh_stream_ops member_ops = { member_read, NULL, NULL };

/* ---- leaves ----------------------------------------------------------- */

struct leaf {
	struct lh_source src;
	uint64_t copy_max;	/* the largest memfd copy */
	int fd;			/* the plain file's fd, or -1 */
	int memfd;		/* materialized content, or -1 */
};

/*
 * Copies everything the line reader has not consumed into a memfd, or
 * refuses (LH_FAIL) when that is more than lf->copy_max bytes.
 */
static int
materialize(struct leaf *lf, struct lh_err *err)
{
	char *chunk;
	int fd, rc = LH_OK;
	size_t got;
	uint64_t total = 0;

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
		if ((total += got) > lf->copy_max) {
			rc = lh_err_set(err, LH_FAIL, 0, "%s: larger than %llu "
			    "MiB, the most copied into memory for random "
			    "access; skipped", lf->src.path,
			    (unsigned long long)(lf->copy_max >> 20));
			close(fd);
			free(chunk);
			return rc;
		}
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

/*
 * Hands the content s to the callback.  fd is the descriptor of the plain
 * file s reads, or -1: a format that needs to seek (a native journal file)
 * gets it through get_fd, or a memfd copy of the content when -1.
 */
static int
do_leaf(struct ctx *c, struct lh_stream *s, const char *path, int64_t mtime,
    int fd)
{
	struct leaf lf;
	struct lh_err err;
	int rc;

	memset(&lf, 0, sizeof(lf));
	lf.fd = fd;
	lf.memfd = -1;
	lf.copy_max = c->lim.copy_max;
	lf.src.path = path;
	lf.src.mtime = mtime;
	lf.src.get_fd = leaf_get_fd;
	lf.src.priv = &lf;
	if ((lf.src.lines = lh_lines_create(s, path)) == NULL)
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
	struct lh_stream *s;
	char *buf;
	struct lh_err err;
	int fatal;		/* the stream below ran out of memory */
};

static la_ssize_t
la_read(struct archive *a, void *arg, const void **out)
{
	struct la_client *cl = arg;
	size_t got = 0;
	int rc = lh_stream_read(cl->s, cl->buf, ARCHIVE_BLOCK, &got, &cl->err);

	*out = cl->buf;
	if (rc == LH_OK || rc == LH_EOF)
		return (la_ssize_t)got;
	if (rc == LH_FATAL)
		cl->fatal = 1;
	archive_set_error(a, EIO, "%s", cl->err.msg);
	return -1;
}

static int level(struct ctx *c, struct lh_stream *below, const char *path,
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

/*
 * libarchive converts member names to the charset of the thread's locale,
 * and in the C locale a UTF-8 name (zip, pax, 7z) cannot be converted: the
 * name is lost.  While it reads headers, the thread uses a UTF-8 LC_CTYPE
 * (its own, with uselocale(): the process locale is not ours to change).
 */
static locale_t utf8_ctype;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void
make_utf8_ctype(void)
{
	utf8_ctype = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

/* Switches the thread to utf8_ctype; returns what to restore, or 0. */
static locale_t
names_begin(void)
{
	pthread_once(&utf8_once, make_utf8_ctype);
	return utf8_ctype != (locale_t)0 ? uselocale(utf8_ctype) : (locale_t)0;
}

static void
names_end(locale_t old)
{
	if (old != (locale_t)0)
		uselocale(old);
}

/* The member's name as UTF-8, else as stored (raw bytes), else "?". */
static const char *
entry_name(struct archive_entry *e)
{
	const char *name;
	locale_t old = names_begin();

	if ((name = archive_entry_pathname_utf8(e)) == NULL)
		name = archive_entry_pathname(e);
	names_end(old);
	return name != NULL ? name : "?";
}

/* Reads one member (or the raw stream) of a as a new level. */
static int
member(struct ctx *c, struct archive *a, struct archive_entry *e,
    const char *path, int64_t mtime, int depth, int *failed)
{
	struct member_stream ms;
	char *mpath = NULL;
	int raw, rc;

	raw = (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) ==
	    ARCHIVE_FORMAT_RAW;
	if (!raw) {
		if (archive_entry_filetype(e) != AE_IFREG)
			return LH_OK;
		if ((mpath = member_path(path, entry_name(e))) == NULL)
			return LH_FATAL;
		if (archive_entry_mtime_is_set(e))
			mtime = (int64_t)archive_entry_mtime(e) * LH_US +
			    archive_entry_mtime_nsec(e) / 1000;
	}
	memset(&ms, 0, sizeof(ms));
	ms.s.ops = &member_ops;
	ms.s.state = &ms;
	ms.a = a;
	ms.path = raw ? path : mpath;
	rc = level(c, &ms.s, ms.path, mtime, depth + 1, -1);
	*failed = ms.failed;
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
 * Copies the rest of s into the memfd mfd.  LH_OK (damage met on the way
 * is reported: what came before it is kept), LH_FAIL when s holds more
 * than c->lim.copy_max bytes (reported), or LH_FATAL.
 */
static int
copy_to(struct ctx *c, struct lh_stream *s, const char *path, int mfd)
{
	struct lh_err err;
	uint64_t total = 0;
	char *buf;
	size_t got;
	int rc;

	if ((buf = malloc(ARCHIVE_BLOCK)) == NULL)
		return LH_FATAL;
	for (;;) {
		rc = lh_stream_read(s, buf, ARCHIVE_BLOCK, &got, &err);
		if (rc == LH_OK && (total += got) > c->lim.copy_max) {
			lh_diag_add(c->diag, LH_FAIL, "%s: larger than %llu "
			    "MiB, the most copied into memory for random "
			    "access; skipped", path,
			    (unsigned long long)(c->lim.copy_max >> 20));
			rc = LH_FAIL;
			break;
		}
		if (rc == LH_OK && write(mfd, buf, got) == (ssize_t)got)
			continue;
		if (rc == LH_OK)
			lh_diag_add(c->diag, LH_FAIL, "memfd write failed");
		else if (rc != LH_EOF && rc != LH_FATAL)
			lh_diag_add(c->diag, LH_FAIL, "%s", err.msg);
		break;
	}
	free(buf);
	return rc == LH_FATAL || rc == LH_FAIL ? rc : LH_OK;
}

/*
 * 7z needs to seek: a plain file's own descriptor (a duplicate), else the
 * content copied into a memfd.  Sets *out to an fd to close, or -1
 * (reported).  LH_OK, LH_FAIL (too large to copy: reported, and the
 * archive is skipped) or LH_FATAL.
 */
static int
seekable_fd(struct ctx *c, struct lh_stream *s, const char *path, int fd,
    int *out)
{
	struct lh_err err;
	int mfd, rc;

	*out = -1;
	if (fd >= 0) {
		*out = dup(fd);
		return LH_OK;
	}
	if ((mfd = memfd_create("loghunt-7z", MFD_CLOEXEC)) < 0) {
		lh_err_set(&err, LH_FAIL, errno, "%s: cannot buffer", path);
		lh_diag_add(c->diag, LH_FAIL, "%s", err.msg);
		return LH_OK;
	}
	if ((rc = copy_to(c, s, path, mfd)) != LH_OK) {
		close(mfd);
		return rc;
	}
	*out = mfd;
	return LH_OK;
}

/* Reads every member of the archive: from fd when >= 0, else from s. */
static int
read_members(struct ctx *c, struct archive *a, const char *path,
    int64_t mtime, int depth)
{
	struct archive_entry *e;
	const char *why;
	locale_t old;
	int rc = LH_OK, ar, failed = 0;

	for (;;) {
		old = names_begin();
		ar = archive_read_next_header(a, &e);
		names_end(old);
		if (ar == ARCHIVE_EOF)
			break;
		if (ar == ARCHIVE_WARN) {
			why = archive_error_string(a);
			lh_diag_add(c->diag, LH_WARN, "%s: %s", path,
			    why != NULL ? why : "warning");
		} else if (ar != ARCHIVE_OK) {
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
	return rc;
}

/*
 * An archive or a stream only libarchive decodes.  fd >= 0 is a seekable
 * copy (7z), which is closed here.
 */
static int
unpack(struct ctx *c, struct lh_stream *s, int64_t gzt, const char *path,
    int64_t mtime, int depth, int fd)
{
	struct la_client cl;
	struct archive *a = NULL;
	int rc = LH_OK;

	memset(&cl, 0, sizeof(cl));
	cl.s = s;
	if ((cl.buf = malloc(ARCHIVE_BLOCK)) == NULL ||
	    (a = new_archive()) == NULL) {
		rc = LH_FATAL;
		goto out;
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
	rc = read_members(c, a, path, mtime, depth);
out:
	if (cl.fatal)
		rc = LH_FATAL;
	archive_read_free(a);
	free(cl.buf);
	if (fd >= 0)
		close(fd);
	return rc;
}

/*
 * The codecs whose output a file's first reading copies for the context
 * pass (core/replay.h): decoding again costs more than writing a copy and
 * reading it.  xz (~70 MB/s) and bzip2 (slower still) do: c1g's db01/,
 * 1.78 G instructions -> 1.57 G, task-clock 645 -> 615 ms.  zstd (~1
 * GB/s) does not: copies of c1g's two zstd files (78 MB decoded) spare
 * the context pass 326 M instructions, but writing them costs the kernel
 * about as much (~40 ms): task-clock 413 ms without, 428 with (medians
 * of 9), and 78 MB more of TMPDIR.
 */
static int
slow(enum lh_codec codec)
{
	return codec == LH_XZ || codec == LH_BZIP2;
}

/*
 * A gzip, zstd, xz or bzip2 stream: decoded by us, so nothing before the
 * damage is lost.  A file's slow() decoder is teed into c->copies.
 */
static int
decode(struct ctx *c, struct lh_stream *s, enum lh_codec codec,
    int64_t gzt, const char *path, int64_t mtime, int depth)
{
	struct lh_stream *d, *t;
	char scratch[4096];
	int rc;

	if (gzt >= 0)
		mtime = gzt;
	if ((d = lh_decomp_create(codec, s, path, &c->lim)) == NULL)
		return LH_FATAL;
	/* gzip, a file or a member: checkpoints if plain text (gzckpt.h) */
	c->gz = codec == LH_GZIP &&
	    (c->gz_out != NULL || c->gz_in != NULL) ? d : NULL;
	t = d;
	if (depth == 0 && c->copies != NULL && slow(codec) &&
	    (t = lh_replay_tee_decoded(c->copies, path, mtime, d)) == NULL)
		return LH_FATAL;	/* (d freed) */
	rc = level(c, t, path, mtime, depth + 1, -1);
	c->gz = NULL;		/* not dispatched: the sniff failed */
	/* an archive's reader may stop short of its padding */
	if (t != d && rc != LH_FATAL)
		lh_replay_tee_end(t, 64 * 1024, scratch, sizeof(scratch));
	lh_stream_free(t);
	return rc;
}

/* What to do with a stream of kind k, sniffed as s. */
static int
dispatch(struct ctx *c, struct lh_stream *s, enum lh_kind k,
    const char *path, int64_t mtime, int depth, int fd)
{
	static const enum lh_codec codec[] = {
		[LH_KIND_GZIP] = LH_GZIP, [LH_KIND_ZSTD] = LH_ZSTD,
		[LH_KIND_XZ] = LH_XZ, [LH_KIND_BZIP2] = LH_BZIP2
	};
	struct lh_stream *gz = c->gz;
	const unsigned char *p;
	int64_t gzt;
	size_t n;
	int sfd = -1, rc;

	c->gz = NULL;
	p = lh_sniff_bytes(s, &n);
	gzt = lh_sniff_gzip_mtime(p, n);
	switch (k) {
	case LH_KIND_GZIP:
	case LH_KIND_ZSTD:
	case LH_KIND_XZ:
	case LH_KIND_BZIP2:
		return decode(c, s, codec[k], gzt, path, mtime, depth);
	case LH_KIND_SEVENZIP:
		if ((rc = seekable_fd(c, s, path, fd, &sfd)) == LH_FAIL)
			c->failed = 1;
		if (rc != LH_OK)
			return rc == LH_FAIL ? LH_OK : rc;
		return unpack(c, s, gzt, path, mtime, depth, sfd);
	case LH_KIND_COMPRESSED:
	case LH_KIND_ARCHIVE:
		return unpack(c, s, gzt, path, mtime, depth, -1);
	default:
		if (gz != NULL)
			lh_decomp_checkpoints(gz, c->gz_out, c->gz_in,
			    &c->st->gz_skipped);
		return do_leaf(c, s, path, mtime, fd);
	}
}

/*
 * One level of an input: sniffs what below holds and decompresses, unpacks
 * or hands it over as a leaf.  fd is the plain file below reads (depth 0),
 * or -1.
 */
static int
level(struct ctx *c, struct lh_stream *below, const char *path,
    int64_t mtime, int depth, int fd)
{
	struct lh_stream *s;
	struct lh_err err;
	enum lh_kind k;
	int rc;

	if ((s = lh_sniff_create(below)) == NULL)
		return LH_FATAL;
	lh_err_clear(&err);
	if ((rc = lh_sniff_fill(s, &k, &err)) != LH_OK) {
		if (rc != LH_FATAL) {
			lh_diag_add(c->diag, LH_FAIL, "%s", err.msg);
			c->failed = 1;
			rc = LH_OK;
		}
	} else if (k != LH_KIND_PLAIN && depth >= LH_MAX_DEPTH) {
		lh_diag_add(c->diag, LH_FAIL,
		    "%s: nested deeper than %d levels, skipped", path,
		    LH_MAX_DEPTH);
		c->failed = 1;
	} else {
		rc = dispatch(c, s, k, path, mtime, depth, fd);
	}
	lh_stream_free(s);
	return rc;
}

/* A stream replaying one byte taken from the stream below it first. */
struct held {
	struct lh_stream s;
	struct lh_stream *below;	/* owned */
	unsigned char c;
	int n;			/* 1 until c is read */
};

static int
held_read(struct lh_stream *s, void *buf, size_t cap, size_t *got,
    struct lh_err *err)
{
	struct held *h = s->state;

	if (h->n == 0 || cap == 0)
		return lh_stream_read(h->below, buf, cap, got, err);
	*(unsigned char *)buf = h->c;
	h->n = 0;
	*got = 1;
	return LH_OK;
}

static void
held_close(struct lh_stream *s)
{
	struct held *h = s->state;

	lh_stream_free(h->below);
	free(h);
}

static const struct lh_stream_ops held_ops = { held_read, held_close,
    NULL };

/* Takes ownership of below; NULL (below freed) when out of memory. */
static struct lh_stream *
held_create(struct lh_stream *below, unsigned char c)
{
	struct held *h = calloc(1, sizeof(*h));

	if (h == NULL) {
		lh_stream_free(below);
		return NULL;
	}
	h->s.ops = &held_ops;
	h->s.state = h;
	h->below = below;
	h->c = c;
	h->n = 1;
	return &h->s;
}

/* A pipe with no name in the file system: no writer can come later. */
static int
anonymous_pipe(int fd)
{
#ifdef __linux__
	struct statfs f;

	return fstatfs(fd, &f) == 0 && f.f_type == PIPEFS_MAGIC;
#else
	(void)fd;
	return 0;
#endif
}

/*
 * Waits for a writer on the FIFO fd (non-blocking; see DESIGN).  *held is
 * the byte read while looking, or -1.  LH_OK, or LH_FAIL reported.
 */
static int
fifo_wait(int fd, const char *path, struct lh_diag *diag, int *held)
{
	struct lh_err err;
	struct pollfd p;
	unsigned char c;
	int waited = 0, hup = 0;
	ssize_t n;

	for (;;) {
		if ((n = read(fd, &c, 1)) == 1)
			*held = c;
		if (n == 1 || (n < 0 && errno == EAGAIN))
			return LH_OK;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			lh_err_set(&err, LH_FAIL, errno, "%s: read error",
			    path);
			lh_diag_add(diag, LH_FAIL, "%s", err.msg);
			return LH_FAIL;
		}
		/* no writer: one came and went, none can come, or not yet */
		if (hup || anonymous_pipe(fd))
			return LH_OK;
		if (waited >= FIFO_WAIT_S * 1000) {
			lh_diag_add(diag, LH_FAIL, "%s: FIFO with no writer "
			    "after %d s; skipped", path, FIFO_WAIT_S);
			return LH_FAIL;
		}
		p.fd = fd;
		p.events = POLLIN;
		if (poll(&p, 1, FIFO_POLL_MS) > 0)
			hup = (p.revents & POLLHUP) != 0;
		else
			waited += FIFO_POLL_MS;
	}
}

/*
 * Opens path ("-": standard input) without blocking on a FIFO; *held as
 * for fifo_wait.  The fd, or -1 when reported.
 */
static int
open_input(const char *path, struct lh_diag *diag, int *held)
{
	struct lh_err err;
	struct stat sb;
	int fd, fl;

	*held = -1;
	if (strcmp(path, "-") == 0)
		return STDIN_FILENO;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
		lh_err_set(&err, LH_FAIL, errno, "%s", path);
		lh_diag_add(diag, LH_FAIL, "%s", err.msg);
		return -1;
	}
	if (fstat(fd, &sb) == 0 && S_ISFIFO(sb.st_mode) &&
	    fifo_wait(fd, path, diag, held) != LH_OK) {
		close(fd);
		return -1;
	}
	if ((fl = fcntl(fd, F_GETFL)) >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fd;
}

void
lh_input_limits(struct lh_limits *lim, uint64_t budget, unsigned workers)
{
	static const struct lh_limits def = LH_LIMITS_DEFAULT;
	uint64_t share;

	*lim = def;
	if (budget == 0)
		return;
	share = budget / (workers > 0 ? workers : 1);
	lim->zstd_wlog = LH_ZSTD_WLOG_MIN;
	while (lim->zstd_wlog < LH_ZSTD_WLOG_MAX &&
	    (uint64_t)1 << (lim->zstd_wlog + 1) <= share / 4)
		lim->zstd_wlog++;
	lim->xz_memlimit = share / 4 > LH_XZ_MEMLIMIT_MIN ? share / 4 :
	    LH_XZ_MEMLIMIT_MIN;
	lim->copy_max = share / 2;
}

int
lh_input_read(const char *path, lh_leaf_fn fn, void *arg,
    struct lh_diag *diag, struct lh_input_stats *st)
{
	return lh_input_read_limits(path, NULL, fn, arg, diag, st);
}

int
lh_input_read_limits(const char *path, const struct lh_limits *lim,
    lh_leaf_fn fn, void *arg, struct lh_diag *diag,
    struct lh_input_stats *st)
{
	return lh_input_read_replay(path, lim, NULL, fn, arg, diag, st);
}

/*
 * The stream of path: its copy when rp replays one (with its time in
 * *mtime, and in *depth the level its bytes were at; else *depth is -1),
 * else the file or standard input, teed into rp when rp records
 * and it is not a regular file (standard input that is one is kept to be
 * read again: *recorded is set for both).  *fd is the descriptor to close
 * (or -1), *rafd the one for random access (a regular file's, or -1).
 * NULL when reported in diag (LH_FAIL) or out of memory (*fatal set).
 */
static struct lh_stream *
open_stream(const char *path, struct lh_replay *rp, int *fd, int *rafd,
    int64_t *mtime, struct lh_diag *diag, int *fatal, int *recorded,
    int *depth)
{
	struct lh_stream *s;
	struct stat sb;
	int held, regular;

	*fd = *rafd = *depth = -1;
	if (rp != NULL &&
	    (s = lh_replay_open(rp, path, mtime, rafd, depth)) != NULL)
		return s;
	if ((*fd = open_input(path, diag, &held)) < 0)
		return NULL;
	regular = fstat(*fd, &sb) == 0 && S_ISREG(sb.st_mode);
	*rafd = regular ? *fd : -1;
	if (regular)
		*mtime = (int64_t)sb.st_mtim.tv_sec * LH_US +
		    sb.st_mtim.tv_nsec / 1000;
	else
		*mtime = (int64_t)time(NULL) * LH_US;
	*recorded = rp != NULL && (!regular || *fd == STDIN_FILENO);
	if (*recorded && regular &&
	    lh_replay_keep(rp, path, *fd, *mtime) != LH_OK) {
		*fatal = 1;
		return NULL;
	}
	s = lh_stream_fd_create(*fd, path);
	if (s != NULL && held >= 0)
		s = held_create(s, (unsigned char)held);
	if (s != NULL && *recorded && !regular)
		s = lh_replay_tee(rp, path, *mtime, s);
	*fatal = s == NULL;
	return s;
}

int
lh_input_read_replay(const char *path, const struct lh_limits *lim,
    struct lh_replay *rp, lh_leaf_fn fn, void *arg, struct lh_diag *diag,
    struct lh_input_stats *st)
{
	struct lh_input_opts o = { lim, rp, NULL, NULL };

	return lh_input_read_opts(path, &o, fn, arg, diag, st);
}

int
lh_input_read_opts(const char *path, const struct lh_input_opts *o,
    lh_leaf_fn fn, void *arg, struct lh_diag *diag,
    struct lh_input_stats *st)
{
	static const struct lh_limits def = LH_LIMITS_DEFAULT;
	struct lh_replay *rp = o->replay;
	struct lh_stream *s;
	struct lh_err err;
	struct ctx c;
	int fd, rafd, rc, fatal = 0, recorded = 0, depth;
	int64_t mtime = 0;

	memset(&c, 0, sizeof(c));
	c.lim = o->lim != NULL ? *o->lim : def;
	c.gz_out = o->gz_out;
	c.gz_in = o->gz_in;
	c.fn = fn;
	c.arg = arg;
	c.diag = diag;
	c.st = st;
	s = open_stream(path, rp, &fd, &rafd, &mtime, diag, &fatal,
	    &recorded, &depth);
	if (s == NULL && !fatal)
		return LH_FAIL;
	/* a file of its own, read for the first time: decoded copies */
	c.copies = depth < 0 && !recorded && rafd >= 0 ? rp : NULL;
	st->files++;
	if (s == NULL) {
		rc = LH_FATAL;
	} else {
		rc = level(&c, s, path, mtime, depth > 0 ? depth : 0, rafd);
		st->raw_bytes += s->pos;
		lh_stream_free(s);
	}
	lh_err_clear(&err);
	if (recorded && rc != LH_FATAL && lh_replay_check(rp, path, &err) !=
	    LH_OK)
		lh_diag_add(diag, LH_WARN, "%s", err.msg);
	if (fd >= 0 && fd != STDIN_FILENO)
		close(fd);
	if (rc == LH_FATAL)
		return LH_FATAL;
	return c.failed ? LH_FAIL : LH_OK;
}
