/*
 * journald_map.c: a systemd journal entry as an ECS event (see
 * journald_map.h).
 *
 * DESIGN
 * Every journal field is copied into the event's arena under a copied
 * name, so the ECS fields derived in lh_journald_map_finish() can share those
 * copies instead of copying again.  finish() reads a field's value before
 * it adds anything, because adding may move ev->fields.
 */
#include <stdint.h>
#include <string.h>

#include "core/field.h"
#include "core/status.h"
#include "formats/auth_message.h"
#include "formats/journald_map.h"

/* systemd's limit on field names (journal-file.h, JOURNAL_FIELD_NAME_MAX). */
#define NAME_MAX_LEN 64

/* ECS names of the derived fields (journald_map.h DESIGN). */
static const char F_APPNAME[] = "log.syslog.appname";
static const char F_PRIORITY[] = "log.syslog.priority";
static const char F_FACILITY[] = "log.syslog.facility.code";
static const char F_TRANSPORT[] = "systemd.transport";
static const char F_UNIT[] = "systemd.unit";
static const char F_BOOT_ID[] = "journald.host.boot_id";
/* Filebeat's journald input maps _MACHINE_ID to host.id. */
static const char F_HOST_ID[] = "host.id";

/*
 * As systemd's journal_field_valid() with protected fields allowed: upper
 * case ASCII letters, digits and "_", not starting with a digit, at most
 * 64 bytes.  Leading underscores are allowed, since trusted fields ("_PID")
 * and the export's address fields ("__CURSOR") carry them.
 */
/* The bytes of a valid name: A-Z, 0-9 and "_". */
static const unsigned char name_byte[256] = {
	['0'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['A'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1,
	['_'] = 1,
};

int
lh_journald_map_valid_name(const char *name, size_t n)
{
	size_t i;

	if (n == 0 || n > NAME_MAX_LEN)
		return 0;
	if (name[0] >= '0' && name[0] <= '9')
		return 0;
	for (i = 0; i < n; i++) {
		if (!name_byte[(unsigned char)name[i]])
			return 0;
	}
	return 1;
}

int
lh_journald_map_field(struct lh_event *ev, const char *key, size_t klen,
    const char *val, size_t vlen)
{
	const char *name;

	if (!lh_journald_map_valid_name(key, klen))
		return LH_WARN;
	if ((name = lh_event_strdup(ev, key, klen)) == NULL)
		return LH_FATAL;
	return lh_event_addcopy(ev, name, val, vlen);
}

/*
 * Adds the ECS field ecs with the value of the journal field jf, if the
 * entry has one.  The value is shared, not copied (see DESIGN).
 */
static int
map(struct lh_event *ev, const char *jf, const char *ecs)
{
	const struct lh_field *f = lh_field_get(ev, jf);
	const char *val;
	size_t len;

	if (f == NULL)
		return LH_OK;
	val = f->val;
	len = f->len;
	return lh_event_add(ev, ecs, val, len);
}

/*
 * Whether the 8 bytes at v are ASCII digits; if so, their value in *u.
 * Little-endian: the bit tricks of Lemire's "Quickly parsing eight
 * digits" (no byte is over 0x3f after the first test, so no carry crosses
 * a byte); elsewhere a loop.
 */
static int
digits8(const char *v, uint64_t *u)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t hi = UINT64_C(0xf0f0f0f0f0f0f0f0);
	const uint64_t zeros = UINT64_C(0x3030303030303030);
	const uint64_t m = UINT64_C(0x000000ff000000ff);
	uint64_t x;

	memcpy(&x, v, 8);
	if ((x & hi) != zeros || ((x + UINT64_C(0x0606060606060606)) & hi) !=
	    zeros)
		return 0;
	x -= zeros;
	x = x * 10 + (x >> 8);	/* two digits in each 16 bits */
	*u = ((x & m) * (100 + (UINT64_C(1000000) << 32)) +
	    ((x >> 16) & m) * (1 + (UINT64_C(10000) << 32))) >> 32;
	return 1;
#else
	uint64_t x = 0;
	size_t i;

	for (i = 0; i < 8; i++) {
		if (v[i] < '0' || v[i] > '9')
			return 0;
		x = x * 10 + (uint64_t)(v[i] - '0');
	}
	*u = x;
	return 1;
#endif
}

/*
 * 1 to 19 digits cannot overflow a uint64_t (10^19 - 1 < 2^64), so only
 * INT64_MAX is checked, once; eight digits a step, as the stamps have 16.
 */
int
lh_journald_map_usec(const char *v, size_t n, int64_t *us)
{
	uint64_t u = 0, d;
	size_t i = 0;

	if (n == 0 || n > 19)
		return LH_WARN;
	for (; n - i >= 8; i += 8) {
		if (!digits8(v + i, &d))
			return LH_WARN;
		u = u * 100000000 + d;
	}
	for (; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return LH_WARN;
		u = u * 10 + (uint64_t)(v[i] - '0');
	}
	if (u > (uint64_t)INT64_MAX)
		return LH_WARN;
	*us = (int64_t)u;
	return LH_OK;
}

static int
parse_usec(const struct lh_field *f, int64_t *us)
{
	return f == NULL ? LH_WARN : lh_journald_map_usec(f->val, f->len, us);
}

static int
is_value(const struct lh_field *f, const char *s)
{
	return f != NULL && f->len == strlen(s) && memcmp(f->val, s,
	    f->len) == 0;
}

/*
 * process.name: _COMM, or for a kernel entry (which has no _COMM) its
 * SYSLOG_IDENTIFIER, the tag rsyslog writes for it (SPEC section 3, a
 * deliberate departure from Elastic's journald pipeline).
 */
static int
map_process_name(struct lh_event *ev)
{
	if (lh_field_get(ev, "_COMM") != NULL)
		return map(ev, "_COMM", LH_F_PROC_NAME);
	if (is_value(lh_field_get(ev, "_TRANSPORT"), "kernel"))
		return map(ev, "SYSLOG_IDENTIFIER", LH_F_PROC_NAME);
	return LH_OK;
}

/*
 * @timestamp: __REALTIME_TIMESTAMP, the time journald received the entry
 * (what Filebeat's journald input uses), else the sender's own
 * _SOURCE_REALTIME_TIMESTAMP.  Both are microseconds since the epoch.
 */
static int
set_time(struct lh_event *ev)
{
	int64_t us;
	const struct lh_field *rt = lh_field_get(ev, "__REALTIME_TIMESTAMP");
	const struct lh_field *src = lh_field_get(ev,
	    "_SOURCE_REALTIME_TIMESTAMP");

	if (parse_usec(rt, &us) != LH_OK && parse_usec(src, &us) != LH_OK)
		return LH_WARN;
	ev->ts = us;
	ev->ts_prec = 1;
	return LH_OK;
}

/*
 * The integration's auth data stream reads the journal entries of syslog
 * facilities 4 (auth) and 10 (authpriv) (data_stream/auth/manifest.yml,
 * journald stream: "already filtered by the following syslog facilities:
 * 4, 10"); every other entry belongs to the syslog data stream.
 */
static int
auth_facility(const struct lh_event *ev)
{
	const struct lh_field *f = lh_field_get(ev, "SYSLOG_FACILITY");

	return is_value(f, "4") || is_value(f, "10");
}

/*
 * The one step of message.yml that a lazy reading keeps (lh_parse_opts):
 * process.name from log.syslog.appname when the entry has none.
 */
static int
appname(struct lh_event *ev)
{
	const struct lh_field *f;

	if (lh_field_get(ev, LH_F_PROC_NAME) != NULL ||
	    (f = lh_field_get(ev, F_APPNAME)) == NULL || f->len == 0)
		return LH_OK;
	return lh_event_add(ev, LH_F_PROC_NAME, f->val, f->len);
}

int
lh_journald_map_finish(struct lh_event *ev, int lazy_auth)
{
	if (map(ev, "MESSAGE", LH_F_MESSAGE) != LH_OK ||
	    map(ev, "_HOSTNAME", LH_F_HOSTNAME) != LH_OK ||
	    map_process_name(ev) != LH_OK ||
	    map(ev, "_PID", LH_F_PROC_PID) != LH_OK ||
	    map(ev, "SYSLOG_IDENTIFIER", F_APPNAME) != LH_OK ||
	    map(ev, "PRIORITY", F_PRIORITY) != LH_OK ||
	    map(ev, "SYSLOG_FACILITY", F_FACILITY) != LH_OK ||
	    map(ev, "_TRANSPORT", F_TRANSPORT) != LH_OK ||
	    map(ev, "_SYSTEMD_UNIT", F_UNIT) != LH_OK ||
	    map(ev, "_BOOT_ID", F_BOOT_ID) != LH_OK ||
	    map(ev, "_MACHINE_ID", F_HOST_ID) != LH_OK)
		return LH_FATAL;
	if (auth_facility(ev)) {
		if (lh_event_add_constants(ev, LH_DS_AUTH) != LH_OK ||
		    (lazy_auth ? appname(ev) : lh_auth_message(ev)) != LH_OK)
			return LH_FATAL;
	} else if (lh_event_add_constants(ev, LH_DS_SYSLOG) != LH_OK)
		return LH_FATAL;
	return set_time(ev);
}

int
lh_journald_map_lifecycle(struct lh_event *ev)
{
	const struct lh_field *p = lh_field_get(ev, LH_F_PROC_NAME);
	const struct lh_field *m = lh_field_get(ev, LH_F_MESSAGE);
	int start;

	if (p == NULL || m == NULL || p->len != 7 ||
	    memcmp(p->val, "systemd", 7) != 0)
		return LH_OK;
	if (m->len >= 8 && memcmp(m->val, "Started ", 8) == 0)
		start = 1;
	else if (m->len >= 8 && memcmp(m->val, "Stopped ", 8) == 0 &&
	    (m->len < 15 || memcmp(m->val, "Stopped target ", 15) != 0))
		start = 0;
	else
		return LH_OK;
	lh_event_del(ev, "event.category");
	lh_event_del(ev, "event.type");
	lh_event_del(ev, "event.action");
	if (lh_event_adds(ev, "event.category", "process") != LH_OK ||
	    lh_event_adds(ev, "event.type", start ? "start" : "end") != LH_OK ||
	    lh_event_adds(ev, "event.action", start ? "service-start" :
	    "service-stop") != LH_OK)
		return LH_FATAL;
	return LH_OK;
}
