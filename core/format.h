/*
 * format.h: the input-format plug-in interface (the vtable only).
 *
 * DESIGN
 * Modelled on libarchive's format descriptors (archive_read_private.h): each
 * format bids on the first bytes of a stream with probe(), the highest bid
 * parses it.  core/ learns about formats only through this table, which
 * formats/registry.c exports and cli/ passes in.  A format state belongs to
 * one thread.
 */
#ifndef LH_FORMAT_H
#define LH_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/event.h"
#include "core/lines.h"
#include "core/time.h"

/* Options every parser honours. */
struct lh_prefilter;
struct lh_gate;
struct lh_timemap;

struct lh_parse_opts {
	const struct lh_tz *tz;	/* zone of stamps that carry none */
	int year;		/* > 0: the year of RFC 3164 stamps (--year) */
	/*
	 * When not NULL, a format may skip records whose raw bytes contain
	 * none of its words (core/prefilter.h), counting them in
	 * src->prefiltered; it must not skip a record whose raw bytes are
	 * not the text the analyzer would see (escapes, binary fields).
	 */
	const struct lh_prefilter *prefilter;
	/*
	 * 1 when no rule asks for a field beyond the header, the data stream
	 * constants and the journal's own (event.kind/category/type/action/
	 * outcome, user.*, source.*, ...): the syslog and journal formats
	 * may then leave out the pipeline steps that only add such fields
	 * (the auth pipeline's message.yml, the syslog stream's event.kind
	 * and systemd categorisation), as they change nothing a rule looks
	 * at (process.name is still set from log.syslog.appname).  Query
	 * output shows every field, so a query never sets it.
	 */
	int lazy_auth;
	/*
	 * When not NULL (the triage context pass), a format may skip a record
	 * whose time it reads cheaply from the raw bytes, exactly as its full
	 * parse would set it, when the gate does not admit that time
	 * (core/gate.h), counting it in src->gated.  Untimed, boot-relative
	 * and doubtful records are parsed as usual.
	 */
	const struct lh_gate *gate;
};

/* What a format reads: one leaf of the input tree (a file or a member). */
struct lh_source {
	const char *path;	/* display path, "a.tar.gz!var/log/syslog" */
	int64_t mtime;		/* µs UTC: reference time for year inference */
	struct lh_lines *lines;	/* the decompressed content, line by line */
	/*
	 * For formats that need a seekable file (native journal files): an
	 * fd holding the whole decompressed content, rewound, owned by the
	 * source (do not close).  Materialized on demand (a memfd for archive
	 * members and compressed files).  LH_OK or LH_FAIL with err.
	 */
	int (*get_fd)(struct lh_source *src, int *fd, struct lh_err *err);
	void *priv;
	uint64_t prefiltered;	/* records skipped by the prefilter */
	uint64_t gated;		/* records skipped by the gate */
	/*
	 * When not NULL (the first pass of a run that will want context), a
	 * line-oriented format tells it the kind and time of every line it
	 * passes (core/timemap.h), through an observer on lines.  Borrowed.
	 */
	struct lh_timemap *timemap;
};

struct lh_format {
	const char *name;	/* "syslog", "journal-export", ... */
	/*
	 * Confidence 0..100 that a stream starting with the n bytes at p is
	 * in this format (p holds up to 64 KiB; n may be less at EOF).
	 */
	int (*probe)(const char *p, size_t n);
	/* Creates the parser state for src (borrowed; outlives the state). */
	int (*open)(void **state, struct lh_source *src,
	    const struct lh_parse_opts *opts, struct lh_err *err);
	/*
	 * Parses the next record into ev (reset by the format first).
	 * LH_OK: ev holds an event (ev->line set).  LH_WARN: a record was
	 * skipped, err names its line or entry; call again.  LH_EOF: done.
	 * LH_FAIL: the rest of the stream is unusable (err says why and
	 * where); every event before was returned.  LH_FATAL: out of memory.
	 */
	int (*next)(void *state, struct lh_event *ev, struct lh_err *err);
	void (*close)(void *state);
};

#endif
