/*
 * journal_file.c: native systemd journal files (*.journal, *.journal~),
 * read with libsystemd's sd-journal.
 *
 * DESIGN
 * sd-journal needs random access, so the file comes as an fd from the
 * source (the file's own, or a memfd holding an archive member or a
 * decompressed file).  sd_journal_open_files_fd() takes possession of the
 * fds it is given when it succeeds (sd_journal_close() closes them; on
 * failure it gives them back), so it is given a duplicate: the source
 * closes its own fd, and no fd is closed twice (which, with workers
 * opening files meanwhile, could close another worker's file).  The data
 * threshold is 0 so that every field comes whole
 * (sd_journal_set_data_threshold(3): the default cuts at 64 KiB);
 * compressed data objects (xz, lz4, zstd) are inflated by libsystemd.
 *
 * Each entry becomes the same event as in an export: __CURSOR,
 * __REALTIME_TIMESTAMP and __MONOTONIC_TIMESTAMP (not data objects, but
 * entry metadata) first, then every data field, then the ECS mapping of
 * formats/journald_map.c.  ev->line is the 1-based entry number.  With a
 * gate (core/gate.h), an entry whose realtime stamp the gate does not
 * admit is stepped over without reading its data: that stamp, added first
 * as __REALTIME_TIMESTAMP, is the event's time whenever it fits an
 * int64_t (journald_map.c).
 *
 * Damage: an entry whose data cannot be read is reported and skipped;
 * when sd_journal_next() fails the rest of the file is unreachable, which
 * ends it with LH_FAIL after every readable entry was returned.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "core/format.h"
#include "core/gate.h"
#include "core/limits.h"
#include "core/status.h"
#include "formats/journald_map.h"

/* The header fields we read end at offset 104 (journal-def.h). */
#define HEADER_MIN 104
/* Padding a cut file is sparse; refuse headers claiming more than this. */
#define MAX_PAD ((uint64_t)1 << 40)

/* "LPKSHHRH": journal-def.h, struct Header signature. */
static const char MAGIC[8] = { 'L', 'P', 'K', 'S', 'H', 'H', 'R', 'H' };

struct jfile_state;
static void jfile_close(void *state);

struct jfile_state {
	int lazy_auth;		/* lh_parse_opts */
	const struct lh_gate *gate;	/* lh_parse_opts, or NULL */
	struct lh_source *src;
	sd_journal *j;
	uint64_t entry;		/* entries stepped over so far */
	size_t bad_fields;	/* fields of the last entry not KEY=value */
	int done;
	int copy;		/* fd of our linked copy (open_copy), or -1 */
	uint64_t size, need;	/* when the file is shorter than its header
				   says: its size and the size claimed */
	struct lh_err pending;	/* returned by the next call */
};

static int
jfile_probe(const char *p, size_t n)
{
	return n >= sizeof(MAGIC) && memcmp(p, MAGIC, sizeof(MAGIC)) == 0 ?
	    100 : 0;
}

/*
 * The size the header says the file has: header_size + arena_size
 * (journal-def.h struct Header: le64 at offsets 88 and 96), or 0.
 */
static uint64_t
claimed_size(int fd)
{
	unsigned char h[HEADER_MIN];
	uint64_t hs = 0, as = 0;
	int i;

	if (pread(fd, h, sizeof(h), 0) != (ssize_t)sizeof(h))
		return 0;
	for (i = 7; i >= 0; i--) {
		hs = hs << 8 | h[88 + i];
		as = as << 8 | h[96 + i];
	}
	if (hs > MAX_PAD || as > MAX_PAD)
		return 0;
	return hs + as;
}

/* sd_journal_open_files_fd() on a duplicate of fd (see DESIGN). */
static int
open_dup(struct jfile_state *s, int fd)
{
	int d = fcntl(fd, F_DUPFD_CLOEXEC, 0), r;

	if (d < 0)
		return -errno;
	if ((r = sd_journal_open_files_fd(&s->j, &d, 1, 0)) < 0)
		close(d);
	return r;
}

/* Copies size bytes of fd to the start of out. */
static int
copy_fd(int out, int fd, off_t size)
{
	char buf[64 * 1024];
	off_t off = 0;
	ssize_t n;

	while (off < size) {
		n = pread(fd, buf, sizeof(buf), off);
		if (n <= 0)
			return n == 0 ? 0 : -1;
		if (write(out, buf, (size_t)n) != n)
			return -1;
		off += n;
	}
	return 0;
}

/*
 * Makes a linked copy of fd in shared memory (/dev/shm), padded with
 * zeros to need bytes when the file was cut short, and opens that.
 * Why: libsystemd before v256 refuses an fd whose file has no link
 * (stat_verify_linked(): -EIDRM), which is what a memfd is, and refuses a
 * file shorter than its header says (-ENODATA) although the entries in
 * the part that is left are readable.  The name is unlinked as soon as
 * sd-journal holds the file, so nothing outlives the open; on every
 * error path it is unlinked before returning.  A file larger than
 * LH_COPY_MAX_DEFAULT (core/limits.h) is not copied: -EFBIG.
 */
static int
open_copy(struct jfile_state *s, int fd, off_t size, uint64_t need)
{
	char name[64];
	int r;

	if ((uint64_t)size > LH_COPY_MAX_DEFAULT)
		return -EFBIG;
	snprintf(name, sizeof(name), "/loghunt-%ld-%p", (long)getpid(),
	    (void *)s);
	if ((s->copy = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600)) < 0)
		return -errno;
	if (copy_fd(s->copy, fd, size) < 0 || ((uint64_t)size < need &&
	    ftruncate(s->copy, (off_t)need) < 0)) {
		r = -errno;
		shm_unlink(name);
		return r;
	}
	r = open_dup(s, s->copy);
	shm_unlink(name);
	return r;
}

/* Opens fd directly when sd-journal accepts it as it is, else a copy. */
static int
open_journal(struct jfile_state *s, int fd)
{
	struct stat st;
	uint64_t need;

	if (fstat(fd, &st) < 0)
		return -errno;
	need = claimed_size(fd);
	if (st.st_nlink > 0 && (uint64_t)st.st_size >= need)
		return open_dup(s, fd);
	if (need > (uint64_t)st.st_size) {
		s->size = (uint64_t)st.st_size;
		s->need = need;
	}
	return open_copy(s, fd, st.st_size, need);
}

static int
jfile_open(void **state, struct lh_source *src,
    const struct lh_parse_opts *opts, struct lh_err *err)
{
	struct jfile_state *s;
	int fd, r, rc;

	if ((rc = src->get_fd(src, &fd, err)) != LH_OK)
		return rc;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return lh_err_set(err, LH_FATAL, 0, "out of memory");
	s->src = src;
	s->copy = -1;
	s->lazy_auth = opts->lazy_auth;
	s->gate = opts->gate;
	lh_err_clear(&s->pending);
	if ((r = open_journal(s, fd)) >= 0 &&
	    (r = sd_journal_set_data_threshold(s->j, 0)) >= 0) {
		*state = s;
		return LH_OK;
	}
	jfile_close(s);
	if (r == -EFBIG)
		return lh_err_set(err, LH_FAIL, 0, "%s: larger than %llu MiB, "
		    "the most copied into memory for random access; skipped",
		    src->path, (unsigned long long)(LH_COPY_MAX_DEFAULT >> 20));
	return lh_err_set(err, LH_FAIL, -r, "%s: not a readable journal file",
	    src->path);
}

/* Adds one metadata field given as a decimal number. */
static int
add_usec(struct lh_event *ev, const char *key, uint64_t v)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%" PRIu64, v);

	return lh_journald_map_field(ev, key, strlen(key), num, (size_t)n);
}

/*
 * The entry metadata an export shows first.  Only the realtime stamp is
 * required (it is @timestamp); the others are kept when they can be read.
 */
static int
add_metadata(struct jfile_state *s, struct lh_event *ev)
{
	uint64_t rt, mono;
	sd_id128_t boot;
	char *cursor = NULL;
	int rc = LH_OK;

	if (sd_journal_get_cursor(s->j, &cursor) >= 0 && cursor != NULL) {
		rc = lh_journald_map_field(ev, "__CURSOR", 8, cursor,
		    strlen(cursor));
		free(cursor);
	}
	if (rc == LH_OK && sd_journal_get_realtime_usec(s->j, &rt) >= 0)
		rc = add_usec(ev, "__REALTIME_TIMESTAMP", rt);
	if (rc == LH_OK && sd_journal_get_monotonic_usec(s->j, &mono,
	    &boot) >= 0)
		rc = add_usec(ev, "__MONOTONIC_TIMESTAMP", mono);
	return rc;
}

/*
 * Copies the entry's data fields into ev.  LH_OK, LH_FATAL, or LH_WARN
 * with sd-journal's error in *sdr.
 */
static int
add_data(struct jfile_state *s, struct lh_event *ev, int *sdr)
{
	const void *data;
	const char *d, *eq;
	size_t len;
	int r, rc;

	s->bad_fields = 0;
	sd_journal_restart_data(s->j);
	while ((r = sd_journal_enumerate_data(s->j, &data, &len)) > 0) {
		d = data;
		eq = memchr(d, '=', len);
		rc = eq == NULL ? LH_WARN : lh_journald_map_field(ev, d,
		    (size_t)(eq - d), eq + 1, len - (size_t)(eq - d) - 1);
		if (rc == LH_FATAL)
			return LH_FATAL;
		if (rc == LH_WARN)
			s->bad_fields++;
	}
	*sdr = r;
	return r < 0 ? LH_WARN : LH_OK;
}

/* Reads the current entry into ev.  LH_OK, LH_WARN (skipped) or LH_FATAL. */
static int
read_entry(struct jfile_state *s, struct lh_event *ev, struct lh_err *err)
{
	int r = 0, rc;

	lh_event_reset(ev);
	ev->line = s->entry;
	if (add_metadata(s, ev) != LH_OK)
		return lh_err_set(err, LH_FATAL, 0, "out of memory");
	if ((rc = add_data(s, ev, &r)) == LH_FATAL)
		return lh_err_set(err, LH_FATAL, 0, "out of memory");
	if (rc == LH_WARN)
		return lh_err_set(err, LH_WARN, -r,
		    "%s: entry %" PRIu64 ": unreadable data, skipped",
		    s->src->path, s->entry);
	if ((r = lh_journald_map_finish(ev, s->lazy_auth)) == LH_FATAL)
		return lh_err_set(err, LH_FATAL, 0, "out of memory");
	if (r == LH_WARN)
		lh_err_set(&s->pending, LH_WARN, 0, "%s: entry %" PRIu64
		    ": no timestamp, kept without a time", s->src->path,
		    s->entry);
	else if (s->bad_fields > 0)
		lh_err_set(&s->pending, LH_WARN, 0, "%s: entry %" PRIu64
		    ": %zu malformed fields skipped", s->src->path, s->entry,
		    s->bad_fields);
	return LH_OK;
}

/* Whether the gate skips the current entry (see DESIGN). */
static int
gated(const struct jfile_state *s)
{
	uint64_t rt;

	return s->gate != NULL &&
	    sd_journal_get_realtime_usec(s->j, &rt) >= 0 &&
	    rt <= (uint64_t)INT64_MAX &&
	    !lh_gate_admits(s->gate, (int64_t)rt);
}

static int
jfile_next(void *state, struct lh_event *ev, struct lh_err *err)
{
	struct jfile_state *s = state;
	int r;

	if (s->pending.status != LH_OK) {
		*err = s->pending;
		lh_err_clear(&s->pending);
		return err->status;
	}
	if (s->done)
		return LH_EOF;
	while ((r = sd_journal_next(s->j)) > 0 && gated(s)) {
		s->entry++;
		s->src->gated++;
	}
	if (r == 0) {
		s->done = 1;
		if (s->need == 0)
			return LH_EOF;
		return lh_err_set(err, LH_FAIL, 0, "%s: offset %" PRIu64
		    ": journal file cut short (its header says %" PRIu64
		    " bytes); %" PRIu64 " entries read", s->src->path,
		    s->size, s->need, s->entry);
	}
	if (r < 0) {
		s->done = 1;
		return lh_err_set(err, LH_FAIL, -r, "%s: entry %" PRIu64
		    ": journal damaged after %" PRIu64 " entries",
		    s->src->path, s->entry + 1, s->entry);
	}
	s->entry++;
	return read_entry(s, ev, err);
}

static void
jfile_close(void *state)
{
	struct jfile_state *s = state;

	if (s == NULL)
		return;
	sd_journal_close(s->j);
	if (s->copy >= 0)
		close(s->copy);
	free(s);
}

const struct lh_format lh_format_journal_file = {
	"journal", jfile_probe, jfile_open, jfile_next, jfile_close
};
