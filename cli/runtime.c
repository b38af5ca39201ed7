/*
 * runtime.c: signals, locale, environment and time zone files (see
 * runtime.h).
 *
 * Why these choices:
 *   - SIGPIPE ignored: `loghunt ... | head -1` must end quietly, not be
 *     killed in the middle of a write; the output code sees EPIPE and
 *     stops as if the output had completed (cli/main.c).
 *   - SIGINT/SIGTERM keep their default action for now: nothing in the scan
 *     polls a flag yet, so catching them would only delay the stop.  The
 *     handler and its volatile sig_atomic_t flag are ready here, so the
 *     policy stays in this one module when the scan learns to stop.
 *   - setlocale(LC_CTYPE, "") only: libarchive converts archive member
 *     names from their charset to UTF-8 with the locale's character type;
 *     LC_NUMERIC, LC_COLLATE, LC_MESSAGES... stay "C" so that numbers,
 *     sort order and error texts are the same on every machine.
 *   - the environment is read once, here; core gets flags (no getenv on a
 *     worker, where another thread's setenv would be a data race).
 *   - named zones are read here and parsed by core/tz.c: no TZ, no tzset,
 *     no localtime_r lock on the hot path.
 */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/runtime.h"
#include "core/status.h"
#include "core/tz.h"

#define ZONE_MAX (4 * 1024 * 1024)	/* real zone files are < 4 KiB */

static volatile sig_atomic_t stop_flag;

static struct {
	int no_color, no_prefilter;
	const char *tzdir;		/* $TZDIR, or NULL */
	struct lh_zone **zones;		/* owned: every zone handed out */
	size_t nzones;
} rt;

static void
on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void
set_action(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = fn;
	sigaction(sig, &sa, NULL);
}

void
lh_runtime_init(void)
{
	const char *v;

	set_action(SIGPIPE, SIG_IGN);
	setlocale(LC_CTYPE, "");
	v = getenv("NO_COLOR");
	rt.no_color = v != NULL && v[0] != '\0';
	v = getenv("LOGHUNT_PREFILTER");
	rt.no_prefilter = v != NULL && strcmp(v, "0") == 0;
	v = getenv("TZDIR");
	rt.tzdir = v != NULL && v[0] != '\0' ? v : NULL;
}

void
lh_runtime_catch_stop(void)
{
	set_action(SIGINT, on_stop);
	set_action(SIGTERM, on_stop);
}

int
lh_runtime_stop_requested(void)
{
	return stop_flag != 0;
}

int
lh_runtime_no_color(void)
{
	return rt.no_color;
}

int
lh_runtime_no_prefilter(void)
{
	return rt.no_prefilter;
}

/* Reads path whole into an owned buffer; NULL with errno set. */
static unsigned char *
read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *p;
	size_t n;

	if (fp == NULL)
		return NULL;
	if ((p = malloc(ZONE_MAX + 1)) == NULL) {
		fclose(fp);
		errno = ENOMEM;
		return NULL;
	}
	n = fread(p, 1, ZONE_MAX + 1, fp);
	if (ferror(fp) || n > ZONE_MAX) {
		errno = ferror(fp) ? EIO : EFBIG;
		free(p);
		fclose(fp);
		return NULL;
	}
	fclose(fp);
	*len = n;
	return p;
}

/* Keeps z until lh_runtime_free(); LH_OK or LH_FATAL. */
static int
keep_zone(struct lh_zone *z)
{
	struct lh_zone **v = realloc(rt.zones, (rt.nzones + 1) * sizeof(*v));

	if (v == NULL)
		return LH_FATAL;
	rt.zones = v;
	rt.zones[rt.nzones++] = z;
	return LH_OK;
}

int
lh_runtime_tz(const char *name, struct lh_tz *tz, struct lh_err *err)
{
	const char *dir = rt.tzdir != NULL ? rt.tzdir : "/usr/share/zoneinfo";
	char path[4096];
	unsigned char *data;
	struct lh_zone *z;
	struct lh_err zerr;
	size_t n;

	if (lh_tz_parse(name, tz, NULL) == LH_OK)
		return LH_OK;
	if (strstr(name, "..") != NULL || name[0] == '\0')
		return lh_err_set(err, LH_FAIL, 0, "unknown time zone '%s'",
		    name);
	if ((size_t)snprintf(path, sizeof(path), "%s%s%s",
	    name[0] == '/' ? "" : dir, name[0] == '/' ? "" : "/", name) >=
	    sizeof(path) || (data = read_file(path, &n)) == NULL)
		return lh_err_set(err, LH_FAIL, 0, "unknown time zone '%s' "
		    "(not in %s)", name, name[0] == '/' ? "the file system" :
		    dir);
	z = lh_zone_parse(data, n, &zerr);
	free(data);
	if (z == NULL && zerr.status == LH_FATAL)
		return lh_err_set(err, LH_FATAL, ENOMEM, "--tz");
	if (z == NULL)
		return lh_err_set(err, LH_FAIL, 0, "unknown time zone '%s' "
		    "(%s: not a valid zone file)", name, path);
	if (keep_zone(z) != LH_OK) {
		lh_zone_free(z);
		return lh_err_set(err, LH_FATAL, ENOMEM, "--tz");
	}
	lh_tz_named(tz, name, z);
	return LH_OK;
}

void
lh_runtime_free(void)
{
	size_t i;

	for (i = 0; i < rt.nzones; i++)
		lh_zone_free(rt.zones[i]);
	free(rt.zones);
	rt.zones = NULL;
	rt.nzones = 0;
}
