/*
 * replay.h: inputs that cannot be read twice, kept for a second pass.
 *
 * DESIGN
 * The triage context of the text timeline comes from a second pass over
 * the paths (cli/main.c), but standard input, pipes and FIFOs give their
 * bytes once.  During the first pass, core/input.c copies the bytes it
 * reads from such an input, as they come (compressed or not), into an
 * unlinked temporary file (core/tmpfile.h) registered here under the
 * operand's path; the second pass reads that copy in the input's place,
 * as a stream again (not as a seekable file: every format takes the path
 * it took the first time), with the modification time the first pass
 * gave it.  So the context holds the same events whatever the input is.
 * That stream skips (lh_stream_skip) by moving its offset, as a file
 * does; the recording stream never skips (every byte goes to the copy).
 * Memory holds one entry per such operand; the copies take disk space in
 * the temporary directory (as much as the inputs' bytes), and an input
 * whose copy cannot be written is read once and left out of the second
 * pass, with a warning.
 *
 * The same copies spare the context pass a second decoding of a file
 * compressed with a slow codec (xz, bzip2: core/input.c decides which):
 * during the first pass the DECODED bytes of such a file are copied under
 * its path (lh_replay_tee_decoded), and the context pass reads them at
 * the level the decoder's output had (a tar.xz's copy is the tar, which
 * is unpacked again; the same sniff, the same leaves, the same offsets).
 * Such a copy is an optimization, never a condition: it is kept only when
 * it holds the whole decoded stream, up to its end or to the damage that
 * ended it (whose error the copy gives again at its end, as the decoder
 * did), and only while all of them together stay within a budget of
 * bytes (lh_replay_set_budget; none by default); past it, or when it
 * cannot be written, it is dropped without a word and the file is
 * decoded again.  Thread-safe: workers register and open copies
 * concurrently.
 */
#ifndef LH_REPLAY_H
#define LH_REPLAY_H

#include <stdint.h>

#include "core/err.h"
#include "core/stream.h"

struct lh_replay;

/*
 * Returns an owned, empty set of copies kept in dir (borrowed; must
 * outlive it; NULL: /tmp), in recording mode; free with lh_replay_free.
 * NULL when out of memory.
 */
struct lh_replay *lh_replay_create(const char *dir);
/* Closes the copies (their space comes back) and frees rp; NULL: no-op. */
void lh_replay_free(struct lh_replay *rp);

/*
 * Lets the copies of decoded files (lh_replay_tee_decoded) hold up to
 * bytes together (0, the default: none is made), in at most about
 * LH_REPLAY_COPIES copies (each keeps a file descriptor open until the set
 * is freed; the files past those are decoded again).  Call before
 * recording.
 */
#define LH_REPLAY_COPIES 64
void lh_replay_set_budget(struct lh_replay *rp, uint64_t bytes);

/*
 * Recording: returns an owned stream (free with lh_stream_free) that reads
 * below (ownership taken, whatever the result) and copies every byte it
 * delivers into a new copy for path (borrowed, copied), whose reading
 * used the modification time mtime.  When the copy cannot be made or
 * written, the stream still delivers below's bytes and the copy is
 * dropped (lh_replay_check tells).  A path recorded already is not
 * recorded again, nor anything once rp is sealed (then below comes back
 * as it is).  NULL when out of memory (below freed).
 */
struct lh_stream *lh_replay_tee(struct lh_replay *rp, const char *path,
    int64_t mtime, struct lh_stream *below);

/*
 * Recording the decoded bytes of a compressed file (see DESIGN): as
 * lh_replay_tee, for the output below of path's decoder, read with the
 * modification time mtime, within the budget of lh_replay_set_budget.
 * The copy is dropped, silently, when it would exceed the budget, cannot
 * be written, or was not read to its end (see lh_replay_tee_end).  When rp
 * has no room left, below comes back as it is.  NULL when out of memory
 * (below freed).
 */
struct lh_stream *lh_replay_tee_decoded(struct lh_replay *rp,
    const char *path, int64_t mtime, struct lh_stream *below);

/*
 * Before freeing s, a stream of lh_replay_tee_decoded (or what else it
 * returned: then a no-op): reads at most max more bytes of it, with buf
 * (cap bytes, borrowed scratch), so that a reader that stopped just short
 * of the end (an archive's trailing padding) leaves a whole copy.  Errors
 * met are the copy's to give again, not the caller's to report.
 */
void lh_replay_tee_end(struct lh_stream *s, uint64_t max, void *buf,
    size_t cap);

/*
 * Recording standard input when it is a regular file (`loghunt - < FILE`):
 * no copy is made; fd (borrowed; duplicated here) is read again from its
 * present offset.  LH_OK (a failure to duplicate it drops it, as
 * lh_replay_check tells), or LH_FATAL when out of memory.
 */
int lh_replay_keep(struct lh_replay *rp, const char *path, int fd,
    int64_t mtime);

/* Ends recording: from now on lh_replay_open gives the copies back. */
void lh_replay_seal(struct lh_replay *rp);

/*
 * Replaying: an owned stream (free with lh_stream_free) over the copy of
 * path, with its mtime in *mtime, or NULL when there is none (or when out
 * of memory).  Each call reads the copy from its start.  *fd is the
 * descriptor of a kept regular file (lh_replay_keep; borrowed: for
 * random access, as the first reading had it), else -1.  *depth is the
 * level of the input the copy's bytes were at: 0 for the input itself, 1
 * for a decoder's output (lh_replay_tee_decoded).
 */
struct lh_stream *lh_replay_open(struct lh_replay *rp, const char *path,
    int64_t *mtime, int *fd, int *depth);

/* What the copies of decoded files did (lh_replay_totals). */
struct lh_replay_totals {
	uint64_t copies;	/* whole copies kept */
	uint64_t bytes;		/* their bytes */
	uint64_t over;		/* copies dropped or not made: budget */
	uint64_t read;		/* bytes read back from them */
};

/* Fills *t (caller-owned) with rp's figures so far. */
void lh_replay_totals(struct lh_replay *rp, struct lh_replay_totals *t);

/*
 * After the stream of lh_replay_tee for path was freed: LH_OK, or LH_WARN
 * with err ("PATH: no copy for the triage context in DIR: REASON")
 * when its copy was dropped.
 */
int lh_replay_check(struct lh_replay *rp, const char *path,
    struct lh_err *err);

#endif
