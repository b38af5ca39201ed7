/*
 * output_hits.c: the hits of a query (loghunt query) in text, json
 * (nested, typed ECS), csv (Timesketch) and bulk (Elasticsearch _bulk)
 * form, with only the --fields chosen when given; the bodies are rendered
 * by the scan workers (lh_out_render), the rest in timeline order.  Every
 * byte that came from evidence goes through cli/escape.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli/escape.h"
#include "cli/json_doc.h"
#include "cli/output.h"
#include "cli/output_int.h"
#include "core/status.h"

/*
 * A hit is printed in two parts: its body (everything but the time and the
 * sources, which can change when records of one event are folded), made
 * by a worker as soon as the event matched (lh_out_render), and the rest,
 * added by lh_out_query in timeline order.
 */
static void
json_body(struct lh_buf *b, const struct lh_match *m)
{
	(void)lh_json_doc_members(b, m->f, m->nf);	/* sticky in b */
}

/* Whether name is process.name (most names are spared the call). */
static int
is_proc_name(const char *name)
{
	return name == LH_F_PROC_NAME || (name[0] == 'p' &&
	    strcmp(name, LH_F_PROC_NAME) == 0);
}

static void
text_body(struct lh_buf *b, const struct lh_match *m)
{
	const char *v = NULL;
	size_t i, n = 0;

	lh_esc_text(b, m->host ? m->host : "-", m->host ? m->host_len : 1);
	lh_buf_putc(b, ' ');
	for (i = 0; i < m->nf && v == NULL; i++) {
		if (is_proc_name(m->f[i].name)) {
			v = m->f[i].val;
			n = m->f[i].len;
		}
	}
	if (v != NULL) {
		lh_esc_text(b, v, n);
		lh_buf_puts(b, ": ");
	}
	lh_esc_text(b, m->message ? m->message : "", m->message_len);
}

static void
csv_body(struct lh_buf *b, const struct lh_match *m)
{
	const char *v = NULL;
	size_t i, n = 0;

	csv_cell(b, m->message ? m->message : "", m->message_len, 0);
	csv_cell(b, m->host ? m->host : "", m->host ? m->host_len : 0, 0);
	for (i = 0; i < m->nf && v == NULL; i++) {
		if (is_proc_name(m->f[i].name)) {
			v = m->f[i].val;
			n = m->f[i].len;
		}
	}
	csv_cell(b, v ? v : "", n, 0);
}

/*
 * --fields: the chosen fields only, in the order given.  @timestamp is
 * printed by hit() (it can change when records are folded).  A field
 * missing from the event is "-" in text and empty in csv, and left out of
 * json; a repeated field is a list (json) or its values joined with ","
 * (text, csv).
 */
static void
field_values(struct lh_buf *b, const struct lh_match *m, const char *name,
    enum lh_fmt fmt)
{
	size_t i, k = 0;

	for (i = 0; i < m->nf; i++) {
		if (strcmp(m->f[i].name, name) != 0)
			continue;
		if (k++ > 0)
			lh_buf_putc(b, ',');
		if (fmt == LH_OUT_JSON)
			lh_esc_json(b, m->f[i].val, m->f[i].len);
		else
			lh_buf_append(b, m->f[i].val, m->f[i].len);
	}
}

static size_t
field_count(const struct lh_match *m, const char *name)
{
	size_t i, k = 0;

	for (i = 0; i < m->nf; i++)
		k += strcmp(m->f[i].name, name) == 0;
	return k;
}

static void
fields_body(struct lh_buf *b, const struct lh_config *cfg,
    const struct lh_match *m)
{
	struct lh_buf t = { 0 };
	size_t i, k;

	for (i = 0; cfg->fields[i] != NULL; i++) {
		const char *name = cfg->fields[i];

		if (strcmp(name, LH_F_TIMESTAMP) == 0)
			continue;
		k = field_count(m, name);
		if (cfg->format == LH_OUT_JSON) {
			if (k == 0)
				continue;
			lh_buf_putc(b, ',');
			lh_esc_json(b, name, strlen(name));
			lh_buf_puts(b, k > 1 ? ":[" : ":");
			field_values(b, m, name, cfg->format);
			if (k > 1)
				lh_buf_putc(b, ']');
			continue;
		}
		lh_buf_reset(&t);
		field_values(&t, m, name, cfg->format);
		if (cfg->format == LH_OUT_CSV) {
			csv_cell(b, t.p ? t.p : "", t.len, 0);
			continue;
		}
		lh_buf_putc(b, ' ');
		if (k == 0)
			lh_buf_putc(b, '-');
		else
			lh_esc_text(b, t.p, t.len);
	}
	lh_buf_free(&t);
}

int
lh_out_render(void *arg, const struct lh_match *view, struct lh_buf *out)
{
	const struct lh_config *cfg = arg;

	if (cfg->fields != NULL)
		fields_body(out, cfg, view);
	else if (cfg->format == LH_OUT_JSON)
		json_body(out, view);
	else if (cfg->format == LH_OUT_CSV)
		csv_body(out, view);
	else
		text_body(out, view);
	return lh_buf_status(out);
}

static void
body(struct lh_buf *b, const struct lh_config *cfg, const struct lh_match *m)
{
	if (m->render != NULL)
		lh_buf_append(b, m->render, m->render_len);
	else
		lh_out_render((void *)(uintptr_t)cfg, m, b);
}

/*
 * An Elasticsearch/OpenSearch _bulk pair: the action, creating the
 * document in the data stream of its dataset (logs-system.syslog-default,
 * logs-system.auth-default; data streams take "create" only), then the
 * nested, typed ECS document.  event.ingested is the cluster's to set.
 * A data stream requires @timestamp: an event without a wall time (an
 * undated dmesg record) is left out.
 */
static void
bulk_hit(struct lh_buf *b, const struct lh_match *m)
{
	char index[256];
	const char *ds;
	size_t n;

	if (m->ts == LH_TS_NONE || (m->ts_flags & LH_TS_BOOT))
		return;
	if ((ds = lh_match_get(m, LH_F_DS_DATASET, &n)) == NULL &&
	    (ds = lh_match_get(m, LH_F_DATASET, &n)) == NULL) {
		ds = "system.syslog";
		n = strlen(ds);
	}
	if (n > sizeof(index) - 14)
		n = sizeof(index) - 14;
	memcpy(index, "logs-", 5);
	memcpy(index + 5, ds, n);
	memcpy(index + 5 + n, "-default", 8);
	lh_buf_puts(b, "{\"create\":{\"_index\":");
	lh_esc_json(b, index, n + 13);
	lh_buf_puts(b, "}}\n");
	lh_out_json_timestamp(b, m);
	json_body(b, m);
	lh_buf_puts(b, ",\"loghunt\":{");
	lh_out_json_sources_of(b, m, 0);
	lh_buf_puts(b, "}}\n");
}

static void
hit(struct lh_buf *b, const struct lh_config *cfg, const struct lh_match *m)
{
	char ts[48];

	if (cfg->format == LH_OUT_BULK) {
		bulk_hit(b, m);
		return;
	}
	if (cfg->format == LH_OUT_JSON) {
		lh_out_json_timestamp(b, m);
		body(b, cfg, m);
		PUTS(b, ",\"loghunt\":{");
		lh_out_json_sources(b, m);
		lh_out_json_boot(b, m);
		PUTS(b, "}}\n");
		return;
	}
	lh_out_time_text(m, ts);
	if (cfg->format == LH_OUT_CSV) {
		csv_cell(b, ts, strlen(ts), 0);
		csv_cell(b, "Event Recorded", 14, 0);
		body(b, cfg, m);
		if (cfg->fields != NULL)	/* the last cell ends the row */
			b->p[b->len - 1] = '\n';
		else
			lh_out_csv_sources(b, m, 1);
		return;
	}
	lh_buf_puts(b, ts);
	if (cfg->fields != NULL) {
		body(b, cfg, m);
		lh_buf_putc(b, '\n');
		return;
	}
	PUTS(b, "  ");
	body(b, cfg, m);
	PUTS(b, "  [");
	lh_esc_text(b, m->src[0].path, strlen(m->src[0].path));
	lh_buf_putc(b, ':');
	put_u64(b, m->src[0].line);
	lh_buf_append(b, "]\n", 2);
}

/* The hits of tl after what b holds; empties b. */
static int
hit_rows(FILE *fp, const struct lh_config *cfg, const struct lh_timeline *tl,
    struct lh_buf *b)
{
	size_t i;
	int rc = LH_OK;

	for (i = 0; i < lh_timeline_count(tl) && rc == LH_OK; i++) {
		hit(b, cfg, lh_timeline_get(tl, i));
		if (b->len >= 65536)
			rc = lh_out_put(fp, b);
	}
	if (rc == LH_OK)
		rc = lh_out_put(fp, b);
	return rc;
}

void
lh_out_query_head(struct lh_buf *b, const struct lh_config *cfg)
{
	size_t i;

	if (cfg->format == LH_OUT_CSV && cfg->fields != NULL) {
		lh_buf_puts(b, "datetime,timestamp_desc");
		for (i = 0; cfg->fields[i] != NULL; i++) {
			if (strcmp(cfg->fields[i], LH_F_TIMESTAMP) == 0)
				continue;
			lh_buf_putc(b, ',');
			lh_esc_csv(b, cfg->fields[i], strlen(cfg->fields[i]));
		}
		lh_buf_putc(b, '\n');
	} else if (cfg->format == LH_OUT_CSV)
		lh_buf_puts(b, "datetime,timestamp_desc,message,hostname,"
		    "process_name,sources\n");
}

void
lh_out_query_hit(struct lh_buf *b, const struct lh_config *cfg,
    const struct lh_match *m)
{
	hit(b, cfg, m);
}

int
lh_out_query(FILE *fp, const struct lh_config *cfg,
    const struct lh_timeline *tl)
{
	struct lh_buf b = { 0 };
	int rc;

	lh_out_query_head(&b, cfg);
	rc = hit_rows(fp, cfg, tl, &b);
	lh_buf_free(&b);
	return rc;
}

int
lh_out_hits(FILE *fp, const struct lh_config *cfg,
    const struct lh_timeline *tl, int head)
{
	struct lh_buf b = { 0 };
	int rc;

	if (head)
		return lh_out_query(fp, cfg, tl);
	rc = hit_rows(fp, cfg, tl, &b);
	lh_buf_free(&b);
	return rc;
}
