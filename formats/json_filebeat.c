/*
 * json_filebeat.c: Filebeat documents whose message is still the raw
 * syslog line: the system module pipeline's grok and date steps, through
 * the shared syslog header grok (see json_int.h, kind 2).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/event.h"
#include "core/status.h"
#include "core/time.h"
#include "formats/json_int.h"
#include "formats/syslog_header.h"

/* See DESIGN of json_int.h, kind 2. */
int
lh_json_is_filebeat_raw(struct json_object *o)
{
	struct json_object *input = lh_json_get_path(o, "input.type");

	if (!json_object_is_type(lh_json_get_path(o, "message"),
	    json_type_string) ||
	    lh_json_get_path(o, "process.name") != NULL ||
	    lh_json_get_path(o, "event.ingested") != NULL ||
	    lh_json_get_path(o, "journald") != NULL ||
	    lh_json_path_is(o, "input.type", "journald"))
		return 0;
	if (lh_json_path_is(o, "@metadata.beat", "filebeat"))
		return 1;
	return input != NULL && (lh_json_path_is(o, "fileset.name", "syslog") ||
	    lh_json_path_is(o, "event.module", "system") ||
	    lh_json_path_is(o, "data_stream.dataset", "system.syslog") ||
	    lh_json_is_auth(o));
}

static int
two_digits(const char *p, int *v)
{
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return -1;
	*v = (p[0] - '0') * 10 + (p[1] - '0');
	return 0;
}

int
lh_json_zone_offset(const char *z, struct lh_tz *tz)
{
	int sign, hh, mm = 0;
	size_t n;

	if (strncmp(z, "UTC", 3) == 0 || strncmp(z, "GMT", 3) == 0)
		z += 3;
	else if (strncmp(z, "UT", 2) == 0)
		z += 2;
	else if (strcmp(z, "Z") == 0)
		z++;
	lh_tz_utc(tz);
	if (*z == '\0')
		return 0;
	if (*z != '+' && *z != '-')
		return -1;
	sign = *z++ == '-' ? -1 : 1;
	n = strlen(z);
	if (n == 1 && z[0] >= '0' && z[0] <= '9')
		hh = z[0] - '0';
	else if (n < 2 || two_digits(z, &hh) != 0)
		return -1;
	else if (n == 5 && z[2] == ':' && two_digits(z + 3, &mm) == 0)
		;
	else if (n == 4 && two_digits(z + 2, &mm) == 0)
		;
	else if (n != 2)
		return -1;
	if (hh > 18 || mm > 59)
		return -1;
	tz->offset = sign * (hh * 3600L + mm * 60L);
	snprintf(tz->name, sizeof(tz->name), "%c%02d:%02d",
	    sign < 0 ? '-' : '+', hh, mm);
	return 0;
}

static int
is_constant(const char *name)
{
	return strcmp(name, LH_F_DATASET) == 0 ||
	    strcmp(name, LH_F_DS_DATASET) == 0 ||
	    strcmp(name, LH_F_MODULE) == 0 || strcmp(name, LH_F_OS_TYPE) == 0;
}

static void
remove_at(struct lh_event *ev, size_t i)
{
	memmove(&ev->fields[i], &ev->fields[i + 1],
	    (ev->nfield - i - 1) * sizeof(ev->fields[0]));
	ev->nfield--;
}

/*
 * The grok's fields (from n0 on) replace the document's own fields of the
 * same name, as the pipeline's grok overwrites its targets (host.hostname);
 * but the dataset constants that Filebeat itself set stay as they were
 * (the document may be another fileset's, e.g. system.auth).
 */
static void
merge_grok(struct lh_event *ev, size_t n0)
{
	size_t i = n0, j;

	while (i < ev->nfield) {
		const char *name = ev->fields[i].name;
		int had = 0;

		for (j = 0; j < n0; j++)
			if (strcmp(ev->fields[j].name, name) == 0)
				had = 1;
		if (had && is_constant(name)) {
			remove_at(ev, i);
			continue;
		}
		for (j = 0; j < n0;) {
			if (strcmp(ev->fields[j].name, name) == 0) {
				remove_at(ev, j);
				n0--;
				i--;
			} else
				j++;
		}
		i++;
	}
}

/* See DESIGN of json_int.h, kind 2. */
int
lh_json_filebeat(struct lh_json_doc *d, struct json_object *o,
    struct lh_event *ev)
{
	struct json_object *m = lh_json_get_path(o, "message");
	struct json_object *z = lh_json_get_path(o, "event.timezone");
	struct lh_syslog_header_ctx ctx;
	int64_t read = LH_TS_NONE, prec = 1;
	size_t len = (size_t)json_object_get_string_len(m), n0;
	char *line;
	int rc, trc;

	if (lh_json_is_auth(o) && lh_json_get_path(o, "log.syslog") != NULL)
		return lh_json_syslog_input(d, o, ev);
	if ((line = lh_event_strdup(ev, json_object_get_string(m), len)) ==
	    NULL)
		return LH_FATAL;
	trc = lh_json_doc_time(d, o, &read, &prec);
	memset(&ctx, 0, sizeof(ctx));
	ctx.tz = d->opts->tz;
	if (json_object_is_type(z, json_type_string) &&
	    lh_json_zone_offset(json_object_get_string(z),
	    &d->doc_tz) == 0)
		ctx.tz = &d->doc_tz;
	ctx.ref = trc == LH_OK ? read : d->src->mtime;
	ctx.year = d->opts->year;
	ctx.auth = lh_json_is_auth(o);
	if ((rc = lh_json_flatten(d, ev, o, 1)) != LH_OK)
		return rc;
	n0 = ev->nfield;
	if ((rc = lh_syslog_header_grok(line, len, &ctx, ev)) == LH_FATAL)
		return rc;
	merge_grok(ev, n0);
	if (rc == LH_WARN) {
		/* As in Elastic: the date step failed, @timestamp stays. */
		ev->ts = trc == LH_OK ? read : LH_TS_NONE;
		ev->ts_prec = trc == LH_OK ? prec : 1;
		ev->ts_flags = 0;
		if (lh_event_get(ev, LH_F_MESSAGE) == NULL &&
		    lh_event_add(ev, LH_F_MESSAGE, line, len) != LH_OK)
			return LH_FATAL;
		return lh_json_doc_warn(d, ev, "no syslog pattern fits the "
		    "Filebeat message; kept as a raw message");
	}
	return LH_OK;
}
