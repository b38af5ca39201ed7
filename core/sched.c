/*
 * sched.c: the cost estimate and the job order (sched.h).
 *
 * DESIGN
 * The estimate is the size on disk.  Compressed files cost more per byte
 * than text, but telling them apart means reading them, which the caller's
 * thread must not do (see sched.h); size alone keeps the big ones first.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/sched.h"

uint64_t
lh_sched_cost(const char *path, uint64_t *size)
{
	struct stat sb;

	*size = 0;
	if (strcmp(path, "-") == 0 || stat(path, &sb) != 0 ||
	    !S_ISREG(sb.st_mode))
		return LH_SCHED_UNKNOWN_COST;
	*size = (uint64_t)sb.st_size;
	return *size;
}

static int
by_cost(const void *pa, const void *pb)
{
	const struct lh_sched_item *a = pa, *b = pb;

	if (a->cost != b->cost)
		return a->cost > b->cost ? -1 : 1;
	return strcmp(a->name, b->name);
}

void
lh_sched_order(struct lh_sched_item *items, size_t n)
{
	if (n > 1)
		qsort(items, n, sizeof(*items), by_cost);
}

size_t
lh_sched_pick(const struct lh_sched_item *items, size_t n)
{
	size_t i, best = 0;

	for (i = 1; i < n; i++) {
		if (by_cost(&items[i], &items[best]) < 0)
			best = i;
	}
	return best;
}
