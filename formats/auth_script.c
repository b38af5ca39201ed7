/*
 * auth_script.c: the parts of the auth pipeline that are code rather than
 * grok: the two painless scripts and the IAM appends of message.yml.
 *
 * DESIGN
 * The painless scripts are translated statement by statement; Java
 * semantics kept where they show: String.trim() strips every char <= ' ',
 * splitOnToken(" ") splits on single spaces only, the systemctl regex
 * (?:^|\/)systemctl(?=\s|$) finds the first "systemctl" at the start or
 * after a "/" that is followed by ASCII white space or the end.
 * Nothing here keeps state: thread-safe.
 */
#include <string.h>

#include "core/status.h"
#include "formats/auth_message.h"
#include "formats/auth_priv.h"

#define NP(a) (sizeof(a) / sizeof((a)[0]))

/* ---- script-categorize-sudo-systemctl ------------------------------------ */

static int
java_space(int c)	/* \s of java.util.regex */
{
	return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' ||
	    c == '\r';
}

/* End of the first (?:^|\/)systemctl(?=\s|$) in c, or 0 when none. */
static size_t
find_systemctl(const char *c, size_t n)
{
	static const char w[] = "systemctl";
	size_t i, k = sizeof(w) - 1, e;

	for (i = 0; i + k <= n; i++) {
		if (memcmp(c + i, w, k) != 0 || (i > 0 && c[i - 1] != '/'))
			continue;
		e = i + k;
		if (e == n || java_space((unsigned char)c[e]) ||
		    (e + 1 == n && c[e] == '\n'))
			return e;
	}
	return 0;
}

/* The next space-separated part that is neither "" nor "-...". */
static int
next_word(const char **p, const char *end, const char **w, size_t *wl)
{
	const char *q;

	while (*p <= end) {
		q = memchr(*p, ' ', (size_t)(end - *p));
		if (q == NULL)
			q = end;
		*w = *p;
		*wl = (size_t)(q - *p);
		*p = q + 1;
		if (*wl > 0 && **w != '-')
			return 1;
	}
	return 0;
}

static int
set_one(struct lh_event *ev, const char *name, const char *v, size_t n)
{
	lh_event_del(ev, name);
	return lh_event_addcopy(ev, name, v, n);
}

int
lh_auth_sudo_systemctl(struct lh_event *ev)
{
	static const char *const verbs[][3] = {
		{ "start", "service-start", "start" },
		{ "stop", "service-stop", "end" },
		{ "restart", "service-restart", "change" },
	};
	const struct lh_field *f = lh_event_get(ev, "system.auth.sudo.command");
	const char *p, *end, *verb, *unit, *slash;
	size_t e, vl, ul, i;

	if (f == NULL || (e = find_systemctl(f->val, f->len)) == 0)
		return LH_OK;
	p = f->val + e;
	end = f->val + f->len;
	while (p < end && (unsigned char)*p <= ' ')
		p++;
	while (end > p && (unsigned char)end[-1] <= ' ')
		end--;
	if (p == end || !next_word(&p, end, &verb, &vl) ||
	    !next_word(&p, end, &unit, &ul))
		return LH_OK;
	for (i = 0; i < NP(verbs); i++) {
		if (strlen(verbs[i][0]) == vl && memcmp(verb, verbs[i][0], vl) == 0)
			break;
	}
	if (i == NP(verbs))
		return LH_OK;
	if (ul >= 8 && memcmp(unit + ul - 8, ".service", 8) == 0)
		ul -= 8;
	for (slash = unit + ul; slash > unit && slash[-1] != '/'; slash--)
		;
	ul -= (size_t)(slash - unit);
	if (set_one(ev, "service.name", slash, ul) != LH_OK ||
	    set_one(ev, "event.action", verbs[i][1], strlen(verbs[i][1])) !=
	    LH_OK || set_one(ev, "event.type", verbs[i][2],
	    strlen(verbs[i][2])) != LH_OK)
		return LH_FATAL;
	return LH_OK;
}

/* ---- append_category-iam .. script-categorize-iam-action ----------------- */

/* The message and process.name of the event (NULL when absent). */
struct iam {
	const char *msg, *proc;
	size_t msglen, proclen;
};

static int
proc_in(const struct iam *in, const char *const *list)
{
	for (; in->proc != NULL && *list != NULL; list++) {
		if (strlen(*list) == in->proclen &&
		    memcmp(in->proc, *list, in->proclen) == 0)
			return 1;
	}
	return 0;
}

static int
msg_has(const struct iam *in, const char *needle, int prefix)
{
	size_t k = strlen(needle);

	if (in->msg == NULL || in->msglen < k)
		return 0;
	if (prefix)
		return memcmp(in->msg, needle, k) == 0;
	return lh_grok_find(in->msg, in->msglen, needle, k) != NULL;
}

/* The script's event.action from the message, or NULL. */
static const char *
iam_action(const struct iam *in)
{
	static const char *const by_msg[][2] = {
		{ "new user:", "user-created" },
		{ "failed adding user ", "user-created" },
		{ "new group:", "group-created" },
		{ "group added to ", "group-created" },
		{ "delete user ", "user-deleted" },
		{ "group '", "group-deleted" },
		{ "removed group ", "group-deleted" },
		{ "removed shadow group ", "group-deleted" },
	};
	static const char *const by_proc[][2] = {
		{ "useradd", "user-created" }, { "userdel", "user-deleted" },
		{ "groupadd", "group-created" }, { "groupdel", "group-deleted" },
	};
	size_t i;

	for (i = 0; i < NP(by_msg); i++) {
		if (msg_has(in, by_msg[i][0], 1))
			return by_msg[i][1];
	}
	for (i = 0; i < NP(by_proc); i++) {
		const char *one[2] = { by_proc[i][0], NULL };

		if (proc_in(in, one))
			return by_proc[i][1];
	}
	return NULL;
}

int
lh_auth_iam(struct lh_event *ev, const char *msg, size_t msglen,
    const char *proc, size_t proclen)
{
	const struct iam in = { msg, proc, msglen, proclen };
	static const char *const all[] = { "groupadd", "groupdel", "groupmod",
		"useradd", "userdel", "usermod", NULL };
	static const char *const types[][4] = {
		{ "user", "useradd", "userdel", "usermod" },
		{ "group", "groupadd", "groupdel", "groupmod" },
		{ "creation", "useradd", "groupadd", NULL },
		{ "deletion", "userdel", "groupdel", NULL },
		{ "change", "usermod", "groupmod", NULL },
	};
	const char *a;
	size_t i;

	if (!proc_in(&in, all))
		return LH_OK;
	if (lh_event_adds(ev, "event.category", "iam") != LH_OK ||
	    set_one(ev, "event.outcome", msg_has(&in, "fail", 0) ? "failure" :
	    "success", 7) != LH_OK)
		return LH_FATAL;
	for (i = 0; i < NP(types); i++) {
		const char *list[4] = { types[i][1], types[i][2], types[i][3],
			NULL };

		if (proc_in(&in, list) &&
		    lh_event_adds(ev, "event.type", types[i][0]) != LH_OK)
			return LH_FATAL;
	}
	if (lh_event_get(ev, "event.action") == NULL &&
	    (a = iam_action(&in)) != NULL &&
	    lh_event_adds(ev, "event.action", a) != LH_OK)
		return LH_FATAL;
	return LH_OK;
}
