/*
 * arena.c: chunked bump allocation (see arena.h).
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
};

struct lh_arena *
lh_arena_create(void)
{
	return calloc(1, sizeof(struct lh_arena));
}

void
lh_arena_free(struct lh_arena *a)
{
	struct chunk *c, *next;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		munmap(c, c->size);
	}
	free(a);
}

void *
lh_arena_alloc(struct lh_arena *a, size_t n)
{
	struct chunk *c = a->head;
	size_t hdr = (sizeof(*c) + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	void *p;

	n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (n > SIZE_MAX / 2)
		return NULL;
	if (c == NULL || c->size - c->used < n) {
		size_t size = n + hdr > CHUNK ? n + hdr : CHUNK;

		c = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE |
		    MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (c == MAP_FAILED)
			return NULL;
		c->size = size;
		c->used = hdr;
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c + c->used;
	c->used += n;
	return p;
}
