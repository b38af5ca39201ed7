/*
 * failmalloc.c: fails the Nth allocation (LH_FAIL_AT=N), or counts them
 * (LH_COUNT_TO=FILE), for the out-of-memory sweep (tests/cli/oom_sweep.sh).
 * A failed allocation sets errno to ENOMEM, as the C library's does
 * (POSIX): opendir(3) and pthread_create(3) rely on it.  With
 * LH_FAIL_WHO=FILE, the failed allocation's caller is written to FILE as
 * "OBJECT FUNCTION": the first frame outside this shim and the C library
 * (strdup calls malloc), so the sweep can tell allocations of a library
 * that ignores their failure (json-c) from ours.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_long calls;
static long fail_at = -1;
static int priming;
static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);

/* Writes the caller of the failed allocation to $LH_FAIL_WHO. */
static void
who(void)
{
	const char *f = getenv("LH_FAIL_WHO");
	void *a[16];
	Dl_info self, di;
	FILE *fp;
	int i, n;

	if (f == NULL || (fp = fopen(f, "w")) == NULL)
		return;
	dladdr((void *)who, &self);
	n = backtrace(a, 16);
	for (i = 1; i < n; i++) {
		const char *o;

		if (dladdr(a[i], &di) == 0 || di.dli_fname == NULL ||
		    strcmp(di.dli_fname, self.dli_fname) == 0)
			continue;
		o = strrchr(di.dli_fname, '/') ? strrchr(di.dli_fname, '/') +
		    1 : di.dli_fname;
		if (strncmp(o, "libc.so", 7) == 0)
			continue;
		fprintf(fp, "%s %s\n", o, di.dli_sname ? di.dli_sname : "?");
		break;
	}
	fclose(fp);
}

static int
fail(void)
{
	long n;

	if (priming)
		return 0;
	n = atomic_fetch_add(&calls, 1) + 1;
	if (fail_at > 0 && n == fail_at) {
		who();
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

__attribute__((constructor)) static void
init(void)
{
	const char *s = getenv("LH_FAIL_AT");
	void *a[2];

	real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
	real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
	real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	if (s != NULL)
		fail_at = atol(s);
	/* backtrace() loads libgcc_s on first use: not while failing */
	priming = 1;
	backtrace(a, 2);
	priming = 0;
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
