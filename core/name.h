/*
 * name.h: interned field names, so that looking a field up compares
 * pointers instead of strings.
 *
 * DESIGN
 * The stateful rules evaluate every event that can feed them, often on
 * the merger's one thread, and most of that time went into finding
 * fields by name: a loop over the event's fields with a strcmp for each
 * name that shares the first bytes ("event.action", "event.outcome",
 * "event.category").  The names the compiled queries read are interned
 * here once (at compile time), and the workers' reduced view of an event
 * for those rules (core/detect_feeds.c) uses the interned pointers for
 * its names; such an event says so (lh_event.canon), and a lookup of an
 * interned name in it is a pointer comparison per field.  Snapshots keep
 * the pointers (an interned name lives until exit, like a static one),
 * and the spill writes them as references (core/hits.c), so the merger's
 * views are interned too.
 *
 * The pool is one static array: whether a pointer is interned is a range
 * test.  It holds LH_NAME_POOL bytes; a name that does not fit stays the
 * caller's own string, and events that hold it are not canon, so every
 * lookup stays correct, only slower.  Interning takes a mutex and is meant
 * for compile time; reading interned names needs no lock (their bytes
 * never change once written).
 */
#ifndef LH_NAME_H
#define LH_NAME_H

#include <stddef.h>
#include <stdint.h>

#define LH_NAME_POOL 32768

extern char lh_name_pool[LH_NAME_POOL];

/*
 * The interned copy of the NUL-terminated name s, taking ownership of s
 * (a malloc'd string, or NULL, returned as is): s is freed when an
 * interned copy is returned, and returned itself when the pool is full.
 * Never fails otherwise (the pool is static).  Release the result with
 * lh_name_free().  Thread-safe.
 */
char *lh_name_intern(char *s);

/* Frees a name from lh_name_intern() (an interned one is kept); NULL ok. */
void lh_name_free(char *s);

/* 1 when p points into the pool (an interned name, or a suffix of one). */
static inline int
lh_name_interned(const char *p)
{
	return (uintptr_t)p - (uintptr_t)lh_name_pool < LH_NAME_POOL;
}

/* The offset of interned p in the pool (for the spill). */
static inline uint32_t
lh_name_offset(const char *p)
{
	return (uint32_t)((uintptr_t)p - (uintptr_t)lh_name_pool);
}

#endif
