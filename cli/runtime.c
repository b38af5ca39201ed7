/*
 * runtime.c: signals, locale, environment and time zone files (see
 * runtime.h).
 *
 * Why these choices:
 *   - SIGPIPE ignored: `loghunt ... | head -1` must end quietly, not be
 *     killed in the middle of a write; the output code sees EPIPE and
 *     stops as if the output had completed (cli/main.c).
 *   - SIGINT/SIGTERM are caught so that a run stops cleanly (SPEC §13):
 *     the handler records the signal in a volatile sig_atomic_t, sets a
 *     lock-free atomic_int that workers poll between records (C11 allows
 *     a handler to store to a lock-free atomic, 7.14.1.1), and arms a
 *     0.75 s backstop.  The handler sets the workers' flag itself rather than
 *     leaving it to the main thread, which may be blocked in a full queue
 *     or in pthread_join and could not relay it in time.  The main thread
 *     sees the flag when the scan returns and exits 128 + signal before
 *     printing anything or touching --state.  A timer (timer_settime,
 *     async-signal-safe; alarm(1) if none could be made) is the backstop
 *     for whatever cannot poll - a worker blocked reading a pipe whose
 *     writer is silent, a long output - and ends the process from the
 *     SIGALRM handler with write(2) and _exit(2), both async-signal-safe.
 *     Nothing is left behind either way: spill runs are unlinked when
 *     made and nested copies live in memfds or short-lived shm names.
 *     Workers block these signals (core/pool.c), so they reach the main
 *     thread.
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
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/runtime.h"
#include "core/buf.h"
#include "core/num.h"
#include "core/status.h"
#include "core/tz.h"

#define ZONE_MAX (4 * 1024 * 1024)	/* real zone files are < 4 KiB */
#define BACKSTOP_NS 750000000L		/* exit this long after a stop */

#if ATOMIC_INT_LOCK_FREE != 2
#error "the stop flag must be a lock-free atomic to be set by a handler"
#endif

static volatile sig_atomic_t stop_sig;	/* the signal that asked to stop */
static atomic_int stop_now;		/* the same, for the workers */
static timer_t backstop;		/* SIGALRM 0.75 s after a stop */
static int have_backstop;

static struct {
	int no_color, no_prefilter;
	uint64_t spill_raw;		/* LOGHUNT_SPILL_RAW, as taken */
	const char *tzdir;		/* $TZDIR, or NULL */
	const char *tmpdir;		/* $TMPDIR, or "/tmp" */
	struct lh_zone **zones;		/* owned: every zone handed out */
	size_t nzones, capzones;
} rt;

static const char *
stop_message(int sig)
{
	return sig == SIGTERM ? "loghunt: interrupted (SIGTERM)\n" :
	    "loghunt: interrupted (SIGINT)\n";
}

/* Ends the process from a handler: async-signal-safe calls only. */
static void
quit(int sig)
{
	const char *msg = stop_message(sig);
	ssize_t r;

	r = write(STDERR_FILENO, msg, strlen(msg));
	(void)r;
	_exit(128 + sig);
}

static void
on_stop(int sig)
{
	if (stop_sig != 0)
		quit(stop_sig);		/* the second one: at once */
	stop_sig = sig;
	atomic_store_explicit(&stop_now, 1, memory_order_relaxed);
	if (!have_backstop || timer_settime(backstop, 0, &(struct itimerspec){
	    { 0, 0 }, { 0, BACKSTOP_NS } }, NULL) != 0)
		alarm(1);
}

static void
on_alarm(int sig)
{
	(void)sig;
	if (stop_sig != 0)
		quit(stop_sig);
}

static void
set_action(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaddset(&sa.sa_mask, SIGALRM);
	sa.sa_handler = fn;
	sa.sa_flags = SA_RESTART;
	sigaction(sig, &sa, NULL);
}

void
lh_runtime_init(void)
{
	const char *v;
	int64_t raw;

	set_action(SIGPIPE, SIG_IGN);
	lh_runtime_catch_stop();
	setlocale(LC_CTYPE, "");
	v = getenv("NO_COLOR");
	rt.no_color = v != NULL && v[0] != '\0';
	v = getenv("LOGHUNT_PREFILTER");
	rt.no_prefilter = v != NULL && strcmp(v, "0") == 0;
	v = getenv("LOGHUNT_SPILL_RAW");
	if (v != NULL && lh_num_parse(v, strlen(v), 0, (int64_t)1 << 50,
	    &raw) == LH_OK)
		rt.spill_raw = raw > 0 ? (uint64_t)raw : 1;
	v = getenv("TZDIR");
	rt.tzdir = v != NULL && v[0] != '\0' ? v : NULL;
	v = getenv("TMPDIR");
	rt.tmpdir = v != NULL && v[0] != '\0' ? v : "/tmp";
}

void
lh_runtime_catch_stop(void)
{
	struct sigevent ev;

	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGALRM;
	have_backstop = timer_create(CLOCK_MONOTONIC, &ev, &backstop) == 0;
	set_action(SIGALRM, on_alarm);
	set_action(SIGINT, on_stop);
	set_action(SIGTERM, on_stop);
}

int
lh_runtime_stop_requested(void)
{
	return stop_sig != 0;
}

const atomic_int *
lh_runtime_stop_flag(void)
{
	return &stop_now;
}

void
lh_runtime_exit_if_stopped(void)
{
	int sig = stop_sig;

	if (sig == 0)
		return;
	fputs(stop_message(sig), stderr);
	exit(128 + sig);
}

const char *
lh_runtime_tmpdir(void)
{
	return rt.tmpdir != NULL ? rt.tmpdir : "/tmp";
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

uint64_t
lh_runtime_spill_raw(void)
{
	return rt.spill_raw;
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
	if (lh_grow(&rt.zones, &rt.capzones, rt.nzones + 1,
	    sizeof(*rt.zones)) != LH_OK)
		return LH_FATAL;
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
	rt.capzones = 0;
	lh_runtime_exit_if_stopped();
}
