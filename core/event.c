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
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/event.h"
#include "core/field.h"
#include "core/status.h"

const char LH_F_MESSAGE[] = "message";
const char LH_F_HOSTNAME[] = "host.hostname";
const char LH_F_HOSTNAME_ALT[] = "host.name";
const char LH_F_PROC_NAME[] = "process.name";
const char LH_F_PROC_PID[] = "process.pid";
const char LH_F_DATASET[] = "event.dataset";
const char LH_F_DS_DATASET[] = "data_stream.dataset";
const char LH_F_MODULE[] = "event.module";
const char LH_F_OS_TYPE[] = "host.os.type";
const char LH_F_FILE_PATH[] = "log.file.path";
const char LH_F_TIMESTAMP[] = "@timestamp";

static const char v_dataset[] = "system.syslog";
static const char v_auth[] = "system.auth";
static const char v_module[] = "system";
static const char v_linux[] = "linux";

/* Every string above: an event may point at these for good. */
static const char *const statics[] = {
	LH_F_MESSAGE, LH_F_HOSTNAME, LH_F_HOSTNAME_ALT, LH_F_PROC_NAME,
	LH_F_PROC_PID, LH_F_DATASET, LH_F_DS_DATASET, LH_F_MODULE,
	LH_F_OS_TYPE, LH_F_FILE_PATH, LH_F_TIMESTAMP, v_dataset, v_auth,
	v_module, v_linux
};

/*
 * The lowest and highest address of the strings of statics, found once:
 * most pointers asked about (values in a parser's buffer or an arena,
 * names of other modules) lie outside and take two comparisons.
 */
static uintptr_t statics_lo, statics_hi;
static pthread_once_t statics_once = PTHREAD_ONCE_INIT;

static void
statics_bounds(void)
{
	size_t i;

	statics_lo = statics_hi = (uintptr_t)statics[0];
	for (i = 1; i < sizeof(statics) / sizeof(statics[0]); i++) {
		if ((uintptr_t)statics[i] < statics_lo)
			statics_lo = (uintptr_t)statics[i];
		if ((uintptr_t)statics[i] > statics_hi)
			statics_hi = (uintptr_t)statics[i];
	}
}

int
lh_event_is_static(const char *p)
{
	size_t i;

	(void)pthread_once(&statics_once, statics_bounds);
	if ((uintptr_t)p < statics_lo || (uintptr_t)p > statics_hi)
		return 0;
	for (i = 0; i < sizeof(statics) / sizeof(statics[0]); i++) {
		if (p == statics[i])
			return 1;
	}
	return 0;
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
	const char *d = ds == LH_DS_AUTH ? v_auth : v_dataset;
	size_t n = strlen(d);

	if (lh_event_add(ev, LH_F_DATASET, d, n) != LH_OK ||
	    lh_event_add(ev, LH_F_DS_DATASET, d, n) != LH_OK ||
	    lh_event_add(ev, LH_F_MODULE, v_module, sizeof(v_module) - 1) !=
	    LH_OK || lh_event_add(ev, LH_F_OS_TYPE, v_linux,
	    sizeof(v_linux) - 1) != LH_OK)
		return LH_FATAL;
	return LH_OK;
}
