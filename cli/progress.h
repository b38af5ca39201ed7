/*
 * progress.h: the one-line progress display on standard error.
 *
 * DESIGN
 * Drawn by the main thread only, from the scan's tick() (about four times
 * a second), out of counters the workers update atomically (struct
 * lh_scan_progress); the workers never print.  The line is rewritten in
 * place with a carriage return and erased at the end, so it leaves nothing
 * behind in a terminal; it is never drawn unless asked for or stderr is a
 * terminal (lh_progress_wanted).
 */
#ifndef LH_PROGRESS_H
#define LH_PROGRESS_H

#include <stdio.h>

#include "cli/opts.h"
#include "core/scan.h"

struct lh_progress {
	FILE *fp;
	const char *label;	/* "reading", "context" */
	double t0;		/* seconds, monotonic */
	int drawn;		/* a line is on the screen */
};

/* 1 when cfg asks for a progress display (auto: stderr is a tty, no -q). */
int lh_progress_wanted(const struct lh_config *cfg);
/* Starts a display on fp for one pass named label (borrowed). */
void lh_progress_start(struct lh_progress *pr, FILE *fp, const char *label);
/* The scan's tick(): redraws the line from p.  Main thread only. */
void lh_progress_tick(void *arg, const struct lh_scan_progress *p);
/* Erases the line, if one is drawn. */
void lh_progress_clear(struct lh_progress *pr);
/* Seconds on the monotonic clock. */
double lh_progress_now(void);

#endif
