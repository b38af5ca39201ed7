/*
 * merge_doc.h: reading loghunt's own JSON output back into matches, for
 * loghunt merge (cli/merge.h).
 *
 * DESIGN
 * A line of `scan --format json` (an alert) or `query --format json` (an
 * event) is parsed with json-c and flattened to dotted field names, as
 * formats/json_ecs.c flattens an ECS document (arrays repeat the name,
 * numbers and booleans keep their text, null is left out).  Each entry
 * of loghunt.sources becomes one record - one struct lh_match with that
 * source alone and its own time_us and precision_us - so that merge can
 * fold the records of all parts exactly as one run folds them
 * (core/timeline.h).  Every record of a document carries the document's
 * fields.  An event's JSON body (everything between @timestamp and the
 * loghunt object) is kept verbatim when the output is JSON, so the
 * document comes out byte for byte as the scan printed it.
 */
#ifndef LH_MERGE_DOC_H
#define LH_MERGE_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/match.h"
#include "core/rules.h"

enum lh_doc_kind { LH_DOC_ALERT, LH_DOC_EVENT, LH_DOC_TRIAGE_HEAD };

/* How to read documents (all borrowed). */
struct lh_doc_opts {
	const struct lh_ruleset *rs;	/* alerts: rule.id -> index */
	int keep_body;			/* events: keep the JSON body */
};

/* One parsed line: its records, owned until taken. */
struct lh_doc {
	enum lh_doc_kind kind;
	int rule;		/* alerts: the rule index */
	int untimed;		/* sorts after the timed (boot or no time) */
	int64_t ts;		/* the document's time (order key) */
	const char *host;	/* order key of untimed documents, or NULL */
	struct lh_match **rec;	/* owned records, nrec of them */
	size_t nrec;
	int64_t max_prec;	/* the coarsest precision of its records */
	int64_t context_us;	/* LH_DOC_TRIAGE_HEAD: its --context */
	char *hostbuf;		/* owned copy behind host */
};

/*
 * Parses the n bytes of line (a JSON object) into *doc.  LH_OK, LH_FAIL
 * with err (not a document of loghunt's, or one without the record
 * fields of loghunt.sources, or a rule unknown to o->rs), LH_FATAL when
 * out of memory.  Free with lh_doc_free.
 */
int lh_doc_parse(const char *line, size_t n, const struct lh_doc_opts *o,
    struct lh_doc *doc, struct lh_err *err);
/* Frees the records still owned by doc. */
void lh_doc_free(struct lh_doc *doc);

#endif
