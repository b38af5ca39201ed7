/*
 * runtime.h: the process-global things, owned in one place.
 *
 * Signals, the locale, the environment and time zone files belong to the
 * process, not to the scan: this module sets and reads them once, in the
 * main thread before any worker starts, and hands core plain values and
 * resolved objects (a flag, a struct lh_zone).  Nothing else in loghunt
 * calls getenv(3), setlocale(3), signal(2)/sigaction(2) or tzset(3).
 */
#ifndef LH_RUNTIME_H
#define LH_RUNTIME_H

#include <signal.h>
#include <stdatomic.h>

#include "core/err.h"
#include "core/time.h"

/*
 * Installs the signal policy, sets the locale and reads the environment.
 * Call first in main(), before any thread starts.  Signals: SIGPIPE is
 * ignored, so that a write to a closed pipe fails with EPIPE and the
 * output code can end quietly; SIGINT and SIGTERM are caught (see
 * lh_runtime_catch_stop).  Locale: LC_CTYPE from the environment
 * (libarchive converts member names to UTF-8 with it), every other
 * category stays "C" (numbers, messages and collation must not depend on
 * the responder's settings).
 */
void lh_runtime_init(void);

/*
 * Replaces the default action of SIGINT and SIGTERM (lh_runtime_init
 * calls it) with a handler that sets the stop flags and arms a watchdog:
 * the run is expected to see lh_runtime_stop_flag(), wind down and call
 * lh_runtime_exit_if_stopped(); if it has not exited 0.75 s later (a read
 * blocked on a pipe, a long write), the watchdog ends the process with
 * the same message and status.  A second signal ends it at once.
 * Temporary files are unlinked when made (core/spill.h), so even that
 * exit leaves none.
 */
void lh_runtime_catch_stop(void);
/* 1 after SIGINT or SIGTERM when lh_runtime_catch_stop() was called. */
int lh_runtime_stop_requested(void);
/*
 * The flag the signal handler sets, for struct lh_scan_config's stop:
 * lock-free, so that workers read it with one atomic load.  Valid for the
 * life of the process.
 */
const atomic_int *lh_runtime_stop_flag(void);
/*
 * After SIGINT or SIGTERM: prints "loghunt: interrupted (SIGINT)" (or
 * SIGTERM) on stderr and exits 128 + the signal (130, 143); returns
 * otherwise.  Call between the scan and what it would write (the output,
 * a --state file), so that an interrupted run writes neither.
 */
void lh_runtime_exit_if_stopped(void);
/*
 * The directory for temporary files: $TMPDIR when set and not empty,
 * else "/tmp".  Valid for the life of the process.
 */
const char *lh_runtime_tmpdir(void);

/* NO_COLOR is set and not empty (no-color.org). */
int lh_runtime_no_color(void);
/* LOGHUNT_PREFILTER=0: scan without the literal prefilter. */
int lh_runtime_no_prefilter(void);
/*
 * LOGHUNT_SPILL_RAW=BYTES: the bytes of temporary runs stored as they are
 * before compression starts, as lh_spill_opts.raw_first takes it (0 when
 * unset or not a number: the default; BYTES 0 gives 1: compress all).
 */
uint64_t lh_runtime_spill_raw(void);

/*
 * Resolves --tz: a fixed zone (lh_tz_parse), else a zone file under $TZDIR
 * (when set and not empty) or /usr/share/zoneinfo, or an absolute path to
 * a zone file.  Names holding ".." are refused.  The zone is owned by the
 * runtime and valid until lh_runtime_free().  LH_OK, or LH_FAIL/LH_FATAL
 * with err ("unknown time zone 'NAME' ...").
 */
int lh_runtime_tz(const char *name, struct lh_tz *tz, struct lh_err *err);

/*
 * Frees what the runtime owns (the zones); call last in main().  When a
 * stop was requested, exits as lh_runtime_exit_if_stopped() does.
 */
void lh_runtime_free(void);

#endif
