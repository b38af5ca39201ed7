/*
 * arena.c: chunked bump allocation (arena.h).
 *
 * DESIGN
 * The chunks form a list, newest first; allocation bumps in the newest.
 * A chunk starts with its header, rounded up to the alignment.  Mapped
 * chunks go back with munmap, the others with free.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "core/arena.h"

#define CHUNK (1024 * 1024)
#define ALIGN 16

struct chunk {
	struct chunk *next;
	size_t size, used;
};

struct lh_arena {
	struct chunk *head;
	size_t chunk;		/* the usual chunk size */
	size_t align;		/* 1 or ALIGN */
	int mapped;		/* chunks come from mmap */
};

struct lh_arena *
lh_arena_create(void)
{
	struct lh_arena *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	a->chunk = CHUNK;
	a->align = ALIGN;
	a->mapped = 1;
	return a;
}

struct lh_arena *
lh_arena_create_bytes(size_t chunk)
{
	struct lh_arena *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	a->chunk = chunk;
	a->align = 1;
	return a;
}

struct lh_arena *
lh_arena_create_heap(size_t chunk)
{
	struct lh_arena *a = lh_arena_create_bytes(chunk);

	if (a != NULL)
		a->align = ALIGN;	/* malloc's chunks are aligned for it */
	return a;
}

static void
release(const struct lh_arena *a, struct chunk *c)
{
	if (a->mapped)
		lh_map_free(c, c->size);
	else
		free(c);
}

/* The chunk header, rounded up so that what follows is aligned. */
#define HEADER ((sizeof(struct chunk) + ALIGN - 1) & ~(size_t)(ALIGN - 1))

void
lh_arena_free(struct lh_arena *a)
{
	struct chunk *c, *next;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		release(a, c);
	}
	free(a);
}

void
lh_arena_reset(struct lh_arena *a)
{
	struct chunk *c, *next;

	if (a == NULL || a->head == NULL)
		return;
	/* the oldest chunk stays: free the ones added after it */
	for (c = a->head; c->next != NULL; c = next) {
		next = c->next;
		release(a, c);
	}
	c->used = HEADER;
	a->head = c;
}

void *
lh_map_zeroed(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void
lh_map_free(void *p, size_t n)
{
	if (p != NULL)
		(void)munmap(p, n);
}

/* A new chunk for at least n more bytes, made the head.  NULL if none. */
static struct chunk *
grow(struct lh_arena *a, size_t n)
{
	size_t hdr = HEADER, size = n + hdr > a->chunk ? n + hdr : a->chunk;
	struct chunk *c;

	if (a->mapped) {
		if ((c = lh_map_zeroed(size)) == NULL)
			return NULL;
	} else if ((c = malloc(size)) == NULL) {
		return NULL;
	}
	c->size = size;
	c->used = hdr;
	c->next = a->head;
	a->head = c;
	return c;
}

void *
lh_arena_alloc(struct lh_arena *a, size_t n)
{
	struct chunk *c = a->head;
	void *p;

	if (n > SIZE_MAX / 2)
		return NULL;
	n = (n + a->align - 1) & ~(a->align - 1);
	if ((c == NULL || c->size - c->used < n) && (c = grow(a, n)) == NULL)
		return NULL;
	p = (char *)c + c->used;
	c->used += n;
	return p;
}
