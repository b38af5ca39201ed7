/*
 * rules.h: detection rules as data (Kibana rule-export NDJSON).
 *
 * DESIGN
 * A rule set is loaded once, before any worker starts, and is immutable
 * afterwards: workers share it read-only.  Each rule line is a Kibana
 * RuleResponse as the export API writes it (rule_id, name, description,
 * severity, risk_score, type, language, query, note, threat, index, tags,
 * new_terms_fields, history_window_start, building_block_type, setup);
 * the export's summary line ({"exported_count":...}) is recognised and
 * skipped.  The rule types that run (SPEC section 12):
 *   query      KQL (language kuery), one alert per matching event;
 *   eql        a single-event EQL query (one alert per matching event) or
 *              a sequence (core/eql.h, core/seq.h);
 *   new_terms  a KQL query and the fields whose new values raise alerts
 *              (history_window_start: "now-5d" and the like);
 *   esql       the ES|QL subset of core/esql.h.
 * A rule loghunt cannot run (another type or language, a query that does
 * not compile - the compiler's message is the reason -, a duplicate
 * rule_id) is refused with its rule_id and the reason; the other rules
 * still load.  Sequences, new_terms and ES|QL rules are "stateful": their
 * alerts are made after the workers, by core/detect.h.
 */
#ifndef LH_RULES_H
#define LH_RULES_H

#include <stddef.h>

#include "core/diag.h"
#include "core/err.h"
#include "core/kql.h"

struct lh_eql;
struct lh_esql;

enum lh_rule_type {
	LH_RULE_QUERY = 0,	/* KQL */
	LH_RULE_EQL,		/* EQL: single event or sequence */
	LH_RULE_NEW_TERMS,	/* KQL + new values of fields */
	LH_RULE_ESQL		/* the ES|QL subset */
};

#define LH_RULE_MAX_TERMS 8	/* new_terms_fields accepted (Kibana: 3) */

struct lh_mitre {
	char *tactic;		/* "TA0006 Credential Access" */
	char **techniques;	/* "T1003 OS Credential Dumping", ... */
	size_t ntechniques;
};

struct lh_rule {
	char *rule_id, *name, *description, *severity, *note, *query;
	int risk_score;
	char **index, **tags;
	size_t nindex, ntags;
	struct lh_mitre *mitre;
	size_t nmitre;
	char *type, *language, *setup;	/* as exported */
	enum lh_rule_type kind;
	struct lh_kql *kql;	/* query, new_terms: compiled KQL */
	struct lh_eql *eql;	/* eql: compiled EQL */
	struct lh_esql *esql;	/* esql: compiled ES|QL */
	char **words;		/* prefilter words (lh_kql_required_words) */
	char **terms;		/* new_terms: the fields (nterms) */
	size_t nterms;
	int64_t history_us;	/* new_terms: history window, µs */
	int needs_category;	/* only events with event.category match */
	char *proc_word;	/* a required process.name (lowercase), or NULL */
	int building_block;	/* building_block_type set */
	int enabled;		/* "enabled" of the export (default 1) */
	int max_signals;
	int builtin;		/* compiled into the binary */
};

/*
 * 1 when r's alerts need more than one event or a history (an EQL
 * sequence, new_terms, ES|QL): they are made by core/detect.h.
 */
int lh_rule_stateful(const struct lh_rule *r);

/*
 * Whether r can match without a prefilter word (an EQL, new_terms or
 * ES|QL rule, or a KQL query without a required word).
 */
int lh_rule_wordless(const struct lh_rule *r);

/*
 * 1 when r matches only events whose keyword field holds one of some
 * values (lh_kql_required_values and its EQL and ES|QL twins: for a
 * sequence, every step); then fn(arg, value, len), when fn is not NULL,
 * is called for each of them (borrowed from r), and a 0 from fn makes the
 * answer 0.  Else 0.  Borrows r.
 */
int lh_rule_required_values(const struct lh_rule *r, const char *field,
    int (*fn)(void *arg, const char *v, size_t len), void *arg);

struct lh_ruleset;

/* Returns an owned, empty rule set (free with lh_ruleset_free) or NULL. */
struct lh_ruleset *lh_ruleset_create(void);
void lh_ruleset_free(struct lh_ruleset *rs);

/*
 * Loads the rules of the NDJSON text (len bytes); origin names it in
 * messages ("built-in", a path).  Every refused rule or unreadable line adds
 * a message to diag ("origin:line: rule RULE_ID refused: reason") and the
 * other rules still load.  Returns LH_OK when every line loaded, LH_WARN
 * when some were refused (each reported in diag), or LH_FATAL when out of
 * memory ("origin: out of memory" in diag; rs keeps the rules loaded so
 * far).  lh_ruleset_count() tells how many rules rs holds.
 */
int lh_ruleset_load(struct lh_ruleset *rs, const char *text, size_t len,
    const char *origin, int builtin, struct lh_diag *diag);

size_t lh_ruleset_count(const struct lh_ruleset *rs);
/* Rule i (borrowed, valid as long as rs). */
const struct lh_rule *lh_ruleset_get(const struct lh_ruleset *rs, size_t i);

/*
 * The index of the rule whose rule_id or name equals key, or else whose
 * rule_id or name starts with key (case-insensitive) when exactly one
 * does; -1 with err filled otherwise.
 */
int lh_ruleset_find(const struct lh_ruleset *rs, const char *key,
    struct lh_err *err);

/* Keeps only the rules whose keep[i] is set (before any worker starts). */
void lh_ruleset_keep(struct lh_ruleset *rs, const int *keep);

/*
 * The count of distinct leaves of the EQL rules of rs, numbered across
 * rules by lh_eql_share() whenever rules are loaded or kept: the size of
 * an lh_eql_memo for them (0: none numbered).
 */
size_t lh_ruleset_eql_leaves(const struct lh_ruleset *rs);

#endif
