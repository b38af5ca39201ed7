/*
 * match.h: an event that matched (an alert, or a query hit), and what
 * makes two records the same event.
 *
 * DESIGN
 * A match owns a snapshot of its event (every field, copied into one
 * block), so it outlives the worker's reusable event; it lists the sources
 * (path and line) it was seen in.  Two records are the same event (SPEC
 * §6) when they have the same rule, the same host, the same message once
 * a leading dmesg stamp is removed, and times equal at the coarser of the
 * two precisions: lh_match_ident() and lh_match_same_time() are the one
 * definition, used by the timeline (core/timeline.h) and the --state file.
 */
#ifndef LH_MATCH_H
#define LH_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "core/event.h"

struct lh_srcref {
	char *path;		/* owned: "bundle.tar.gz!var/log/syslog" */
	uint64_t line;		/* line or entry number */
	uint64_t offset;	/* byte offset of the record in its stream */
	int64_t ts, ts_prec;	/* the record's own time and precision */
};

struct lh_match {
	int rule;		/* index in the rule set; -1 for a query hit */
	int64_t ts, ts_prec;
	int ts_flags;
	const char *host;	/* host.hostname (or host.name), or NULL */
	size_t host_len;
	const char *message;	/* message field, or NULL */
	size_t message_len;
	const char *matched;	/* the matched terms, or "" */
	struct lh_field *f;	/* the event's fields (names and values */
	size_t nf;		/* point into the same block) */
	struct lh_srcref *src;	/* sources, owned; sorted after finish */
	size_t nsrc;
	uint64_t ident;		/* hash of rule, host and bare message */
	int pooled;		/* lives in an arena: lh_match_free leaves it */
	int canon;		/* every name is interned (core/name.h) */
	uint32_t cap;		/* its block's bytes (lh_match_pool_get), */
				/* or 0: not from a pool */
	const char *render;	/* output rendered by a worker, or NULL */
	size_t render_len;	/* (then nf is 0: the fields are not kept) */
};

/*
 * Copies ev into a new match (free with lh_match_free) for rule, with the
 * matched terms and the source path/line.  NULL when out of memory.
 */
struct lh_match *lh_match_create(const struct lh_event *ev, int rule,
    const char *matched, const char *path);
/*
 * lh_match_create() in arena (lh_arena_create(); it must outlive the
 * match): the match is pooled, so lh_match_free() frees only the sources
 * it owns (after folding).  Many matches made by a worker thread cost a
 * system call per arena chunk rather than heap growth and page faults
 * every few kilobytes.  NULL when out of memory.
 */
struct lh_arena;
struct lh_match *lh_match_create_pooled(const struct lh_event *ev, int rule,
    const char *matched, const char *path, struct lh_arena *arena);
/* Frees m and the sources it owns; NULL and pooled matches are no-ops. */
void lh_match_free(struct lh_match *m);

/*
 * A pool of match blocks, for matches made and freed over and over on one
 * thread (the merger's query hits): lh_match_pool_put() keeps the block of
 * a match, up to a count and a number of bytes, and lh_match_pool_get()
 * hands out the last one kept when it is big enough (a block too small is
 * freed and a bigger one made).  A block from the pool is an ordinary
 * malloc block: lh_match_free() frees it, on any thread.  The pool itself
 * belongs to one thread.
 */
struct lh_match_pool;
/*
 * Returns an owned, empty pool (free with lh_match_pool_free) that keeps at
 * most max blocks and bytes bytes of them, or NULL when out of memory.
 */
struct lh_match_pool *lh_match_pool_create(size_t max, uint64_t bytes);
/*
 * An owned block of at least size bytes (>= sizeof(struct lh_match)) from
 * p (borrowed; NULL: a plain malloc), its struct lh_match zeroed but for
 * cap: lay the match out in it as lh_match_create does (its first source
 * right after the struct), and free it with lh_match_pool_put or
 * lh_match_free.  NULL when out of memory.
 */
struct lh_match *lh_match_pool_get(struct lh_match_pool *p, size_t size);
/*
 * Frees m (ownership taken; NULL is a no-op) into p (borrowed; NULL:
 * lh_match_free): its sources are freed and its block kept when it came
 * from a pool and p has room, else freed.
 */
void lh_match_pool_put(struct lh_match_pool *p, struct lh_match *m);
/*
 * Takes a kept block out of p (the caller owns it: put it into another
 * pool, or lh_match_free), or NULL when p keeps none: how a thread gives
 * the blocks it is done with back to the pool of the thread that makes
 * them (core/detect_pair.c).
 */
struct lh_match *lh_match_pool_take(struct lh_match_pool *p);
/* Frees p and the blocks it keeps; NULL is a no-op. */
void lh_match_pool_free(struct lh_match_pool *p);

/*
 * Fills *view as a match over ev that copies nothing (fields, host and
 * message point into ev; src is the caller's one source).  Valid as long
 * as ev, matched and path are; never pass it to lh_match_free.
 */
void lh_match_view(struct lh_match *view, struct lh_srcref *src,
    const struct lh_event *ev, int rule, const char *matched,
    const char *path);
/*
 * A compact match that keeps view's time, host, message, matched terms and
 * source, plus the n bytes of already rendered output at text, instead of
 * the fields; allocated in arena (which must outlive it).  NULL when out
 * of memory.
 */
struct lh_match *lh_match_create_rendered(const struct lh_match *view,
    const char *text, size_t n, struct lh_arena *arena);

/* The first value of field name in m, or NULL (*len set). */
const char *lh_match_get(const struct lh_match *m, const char *name,
    size_t *len);

/*
 * Moves b's sources into a (b is freed, whatever the result) and keeps the
 * more precise of the two times.  Takes ownership of b.  LH_OK or
 * LH_FATAL.
 */
int lh_match_fold(struct lh_match *a, struct lh_match *b);

/* FNV-1a: the hash of identities (lh_fnv64(LH_FNV_SEED, p, n) to start). */
#define LH_FNV_SEED 0xcbf29ce484222325ULL
uint64_t lh_fnv64(uint64_t h, const void *p, size_t n);

/*
 * The message of m without a leading dmesg stamp (*len bytes, pointing
 * into m; "" when m has none): what identifies a kernel event across
 * sources.
 */
const char *lh_match_bare_message(const struct lh_match *m, size_t *len);

/*
 * The identity hash of the event of m: its rule, given as the keylen bytes
 * at key (the rule index in memory; the rule id in the --state file, so
 * that the hash survives a change of rule order), its host and its bare
 * message.  Records of one event have equal hashes; equal hashes are not
 * proof (compare the fields too).
 */
uint64_t lh_match_ident(const struct lh_match *m, const void *key,
    size_t keylen);
/*
 * The identity hash of the event of m as held in memory (m->ident): of
 * its rule index, host and bare message, like lh_match_ident but a word
 * at a time.  Its values depend on the machine and are never stored:
 * only lh_match_ident's are (the --state file).
 */
uint64_t lh_match_identity(const struct lh_match *m);

/*
 * 1 when the times a and b, of precisions ap and bp (µs, > 0), are equal
 * at the coarser of the two precisions (LH_TS_NONE equals only itself),
 * else 0.
 */
int lh_match_same_time(int64_t a, int64_t ap, int64_t b, int64_t bp);

#endif
