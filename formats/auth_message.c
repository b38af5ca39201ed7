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
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/field.h"
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

/*
 * One run of the pipeline on ev.  Lookups of names the event does not hold
 * are the common case (most processors test for a field some grok may have
 * set), so names[] keeps a bit per hash of every name the event may hold:
 * a clear bit answers "absent" without a scan.  Every write below sets the
 * bit of its name; a deletion leaves it (it only costs a scan).  message
 * and process.name are read once; the pipeline never writes message and
 * writes process.name only through set_proc().
 */
#define NAME_WORDS 8	/* 512 bits: few false positives at 50 names */

struct run {
	struct lh_event *ev;
	struct tmp t;
	uint64_t names[NAME_WORDS];
	struct span msg;	/* p == NULL: absent */
	struct span proc;
	int scanned;		/* found is known */
	unsigned found;		/* the needles of contains(), by bit */
};

/*
 * The bit of names[] for name: a hash of its length and four of its bytes
 * (the ECS names looked up differ in one of them), cheap to compute for
 * every field of the event.  The second multiplier gives the names this
 * pipeline looks up and those syslog, journal and auth events carry a bit
 * each (service.name and service.type excepted): a shared bit costs a
 * scan per lookup, as source.port and data_stream.dataset did.
 */
static inline unsigned
name_bit(const char *name)
{
	size_t n = strlen(name);
	uint32_t h;

	if (n == 0)
		return 0;
	h = (uint32_t)n * 0x9e3779b1U ^ (unsigned char)name[0] ^
	    (uint32_t)(unsigned char)name[n / 2] << 8 ^
	    (uint32_t)(unsigned char)name[n - 1] << 16 ^
	    (uint32_t)(unsigned char)name[(n - 1) / 3 * 2] << 24;
	h ^= h >> 15;
	h *= 0x587fd281U;
	h ^= h >> 13;
	return (h >> 23) & (NAME_WORDS * 64 - 1);
}

static inline void
note_bit(struct run *r, unsigned b)
{
	r->names[b >> 6] |= UINT64_C(1) << (b & 63);
}

static inline void
note(struct run *r, const char *name)
{
	note_bit(r, name_bit(name));
}

static inline int
has_bit(const struct run *r, unsigned b)
{
	return (r->names[b >> 6] >> (b & 63)) & 1;
}

/* 0 when the event surely holds no field named name. */
static inline int
may_have(const struct run *r, const char *name)
{
	return has_bit(r, name_bit(name));
}

static const char empty_val[1];

/* The first value of a field as a span (p never NULL), or p == NULL. */
static struct span
as_span(const struct lh_field *f)
{
	struct span s = { NULL, 0 };

	if (f != NULL) {
		s.p = f->val != NULL ? f->val : empty_val;
		s.len = f->len;
	}
	return s;
}

static void
run_init(struct run *r, struct lh_event *ev)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->ev = ev;
	for (i = 0; i < ev->nfield; i++)
		note(r, ev->fields[i].name);
	r->msg = as_span(lh_field_get(ev, LH_F_MESSAGE));
	r->proc = as_span(lh_field_get(ev, LH_F_PROC_NAME));
}

static inline const struct lh_field *
get(const struct run *r, const char *name)
{
	return may_have(r, name) ? lh_field_get(r->ev, name) : NULL;
}

/* ctx.a?.b != null */
static inline int
has(const struct run *r, const char *name)
{
	return get(r, name) != NULL;
}

/* ctx.a == null || ctx.a == "" */
static inline int
empty(const struct run *r, const char *name)
{
	const struct lh_field *f = get(r, name);

	return f == NULL || f->len == 0;
}

static inline int
span_eq(struct span s, const char *v)
{
	return s.p != NULL && s.len == strlen(v) && memcmp(s.p, v, s.len) == 0;
}

static inline int
eq(const struct run *r, const char *name, const char *v)
{
	return span_eq(as_span(get(r, name)), v);
}

/* The substrings of message the conditions look for. */
enum {
	N_FAILLOCK, N_CHKPWD, N_PAM_UNIX, N_RHOST, N_PW_CHANGED_FOR,
	N_PW_CHANGED, N_AUTHFAIL, N_OPENED, N_CLOSED,
	N_USER,		/* not a condition: in every pattern of G_PAM_USERS */
	N_N
};

static const char *const needles[N_N] = {
	"pam_faillock(", "password check failed", "pam_unix(", "rhost=",
	"password changed for", "password changed", "authentication failure",
	"session opened", "session closed", " user "
};

#define NB(x) (1u << (x))

/* The needles that begin with each byte. */
static const unsigned short needles_at[256] = {
	[' '] = NB(N_USER),
	['a'] = NB(N_AUTHFAIL),
	['p'] = NB(N_FAILLOCK) | NB(N_CHKPWD) | NB(N_PAM_UNIX) |
	    NB(N_PW_CHANGED_FOR) | NB(N_PW_CHANGED),
	['r'] = NB(N_RHOST),
	['s'] = NB(N_OPENED) | NB(N_CLOSED),
};

static size_t needle_len[N_N];	/* strlen(needles[k]), made once */

static void
lits_init(void)
{
	size_t i;

	for (i = 0; i < N_N; i++)
		needle_len[i] = strlen(needles[i]);
}

/* The needles at s + i of the n bytes at s, by bit. */
static inline unsigned
needles_here(const char *s, size_t n, size_t i)
{
	unsigned found = 0, m = needles_at[(unsigned char)s[i]];
	size_t k;

	for (; m != 0; m &= m - 1) {
		k = (size_t)__builtin_ctz(m);
		if (n - i >= needle_len[k] && s[i + 1] == needles[k][1] &&
		    memcmp(s + i, needles[k], needle_len[k]) == 0)
			found |= NB(k);
	}
	return found;
}

#if defined(__SSE2__)
/*
 * The positions of the 16 bytes at p (17 are read) where a needle's first
 * two bytes are, by bit: "pa", "rh", "au", "se", " u".
 */
static inline unsigned
firsts16(const char *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i w = _mm_loadu_si128((const __m128i *)(const void *)(p + 1));
#define AT(a, b) _mm_and_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(a)), \
	_mm_cmpeq_epi8(w, _mm_set1_epi8(b)))
	__m128i h = _mm_or_si128(_mm_or_si128(AT('p', 'a'), AT('r', 'h')),
	    _mm_or_si128(_mm_or_si128(AT('a', 'u'), AT('s', 'e')),
	    AT(' ', 'u')));
#undef AT

	return (unsigned)_mm_movemask_epi8(h);
}
#endif

/*
 * The needles that occur in the n bytes at s, by bit: one pass over s
 * for all of them (every message asks for each), 16 positions a step
 * where SSE2 is there, at those where a needle's first two bytes are (the
 * last step overlaps the one before, its positions seen masked off).
 * Every needle is at least two bytes long, so s[i + 1] is there when the
 * needle fits.
 */
static unsigned
scan_needles(const char *s, size_t n)
{
	unsigned found = 0;
	size_t i = 0;
#if defined(__SSE2__)
	unsigned m;

	for (; i + 17 <= n; i += 16) {
		for (m = firsts16(s + i); m != 0; m &= m - 1)
			found |= needles_here(s, n, i +
			    (size_t)__builtin_ctz(m));
	}
	if (i + 1 < n && n >= 17) {	/* positions i .. n - 2 */
		m = firsts16(s + n - 17) >> (16 - (n - 1 - i));
		for (; m != 0; m &= m - 1)
			found |= needles_here(s, n, i +
			    (size_t)__builtin_ctz(m));
		return found;
	}
#endif
	for (; i < n; i++) {
		if (needles_at[(unsigned char)s[i]] != 0)
			found |= needles_here(s, n, i);
	}
	return found;
}

/*
 * ctx.message.contains(needle).  The pipeline's first step, grok(), made
 * needle_len[] (lh_auth_grok); the first call scans message.
 */
static inline int
contains(struct run *r, int needle)
{
	if (!r->scanned) {
		r->scanned = 1;
		r->found = r->msg.p != NULL ? scan_needles(r->msg.p,
		    r->msg.len) : 0;
	}
	return (r->found & NB(needle)) != 0;
}

static int
starts(const struct run *r, const char *prefix)
{
	size_t k = strlen(prefix);

	return r->msg.p != NULL && r->msg.len >= k &&
	    memcmp(r->msg.p, prefix, k) == 0;
}

static void
del(struct run *r, const char *name)
{
	if (may_have(r, name))
		lh_event_del(r->ev, name);
}

/*
 * set: replaces every value of name (whose name_bit is b) with p.  Every
 * value the pipeline sets is event content (a value of ev, a span of
 * message) or static, so it is borrowed, not copied: it stays valid as
 * long as the event does.
 */
static int
set_b(struct run *r, const char *name, unsigned b, const char *p,
    size_t len)
{
	if (has_bit(r, b))
		lh_event_del(r->ev, name);
	note_bit(r, b);
	return lh_event_add(r->ev, name, p, len);
}

/* set_b() for a name (a literal's name_bit is a constant). */
static inline int
set(struct run *r, const char *name, const char *p, size_t len)
{
	return set_b(r, name, name_bit(name), p, len);
}

/* set with a copy of p (a value that is not event content). */
static int
set_copy(struct run *r, const char *name, const char *p, size_t len)
{
	char *q = lh_event_strdup(r->ev, p, len);

	return q != NULL ? set(r, name, q, len) : LH_FATAL;
}

static inline int
sets(struct run *r, const char *name, const char *v)
{
	return set(r, name, v, strlen(v));
}

/* set copy_from with ignore_empty_value. */
static int
set_from(struct run *r, const char *name, struct span from)
{
	if (from.p == NULL || from.len == 0)
		return LH_OK;
	return set(r, name, from.p, from.len);
}

static int
set_field(struct run *r, const char *name, const char *from)
{
	return set_from(r, name, as_span(get(r, from)));
}

/* append: allow_duplicates false when nodup. */
static int
append(struct run *r, const char *name, const char *v, size_t len,
    int nodup)
{
	const struct lh_event *ev = r->ev;
	size_t i;

	if (!may_have(r, name))
		nodup = 0;
	for (i = 0; nodup && i < ev->nfield; i++) {
		const struct lh_field *f = &ev->fields[i];

		if (strcmp(f->name, name) == 0 && f->len == len &&
		    memcmp(f->val, v, len) == 0)
			return LH_OK;
	}
	note(r, name);
	return lh_event_add(r->ev, name, v, len);	/* see set() */
}

static int
appends(struct run *r, const char *name, const char *v, int nodup)
{
	return append(r, name, v, strlen(v), nodup);
}

/* rename _temp.x to name: a no-op when x is absent or name exists. */
static int
rename_tmp(struct run *r, struct span *x, const char *name)
{
	int rc;

	if (x->p == NULL || has(r, name))
		return LH_OK;
	rc = set(r, name, x->p, x->len);
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

/* The _temp.* fields by name; tmp_slot() resolves a capture once. */
static const struct {
	const char *name;
	size_t off;
} tmp_map[] = {
#define M(x) { "_temp." #x, offsetof(struct tmp, x) }
	M(pam_user), M(gpasswd_target), M(gpasswd_action),
	M(usermod_user), M(usermod_group), M(userdel_user),
	M(userdel_group), M(userdel_owner), M(foruser), M(byuser),
	M(byuid), M(user), M(category), M(pam_rhost), M(pam_target),
#undef M
};

#define NO_TMP ((size_t)-1)

static struct lh_grok *compiled[G_N];
/* For capture k of grok which: the offset of its struct tmp slot, or NO_TMP. */
static size_t slot_of[G_N][LH_GROK_MAXCAP];
/* For capture k of grok which: the name_bit() of its field. */
static unsigned bit_of[G_N][LH_GROK_MAXCAP];
static int compiled_ok;
static int ssh_quick;	/* lh_auth_ssh_ids() holds for G_SPECIFIC */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void
resolve_slots(int which)
{
	const char *field;
	size_t i;
	int k;

	for (k = 0; k < lh_grok_ncap(compiled[which]); k++) {
		field = lh_grok_field(compiled[which], k);
		bit_of[which][k] = name_bit(field);
		slot_of[which][k] = NO_TMP;
		for (i = 0; i < NP(tmp_map); i++) {
			if (strcmp(tmp_map[i].name, field) == 0)
				slot_of[which][k] = tmp_map[i].off;
		}
	}
}

static void
compile_all(void)
{
	int i;

	lits_init();
	for (i = 0; i < G_N; i++) {
		compiled[i] = lh_grok_create(groks[i].pat, groks[i].n,
		    groks[i].defs, NULL);
		if (compiled[i] == NULL)
			return;
		resolve_slots(i);
	}
	ssh_quick = lh_auth_ssh_ids(compiled[G_SPECIFIC]);
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

/* Writes a capture of grok which: typed ones as canonical decimal text. */
static int
put_cap(struct run *r, int which, const struct lh_grok_cap *c)
{
	size_t off = slot_of[which][c->id];
	struct span *s;
	char num[24];
	int k;

	if (off != NO_TMP) {
		s = (struct span *)(void *)((char *)&r->t + off);
		s->p = c->p;
		s->len = c->len;
		return LH_OK;
	}
	if (c->type == LH_GROK_STR)
		return set_b(r, c->field, bit_of[which][c->id], c->p, c->len);
	if (c->num >= 0) {	/* (no printf for the port of every sshd line) */
		uint64_t v = (uint64_t)c->num;

		k = (int)sizeof(num);
		do {
			num[--k] = (char)('0' + v % 10);
			v /= 10;
		} while (v != 0);
		return set_copy(r, c->field, num + k, sizeof(num) - (size_t)k);
	}
	k = snprintf(num, sizeof(num), "%lld", (long long)c->num);
	return set_copy(r, c->field, num, (size_t)k);
}

/* Runs grok number which on message; the caller checked the condition. */
static int
grok(struct run *r, int which)
{
	const struct lh_grok *g = lh_auth_grok(which);
	struct lh_grok_result res;
	size_t i;
	int rc;

	if (g == NULL)
		return LH_FATAL;
	if (r->msg.p == NULL)
		return LH_OK;	/* ignore_missing */
	if (which == G_SPECIFIC && ssh_quick &&
	    lh_auth_ssh_quick(g, r->msg.p, r->msg.len, &res))
		rc = LH_OK;	/* the common sshd lines: auth_ssh.c */
	else
		rc = lh_grok_match(g, r->msg.p, r->msg.len, &res);
	if (rc == LH_FATAL)
		return rc;
	for (i = 0; rc == LH_OK && i < res.ncap; i++)
		rc = put_cap(r, which, &res.cap[i]);
	return rc == LH_FATAL ? LH_FATAL : LH_OK;
}

/* ---- the processors, in message.yml order -------------------------------- */

#define TRY(x) do { if ((rc = (x)) != LH_OK) goto out; } while (0)

static int
is_proc(const struct run *r, const char *const *list)
{
	for (; *list != NULL; list++) {
		if (span_eq(r->proc, *list))
			return 1;
	}
	return 0;
}

/* set process.name from log.syslog.appname, override false. */
static int
set_proc(struct run *r)
{
	int rc;

	if (r->proc.p != NULL)
		return LH_OK;
	rc = set_field(r, LH_F_PROC_NAME, "log.syslog.appname");
	r->proc = as_span(get(r, LH_F_PROC_NAME));
	return rc;
}

/* grok-specific-messages through the gpasswd/usermod/userdel groks. */
static int
stage_specific(struct run *r)
{
	static const char *const um_ud[] = { "usermod", "userdel", NULL };
	int rc;

	TRY(grok(r, G_SPECIFIC));
	if (has(r, "user.target.name"))
		TRY(set_field(r, "user.name", "user.target.name"));
	if (has(r, "user.target.id"))
		TRY(set_field(r, "user.id", "user.target.id"));
	if (has(r, "system.auth.sudo.command")) {
		TRY(appends(r, "event.category", "process", 1));
		TRY(appends(r, "event.type", "start", 1));
	}
	if (contains(r, N_FAILLOCK))
		TRY(grok(r, G_FAILLOCK));
	if (contains(r, N_CHKPWD))
		TRY(grok(r, G_CHKPWD));
	TRY(set_proc(r));
	if (span_eq(r->proc, "gpasswd"))
		TRY(grok(r, G_GPASSWD));
	if (span_eq(r->proc, "usermod"))
		TRY(grok(r, G_USERMOD));
	if (span_eq(r->proc, "userdel"))
		TRY(grok(r, G_USERDEL));
	/* (without " user " none of its patterns matches: nothing to run) */
	if (r->msg.p != NULL && r->msg.len > 0 && !contains(r, N_FAILLOCK) &&
	    !contains(r, N_CHKPWD) && !is_proc(r, um_ud) &&
	    contains(r, N_USER))
		TRY(grok(r, G_PAM_USERS));
	if (contains(r, N_PAM_UNIX))
		TRY(grok(r, G_PAM_CATEGORY));
out:
	return rc;
}

/* From append_category_iam_chauthtok to set_action_group_member_removed. */
static int
stage_iam_temp(struct run *r)
{
	int rc = LH_OK;

	if (span_eq(r->t.category, "chauthtok")) {
		TRY(appends(r, "event.category", "iam", 1));
		TRY(appends(r, "event.type", "change", 1));
		TRY(sets(r, "event.outcome", contains(r, N_PW_CHANGED) ?
		    "success" : "failure"));
		TRY(sets(r, "event.action", "password-changed"));
	}
	if (r->t.gpasswd_target.p != NULL) {
		TRY(appends(r, "event.category", "iam", 1));
		TRY(appends(r, "event.type", "change", 1));
		TRY(sets(r, "event.outcome", "success"));
	}
	if (span_eq(r->t.gpasswd_action, "added"))
		TRY(sets(r, "event.action", "group-user-added"));
	if (span_eq(r->t.gpasswd_action, "removed"))
		TRY(sets(r, "event.action", "group-user-removed"));
	if (r->t.usermod_user.p != NULL) {
		TRY(set_from(r, "user.target.name", r->t.usermod_user));
		TRY(set_from(r, "user.name", r->t.usermod_user));
	}
	if (r->t.usermod_group.p != NULL) {
		TRY(set_from(r, "group.name", r->t.usermod_group));
		TRY(sets(r, "event.action", "group-member-added"));
	}
	if (r->t.userdel_user.p != NULL) {
		TRY(set_from(r, "user.target.name", r->t.userdel_user));
		if (starts(r, "delete user '"))
			TRY(set_from(r, "user.name", r->t.userdel_user));
	}
	if (r->t.userdel_group.p != NULL)
		TRY(set_from(r, "group.name", r->t.userdel_group));
	if (r->t.userdel_owner.p != NULL && empty(r, "user.target.name"))
		TRY(set_from(r, "user.target.name", r->t.userdel_owner));
	if (r->t.userdel_user.p != NULL && r->t.userdel_group.p != NULL)
		TRY(sets(r, "event.action", "group-member-removed"));
	if (contains(r, N_RHOST))
		TRY(grok(r, G_PAM_KV));
	if (contains(r, N_PW_CHANGED_FOR))
		TRY(grok(r, G_PAM_PASSWD));
out:
	return rc;
}

/* The PAM category and failure appends (after the skipped kv steps). */
static int
stage_pam(struct run *r)
{
	int rc = LH_OK, authfail = contains(r, N_AUTHFAIL);

	if (span_eq(r->t.category, "session"))
		TRY(appends(r, "event.category", "session", 1));
	if (span_eq(r->t.category, "auth"))
		TRY(appends(r, "event.category", "authentication", 1));
	if (span_eq(r->t.category, "auth") && r->msg.p != NULL && !authfail)
		TRY(sets(r, "event.outcome", "success"));
	if (authfail) {
		TRY(sets(r, "event.outcome", "failure"));
		TRY(appends(r, "event.category", "authentication", 1));
		TRY(sets(r, "event.action", "authentication_failure"));
		TRY(appends(r, "event.type", "info", 1));
	}
	if (contains(r, N_FAILLOCK)) {
		TRY(appends(r, "event.category", "authentication", 1));
		TRY(sets(r, "event.outcome", "failure"));
		TRY(sets(r, "event.action", "account-locked"));
		TRY(appends(r, "event.type", "info", 1));
	}
	if (contains(r, N_CHKPWD)) {
		TRY(appends(r, "event.category", "authentication", 1));
		TRY(sets(r, "event.outcome", "failure"));
		TRY(appends(r, "event.type", "info", 1));
		TRY(sets(r, "event.action", "authentication_failure"));
	}
	if (contains(r, N_OPENED))
		TRY(sets(r, "event.action", "logged-on"));
	if (contains(r, N_CLOSED))
		TRY(sets(r, "event.action", "logged-off"));
out:
	return rc;
}

/* rename_byuser through rename_gpasswd_target. */
static int
stage_renames(struct run *r)
{
	int rc = LH_OK;

	TRY(rename_tmp(r, &r->t.byuser, "user.name"));
	TRY(rename_tmp(r, &r->t.byuid, "user.id"));
	if (empty(r, "user.name"))
		TRY(rename_tmp(r, &r->t.foruser, "user.name"));
	if (empty(r, "user.name"))
		TRY(rename_tmp(r, &r->t.user, "user.name"));
	if (has(r, "user.name"))
		TRY(rename_tmp(r, &r->t.foruser, "user.effective.name"));
	if (r->t.pam_rhost.p != NULL && !has(r, "source.address"))
		TRY(rename_tmp(r, &r->t.pam_rhost, "source.address"));
	if (r->t.pam_user.p != NULL && r->t.pam_user.len > 0 &&
	    empty(r, "user.name"))
		TRY(rename_tmp(r, &r->t.pam_user, "user.name"));
	if (r->t.pam_target.p != NULL && r->t.pam_target.len > 0 &&
	    empty(r, "user.name"))
		TRY(set_from(r, "user.name", r->t.pam_target));
	if (span_eq(r->t.category, "chauthtok") && !empty(r, "user.name"))
		TRY(set_field(r, "user.target.name", "user.name"));
	if (r->t.pam_target.p != NULL && r->t.pam_target.len > 0 &&
	    empty(r, "user.target.name"))
		TRY(rename_tmp(r, &r->t.pam_target, "user.target.name"));
	if (r->t.gpasswd_target.p != NULL && r->t.gpasswd_target.len > 0)
		TRY(rename_tmp(r, &r->t.gpasswd_target, "user.target.name"));
out:
	return rc;
}

/* convert_source-address, convert_sudo-user, the systemctl script. */
static int
stage_convert(struct run *r)
{
	const struct lh_field *f;
	int rc = LH_OK;

	if ((f = get(r, "source.address")) != NULL)
		TRY(set(r, is_ip(f->val, f->len) ? "source.ip" :
		    "source.domain", f->val, f->len));
	if (has(r, "system.auth.sudo.user"))
		TRY(set_field(r, "user.effective.name",
		    "system.auth.sudo.user"));
	if (has(r, "system.auth.sudo.command")) {
		TRY(lh_auth_sudo_systemctl(r->ev));
		note(r, "service.name");
		note(r, "event.action");
		note(r, "event.type");
	}
	if ((f = get(r, "system.auth.ssh.dropped_ip")) != NULL) {
		if (is_ip(f->val, f->len))
			TRY(set(r, "source.ip", f->val, f->len));
		else
			del(r, "system.auth.ssh.dropped_ip");
	}
	TRY(sets(r, "event.kind", "event"));
out:
	return rc;
}

/* script-categorize-ssh-event. */
static int
stage_ssh(struct run *r)
{
	int rc = LH_OK, ok = eq(r, "system.auth.ssh.event", "Accepted");

	if (!ok && !eq(r, "system.auth.ssh.event", "Invalid") &&
	    !eq(r, "system.auth.ssh.event", "Failed"))
		return LH_OK;
	TRY(sets(r, "event.type", "info"));
	TRY(sets(r, "event.category", "authentication"));
	if (ok)
		TRY(appends(r, "event.category", "session", 0));
	TRY(sets(r, "event.action", "ssh_login"));
	TRY(sets(r, "event.outcome", ok ? "success" : "failure"));
out:
	return rc;
}

/* The related.* appends. */
static int
stage_related(struct run *r)
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
		if ((f = get(r, from[i][1])) != NULL && f->len > 0)
			TRY(append(r, from[i][0], f->val, f->len, 1));
	}
out:
	return rc;
}

int
lh_auth_message(struct lh_event *ev)
{
	struct run r;
	int rc;

	run_init(&r, ev);
	TRY(stage_specific(&r));
	TRY(stage_iam_temp(&r));
	TRY(stage_pam(&r));
	TRY(stage_renames(&r));
	TRY(stage_convert(&r));
	TRY(stage_ssh(&r));
	TRY(lh_auth_iam(ev, r.msg.p, r.msg.len, r.proc.p, r.proc.len));
	note(&r, "event.category");
	note(&r, "event.outcome");
	note(&r, "event.type");
	note(&r, "event.action");
	TRY(stage_related(&r));
out:
	return rc;
}
