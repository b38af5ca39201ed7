/* failmalloc.c: fails the Nth allocation (LH_FAIL_AT=N), or counts them
 * (LH_COUNT_TO=FILE), for the out-of-memory sweep of the CLI tests
 * (tests/cli/oom_sweep.sh).  A failed allocation sets errno to ENOMEM, as
 * the C library's does (POSIX): callers such as opendir(3) and
 * pthread_create(3) rely on it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_long calls;
static long fail_at = -1;
static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);

static int
fail(void)
{
	long n = atomic_fetch_add(&calls, 1) + 1;

	if (fail_at > 0 && n == fail_at) {
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

__attribute__((constructor)) static void
init(void)
{
	const char *s = getenv("LH_FAIL_AT");

	real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
	real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
	real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	if (s != NULL)
		fail_at = atol(s);
	atomic_store(&calls, 0);
}

__attribute__((destructor)) static void
fini(void)
{
	const char *f = getenv("LH_COUNT_TO");
	FILE *fp;

	if (f != NULL && (fp = fopen(f, "w")) != NULL) {
		fprintf(fp, "%ld\n", atomic_load(&calls));
		fclose(fp);
	}
}

void *
malloc(size_t n)
{
	if (real_malloc == NULL)
		init();
	return fail() ? NULL : real_malloc(n);
}

void *
calloc(size_t a, size_t b)
{
	if (real_calloc == NULL) {
		/* dlsym may calloc before init is done: a static arena */
		static char buf[4096];
		static size_t used;
		void *p = buf + used;

		used += (a * b + 15) & ~(size_t)15;
		return used <= sizeof(buf) ? memset(p, 0, a * b) : NULL;
	}
	return fail() ? NULL : real_calloc(a, b);
}

void *
realloc(void *p, size_t n)
{
	if (real_realloc == NULL)
		init();
	return fail() ? NULL : real_realloc(p, n);
}
