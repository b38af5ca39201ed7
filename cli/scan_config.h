/*
 * scan_config.h: the scan configuration every command derives from its
 * options, in one place (scan, query, the context pass, merge's
 * --context-for pass).
 */
#ifndef LH_CLI_SCAN_CONFIG_H
#define LH_CLI_SCAN_CONFIG_H

#include "cli/opts.h"
#include "core/scan.h"

/*
 * Fills sc from cfg (borrowed: it must outlive sc): threads, formats,
 * zone and year, --since/--until/--host, the stop flag, LOGHUNT_PREFILTER
 * and --max-memory (a 32nd for the query hits held before they spill to
 * $TMPDIR; given on the command line, half for the decoders and copies of
 * the inputs, shared by the workers - without it, their built-in caps,
 * core/limits.h).  Everything else is zero: the caller sets report,
 * select, render and the rest.  Not thread-safe (the limits live in a
 * static object); call from the main thread.
 */
void lh_scan_config_of(const struct lh_config *cfg,
    struct lh_scan_config *sc);

/*
 * What the gzip checkpoints of a two-pass run (core/gzckpt.h) may hold:
 * 1/16 of --max-memory, at most LH_GZCKPT_BUDGET (64 MiB: the default of
 * 1 GiB gives that).
 */
uint64_t lh_scan_gzckpt_budget(const struct lh_config *cfg);

/*
 * What the copies of decoded xz and bzip2 files of a two-pass run
 * (core/replay.h) may hold in the temporary directory, together: a quarter
 * of --max-memory (256 MiB by default; TMPDIR is often a tmpfs, whose
 * pages are memory).
 */
uint64_t lh_scan_copies_budget(const struct lh_config *cfg);

#endif
