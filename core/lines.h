/*
 * lines.h: splitting a stream into lines, in bounded memory.
 *
 * DESIGN
 * The reader owns one buffer that grows up to LH_MAX_LINE bytes; a longer
 * line is returned cut at LH_MAX_LINE with LH_WARN and the rest of it is
 * skipped, so memory stays bounded whatever the input.  Lines are returned
 * without their "\n" (and without a "\r" before it); NUL bytes are returned
 * as they are.  A final line without "\n" is still a line.
 */
#ifndef LH_LINES_H
#define LH_LINES_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/stream.h"

#define LH_MAX_LINE (1024 * 1024)

struct lh_lines;

/*
 * Returns an owned reader over s (free with lh_lines_free) or NULL.  Borrows
 * s, which must outlive the reader; path is borrowed for messages.
 */
struct lh_lines *lh_lines_create(struct lh_stream *s, const char *path);
void lh_lines_free(struct lh_lines *l);

/*
 * The next line: *line (valid until the next call) and *len.
 * LH_OK; LH_WARN when the line was cut (err says where; the cut line is
 * still returned); LH_EOF at the end; LH_FAIL when the stream is damaged
 * (err says where; lines before it were all returned).
 */
int lh_lines_next(struct lh_lines *l, const char **line, size_t *len,
    struct lh_err *err);

struct lh_prefilter;

/*
 * Like lh_lines_next(), but skips lines in which pf finds none of its words
 * (adding their number to *skipped); a continuation line (starting with
 * white space) with a hit brings back the line it continues.
 */
int lh_lines_next_hit(struct lh_lines *l, const struct lh_prefilter *pf,
    const char **line, size_t *len, uint64_t *skipped, struct lh_err *err);

/*
 * For formats whose records span lines (journal export): the unread bytes
 * after the line last returned, at *p (*n bytes, valid until the next call
 * on l), reading ahead until there are at least want of them or the stream
 * ends (a failure is reported by the next lh_lines_next).  The line last
 * returned may move: call this only once done with it.  *n is 0 while a
 * cut line is being discarded.  LH_OK or LH_FATAL (out of memory).
 */
int lh_lines_ahead(struct lh_lines *l, size_t want, const char **p,
    size_t *n);
/*
 * Consumes the first n bytes that lh_lines_ahead() showed, which must end
 * with a newline (whole lines), counting their lines as read.
 */
void lh_lines_skip(struct lh_lines *l, size_t n);

/*
 * An observer is told of every line the reader passes, returned or
 * skipped, in order: its bytes (len, no newline; valid during the call;
 * a cut line is told with its first LH_MAX_LINE bytes), its stream offset
 * and the number of lines before it.  lh_lines_observe() sets it (fn NULL:
 * none); arg is borrowed.  An observer must not call the reader (lines in
 * bulk are told from a copy of its state).
 */
typedef void (*lh_lines_observer)(void *arg, const char *line, size_t len,
    uint64_t off, uint64_t lines_before);
void lh_lines_observe(struct lh_lines *l, lh_lines_observer fn, void *arg);

/*
 * Makes l find the lines it tells its observer without vector code, as on
 * a CPU without AVX2 (for tests: the output is the same either way).
 */
void lh_lines_portable(struct lh_lines *l);

struct lh_range;

/*
 * Reads only the lines that start inside the n ranges of r (in order,
 * disjoint, starting at lines; borrowed: they must outlive the reading):
 * lh_lines_next() and lh_lines_next_hit() discard the bytes before a range
 * (the line count jumps to its lines_before) and end after the last one.
 * For the context pass (core/timemap.h).
 */
void lh_lines_plan(struct lh_lines *l, const struct lh_range *r, size_t n);

/* The 1-based number of the line last returned. */
uint64_t lh_lines_lineno(const struct lh_lines *l);
/* The byte offset in the stream of the line last returned. */
uint64_t lh_lines_offset(const struct lh_lines *l);

/*
 * Reads ahead without consuming: makes up to want bytes of the stream's
 * start available at *p (*n bytes, fewer at the end of the stream).
 * Only valid before the first lh_lines_next().  LH_OK or LH_FAIL.
 */
int lh_lines_peek(struct lh_lines *l, size_t want, const char **p, size_t *n,
    struct lh_err *err);

/*
 * Reads raw bytes (for binary-safe formats such as journal export fields):
 * copies exactly n bytes following the last line into dst.  LH_OK; LH_EOF
 * when the stream ends first (err untouched: whether that is an error and
 * what to call it is the caller's business); LH_FAIL or LH_FATAL (err
 * filled) when it breaks.
 */
int lh_lines_read_raw(struct lh_lines *l, void *dst, size_t n,
    struct lh_err *err);

/*
 * The first byte of the next line, or -1 at the end of the stream, without
 * consuming it (for continuation lines).  The line last returned stays
 * readable: if the buffer had to move, *line (the pointer the caller got
 * from lh_lines_next, or NULL) is updated.
 */
int lh_lines_next_byte(struct lh_lines *l, const char **line);

/*
 * Reads up to n raw bytes (buffered ones first) into dst, *got of them.
 * LH_OK (*got > 0), LH_EOF, LH_FAIL or LH_FATAL.
 */
int lh_lines_read_some(struct lh_lines *l, void *dst, size_t n, size_t *got,
    struct lh_err *err);

/*
 * LH_FAIL with err filled when the stream failed but no call has returned
 * that failure yet (the reader stopped before it: lh_lines_peek() met it
 * and the stream was then skipped), so the caller can still report the
 * damage; LH_OK otherwise.
 */
int lh_lines_untold(const struct lh_lines *l, struct lh_err *err);

#endif
