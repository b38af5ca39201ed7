/*
 * output_misc.c: the rule list (loghunt rules) and the --stats counters
 * of a pass.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/escape.h"
#include "cli/output.h"
#include "cli/output_int.h"
#include "core/status.h"

/* "    type     new_terms (kuery) on related.ip, history now-5d". */
static void
rule_type(struct lh_buf *b, const struct lh_rule *r)
{
	size_t i;

	lh_buf_printf(b, "    type     %s (%s)", r->type, r->language ?
	    r->language : "-");
	if (r->kind == LH_RULE_EQL && lh_rule_stateful(r))
		lh_buf_puts(b, " sequence");
	for (i = 0; i < r->nterms; i++)
		lh_buf_printf(b, "%s%s", i ? ", " : " on ", r->terms[i]);
	if (r->nterms > 0)
		lh_buf_printf(b, ", history %llds",
		    (long long)(r->history_us / 1000000));
	if (r->building_block)
		lh_buf_puts(b, ", building block: runs only with --rule");
	lh_buf_putc(b, '\n');
}

int
lh_out_rules(FILE *fp, const struct lh_ruleset *rs)
{
	struct lh_buf b = { 0 };
	size_t i, j, k;
	int rc = LH_OK;

	for (i = 0; i < lh_ruleset_count(rs) && rc == LH_OK; i++) {
		const struct lh_rule *r = lh_ruleset_get(rs, i);

		lh_buf_printf(&b, "%s  ", r->rule_id);
		lh_esc_text(&b, r->name, strlen(r->name));
		lh_buf_printf(&b, "\n    severity %s, risk score %d%s%s\n",
		    r->severity, r->risk_score, r->builtin ? ", built in" : "",
		    r->building_block ? ", building block (runs with --rule)" :
		    !r->enabled ? ", disabled (runs with --rule)" : "");
		rule_type(&b, r);
		for (j = 0; j < r->nmitre; j++) {
			lh_buf_puts(&b, "    MITRE    ");
			lh_esc_text(&b, r->mitre[j].tactic,
			    strlen(r->mitre[j].tactic));
			for (k = 0; k < r->mitre[j].ntechniques; k++) {
				lh_buf_puts(&b, k ? "; " : ": ");
				lh_esc_text(&b, r->mitre[j].techniques[k],
				    strlen(r->mitre[j].techniques[k]));
			}
			lh_buf_putc(&b, '\n');
		}
		lh_buf_puts(&b, "    query    ");
		for (const char *p = r->query; *p != '\0'; p++) {
			if (*p == '\n') {
				if (p[1] != '\0')
					lh_buf_puts(&b, "\n             ");
			} else {
				lh_esc_text(&b, p, 1);
			}
		}
		lh_buf_puts(&b, "\n\n");
		rc = lh_out_put(fp, &b);
	}
	lh_buf_free(&b);
	return rc;
}

/* Alerts by rule, and the crash loops, for --stats. */
static void
stats_rules(FILE *fp, const struct lh_timeline *tl,
    const struct lh_ruleset *rs)
{
	size_t i, nr = lh_ruleset_count(rs);
	size_t *per = calloc(nr + 1, sizeof(*per));

	if (per == NULL)
		return;
	for (i = 0; i < lh_timeline_count(tl); i++)
		per[lh_timeline_get(tl, i)->rule]++;
	for (i = 0; i < nr; i++) {
		const struct lh_rule *r = lh_ruleset_get(rs, i);

		fprintf(fp, "loghunt: rule %s: %zu alerts (", r->rule_id,
		    per[i]);
		fputs(r->name, fp);
		fputs(")\n", fp);
	}
	free(per);
}

void
lh_out_stats(FILE *fp, const struct lh_scan_stats *st,
    const struct lh_format *const *formats, const struct lh_timeline *tl,
    const struct lh_ruleset *rs, double seconds)
{
	size_t i, alerts = tl != NULL ? lh_timeline_count(tl) :
	    (size_t)st->folded;

	fprintf(fp, "loghunt: files %llu, streams %llu, bytes read %llu\n",
	    (unsigned long long)st->files, (unsigned long long)st->leaves,
	    (unsigned long long)st->raw_bytes);
	for (i = 0; formats[i] != NULL && i < LH_MAX_FORMATS; i++) {
		if (st->leaves_by_format[i] == 0)
			continue;
		fprintf(fp, "loghunt:   %-16s %llu streams, %llu events\n",
		    formats[i]->name,
		    (unsigned long long)st->leaves_by_format[i],
		    (unsigned long long)st->events_by_format[i]);
	}
	fprintf(fp, "loghunt: events %llu parsed; records skipped: %llu by "
	    "the prefilter (no rule word), %llu malformed (no pattern fits); "
	    "%llu events left out by --since/--until/--host\n",
	    (unsigned long long)st->events,
	    (unsigned long long)st->prefiltered,
	    (unsigned long long)st->skipped, (unsigned long long)st->filtered);
	fprintf(fp, "loghunt: streams skipped: %llu binary, %llu unknown "
	    "text; %llu damaged\n", (unsigned long long)st->binary,
	    (unsigned long long)st->unknown, (unsigned long long)st->damaged);
	for (i = 0; i < st->nyears; i++)
		fprintf(fp, "loghunt: year inferred: %d (%llu events)\n",
		    st->years[i], (unsigned long long)st->year_events[i]);
	fprintf(fp, "loghunt: matches %llu, after folding duplicates %zu\n",
	    (unsigned long long)st->matches, alerts);
	if (tl == NULL)		/* a query's hits, sorted in bounded memory */
		fprintf(fp, "loghunt: hits spilled to temporary files: %llu "
		    "bytes\n", (unsigned long long)st->spilled);
	if (tl != NULL && st->detect.fed > 0)
		fprintf(fp, "loghunt: feeding events spilled to temporary "
		    "files: %llu bytes\n", (unsigned long long)st->spilled);
	if (st->detect.fed > 0)
		fprintf(fp, "loghunt: stateful rules: %llu events fed, at most "
		    "%llu held at once; alerts: %llu sequences, %llu new terms "
		    "(%llu more in the first history window, not raised), %llu "
		    "ES|QL buckets\n", (unsigned long long)st->detect.fed,
		    (unsigned long long)st->detect.held,
		    (unsigned long long)st->detect.sequences,
		    (unsigned long long)st->detect.new_terms,
		    (unsigned long long)st->detect.warmup,
		    (unsigned long long)st->detect.buckets);
	if (rs != NULL && tl != NULL)
		stats_rules(fp, tl, rs);
	if (seconds < 1e-6)
		seconds = 1e-6;
	fprintf(fp, "loghunt: %.3f s, %.1f MB/s, %.0f events/s\n", seconds,
	    (double)st->raw_bytes / 1e6 / seconds,
	    (double)st->events / seconds);
}
