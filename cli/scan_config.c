/*
 * scan_config.c: the scan configuration derived from the options (see
 * scan_config.h).
 */
#include <string.h>

#include "cli/runtime.h"
#include "cli/scan_config.h"
#include "core/gzckpt.h"
#include "core/input.h"
#include "formats/formats.h"

void
lh_scan_config_of(const struct lh_config *cfg, struct lh_scan_config *sc)
{
	static struct lh_limits lim;

	memset(sc, 0, sizeof(*sc));
	sc->threads = cfg->threads;
	sc->no_prefilter = lh_runtime_no_prefilter();
	sc->formats = lh_formats;
	sc->popts.tz = &cfg->tz;
	sc->popts.year = cfg->year;
	sc->since = cfg->since;
	sc->until = cfg->until;
	sc->hosts = cfg->hosts;
	sc->stop = lh_runtime_stop_flag();
	sc->hits_memory = cfg->max_memory / 32;
	sc->tmpdir = lh_runtime_tmpdir();
	sc->spill_raw = lh_runtime_spill_raw();
	if (cfg->max_memory_set) {
		lh_input_limits(&lim, cfg->max_memory / 2,
		    (unsigned)cfg->threads);
		sc->limits = &lim;
	}
}

uint64_t
lh_scan_gzckpt_budget(const struct lh_config *cfg)
{
	return cfg->max_memory / 16 < LH_GZCKPT_BUDGET ?
	    cfg->max_memory / 16 : LH_GZCKPT_BUDGET;
}

uint64_t
lh_scan_copies_budget(const struct lh_config *cfg)
{
	return cfg->max_memory / 4;
}
