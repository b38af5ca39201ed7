/*
 * scan_int.h: what scan.c and scan_prefilter.c share (not public).
 */
#ifndef LH_SCAN_INT_H
#define LH_SCAN_INT_H

#include "core/format.h"
#include "core/prefilter.h"
#include "core/scan.h"

/* The prefilters of a run (see scan_prefilter.c). */
struct lh_scan_pf {
	int by_stream;			/* choose per leaf */
	int query;			/* a query's: all, or tags for
					   syslog-family and JSON files */
	struct lh_prefilter *all;	/* every rule's words, or NULL */
	struct lh_prefilter *tags;	/* syslog files: process names */
	struct lh_prefilter *json;	/* words plus what feeds category */
	struct lh_prefilter *auth;	/* auth stream: tags plus the words
					   of the wordless rules' values */
};

/*
 * Builds the prefilters of cfg into *pf (zeroed first; free with
 * lh_scan_pf_free).  Out of memory leaves a prefilter NULL: everything is
 * parsed.
 */
void lh_scan_pf_make(const struct lh_scan_config *cfg, struct lh_scan_pf *pf);
void lh_scan_pf_free(struct lh_scan_pf *pf);

/*
 * The prefilter for the leaf src that format fmt reads, or NULL (parse
 * everything).  popts are the run's parse options (borrowed).  Only reads
 * the bytes src has peeked; thread-safe.
 */
const struct lh_prefilter *lh_scan_pf_leaf(const struct lh_scan_pf *pf,
    const struct lh_format *fmt, struct lh_source *src,
    const struct lh_parse_opts *popts);

/*
 * 1 when the formats may leave out the pipeline steps that only add fields
 * no rule of cfg looks at (lh_parse_opts.lazy_auth): a scan whose rules
 * are all KQL over the header fields, the data stream constants and the
 * journal's own.  Never for a query, which prints every field.
 */
int lh_scan_lazy_auth(const struct lh_scan_config *cfg);

#endif
