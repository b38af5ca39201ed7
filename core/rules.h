/*
 * rules.h: detection rules as data (Kibana rule-export NDJSON).
 *
 * DESIGN
 * A rule set is loaded once, before any worker starts, and is immutable
 * afterwards: workers share it read-only.  Each rule line is a Kibana
 * RuleResponse as the export API writes it (rule_id, name, description,
 * severity, risk_score, type, language, query, note, threat, index, tags);
 * the export's summary line ({"exported_count":...}) is recognised and
 * skipped.  A rule loghunt cannot run (not type "query" with language
 * "kuery", a query that does not parse, a duplicate rule_id) is refused
 * with its rule_id and the reason; the other rules still load.
 */
#ifndef LH_RULES_H
#define LH_RULES_H

#include <stddef.h>

#include "core/diag.h"
#include "core/err.h"
#include "core/kql.h"

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
	struct lh_kql *kql;	/* compiled query */
	char **words;		/* prefilter words (lh_kql_required_words) */
	int builtin;		/* compiled into the binary */
};

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

#endif
