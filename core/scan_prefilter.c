/*
 * scan_prefilter.c: which records of a leaf the scan may skip unparsed.
 *
 * DESIGN
 * A rule with required words (core/prefilter.h) lets the scan skip every
 * record without one of them.  EQL, new_terms and ES|QL rules have no
 * words, and one such rule would make the scan parse every record of the
 * evidence.  But the built-in ones only match events that have an
 * event.category (rules.h: needs_category), and records of Elastic's
 * syslog data stream never have one: only the auth pipeline and ECS
 * documents set it.  So when every wordless rule needs event.category,
 * the prefilter is chosen per leaf:
 *   - a syslog-family file whose records go to the syslog data stream
 *     (the format decides it once per file, by name or by its first
 *     records: formats/syslog.c) keeps the words of the other rules;
 *   - an auth-stream file is parsed whole;
 *   - JSON (Filebeat, ECS, journal JSON) adds the words that any document
 *     able to carry event.category must contain: "category" (the ECS
 *     key), auth" (an auth fileset or dataset, whose documents the auth
 *     pipeline fills: the value "auth" or "system.auth" of fileset.name,
 *     event.dataset or data_stream.dataset, formats/json_input.c, ends
 *     with those bytes in the raw document; the bare word would also take
 *     every sshd message of the syslog stream, "Connection closed by
 *     authenticating user", which no auth rule can match) and
 *     "syslog_facility" (journal entries, auth by facility);
 *   - other formats do not prefilter.
 * Which data stream a syslog file feeds is asked of the format itself: it
 * is opened on a copy of the file's first bytes (already peeked by the
 * probe) and its first event says.  Otherwise every record is parsed, as
 * before.  In syslog-family files and JSON, a KQL rule that requires a
 * process name (rules.h: proc_word) takes that name as its word instead
 * of its message words: the name is the record's tag, in the raw line (in
 * a JSON document: in its message, or the value of process.name, _COMM or
 * SYSLOG_IDENTIFIER), and far rarer than the words of a message ("command
 * not found" of rc.local).
 * Auth-stream records (syslog-family files outside the syslog stream,
 * journal export entries) are parsed whole unless every wordless rule
 * needs a value of event.action or event.type that the auth pipeline
 * (message.yml) gives only to messages with certain words (auth_sets
 * below): then those words join the prefilter of the other rules' tags,
 * and an authentication line without any ("session opened", "Connection
 * closed") is skipped unparsed, as a syslog-stream line without a rule's
 * word is.
 * A query has one prefilter of its words (core/kql_words.c), and for
 * syslog-family files and JSON a second one in which a term
 * process.name:VALUE requires VALUE too (lh_kql_required_tags), as the
 * rules' process names do.
 * All prefilters are immutable and shared by the workers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/field.h"
#include "core/lines.h"
#include "core/rules.h"
#include "core/scan_int.h"
#include "core/status.h"
#include "core/stream.h"

#define PEEK_BYTES (64 * 1024)

static char w_category[] = "category", w_auth[] = "auth\"",
    w_facility[] = "syslog_facility";
static char *json_words[] = { w_category, w_auth, w_facility, NULL };

/*
 * The words one of which an auth-stream record must contain for its event
 * to hold a value of a field, from the processors of the system
 * integration's auth pipeline (data_stream/auth/elasticsearch/
 * ingest_pipeline/message.yml), the only step that sets these fields in
 * such records (journal field names are upper case: an entry cannot
 * carry them itself):
 *   - event.action "ssh_login": set only by script-categorize-ssh-event
 *     (line 647), when system.auth.ssh.event is "Accepted", "Invalid" or
 *     "Failed"; that field comes only from the first two patterns of
 *     grok-specific-messages (line 13), as "^%{DATA:...}": the word
 *     begins the message;
 *   - event.action "user_login": set by no processor (no words);
 *   - event.type "user" and "group": set only by append_type-user (line
 *     678) and append_type-group (line 683), when process.name is one of
 *     their programs, which is the record's tag (syslog) or its
 *     SYSLOG_IDENTIFIER or _COMM (journal).
 * A value not listed here may come from anywhere: no prefilter.
 */
static const struct {
	const char *field, *value;
	const char *words[4];
} auth_sets[] = {
	{ "event.action", "ssh_login", { "accepted", "invalid", "failed" } },
	{ "event.action", "user_login", { NULL } },
	{ "event.type", "user", { "useradd", "userdel", "usermod" } },
	{ "event.type", "group", { "groupadd", "groupdel", "groupmod" } },
};

#define NAUTH (sizeof(auth_sets) / sizeof(auth_sets[0]))

struct auth_need {
	const char *field;
	int use[NAUTH];		/* the rows of auth_sets needed */
	int unknown;		/* a value without a row */
};

/* lh_rule_required_values()'s callback: marks the value's row. */
static int
auth_value(void *arg, const char *v, size_t len)
{
	struct auth_need *a = arg;
	size_t i;

	for (i = 0; i < NAUTH; i++) {
		if (strcmp(auth_sets[i].field, a->field) == 0 &&
		    strlen(auth_sets[i].value) == len &&
		    memcmp(auth_sets[i].value, v, len) == 0) {
			a->use[i] = 1;
			return 1;
		}
	}
	a->unknown = 1;
	return 0;
}

/*
 * The words (a NULL-terminated array, borrowed from auth_sets, owned by
 * the caller: free(3) it) one of which an auth-stream record needs to feed
 * any wordless rule of cfg, or NULL when some such rule can match without
 * them (or out of memory).
 */
static char **
auth_words(const struct lh_scan_config *cfg)
{
	static const char *const fields[] = { "event.action", "event.type" };
	struct auth_need need, a;
	char **w;
	size_t i, k, n = 0;
	int ok;

	memset(&need, 0, sizeof(need));
	for (i = 0; i < lh_ruleset_count(cfg->rules); i++) {
		const struct lh_rule *r = lh_ruleset_get(cfg->rules, i);

		if (!lh_rule_wordless(r))
			continue;
		for (ok = 0, k = 0; k < 2 && !ok; k++) {
			memset(&a, 0, sizeof(a));
			a.field = fields[k];
			ok = lh_rule_required_values(r, a.field, auth_value,
			    &a) && !a.unknown;
		}
		if (!ok)
			return NULL;
		for (k = 0; k < NAUTH; k++)
			need.use[k] |= a.use[k];
	}
	if ((w = calloc(NAUTH * 4 + 1, sizeof(*w))) == NULL)
		return NULL;
	for (i = 0; i < NAUTH; i++) {
		for (k = 0; need.use[i] && k < 4 && auth_sets[i].words[k]; k++)
			w[n++] = (char *)(uintptr_t)auth_sets[i].words[k];
	}
	return w;
}

/*
 * The prefilter of the words of the rules (wordless ones too when all is
 * set: then one of them without words gives NULL), of cfg->select_words
 * and of extra.  With tag set, a rule that requires a process name has
 * that name as its word instead (syslog-family files: the tag).
 */
static struct lh_prefilter *
rules_prefilter(const struct lh_scan_config *cfg, int all, char **extra,
    int tag)
{
	struct lh_prefilter *pf;
	char ***sets;
	size_t i, n = 0, nr = lh_ruleset_count(cfg->rules);

	char **tags;

	if ((sets = calloc(nr + 3, sizeof(*sets))) == NULL)
		return NULL;
	if ((tags = calloc(2 * nr + 1, sizeof(*tags))) == NULL) {
		free(sets);
		return NULL;
	}
	for (i = 0; i < nr; i++) {
		const struct lh_rule *r = lh_ruleset_get(cfg->rules, i);

		if (tag && r->proc_word != NULL) {
			tags[2 * i] = r->proc_word;
			sets[n++] = &tags[2 * i];
		} else if (all || !lh_rule_wordless(r)) {
			sets[n++] = r->words;
		}
	}
	if (cfg->select_words != NULL)
		sets[n++] = cfg->select_words;
	if (extra != NULL)
		sets[n++] = extra;
	pf = lh_prefilter_create(sets, n);
	free(tags);
	free(sets);
	return pf;
}

/*
 * The prefilter of the query's words and cfg->select_words; with tag set,
 * process.name:VALUE requires VALUE too (syslog-family files and JSON).
 */
static struct lh_prefilter *
query_prefilter(const struct lh_scan_config *cfg, int tag)
{
	struct lh_prefilter *pf;
	char **qw = NULL;
	size_t i;

	if (tag)
		lh_kql_required_tags(cfg->query, &qw);
	else
		lh_kql_required_words(cfg->query, &qw);
	pf = cfg->select_words == NULL ? lh_prefilter_create(&qw, 1) :
	    lh_prefilter_create((char **const[]){ qw, cfg->select_words }, 2);
	for (i = 0; qw != NULL && qw[i] != NULL; i++)
		free(qw[i]);
	free(qw);
	return pf;
}

void
lh_scan_pf_make(const struct lh_scan_config *cfg, struct lh_scan_pf *pf)
{
	size_t i, wordless = 0, category = 0;
	char **aw;

	memset(pf, 0, sizeof(*pf));
	if (cfg->no_prefilter)
		return;
	if (cfg->query != NULL) {
		pf->query = 1;
		pf->all = query_prefilter(cfg, 0);
		pf->tags = query_prefilter(cfg, 1);
		return;
	}
	if (cfg->rules == NULL) {
		/* select() alone: the records holding one of its words */
		if (cfg->select_words != NULL) {
			pf->all = lh_prefilter_create(&cfg->select_words, 1);
			pf->tags = lh_prefilter_create(&cfg->select_words, 1);
		}
		return;
	}
	for (i = 0; i < lh_ruleset_count(cfg->rules); i++) {
		const struct lh_rule *r = lh_ruleset_get(cfg->rules, i);

		wordless += lh_rule_wordless(r) != 0;
		category += lh_rule_wordless(r) && r->needs_category;
	}
	if (wordless == 0 || wordless != category) {
		pf->all = rules_prefilter(cfg, 1, NULL, 0);
		pf->tags = rules_prefilter(cfg, 1, NULL, 1);
		return;
	}
	pf->by_stream = 1;
	pf->tags = rules_prefilter(cfg, 0, NULL, 1);
	pf->json = rules_prefilter(cfg, 0, json_words, 1);
	if ((aw = auth_words(cfg)) != NULL && aw[0] != NULL)
		pf->auth = rules_prefilter(cfg, 0, aw, 1);
	free(aw);
}

void
lh_scan_pf_free(struct lh_scan_pf *pf)
{
	lh_prefilter_free(pf->all);
	lh_prefilter_free(pf->tags);
	lh_prefilter_free(pf->json);
	lh_prefilter_free(pf->auth);
}

/* A stream over bytes in memory (embedded: no close). */
struct memstream {
	struct lh_stream s;
	const char *p;
	size_t n, off;
};

static int
mem_read(struct lh_stream *s, void *buf, size_t cap, size_t *got,
    struct lh_err *err)
{
	struct memstream *m = s->state;
	size_t k = m->n - m->off < cap ? m->n - m->off : cap;

	(void)err;
	memcpy(buf, m->p + m->off, k);
	m->off += k;
	*got = k;
	return k == 0 ? LH_EOF : LH_OK;
}

static const struct lh_stream_ops mem_ops = { mem_read, NULL, NULL };

/*
 * Whether fmt puts the records of src in the syslog data stream: its
 * first event, parsed from a copy of the peeked bytes, says.
 */
static int
syslog_stream(const struct lh_format *fmt, struct lh_source *src,
    const struct lh_parse_opts *popts)
{
	struct memstream m = { { &mem_ops, NULL, 0 }, NULL, 0, 0 };
	struct lh_parse_opts opts = *popts;
	struct lh_source tmp = *src;
	const struct lh_field *ds;
	struct lh_event ev;
	struct lh_err err;
	void *state = NULL;
	int rc = LH_WARN, tries, yes = 0;

	if (lh_lines_peek(src->lines, PEEK_BYTES, &m.p, &m.n, &err) != LH_OK)
		return 0;
	m.s.state = &m;
	opts.prefilter = NULL;
	if ((tmp.lines = lh_lines_create(&m.s, src->path)) == NULL)
		return 0;
	lh_event_init(&ev);
	if (fmt->open(&state, &tmp, &opts, &err) == LH_OK) {
		for (tries = 0; tries < 64 && rc == LH_WARN; tries++)
			rc = fmt->next(state, &ev, &err);
		ds = rc == LH_OK ? lh_event_get(&ev, LH_F_DS_DATASET) : NULL;
		yes = ds != NULL && lh_span_cmp(ds->val, ds->len,
		    "system.syslog", 13) == 0;
		fmt->close(state);
	}
	lh_event_free(&ev);
	lh_lines_free(tmp.lines);
	return yes;
}

const struct lh_prefilter *
lh_scan_pf_leaf(const struct lh_scan_pf *pf, const struct lh_format *fmt,
    struct lh_source *src, const struct lh_parse_opts *popts)
{
	int syslog = strcmp(fmt->name, "syslog") == 0;

	if (pf->query)
		return syslog || strcmp(fmt->name, "json") == 0 ? pf->tags :
		    pf->all;
	if (!pf->by_stream)
		return (syslog || strcmp(fmt->name, "json") == 0) &&
		    pf->all != NULL ? pf->tags : pf->all;
	if (strcmp(fmt->name, "json") == 0)
		return pf->json;
	if (syslog && pf->tags != NULL && syslog_stream(fmt, src, popts))
		return pf->tags;
	return syslog || strcmp(fmt->name, "journal-export") == 0 ?
	    pf->auth : NULL;
}

/*
 * 1 when a rule's field (NULL: any field) may come from the auth
 * pipeline's message.yml (lh_parse_opts.lazy_auth): everything but the
 * header fields, the data stream constants and the journal's own.
 */
static int
auth_field(void *arg, const char *name)
{
	static const char *const base[] = { "message", "host.hostname",
		"host.name", "host.os.type", "process.name", "process.pid",
		"event.dataset", "data_stream.dataset", "event.module",
		"log.syslog.appname", "log.syslog.priority", NULL };
	size_t i;

	(void)arg;
	if (name == NULL)
		return 0;
	if (name[0] == '_' || (name[0] >= 'A' && name[0] <= 'Z'))
		return 1;	/* a journal field */
	for (i = 0; base[i] != NULL; i++) {
		if (strcmp(name, base[i]) == 0)
			return 1;
	}
	return 0;
}

int
lh_scan_lazy_auth(const struct lh_scan_config *cfg)
{
	size_t i;

	if (cfg->query != NULL)
		return 0;
	/*
	 * A pass with neither rules nor query only selects events (the
	 * triage context: host and time; it prints process.name and
	 * message), none of which comes from message.yml.
	 */
	if (cfg->rules == NULL)
		return cfg->select != NULL;
	for (i = 0; i < lh_ruleset_count(cfg->rules); i++) {
		const struct lh_rule *r = lh_ruleset_get(cfg->rules, i);

		if (r->kql == NULL || !lh_kql_fields(r->kql, auth_field, NULL))
			return 0;
	}
	return 1;
}
