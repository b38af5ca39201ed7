/*
 * name_test.c: interned field names (core/name.h) and what relies on
 * them: lookups by pointer in a canon event find what lookups by string
 * find, an event stops being canon when it gets another name, and a match
 * keeps its interned names through the merger's spill (core/hits.c).
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/evidence.h"
#include "core/field.h"
#include "core/hits.h"
#include "core/match.h"
#include "core/name.h"
#include "core/status.h"

static const char *
intern(const char *s)
{
	char *p = lh_name_intern(strdup(s));

	cr_assert_not_null(p);
	cr_assert(lh_name_interned(p), "%s interned", s);
	return p;
}

Test(name, one_copy_per_name)
{
	const char *a = intern("source.ip"), *b = intern("source.ip");
	const char *c = intern("source.port");
	char local[] = "source.ip";

	cr_assert_eq(a, b, "the same pointer for the same name");
	cr_assert_neq(a, c);
	cr_assert_str_eq(a, "source.ip");
	cr_assert(!lh_name_interned(local));
	cr_assert(lh_event_is_static(a), "interned names live until exit");
	lh_name_free((char *)(uintptr_t)a);	/* kept */
	cr_assert_str_eq(b, "source.ip");
	lh_name_free(NULL);
	cr_assert_null(lh_name_intern(NULL));
}

/*
 * An event of interned names, marked canon, with a multi-valued field:
 * each lookup (interned name, a copy of the name, a missing one) finds
 * the same fields as in the same event unmarked.
 */
Test(name, canon_lookup_is_string_lookup)
{
	const char *ip = intern("related.ip"), *user = intern("user.name");
	const char *act = intern("event.action"), *none = intern("no.such");
	const char *look[] = { ip, user, act, none, "related.ip", "user.name",
	    "no.such" };
	struct lh_event ev;
	size_t i, k, a, b;

	lh_event_init(&ev);
	cr_assert_eq(lh_event_adds(&ev, act, "ssh_login"), LH_OK);
	cr_assert_eq(lh_event_adds(&ev, ip, "10.0.0.1"), LH_OK);
	cr_assert_eq(lh_event_adds(&ev, user, "root"), LH_OK);
	cr_assert_eq(lh_event_adds(&ev, ip, "10.0.0.2"), LH_OK);
	for (k = 0; k < sizeof(look) / sizeof(look[0]); k++) {
		size_t plain[4], fast[4], np = 0, nf = 0;

		ev.canon = 0;
		for (i = lh_field_find(&ev, look[k], 0); i < ev.nfield;
		    i = lh_field_find(&ev, look[k], i + 1))
			plain[np++] = i;
		ev.canon = 1;
		for (i = lh_field_find(&ev, look[k], 0); i < ev.nfield;
		    i = lh_field_find(&ev, look[k], i + 1))
			fast[nf++] = i;
		cr_assert_eq(np, nf, "%s", look[k]);
		for (i = 0; i < np; i++)
			cr_assert_eq(plain[i], fast[i]);
		cr_assert_eq(lh_field_get(&ev, look[k]) != NULL, np > 0);
	}
	a = lh_field_find(&ev, ip, 0);
	b = lh_field_find(&ev, ip, a + 1);
	cr_assert_eq(a, 1);
	cr_assert_eq(b, 3);
	/* a name that is not interned: the event is no longer canon */
	cr_assert_eq(lh_event_adds(&ev, "source.ip", "10.0.0.9"), LH_OK);
	cr_assert_eq(ev.canon, 0);
	cr_assert_not_null(lh_field_get(&ev, intern("source.ip")));
	lh_event_reset(&ev);
	cr_assert_eq(ev.canon, 0);
	lh_event_free(&ev);
}

struct got {
	const char *user;	/* the interned "user.name" */
	int canon[2], same[2];
	char name[2][16], val[2][16];
	int n;
};

/* lh_hits_finish's callback: notes the second field; owns m. */
static int
emit(void *arg, const struct lh_match *m)
{
	struct got *g = arg;

	cr_assert_lt(g->n, 2);
	cr_assert_eq(m->nf, 2);
	g->canon[g->n] = m->canon;
	g->same[g->n] = m->f[1].name == g->user;
	cr_assert_lt(strlen(m->f[1].name), sizeof(g->name[0]));
	strcpy(g->name[g->n], m->f[1].name);
	cr_assert_lt(m->f[1].len, sizeof(g->val[0]));
	memcpy(g->val[g->n], m->f[1].val, m->f[1].len);
	g->n++;
	lh_match_pool_put(NULL, (struct lh_match *)(uintptr_t)m);
	return LH_OK;
}

/* A match of interned names comes out of the spill with the same names. */
Test(name, spill_keeps_interned_names)
{
	const char *user = intern("user.name");
	struct lh_hits_opts o = { NULL, 1 << 20, 1, 0, NULL };
	struct lh_evidence *e = lh_evidence_create();
	struct lh_event ev;
	struct lh_hits *h;
	struct lh_err err;
	struct got g;
	int k;

	memset(&g, 0, sizeof(g));
	g.user = user;
	lh_err_clear(&err);
	cr_assert_not_null(e);
	cr_assert_not_null(h = lh_hits_create(&o, &err));
	for (k = 0; k < 2; k++) {
		lh_event_init(&ev);
		ev.ts = (int64_t)k * 1000000;
		ev.line = (uint64_t)k + 1;
		cr_assert_eq(lh_event_adds(&ev, intern("message"), "m"), LH_OK);
		/* the second event's name is a plain string */
		cr_assert_eq(lh_event_adds(&ev, k == 0 ? user : "user.name",
		    k == 0 ? "root" : "bin"), LH_OK);
		ev.canon = k == 0;
		cr_assert_eq(lh_hits_add(h, lh_match_create(&ev, -1, "", "f"),
		    &err), LH_OK);
		lh_event_free(&ev);
	}
	cr_assert_eq(lh_hits_finish(h, e, emit, &g, &err), LH_OK);
	cr_assert_eq(g.n, 2);
	cr_assert_eq(g.canon[0], 1);
	cr_assert(g.same[0], "the interned pointer itself");
	cr_assert_str_eq(g.name[0], "user.name");
	cr_assert_str_eq(g.val[0], "root");
	cr_assert_eq(g.canon[1], 0);
	cr_assert(!g.same[1], "a copy");
	cr_assert_str_eq(g.name[1], "user.name");
	cr_assert_str_eq(g.val[1], "bin");
	lh_hits_free(h);
	lh_evidence_free(e);
}
