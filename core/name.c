/*
 * name.c: the pool of interned field names (name.h).
 *
 * DESIGN
 * Names are appended to one static array and found again through an
 * open-addressed table of their offsets (lh_field_hash of the bytes), both
 * guarded by one mutex: interning happens while queries compile, a few
 * hundred names per run.  Nothing is ever removed.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/field.h"
#include "core/name.h"

#define SLOTS 4096		/* a power of two; at most half used */

char lh_name_pool[LH_NAME_POOL];

static size_t used;		/* bytes of the pool in use */
static size_t count;		/* names in the table */
static uint32_t slot[SLOTS];	/* offset + 1, or 0: empty */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

char *
lh_name_intern(char *s)
{
	size_t n, i;
	char *p = NULL;

	if (s == NULL || lh_name_interned(s))
		return s;
	n = strlen(s);
	(void)pthread_mutex_lock(&lock);
	for (i = lh_field_hash(s, n) & (SLOTS - 1); slot[i] != 0;
	    i = (i + 1) & (SLOTS - 1)) {
		if (strcmp(lh_name_pool + slot[i] - 1, s) == 0) {
			p = lh_name_pool + slot[i] - 1;
			break;
		}
	}
	if (p == NULL && count < SLOTS / 2 && n + 1 <= LH_NAME_POOL - used) {
		p = lh_name_pool + used;
		memcpy(p, s, n + 1);
		slot[i] = (uint32_t)used + 1;
		used += n + 1;
		count++;
	}
	(void)pthread_mutex_unlock(&lock);
	if (p == NULL)
		return s;
	free(s);
	return p;
}

void
lh_name_free(char *s)
{
	if (!lh_name_interned(s))
		free(s);
}
