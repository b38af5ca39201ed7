/*
 * event.c: the normalized event and its arena.
 *
 * DESIGN
 * Copied values live in a byte arena (core/arena.h) whose chunks never
 * move, so pointers handed out stay valid until lh_event_reset().  Reset
 * keeps the first chunk for reuse and frees the others, which keeps a
 * worker's memory bounded by its largest record rather than the sum of
 * them.  The field array grows with lh_grow and is kept across resets.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/event.h"
#include "core/field.h"
#include "core/name.h"
#include "core/status.h"

const struct lh_statics lh_statics = {
	"message", "host.hostname", "host.name", "process.name",
	"process.pid", "event.dataset", "data_stream.dataset",
	"event.module", "host.os.type", "log.file.path", "@timestamp",
	"system.syslog", "system.auth", "system", "linux"
};

int
lh_event_is_static(const char *p)
{
	/* every string of lh_statics, or an interned name: kept until exit */
	return (uintptr_t)p - (uintptr_t)&lh_statics < sizeof(lh_statics) ||
	    lh_name_interned(p);
}

int
lh_event_constant_name(const char *name)
{
	return name == LH_F_DATASET || name == LH_F_DS_DATASET ||
	    name == LH_F_MODULE || name == LH_F_OS_TYPE ||
	    strcmp(name, LH_F_DATASET) == 0 ||
	    strcmp(name, LH_F_DS_DATASET) == 0 ||
	    strcmp(name, LH_F_MODULE) == 0 || strcmp(name, LH_F_OS_TYPE) == 0;
}

#define BLOCK_SIZE 16384

void
lh_event_init(struct lh_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->ts = LH_TS_NONE;
}

void
lh_event_reset(struct lh_event *ev)
{
	ev->ts = LH_TS_NONE;
	ev->ts_prec = 1;
	ev->ts_flags = 0;
	ev->line = 0;
	ev->offset = 0;
	ev->boot_id = NULL;
	ev->nfield = 0;
	ev->canon = 0;
	lh_arena_reset(ev->arena);
}

void
lh_event_free(struct lh_event *ev)
{
	lh_arena_free(ev->arena);
	free(ev->fields);
	lh_event_init(ev);
}

int
lh_event_add(struct lh_event *ev, const char *name, const char *val,
    size_t len)
{
	if (ev->nfield == ev->cap && lh_grow(&ev->fields, &ev->cap,
	    ev->nfield + 1, sizeof(*ev->fields)) != LH_OK)
		return LH_FATAL;
	if (ev->canon && !lh_name_interned(name))
		ev->canon = 0;
	ev->fields[ev->nfield].name = name;
	ev->fields[ev->nfield].val = val;
	ev->fields[ev->nfield].len = len;
	ev->nfield++;
	return LH_OK;
}

int
lh_event_adds(struct lh_event *ev, const char *name, const char *val)
{
	return lh_event_add(ev, name, val, strlen(val));
}

char *
lh_event_alloc(struct lh_event *ev, size_t n)
{
	if (ev->arena == NULL &&
	    (ev->arena = lh_arena_create_bytes(BLOCK_SIZE)) == NULL)
		return NULL;
	return lh_arena_alloc(ev->arena, n);
}

char *
lh_event_strdup(struct lh_event *ev, const char *p, size_t n)
{
	char *q = lh_event_alloc(ev, n + 1);

	if (q == NULL)
		return NULL;
	if (n > 0)
		memcpy(q, p, n);
	q[n] = '\0';
	return q;
}

int
lh_event_addcopy(struct lh_event *ev, const char *name, const char *val,
    size_t len)
{
	char *q = lh_event_strdup(ev, val, len);

	if (q == NULL)
		return LH_FATAL;
	return lh_event_add(ev, name, q, len);
}

const struct lh_field *
lh_event_get(const struct lh_event *ev, const char *name)
{
	return lh_field_get(ev, name);
}

void
lh_event_del(struct lh_event *ev, const char *name)
{
	size_t i, j = 0;

	for (i = 0; i < ev->nfield; i++) {
		if (strcmp(ev->fields[i].name, name) != 0)
			ev->fields[j++] = ev->fields[i];
	}
	ev->nfield = j;
}

int
lh_event_add_constants(struct lh_event *ev, enum lh_data_stream ds)
{
	const struct lh_statics *c = &lh_statics;
	const char *d = ds == LH_DS_AUTH ? c->v_auth : c->v_syslog;
	size_t n = strlen(d);

	if (lh_event_add(ev, LH_F_DATASET, d, n) != LH_OK ||
	    lh_event_add(ev, LH_F_DS_DATASET, d, n) != LH_OK ||
	    lh_event_add(ev, LH_F_MODULE, c->v_module,
	    sizeof(c->v_module) - 1) != LH_OK || lh_event_add(ev,
	    LH_F_OS_TYPE, c->v_linux, sizeof(c->v_linux) - 1) != LH_OK)
		return LH_FATAL;
	return LH_OK;
}
