/*
 * prefilter_bench.c: the speed of lh_prefilter_find() (core/prefilter.c)
 * alone, for each of its searches, over one file read into memory.  The
 * file is walked as core/lines.c does: search from here, and on a hit go
 * on after the end of its line.  Prints MB/s per search and word set.
 *
 *   make && cc -O2 -I. -o /tmp/pfbench bench/prefilter_bench.c \
 *       build/libcore.a && /tmp/pfbench FILE [ROUNDS]
 *
 * MB/s, median of 3 runs of 20 rounds, over gen-corpus 256M seed 11's
 * web01 syslog.1 + syslog (1 MB, in cache), AMD EPYC (AVX2), 2 vCPUs
 * shared with other work (noisy: +-20%):
 *
 *   words   WORDS  PORTABLE  SSSE3   AVX2   (hits)
 *     1      7091     829     4758  10163      0
 *     2      2474     556     4431   9242      0
 *     6       966     486     4388   9608      0
 *    12       341     432     3148   4863    305
 *    30       127    1541     3199   3494   5680
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/prefilter.h"
#include "core/status.h"

/* The rules' words: syslog family (6), auth stream (12), and more. */
static const char *const words[] = {
	"segfault", "executable", "bpf_probe_wr", "gnature", "load",
	"rc.local", "accepted", "auth", "category", "failed", "groupadd",
	"groupdel", "groupmod", "invalid", "syslog_facility", "useradd",
	"userdel", "usermod", "password", "session", "sudo", "kernel",
	"denied", "error", "cron", "pam_unix", "opened", "closed", "root",
	"connection"
};

static const struct {
	const char *name;
	enum lh_pf_search s;
} searches[] = {
	{ "words", LH_PF_WORDS }, { "portable", LH_PF_PORTABLE },
	{ "ssse3", LH_PF_SSSE3 }, { "avx2", LH_PF_AVX2 }
};

static char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long len;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (p = malloc((size_t)len + 1)) ==
	    NULL || fread(p, 1, (size_t)len, f) != (size_t)len) {
		perror(path);
		exit(1);
	}
	fclose(f);
	*n = (size_t)len;
	return p;
}

/* One walk over p[0..n): the number of hits. */
static size_t
walk(const struct lh_prefilter *pf, const char *p, size_t n)
{
	size_t at = 0, h, hits = 0;
	const char *nl;

	while (at < n) {
		h = at + lh_prefilter_find(pf, p + at, n - at);
		if (h == n)
			break;
		hits++;
		nl = memchr(p + h, '\n', n - h);
		at = nl != NULL ? (size_t)(nl - p) + 1 : n;
	}
	return hits;
}

int
main(int argc, char **argv)
{
	static const size_t counts[] = { 1, 2, 6, 12, 30 };
	char *w[31], **const sets[1] = { w };
	size_t n, c, s, r, rounds, hits = 0;
	char *p;

	if (argc < 2)
		return 2;
	p = slurp(argv[1], &n);
	rounds = argc > 2 ? (size_t)atoi(argv[2]) : 20;
	for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		struct lh_prefilter *pf;

		/* 1, 2: the first; 6: syslog; 12: auth; 30: all */
		for (s = 0; s < counts[c]; s++)
			w[s] = (char *)(size_t)words[counts[c] == 12 ? 6 + s :
			    s];
		w[counts[c]] = NULL;
		if ((pf = lh_prefilter_create(sets, 1)) == NULL)
			return 1;
		for (s = 0; s < sizeof(searches) / sizeof(searches[0]); s++) {
			struct timespec a, b;
			double sec;

			if (lh_prefilter_use(pf, searches[s].s) != LH_OK)
				continue;
			clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
			for (r = 0; r < rounds; r++)
				hits = walk(pf, p, n);
			clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
			sec = (double)(b.tv_sec - a.tv_sec) +
			    (double)(b.tv_nsec - a.tv_nsec) / 1e9;
			printf("%2zu words %-9s %8.0f MB/s  (%zu hits)\n",
			    counts[c], searches[s].name,
			    (double)n * (double)rounds / sec / 1e6, hits);
		}
		lh_prefilter_free(pf);
	}
	free(p);
	return 0;
}
