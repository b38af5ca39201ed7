/*
 * event.h: the normalized event, an ECS document as a flat list of fields.
 *
 * DESIGN
 * Every input format turns its records into a struct lh_event: the document
 * Elastic would have indexed, flattened to dotted names ("process.name").
 * A field that holds an array appears once per element, in order, with the
 * same name; KQL then matches an array when any element matches.
 *
 * Names are borrowed: formats use the LH_F_* constants below (static
 * strings) or names copied into the event's arena.  Values are byte spans
 * (not NUL-terminated) that either point into the parser's own buffer (zero
 * copy: the syslog parsers point into the line) or into the event's arena.
 * Either way they are valid until the next lh_event_reset() or the format's
 * next call to next().
 *
 * @timestamp is not a field: it is ts (microseconds since the epoch, UTC),
 * with the precision the source had, so that KQL ranges and the timeline
 * compare numbers.  lh_event_get() does not return it; callers that need
 * the text use lh_time_format().
 *
 * An event belongs to one worker thread; it is reused for every record
 * (lh_event_reset) so the hot path allocates nothing once warm.
 */
#ifndef LH_EVENT_H
#define LH_EVENT_H

#include <stddef.h>
#include <stdint.h>

#define LH_TS_NONE INT64_MIN

/* ts_flags */
#define LH_TS_BOOT	0x1	/* ts is microseconds since boot, not epoch */
#define LH_TS_YEAR	0x2	/* the year was inferred (RFC 3164) */
#define LH_TS_DERIVED	0x4	/* dated from its boot (core/evidence.h) */

/*
 * Field names every format shares, and the constant values of
 * lh_event_add_constants(): one object, so that whether a pointer is one
 * of them is a range test (lh_event_is_static).
 */
struct lh_statics {
	char message[sizeof("message")];
	char hostname[sizeof("host.hostname")];
	char hostname_alt[sizeof("host.name")];
	char proc_name[sizeof("process.name")];
	char proc_pid[sizeof("process.pid")];
	char dataset[sizeof("event.dataset")];
	char ds_dataset[sizeof("data_stream.dataset")];
	char module[sizeof("event.module")];
	char os_type[sizeof("host.os.type")];
	char file_path[sizeof("log.file.path")];
	char timestamp[sizeof("@timestamp")];
	char v_syslog[sizeof("system.syslog")];
	char v_auth[sizeof("system.auth")];
	char v_module[sizeof("system")];
	char v_linux[sizeof("linux")];
};
extern const struct lh_statics lh_statics;

#define LH_F_MESSAGE		lh_statics.message	/* "message" */
#define LH_F_HOSTNAME		lh_statics.hostname	/* "host.hostname" */
#define LH_F_HOSTNAME_ALT	lh_statics.hostname_alt	/* "host.name" */
#define LH_F_PROC_NAME		lh_statics.proc_name	/* "process.name" */
#define LH_F_PROC_PID		lh_statics.proc_pid	/* "process.pid" */
#define LH_F_DATASET		lh_statics.dataset	/* "event.dataset" */
#define LH_F_DS_DATASET		lh_statics.ds_dataset
					/* "data_stream.dataset" */
#define LH_F_MODULE		lh_statics.module	/* "event.module" */
#define LH_F_OS_TYPE		lh_statics.os_type	/* "host.os.type" */
#define LH_F_FILE_PATH		lh_statics.file_path	/* "log.file.path" */
#define LH_F_TIMESTAMP		lh_statics.timestamp	/* "@timestamp" */

struct lh_field {
	const char *name;	/* borrowed, NUL-terminated */
	const char *val;	/* borrowed, len bytes, not NUL-terminated */
	size_t len;
};

struct lh_arena;

struct lh_event {
	int64_t ts;		/* µs since the epoch (or boot), LH_TS_NONE */
	int64_t ts_prec;	/* precision of ts in µs: 1000000 for RFC 3164 */
	int ts_flags;		/* LH_TS_* */
	uint64_t line;		/* 1-based line or entry number in the source */
	uint64_t offset;	/* byte offset of the record in the stream */
	const char *boot_id;	/* NUL-terminated or NULL: for LH_TS_BOOT */

	struct lh_field *fields;	/* nfield used of cap */
	size_t nfield, cap;
	int canon;		/* every name is interned (core/name.h) */

	/* arena: stable storage for copied values (never moves) */
	struct lh_arena *arena;	/* made on first use */
};

/* Initializes an empty event (no allocation yet). */
void lh_event_init(struct lh_event *ev);
/* Empties ev for the next record, keeping its memory. */
void lh_event_reset(struct lh_event *ev);
/* Releases all memory of ev. */
void lh_event_free(struct lh_event *ev);

/*
 * Appends a field; name and val are borrowed (they must stay valid as long
 * as the event content, see DESIGN).  LH_OK or LH_FATAL.
 */
int lh_event_add(struct lh_event *ev, const char *name, const char *val,
    size_t len);
/* Like lh_event_add() for a NUL-terminated value. */
int lh_event_adds(struct lh_event *ev, const char *name, const char *val);
/* Appends a field whose value is copied into the event's arena. */
int lh_event_addcopy(struct lh_event *ev, const char *name, const char *val,
    size_t len);
/*
 * Copies n bytes into the arena and returns the stable copy (NUL-terminated),
 * or NULL when out of memory.  Used for names built at run time.
 */
char *lh_event_strdup(struct lh_event *ev, const char *p, size_t n);
/* Reserves n bytes in the arena (uninitialized), or NULL. */
char *lh_event_alloc(struct lh_event *ev, size_t n);

/* The first field named name, or NULL. */
const struct lh_field *lh_event_get(const struct lh_event *ev,
    const char *name);
/* Removes every field named name (used when a pipeline renames). */
void lh_event_del(struct lh_event *ev, const char *name);

/*
 * 1 when p is one of the static strings of this module (the LH_F_* names
 * and the constant values) or an interned name (core/name.h): a copy of
 * an event may keep the pointer.
 */
int lh_event_is_static(const char *p);

/*
 * 1 when name (borrowed) is one of the fields lh_event_add_constants()
 * gives every document of a data stream (event.dataset,
 * data_stream.dataset, event.module, host.os.type): a query's test of one
 * of them is seldom what tells events apart, so query plans test them
 * last.
 */
int lh_event_constant_name(const char *name);

/* The data streams of Elastic's system integration that loghunt fills. */
enum lh_data_stream {
	LH_DS_SYSLOG,		/* logs-system.syslog-* */
	LH_DS_AUTH		/* logs-system.auth-* */
};

/*
 * Adds the constant fields of a document of data stream ds: event.dataset
 * and data_stream.dataset, event.module, host.os.type.  LH_OK or LH_FATAL.
 */
int lh_event_add_constants(struct lh_event *ev, enum lh_data_stream ds);

#endif
