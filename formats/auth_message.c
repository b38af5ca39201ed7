/*
 * auth_message.c: message.yml of the system integration's auth data
 * stream, processor by processor (see auth_message.h).
 *
 * DESIGN
 * Each step below names the processor tag it implements, in the YAML's
 * order, and keeps its condition as written.  The semantics that matter:
 * - grok (ignore_failure): on a match each capture replaces its field; on
 *   no match or a failure nothing changes (grok.h).
 * - set: override unless "override: false"; with ignore_empty_value a
 *   missing or "" source does nothing.
 * - append with allow_duplicates false adds a value only if absent;
 *   without it (the IAM appends) it always adds.
 * - rename fails, and ignore_failure makes it a no-op, when the target
 *   already exists (even as ""): Elasticsearch's rename does not override.
 * - convert type ip keeps the text when InetAddresses.isInetAddress()
 *   accepts it (strict dotted quad, RFC 4291 text, no zone), else the
 *   on_failure copies source.address to source.domain.
 * The _temp.* fields never reach the event: they live in struct tmp and
 * vanish as "remove _temp" makes them.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/ip.h"
#include "core/status.h"
#include "formats/auth_message.h"
#include "formats/auth_priv.h"

/* The convert processor's type ip (core/ip.h: InetAddresses). */
static int
is_ip(const char *s, size_t n)
{
	struct lh_ip ip;

	return lh_ip_parse(s, n, &ip) == LH_OK;
}
#include "formats/grok.h"

/* One _temp field: p == NULL when absent. */
struct span {
	const char *p;
	size_t len;
};

struct tmp {
	struct span pam_user, gpasswd_target, gpasswd_action, usermod_user,
	    usermod_group, userdel_user, userdel_group, userdel_owner, foruser,
	    byuser, byuid, user, category, pam_rhost, pam_target;
};

/* ---- event helpers ------------------------------------------------------- */

static const struct lh_field *
get(const struct lh_event *ev, const char *name)
{
	return lh_event_get(ev, name);
}

/* ctx.a?.b != null */
static int
has(const struct lh_event *ev, const char *name)
{
	return get(ev, name) != NULL;
}

/* ctx.a == null || ctx.a == "" */
static int
empty(const struct lh_event *ev, const char *name)
{
	const struct lh_field *f = get(ev, name);

	return f == NULL || f->len == 0;
}

static int
eq(const struct lh_event *ev, const char *name, const char *v)
{
	const struct lh_field *f = get(ev, name);

	return f != NULL && f->len == strlen(v) && memcmp(f->val, v, f->len) == 0;
}

static int
span_eq(struct span s, const char *v)
{
	return s.p != NULL && s.len == strlen(v) && memcmp(s.p, v, s.len) == 0;
}

static int
contains(const struct lh_event *ev, const char *needle)
{
	const struct lh_field *f = get(ev, LH_F_MESSAGE);
	size_t k = strlen(needle), i;

	if (f == NULL || f->len < k)
		return 0;
	for (i = 0; i + k <= f->len; i++) {
		if (memcmp(f->val + i, needle, k) == 0)
			return 1;
	}
	return 0;
}

static int
starts(const struct lh_event *ev, const char *prefix)
{
	const struct lh_field *f = get(ev, LH_F_MESSAGE);
	size_t k = strlen(prefix);

	return f != NULL && f->len >= k && memcmp(f->val, prefix, k) == 0;
}

/* set: replaces every value of name with a copy of p. */
static int
set(struct lh_event *ev, const char *name, const char *p, size_t len)
{
	char *q = lh_event_strdup(ev, p, len);

	if (q == NULL)
		return LH_FATAL;
	lh_event_del(ev, name);
	return lh_event_add(ev, name, q, len);
}

static int
sets(struct lh_event *ev, const char *name, const char *v)
{
	lh_event_del(ev, name);
	return lh_event_adds(ev, name, v);
}

/* set copy_from with ignore_empty_value. */
static int
set_from(struct lh_event *ev, const char *name, struct span from)
{
	if (from.p == NULL || from.len == 0)
		return LH_OK;
	return set(ev, name, from.p, from.len);
}

static int
set_field(struct lh_event *ev, const char *name, const char *from)
{
	const struct lh_field *f = get(ev, from);
	struct span s = { NULL, 0 };

	if (f != NULL) {
		s.p = f->val;
		s.len = f->len;
	}
	return set_from(ev, name, s);
}

/* append: allow_duplicates false when nodup. */
static int
append(struct lh_event *ev, const char *name, const char *v, size_t len,
    int nodup)
{
	size_t i;

	for (i = 0; nodup && i < ev->nfield; i++) {
		const struct lh_field *f = &ev->fields[i];

		if (strcmp(f->name, name) == 0 && f->len == len &&
		    memcmp(f->val, v, len) == 0)
			return LH_OK;
	}
	return lh_event_addcopy(ev, name, v, len);
}

static int
appends(struct lh_event *ev, const char *name, const char *v, int nodup)
{
	return append(ev, name, v, strlen(v), nodup);
}

/* rename _temp.x to name: a no-op when x is absent or name exists. */
static int
rename_tmp(struct lh_event *ev, struct span *x, const char *name)
{
	int rc;

	if (x->p == NULL || has(ev, name))
		return LH_OK;
	rc = set(ev, name, x->p, x->len);
	x->p = NULL;
	return rc;
}

/* ---- groks ----------------------------------------------------------------- */

enum {
	G_SPECIFIC, G_FAILLOCK, G_CHKPWD, G_GPASSWD, G_USERMOD, G_USERDEL,
	G_PAM_USERS, G_PAM_CATEGORY, G_PAM_KV, G_PAM_PASSWD, G_N
};

static const char *const p_specific[] = {
	"^%{DATA:system.auth.ssh.event} %{DATA:system.auth.ssh.method} for (invalid user)?%{DATA:user.name} from %{IPORHOST:source.address} port %{NUMBER:source.port:long} ssh2(: %{GREEDYDATA:system.auth.ssh.signature})?",
	"^%{DATA:system.auth.ssh.event} user %{DATA:user.name} from %{IPORHOST:source.address}",
	"^Did not receive identification string from %{IPORHOST:system.auth.ssh.dropped_ip}",
	"^%{SPACE}%{DATA:user.name} :(?: ((?!TTY=)%{DATA:system.auth.sudo.error}) ;)?(?: TTY=%{DATA:system.auth.sudo.tty} ;)? PWD=%{DATA:system.auth.sudo.pwd} ; USER=%{DATA:system.auth.sudo.user} ; COMMAND=%{GREEDYDATA:system.auth.sudo.command}",
	"^new group: name=%{DATA:group.name}, GID=%{NUMBER:group.id}",
	"^new user: name=%{DATA:user.target.name}, UID=%{NUMBER:user.target.id}, GID=%{NUMBER:group.id}, home=%{DATA:system.auth.useradd.home}, shell=%{DATA:system.auth.useradd.shell}$",
	"^group added to /etc/(?:group|gshadow): name=%{DATA:group.name}(?:, GID=%{NUMBER:group.id})?$",
	"^group '%{DATA:group.name}' removed(?: from /etc/(?:group|gshadow))?$",
};
static const char *const p_faillock[] = {
	"for user %{USERNAME:_temp.pam_user}",
};
static const char *const p_chkpwd[] = {
	"for user \\(?%{USERNAME:_temp.pam_user}\\)?",
};
static const char *const p_gpasswd[] = {
	"user %{USERNAME:_temp.gpasswd_target} %{WORD:_temp.gpasswd_action} by %{USERNAME:_temp.pam_user} (?:to|from) group %{DATA:group.name}$",
};
static const char *const p_usermod[] = {
	"^add '%{USERNAME:_temp.usermod_user}' to (?:shadow )?group '%{DATA:_temp.usermod_group}'",
	"user '%{USERNAME:_temp.usermod_user}'",
};
static const char *const p_userdel[] = {
	"^delete '%{USERNAME:_temp.userdel_user}' from (?:shadow )?group '%{DATA:_temp.userdel_group}'$",
	"^delete user '%{USERNAME:_temp.userdel_user}'$",
	"^removed (?:shadow )?group '%{DATA:_temp.userdel_group}'(?: owned by '%{DATA:_temp.userdel_owner}')?",
};
static const char *const p_pam_users[] = {
	"for user %{QUOTE}?%{DATA:_temp.foruser}%{QUOTE}? by %{QUOTE}?%{DATA:_temp.byuser}%{QUOTE}?(?:\\(uid=%{NUMBER:_temp.byuid}\\))?$",
	"for user %{QUOTE}?%{DATA:_temp.foruser}%{QUOTE}?$",
	"by user %{QUOTE}?%{DATA:_temp.byuser}%{QUOTE}?$",
	"%{BOUNDARY} user %{QUOTE}%{DATA:_temp.user}%{QUOTE}",
};
static const struct lh_grok_def d_pam_users[] = {
	{ "QUOTE", "['\"]" },
	{ "BOUNDARY", "(?<! )" },
	{ NULL, NULL }
};
static const char *const p_pam_category[] = {
	"^pam_unix(%{DATA}:%{WORD:_temp.category})",
};
static const char *const p_pam_kv[] = {
	"rhost=%{IPORHOST:_temp.pam_rhost}%{SPACE}(?:user=%{DATA:_temp.pam_user})?$",
	"rhost=%{SPACE}user=%{DATA:_temp.pam_user}$",
};
static const char *const p_pam_passwd[] = {
	"password changed for %{USERNAME:_temp.pam_target}$",
};

#define NP(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *const *pat;
	size_t n;
	const struct lh_grok_def *defs;
} groks[G_N] = {
	{ p_specific, NP(p_specific), NULL },
	{ p_faillock, NP(p_faillock), NULL },
	{ p_chkpwd, NP(p_chkpwd), NULL },
	{ p_gpasswd, NP(p_gpasswd), NULL },
	{ p_usermod, NP(p_usermod), NULL },
	{ p_userdel, NP(p_userdel), NULL },
	{ p_pam_users, NP(p_pam_users), d_pam_users },
	{ p_pam_category, NP(p_pam_category), NULL },
	{ p_pam_kv, NP(p_pam_kv), NULL },
	{ p_pam_passwd, NP(p_pam_passwd), NULL },
};

static struct lh_grok *compiled[G_N];
static int compiled_ok;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void
compile_all(void)
{
	int i;

	for (i = 0; i < G_N; i++) {
		compiled[i] = lh_grok_create(groks[i].pat, groks[i].n,
		    groks[i].defs, NULL);
		if (compiled[i] == NULL)
			return;
	}
	compiled_ok = 1;
}

const struct lh_grok *
lh_auth_grok(int which)
{
	if (pthread_once(&once, compile_all) != 0 || !compiled_ok ||
	    which < 0 || which >= G_N)
		return NULL;
	return compiled[which];
}

/* The _temp.* slot for a capture field, or NULL for a document field. */
static struct span *
tmp_slot(struct tmp *t, const char *field)
{
	static const struct {
		const char *name;
		size_t off;
	} map[] = {
#define M(x) { "_temp." #x, offsetof(struct tmp, x) }
		M(pam_user), M(gpasswd_target), M(gpasswd_action),
		M(usermod_user), M(usermod_group), M(userdel_user),
		M(userdel_group), M(userdel_owner), M(foruser), M(byuser),
		M(byuid), M(user), M(category), M(pam_rhost), M(pam_target),
#undef M
	};
	size_t i;

	for (i = 0; i < NP(map); i++) {
		if (strcmp(map[i].name, field) == 0)
			return (struct span *)(void *)((char *)t + map[i].off);
	}
	return NULL;
}

/* Writes a capture: typed ones as canonical decimal text. */
static int
put_cap(struct lh_event *ev, struct tmp *t, const struct lh_grok_cap *c)
{
	struct span *s = tmp_slot(t, c->field);
	char num[24];
	int k;

	if (s != NULL) {
		s->p = c->p;
		s->len = c->len;
		return LH_OK;
	}
	if (c->type == LH_GROK_STR)
		return set(ev, c->field, c->p, c->len);
	k = snprintf(num, sizeof(num), "%lld", (long long)c->num);
	return set(ev, c->field, num, (size_t)k);
}

/* Runs grok number which on message; the caller checked the condition. */
static int
grok(struct lh_event *ev, struct tmp *t, int which)
{
	const struct lh_grok *g = lh_auth_grok(which);
	const struct lh_field *m = get(ev, LH_F_MESSAGE);
	struct lh_grok_result r;
	size_t i;
	int rc;

	if (g == NULL)
		return LH_FATAL;
	if (m == NULL)
		return LH_OK;	/* ignore_missing */
	rc = lh_grok_match(g, m->val, m->len, &r);
	if (rc == LH_FATAL)
		return rc;
	for (i = 0; rc == LH_OK && i < r.ncap; i++)
		rc = put_cap(ev, t, &r.cap[i]);
	return rc == LH_FATAL ? LH_FATAL : LH_OK;
}

/* ---- the processors, in message.yml order -------------------------------- */

#define TRY(x) do { if ((rc = (x)) != LH_OK) goto out; } while (0)

static int
is_proc(const struct lh_event *ev, const char *const *list)
{
	for (; *list != NULL; list++) {
		if (eq(ev, LH_F_PROC_NAME, *list))
			return 1;
	}
	return 0;
}

/* grok-specific-messages through the gpasswd/usermod/userdel groks. */
static int
stage_specific(struct lh_event *ev, struct tmp *t)
{
	static const char *const um_ud[] = { "usermod", "userdel", NULL };
	int rc;

	TRY(grok(ev, t, G_SPECIFIC));
	if (has(ev, "user.target.name"))
		TRY(set_field(ev, "user.name", "user.target.name"));
	if (has(ev, "user.target.id"))
		TRY(set_field(ev, "user.id", "user.target.id"));
	if (has(ev, "system.auth.sudo.command")) {
		TRY(appends(ev, "event.category", "process", 1));
		TRY(appends(ev, "event.type", "start", 1));
	}
	if (contains(ev, "pam_faillock("))
		TRY(grok(ev, t, G_FAILLOCK));
	if (contains(ev, "password check failed"))
		TRY(grok(ev, t, G_CHKPWD));
	if (!has(ev, LH_F_PROC_NAME))	/* override: false */
		TRY(set_field(ev, LH_F_PROC_NAME, "log.syslog.appname"));
	if (eq(ev, LH_F_PROC_NAME, "gpasswd"))
		TRY(grok(ev, t, G_GPASSWD));
	if (eq(ev, LH_F_PROC_NAME, "usermod"))
		TRY(grok(ev, t, G_USERMOD));
	if (eq(ev, LH_F_PROC_NAME, "userdel"))
		TRY(grok(ev, t, G_USERDEL));
	if (!empty(ev, LH_F_MESSAGE) && !contains(ev, "pam_faillock(") &&
	    !contains(ev, "password check failed") && !is_proc(ev, um_ud))
		TRY(grok(ev, t, G_PAM_USERS));
	if (contains(ev, "pam_unix("))
		TRY(grok(ev, t, G_PAM_CATEGORY));
out:
	return rc;
}

/* From append_category_iam_chauthtok to set_action_group_member_removed. */
static int
stage_iam_temp(struct lh_event *ev, struct tmp *t)
{
	int rc = LH_OK;

	if (span_eq(t->category, "chauthtok")) {
		TRY(appends(ev, "event.category", "iam", 1));
		TRY(appends(ev, "event.type", "change", 1));
		TRY(sets(ev, "event.outcome", contains(ev, "password changed") ?
		    "success" : "failure"));
		TRY(sets(ev, "event.action", "password-changed"));
	}
	if (t->gpasswd_target.p != NULL) {
		TRY(appends(ev, "event.category", "iam", 1));
		TRY(appends(ev, "event.type", "change", 1));
		TRY(sets(ev, "event.outcome", "success"));
	}
	if (span_eq(t->gpasswd_action, "added"))
		TRY(sets(ev, "event.action", "group-user-added"));
	if (span_eq(t->gpasswd_action, "removed"))
		TRY(sets(ev, "event.action", "group-user-removed"));
	if (t->usermod_user.p != NULL) {
		TRY(set_from(ev, "user.target.name", t->usermod_user));
		TRY(set_from(ev, "user.name", t->usermod_user));
	}
	if (t->usermod_group.p != NULL) {
		TRY(set_from(ev, "group.name", t->usermod_group));
		TRY(sets(ev, "event.action", "group-member-added"));
	}
	if (t->userdel_user.p != NULL) {
		TRY(set_from(ev, "user.target.name", t->userdel_user));
		if (starts(ev, "delete user '"))
			TRY(set_from(ev, "user.name", t->userdel_user));
	}
	if (t->userdel_group.p != NULL)
		TRY(set_from(ev, "group.name", t->userdel_group));
	if (t->userdel_owner.p != NULL && empty(ev, "user.target.name"))
		TRY(set_from(ev, "user.target.name", t->userdel_owner));
	if (t->userdel_user.p != NULL && t->userdel_group.p != NULL)
		TRY(sets(ev, "event.action", "group-member-removed"));
	if (contains(ev, "rhost="))
		TRY(grok(ev, t, G_PAM_KV));
	if (contains(ev, "password changed for"))
		TRY(grok(ev, t, G_PAM_PASSWD));
out:
	return rc;
}

/* The PAM category and failure appends (after the skipped kv steps). */
static int
stage_pam(struct lh_event *ev, struct tmp *t)
{
	int rc = LH_OK, authfail = contains(ev, "authentication failure");

	if (span_eq(t->category, "session"))
		TRY(appends(ev, "event.category", "session", 1));
	if (span_eq(t->category, "auth"))
		TRY(appends(ev, "event.category", "authentication", 1));
	if (span_eq(t->category, "auth") && has(ev, LH_F_MESSAGE) && !authfail)
		TRY(sets(ev, "event.outcome", "success"));
	if (authfail) {
		TRY(sets(ev, "event.outcome", "failure"));
		TRY(appends(ev, "event.category", "authentication", 1));
		TRY(sets(ev, "event.action", "authentication_failure"));
		TRY(appends(ev, "event.type", "info", 1));
	}
	if (contains(ev, "pam_faillock(")) {
		TRY(appends(ev, "event.category", "authentication", 1));
		TRY(sets(ev, "event.outcome", "failure"));
		TRY(sets(ev, "event.action", "account-locked"));
		TRY(appends(ev, "event.type", "info", 1));
	}
	if (contains(ev, "password check failed")) {
		TRY(appends(ev, "event.category", "authentication", 1));
		TRY(sets(ev, "event.outcome", "failure"));
		TRY(appends(ev, "event.type", "info", 1));
		TRY(sets(ev, "event.action", "authentication_failure"));
	}
	if (contains(ev, "session opened"))
		TRY(sets(ev, "event.action", "logged-on"));
	if (contains(ev, "session closed"))
		TRY(sets(ev, "event.action", "logged-off"));
out:
	return rc;
}

/* rename_byuser through rename_gpasswd_target. */
static int
stage_renames(struct lh_event *ev, struct tmp *t)
{
	int rc = LH_OK;

	TRY(rename_tmp(ev, &t->byuser, "user.name"));
	TRY(rename_tmp(ev, &t->byuid, "user.id"));
	if (empty(ev, "user.name"))
		TRY(rename_tmp(ev, &t->foruser, "user.name"));
	if (empty(ev, "user.name"))
		TRY(rename_tmp(ev, &t->user, "user.name"));
	if (has(ev, "user.name"))
		TRY(rename_tmp(ev, &t->foruser, "user.effective.name"));
	if (t->pam_rhost.p != NULL && !has(ev, "source.address"))
		TRY(rename_tmp(ev, &t->pam_rhost, "source.address"));
	if (t->pam_user.p != NULL && t->pam_user.len > 0 &&
	    empty(ev, "user.name"))
		TRY(rename_tmp(ev, &t->pam_user, "user.name"));
	if (t->pam_target.p != NULL && t->pam_target.len > 0 &&
	    empty(ev, "user.name"))
		TRY(set_from(ev, "user.name", t->pam_target));
	if (span_eq(t->category, "chauthtok") && !empty(ev, "user.name"))
		TRY(set_field(ev, "user.target.name", "user.name"));
	if (t->pam_target.p != NULL && t->pam_target.len > 0 &&
	    empty(ev, "user.target.name"))
		TRY(rename_tmp(ev, &t->pam_target, "user.target.name"));
	if (t->gpasswd_target.p != NULL && t->gpasswd_target.len > 0)
		TRY(rename_tmp(ev, &t->gpasswd_target, "user.target.name"));
out:
	return rc;
}

/* convert_source-address, convert_sudo-user, the systemctl script. */
static int
stage_convert(struct lh_event *ev)
{
	const struct lh_field *f;
	int rc = LH_OK;

	if ((f = get(ev, "source.address")) != NULL)
		TRY(set(ev, is_ip(f->val, f->len) ? "source.ip" :
		    "source.domain", f->val, f->len));
	if (has(ev, "system.auth.sudo.user"))
		TRY(set_field(ev, "user.effective.name",
		    "system.auth.sudo.user"));
	if (has(ev, "system.auth.sudo.command"))
		TRY(lh_auth_sudo_systemctl(ev));
	if ((f = get(ev, "system.auth.ssh.dropped_ip")) != NULL) {
		if (is_ip(f->val, f->len))
			TRY(set(ev, "source.ip", f->val, f->len));
		else
			lh_event_del(ev, "system.auth.ssh.dropped_ip");
	}
	TRY(sets(ev, "event.kind", "event"));
out:
	return rc;
}

/* script-categorize-ssh-event. */
static int
stage_ssh(struct lh_event *ev)
{
	int rc = LH_OK, ok = eq(ev, "system.auth.ssh.event", "Accepted");

	if (!ok && !eq(ev, "system.auth.ssh.event", "Invalid") &&
	    !eq(ev, "system.auth.ssh.event", "Failed"))
		return LH_OK;
	TRY(sets(ev, "event.type", "info"));
	TRY(sets(ev, "event.category", "authentication"));
	if (ok)
		TRY(appends(ev, "event.category", "session", 0));
	TRY(sets(ev, "event.action", "ssh_login"));
	TRY(sets(ev, "event.outcome", ok ? "success" : "failure"));
out:
	return rc;
}

/* The related.* appends. */
static int
stage_related(struct lh_event *ev)
{
	static const char *const from[][2] = {
		{ "related.user", "user.name" },
		{ "related.user", "user.effective.name" },
		{ "related.user", "user.target.name" },
		{ "related.ip", "source.ip" },
		{ "related.hosts", "host.hostname" },
	};
	const struct lh_field *f;
	size_t i;
	int rc = LH_OK;

	for (i = 0; i < NP(from); i++) {
		if ((f = get(ev, from[i][1])) != NULL && f->len > 0)
			TRY(append(ev, from[i][0], f->val, f->len, 1));
	}
out:
	return rc;
}

int
lh_auth_message(struct lh_event *ev)
{
	struct tmp t;
	int rc;

	memset(&t, 0, sizeof(t));
	TRY(stage_specific(ev, &t));
	TRY(stage_iam_temp(ev, &t));
	TRY(stage_pam(ev, &t));
	TRY(stage_renames(ev, &t));
	TRY(stage_convert(ev));
	TRY(stage_ssh(ev));
	TRY(lh_auth_iam(ev));
	TRY(stage_related(ev));
out:
	return rc;
}
