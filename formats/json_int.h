/*
 * json_int.h: the parts of the json format (formats/json.c) that turn one
 * parsed json-c document into an event; only the json format's own files
 * include this.
 *
 * DESIGN
 * Kind of document (decided per document by json.c, in this order):
 *  1. journal JSON (json_journal.c): a top-level MESSAGE,
 *     __REALTIME_TIMESTAMP or __CURSOR key (journal field names are upper
 *     case); every field goes through formats/journald_map, a value that
 *     is an array of numbers 0..255 is the bytes of a non-UTF-8 field
 *     (journalctl(1) --output=json), an array of strings a repeated field,
 *     null an absent one.
 *  2. Filebeat output before the ingest pipeline (json_filebeat.c;
 *     elastic-semantics §5.5): not _source-wrapped, a string message, no
 *     process.name, no event.ingested (the pipeline's first processor sets
 *     it), not the journald input, and either @metadata.beat "filebeat" or
 *     input.type with fileset.name "syslog", event.module "system" or
 *     data_stream.dataset "system.syslog".  The pipeline's grok and date
 *     steps run on message (lh_syslog_header_grok): the year of an RFC
 *     3164 stamp comes from the document's @timestamp (Filebeat's read
 *     time), the zone from event.timezone when it is an offset.
 *     For the auth data stream (event.dataset or data_stream.dataset
 *     "system.auth", fileset.name "auth") the auth header grok is used
 *     (syslog_header.h); when an input already parsed the header
 *     (log.syslog present), the auth log.yml skips that grok and sets
 *     process.name from log.syslog.appname unless it has one
 *     (json_input.c).
 *  2a. Filebeat or Agent output of the journald input (json_input.c): not
 *     _source-wrapped, journald.* present or input.type "journald", no
 *     event.ingested.  The journald.yml pipeline of the document's data
 *     stream runs: the Filebeat module's (fileset.name present) or the
 *     integration's; syslog: process.pid from journald.pid, process.name
 *     from journald.process.name ("" when missing, integration), message
 *     from event.original when missing (integration), systemd unit
 *     Started/Stopped categorised (integration); auth: process.name from
 *     journald.process.name, process.pid from journald.pid (module only),
 *     process.name from log.syslog.appname unless set (integration); then
 *     journald.*, process.thread.*, syslog.*, systemd.* and message_id
 *     are removed.
 *  3. anything else is an ECS document (json_ecs.c), evaluated as it
 *     stands: flattened to dotted names, {"_source":...} unwrapped, no
 *     constants added.
 *
 * The time of a document, as these converters set it, is also read from
 * the raw bytes by json_gate.c, which decides the kind by the same tests,
 * for the gate of the triage context pass (lh_parse_opts.gate), and its
 * host (host.hostname, host.name) by json_gate_host.c, for the time map:
 * a change to how a kind, its time or its host is decided here must be
 * made there too (the unit tests in tests/unit/gate_formats_test.c and
 * rawhost_test.c compare the two).
 *
 * json-c objects never leave the json format: every value is copied into
 * the event's arena.  The converter state belongs to one thread, as the
 * format's state does; lh_tz_parse() is never called here, since a zone
 * name would setenv(3) TZ under running workers.
 */
#ifndef LH_JSON_INT_H
#define LH_JSON_INT_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/event.h"
#include "core/format.h"
#include "core/time.h"

#define JSON_MAX_NAME	1024
#define JSON_MAX_FIELDS	100000

/* What turning documents into events needs, kept across documents. */
struct lh_json_doc {
	const struct lh_source *src;	/* borrowed: path and mtime */
	const struct lh_parse_opts *opts; /* borrowed: tz, year */
	struct lh_buf name;	/* dotted name being built */
	struct lh_buf bytes;	/* a journal byte-array value */
	int truncated;		/* fields were dropped from this event */
	struct lh_tz doc_tz;	/* event.timezone of a Filebeat document */
	struct lh_err pending;	/* a warning owed after an event */
};

/* Frees the buffers of d (not d itself). */
void lh_json_doc_free(struct lh_json_doc *d);

/*
 * Owes the warning "PATH:LINE: what" for ev (the first one of an event
 * wins), returned by the format's next call.  Returns LH_OK.
 */
int lh_json_doc_warn(struct lh_json_doc *d, const struct lh_event *ev,
    const char *what);

/*
 * The value at a dotted path, whether the document nests it ("event":
 * {"module": ...}), dots it ("event.module": ...) or mixes both; NULL when
 * absent or null.  The value is borrowed from o: valid until o is put.
 */
struct json_object *lh_json_get_path(struct json_object *o, const char *path);

/* Whether the string at path (see lh_json_get_path) equals want. */
int lh_json_path_is(struct json_object *o, const char *path,
    const char *want);

/*
 * @timestamp as Elasticsearch's date type reads it by default
 * (strict_date_optional_time||epoch_millis): an ISO 8601 string, or
 * milliseconds since the epoch as a number or a string of digits.  LH_OK
 * (*us and *prec set), LH_EOF when absent, LH_WARN when not understood.
 */
int lh_json_doc_time(const struct lh_json_doc *d, struct json_object *o,
    int64_t *us, int64_t *prec);

/*
 * The steps of lh_json_doc_time, for a time read from raw bytes too: epoch
 * milliseconds ms (LH_OK with *us and *prec, LH_WARN when out of range);
 * the text of a string @timestamp (n bytes at p, borrowed), in d's zone.
 */
int lh_json_time_millis(int64_t ms, int64_t *us, int64_t *prec);
int lh_json_time_text(const struct lh_json_doc *d, const char *p, size_t n,
    int64_t *us, int64_t *prec);

/*
 * A fixed zone from a Filebeat document's event.timezone (z, borrowed,
 * NUL-terminated) into *tz: add_locale writes "+02:00"; Java's ZoneId,
 * which the pipeline's date processor uses, also takes "Z", "UTC",
 * "GMT-0200", "+2".  0, or -1 for names ("Europe/Berlin": not resolved)
 * and anything else (*tz then UTC).
 */
int lh_json_zone_offset(const char *z, struct lh_tz *tz);

/*
 * Adds every field of o to ev under dotted names, copied into the event's
 * arena; @timestamp is left out (it is ev->ts), and message too when
 * skip_msg is set.  Beyond JSON_MAX_FIELDS fields or JSON_MAX_NAME bytes of
 * name the rest is left out and d->truncated set.  LH_OK or LH_FATAL.
 */
int lh_json_flatten(struct lh_json_doc *d, struct lh_event *ev,
    struct json_object *o, int skip_msg);

/*
 * The three kinds (see DESIGN): each fills ev, which the caller has reset,
 * from the borrowed document o and returns LH_OK (maybe with a warning
 * owed in d->pending) or LH_FATAL.
 */
int lh_json_is_journal(struct json_object *o);
int lh_json_journal(struct lh_json_doc *d, struct json_object *o,
    struct lh_event *ev);
int lh_json_is_filebeat_raw(struct json_object *o);
int lh_json_filebeat(struct lh_json_doc *d, struct json_object *o,
    struct lh_event *ev);
int lh_json_ecs(struct lh_json_doc *d, struct json_object *o,
    struct lh_event *ev);
int lh_json_is_journald_input(struct json_object *o);
int lh_json_journald_input(struct lh_json_doc *d, struct json_object *o,
    struct lh_event *ev);
int lh_json_syslog_input(struct lh_json_doc *d, struct json_object *o,
    struct lh_event *ev);

/* Whether o belongs to the auth data stream (see DESIGN, kind 2). */
int lh_json_is_auth(struct json_object *o);

/*
 * The time of a document read from its raw bytes, without json-c
 * (json_gate.c), for the gate of lh_parse_opts: a scanner with its
 * scratch, owned by one format state.  lh_json_rawtime_create returns an
 * owned scanner (free with lh_json_rawtime_free) or NULL when out of
 * memory.
 */
struct lh_json_rawtime;

struct lh_json_rawtime *lh_json_rawtime_create(void);
void lh_json_rawtime_free(struct lh_json_rawtime *r);
/* Makes r scan without AVX2, as on a CPU without it (for tests). */
void lh_json_rawtime_portable(struct lh_json_rawtime *r);

/*
 * When the n bytes at p (borrowed) are blanks, one JSON object and blanks,
 * and that document's time is one json.c and the converters would set
 * exactly (for d's source and options, borrowed), returns 1 with the
 * event's *ts, *prec and *flags (LH_TS_*); else 0: the document must be
 * parsed (not one object, something the scanner does not tell exactly, a
 * wrapper of documents, or no time).
 */
int lh_json_rawtime(struct lh_json_rawtime *r, const struct lh_json_doc *d,
    const char *p, size_t n, int64_t *ts, int64_t *prec, int *flags);

/*
 * After lh_json_rawtime() returned 1 for a document: the host its event
 * will name, host.hostname else host.name, as the context pass reads it
 * (cli/triage.c), after every step of its kind (json_gate_host.c).  1
 * with *host (*hlen bytes, borrowed: valid until the next call on r and
 * while the document's bytes are); 0 when that is not known exactly: the
 * document names no host (its evidence root may give one), or the scanner
 * cannot tell, or lh_json_rawtime() did not claim a time.
 */
int lh_json_rawhost(struct lh_json_rawtime *r, const char **host,
    size_t *hlen);

#endif
