/*
 * progress.c: the progress line (see progress.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cli/progress.h"

int
lh_progress_wanted(const struct lh_config *cfg)
{
	if (cfg->progress == LH_ALWAYS)
		return 1;
	if (cfg->progress == LH_NEVER || cfg->quiet)
		return 0;
	return isatty(STDERR_FILENO);
}

double
lh_progress_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
lh_progress_start(struct lh_progress *pr, FILE *fp, const char *label)
{
	pr->fp = fp;
	pr->label = label;
	pr->t0 = lh_progress_now();
	pr->drawn = 0;
}

/* "12.3 MB" */
static void
size_text(char *out, size_t n, double bytes)
{
	if (bytes >= 1e9)
		snprintf(out, n, "%.2f GB", bytes / 1e9);
	else
		snprintf(out, n, "%.1f MB", bytes / 1e6);
}

void
lh_progress_tick(void *arg, const struct lh_scan_progress *p)
{
	struct lh_progress *pr = arg;
	double el = lh_progress_now() - pr->t0, rate, eta;
	double done = (double)atomic_load(&p->bytes_done);
	uint64_t files = atomic_load(&p->files_done);
	char a[32], b[32], r[32], e[32] = "";

	size_text(a, sizeof(a), done);
	size_text(b, sizeof(b), (double)p->bytes_total);
	rate = el > 0.05 ? done / el : 0;
	size_text(r, sizeof(r), rate);
	if (rate > 0 && done > 0 && p->bytes_total > done) {
		eta = ((double)p->bytes_total - done) / rate;
		snprintf(e, sizeof(e), ", ETA %.0fs", eta + 0.5);
	}
	fprintf(pr->fp, "\r\033[Kloghunt: %s %s of %s, files %llu/%llu, "
	    "%s/s%s", pr->label, a, b, (unsigned long long)files,
	    (unsigned long long)p->files_total, r, e);
	fflush(pr->fp);
	pr->drawn = 1;
}

void
lh_progress_clear(struct lh_progress *pr)
{
	if (!pr->drawn)
		return;
	fputs("\r\033[K", pr->fp);
	fflush(pr->fp);
	pr->drawn = 0;
}
