/*
 * json_input.c: Filebeat and Elastic Agent documents whose header an input
 * already parsed - the journald input's journald.* fields, and the
 * log.syslog.* fields of an input with a syslog parser - through the
 * branches of the system module pipelines that handle them (see
 * json_int.h, kinds 2 and 2a).
 */
#include <stddef.h>
#include <string.h>

#include <json-c/json.h>

#include "core/event.h"
#include "core/status.h"
#include "formats/auth_message.h"
#include "formats/journald_map.h"
#include "formats/json_int.h"

/* The fields the journald.yml pipelines remove at their end. */
static const char *const journald_removed[] = {
	"journald", "process.thread", "syslog", "systemd", "message_id"
};

int
lh_json_is_auth(struct json_object *o)
{
	return lh_json_path_is(o, "event.dataset", "system.auth") ||
	    lh_json_path_is(o, "data_stream.dataset", "system.auth") ||
	    lh_json_path_is(o, "fileset.name", "auth");
}

/* See DESIGN of json_int.h, kind 2a. */
int
lh_json_is_journald_input(struct json_object *o)
{
	return (lh_json_get_path(o, "journald") != NULL ||
	    lh_json_path_is(o, "input.type", "journald")) &&
	    lh_json_get_path(o, "event.ingested") == NULL;
}

/* Whether name is prefix or under it ("journald" holds "journald.pid"). */
static int
under(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(name, prefix, n) == 0 &&
	    (name[n] == '\0' || name[n] == '.');
}

/*
 * An ingest "set" of to from the value of field from: with override, any
 * value of to is replaced; without, only a missing one is set (Elastic's
 * override: false), and an empty value is not set (ignore_empty_value).
 * Nothing happens when from is missing.  LH_OK or LH_FATAL.
 */
static int
set_from(struct lh_event *ev, const char *to, const char *from, int override)
{
	const struct lh_field *f = lh_event_get(ev, from);
	const char *v;
	size_t n;

	if (f == NULL)
		return LH_OK;
	v = f->val;
	n = f->len;
	if (!override && (lh_event_get(ev, to) != NULL || n == 0))
		return LH_OK;
	lh_event_del(ev, to);
	return lh_event_add(ev, to, v, n);
}

/* Removes every field under prefix. */
static void
remove_under(struct lh_event *ev, const char *prefix)
{
	size_t i, j = 0;

	for (i = 0; i < ev->nfield; i++) {
		if (!under(ev->fields[i].name, prefix))
			ev->fields[j++] = ev->fields[i];
	}
	ev->nfield = j;
}

/*
 * The end of both syslog journald.yml pipelines (module and integration):
 * set event.kind, append host.hostname to related.hosts (not empty, no
 * duplicate).  LH_OK or LH_FATAL.
 */
static int
syslog_journald_tail(struct lh_event *ev)
{
	const struct lh_field *h;
	size_t i;

	lh_event_del(ev, "event.kind");
	if (lh_event_adds(ev, "event.kind", "event") != LH_OK)
		return LH_FATAL;
	/* after the add: it may move the field array */
	if ((h = lh_event_get(ev, LH_F_HOSTNAME)) == NULL || h->len == 0)
		return LH_OK;
	for (i = 0; i < ev->nfield; i++) {
		if (strcmp(ev->fields[i].name, "related.hosts") == 0 &&
		    ev->fields[i].len == h->len &&
		    memcmp(ev->fields[i].val, h->val, h->len) == 0)
			return LH_OK;
	}
	return lh_event_add(ev, "related.hosts", h->val, h->len);
}

/*
 * process.* from journald.*: the Filebeat module's journald.yml (beats)
 * or the integration's (Agent), for the syslog or the auth data stream.
 */
static int
journald_process(struct lh_event *ev, int beats, int auth)
{
	const struct lh_field *f;

	if ((beats || !auth) &&
	    set_from(ev, LH_F_PROC_PID, "journald.pid", 1) != LH_OK)
		return LH_FATAL;
	if (beats || auth)
		return set_from(ev, LH_F_PROC_NAME, "journald.process.name",
		    1);
	/* set value "{{ journald.process.name }}": "" when missing */
	if ((f = lh_event_get(ev, "journald.process.name")) != NULL)
		return set_from(ev, LH_F_PROC_NAME, "journald.process.name",
		    1);
	lh_event_del(ev, LH_F_PROC_NAME);
	return lh_event_add(ev, LH_F_PROC_NAME, "", 0);
}

/* See DESIGN of json_int.h, kind 2a. */
int
lh_json_journald_input(struct lh_json_doc *d, struct json_object *o,
    struct lh_event *ev)
{
	int beats = lh_json_get_path(o, "fileset.name") != NULL;
	int auth = lh_json_is_auth(o);
	size_t i;
	int rc;

	if ((rc = lh_json_ecs(d, o, ev)) != LH_OK)
		return rc;
	if (!beats && set_from(ev, LH_F_MESSAGE, "event.original", 0) !=
	    LH_OK)
		return LH_FATAL;
	if (journald_process(ev, beats, auth) != LH_OK)
		return LH_FATAL;
	if (auth && !beats &&
	    set_from(ev, LH_F_PROC_NAME, "log.syslog.appname", 0) != LH_OK)
		return LH_FATAL;
	if (!auth && !beats && lh_journald_map_lifecycle(ev) != LH_OK)
		return LH_FATAL;
	if (!auth && syslog_journald_tail(ev) != LH_OK)
		return LH_FATAL;
	if (auth && lh_auth_message(ev) != LH_OK)
		return LH_FATAL;
	for (i = 0; i < sizeof(journald_removed) / sizeof(journald_removed[0]);
	    i++)
		remove_under(ev, journald_removed[i]);
	return LH_OK;
}

/* See DESIGN of json_int.h, kind 2 (auth, log.syslog present). */
int
lh_json_syslog_input(struct lh_json_doc *d, struct json_object *o,
    struct lh_event *ev)
{
	int rc;

	if ((rc = lh_json_ecs(d, o, ev)) != LH_OK)
		return rc;
	/* message.yml sets process.name from log.syslog.appname itself. */
	return lh_auth_message(ev);
}
