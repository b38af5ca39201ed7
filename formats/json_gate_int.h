/*
 * json_gate_int.h: the records of the raw scanner (formats/json_gate_scan.c),
 * shared with formats/json_gate.c, which reads a document's kind and time
 * from them, and formats/json_gate_host.c, which reads its host; only
 * those three files include this.
 *
 * DESIGN
 * See json_gate_scan.c and json_gate.c: the scanner records the keys of
 * the objects on the three outer levels of a document with where each
 * value lies, in one of the layouts it keeps (a document that repeats a
 * kept one but for some values has those put into its records), and the
 * lookups of json.c and the converters are done over these records into
 * a plan, kept with the layout.  A lookup that meets what it cannot tell
 * exactly sets bad.
 */
#ifndef LH_JSON_GATE_INT_H
#define LH_JSON_GATE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/event.h"
#include "core/time.h"
#include "formats/syslog_header.h"

#define MAX_KEYS	512
#define MAX_OBJS	128
#define MAX_NEST	64	/* json.c's JSON_MAX_DEPTH */
#define REC_DEPTH	3	/* levels of objects whose keys are recorded */
#define UNKNOWN		100	/* a lookup's "don't know" */
#define NMEMO		64	/* slots of the names looked up */

enum { V_NULL, V_BOOL, V_NUM, V_STR, V_ARR, V_OBJ };

struct val {
	const char *p;		/* a string's bytes (no quotes), a number's */
	size_t n;
	int obj;		/* V_OBJ: its record, -1 below the levels */
	unsigned char type;
	unsigned char esc;	/* V_STR: holds escapes */
	unsigned char wraps;	/* V_ARR: empty, or an object comes first */
};

struct key {
	const char *p;
	size_t n;
	struct val v;
	int next;		/* the next key of its object, or -1 */
	unsigned char bit;	/* name_bit of its name */
	unsigned char twice;	/* its object has another key of its name */
	unsigned char dep;	/* a plan compared its value */
};

/*
 * A lookup done over the records of one scan (json_gate.c, look_of): the
 * name or path s (a string literal) in the object of record oi, by exact
 * or get_path (path), gave the value of record key (or -1: none), and bad.
 */
struct look {
	const char *s;
	uint64_t gen;		/* the scan it was done over */
	int oi, path, key, bad;
};

#define NLOOK		128	/* slots of the lookups kept */

/* A name or path looked up, and what name_of worked out of it. */
struct name {
	const char *s;		/* a string literal (or inside one), or NULL */
	size_t n;		/* strlen(s) */
	uint64_t whole;		/* the bit of s as one name */
	uint64_t prefixes;	/* the bits of s and of its parts before dots */
};

/*
 * What decides a document's time and host, worked out over the records of
 * one layout (json_gate.c, resolve): the kind, and the records (keys, or
 * -1 for none) whose values the time and the host are read from, for
 * every document that has the layout and the values of the keys marked
 * dep (those compared on the way) of the one it was worked out for.
 */
struct plan {
	uint64_t gen;		/* the layout's scan it holds for, 0: none */
	int kind;		/* JG_* (JG_GROK: a Filebeat raw document) */
	int o;			/* the record of the document's object */
	int ts;			/* @timestamp */
	int stamp[2];		/* JG_JOURNAL: the journal stamps, */
	int bad1;		/* the second's lookup could not tell */
	int msg, tz;		/* JG_GROK: message, event.timezone */
	int auth;		/* JG_GROK: of the auth data stream */
	int ecs;		/* JG_GROK: its time is ecs_time's */
	int host;		/* the host's value, or HOST_* */
};

enum { HOST_ABSENT = -1, HOST_DUNNO = -2 };

/*
 * The records of one document scanned whole (copy), kept with what was
 * worked out over them for documents that repeat it but for some values.
 */
struct layout {
	struct key keys[MAX_KEYS];
	struct {
		int first, last;
		uint64_t names;	/* the name_bit of each of its keys */
	} objs[MAX_OBJS];
	int nkeys, nobjs;
	uint64_t gen;		/* the scan that made the records */
	uint32_t score;		/* how many recent documents had it */
	struct lh_buf copy;	/* the document scanned whole */
	int have;		/* the records are copy's (but patched) */
	struct {
		int key;	/* a string or number value of a record, */
		size_t at, n;	/* its bytes in copy, quotes too, */
		struct val v0;	/* and its record there */
	} slot[MAX_KEYS];	/* in text order */
	int nslot;
	int patched[MAX_KEYS];	/* the slots whose records are not copy's */
	int npatched;
	struct plan plan;	/* worked out over the records, if gen */
	uint64_t wgen;		/* the gen want[] was made for, 0: none */
	/* journal JSON (walk()): the slots whose records the plan reads */
	unsigned char want[MAX_KEYS];
};

#define NLAYOUT		4	/* layouts kept */

struct lh_json_rawtime {
	const char *p, *end;	/* the scanner's cursor, the end */
	int nest;
	int avx2;		/* the scanner may use AVX2 */
	int bad;		/* a lookup met what it cannot tell */
	struct layout lay[NLAYOUT];
	struct layout *L;	/* the current document's */
	struct layout *best;	/* the layout of the highest score */
	uint64_t gens;		/* scans so far */
	unsigned docs;		/* documents so far */
	struct lh_buf msg;	/* an unescaped Filebeat message */
	struct lh_tz tz;	/* its event.timezone */
	char zname[16];		/* the event.timezone tz was made of, */
	size_t zlen;		/* its length, */
	int zset, zok;		/* if any; whether it made a zone */
	struct lh_event ev;	/* scratch for the syslog grok */
	struct lh_syslog_memo smemo;	/* the grok's, from one to the next */
	struct name memo[NMEMO];	/* the names looked up (see name_of) */
	struct look look[NLOOK];	/* lookups over the records (look_of) */
	/* what lh_json_rawtime decided, for lh_json_rawhost */
	size_t doclen;		/* the document's bytes */
	int kind;		/* JG_* */
	const struct plan *pl;	/* the plan it followed, */
	struct plan tmp;	/* or one made for it alone */
	struct lh_buf host;	/* an unescaped host */
};

/* The kinds of document (json_int.h DESIGN), as lh_json_rawtime took it. */
enum {
	JG_NONE,	/* no time was claimed */
	JG_JOURNAL,	/* journal JSON */
	JG_ECS,		/* flattened as it stands (also kinds 2a, 2 auth) */
	JG_GROK		/* Filebeat: the syslog grok ran on r->ev */
};

/*
 * One of 64 bits for a name of n bytes at p, from its length and its first
 * and last bytes: two names with different bits differ, so a lookup skips
 * an object whose keys' bits (objs[].names) lack its name's bit.
 */
static inline unsigned
lh_json_gate_name_bit(const char *p, size_t n)
{
	if (n == 0)
		return 0;
	return ((unsigned)n * 5 + (unsigned char)p[0] * 3 +
	    (unsigned char)p[n - 1]) & 63;
}

/* The record whose value v is (a record's, or NULL: -1). */
static inline int
lh_json_gate_key_of(const struct lh_json_rawtime *r, const struct val *v)
{
	return v != NULL ? (int)(((const char *)v -
	    (const char *)r->L->keys) / (ptrdiff_t)sizeof(r->L->keys[0])) : -1;
}

/*
 * Decides whether the scanner of r may use AVX2: if the CPU has it, unless
 * portable (then it scans as on a CPU without: for tests).
 */
void lh_json_gate_init(struct lh_json_rawtime *r, int portable);

/*
 * The records of the n bytes at p (borrowed), in r->L: those of a kept
 * layout with this document's values put in when it repeats that layout's
 * document but for them (r->L->npatched slots patched), else of a scan of
 * it (a new gen).  1, or 0 when p is not one JSON object the scanner
 * takes (json_gate_scan.c).
 */
int lh_json_gate_records(struct lh_json_rawtime *r, const char *p, size_t n);

/*
 * json_object_object_get_ex over the records: the value of key name (a
 * string literal: see name_of) in the object of record oi, null too, or
 * NULL.  Sets r->bad when the key is given twice.
 */
const struct val *lh_json_gate_exact(struct lh_json_rawtime *r, int oi,
    const char *name);

/*
 * The string v unescaped into b, as json-c decodes it.  1, or 0 for a
 * surrogate (json-c's pairing and replacement are left to it) or when out
 * of memory.
 */
int lh_json_gate_unescape(struct lh_buf *b, const struct val *v);

/*
 * The host's value in the plan pl being worked out for a document of kind
 * pl->kind, object pl->o: pl->host (json_gate_host.c).
 */
void lh_json_gate_plan_host(struct lh_json_rawtime *r, struct plan *pl);

#endif
