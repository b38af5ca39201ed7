/*
 * state.c: the --state file (see state.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/state.h"
#include "core/buf.h"
#include "core/num.h"
#include "core/status.h"
#include "core/time.h"

#define HEADER "# loghunt state 1\n"

struct entry {
	uint64_t hash;
	int64_t ts, prec;
	int flags;
	int seen;		/* matched an alert of this run */
	char *rest;		/* owned: "RULE_ID HOST", for people */
};

struct lh_state {
	struct entry *e;
	size_t n, cap;
	size_t nold;		/* e[0..nold) came from the file, sorted */
};

void
lh_state_free(struct lh_state *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->n; i++)
		free(st->e[i].rest);
	free(st->e);
	free(st);
}

/* Appends e (taking ownership of e->rest).  LH_OK or LH_FATAL. */
static int
add(struct lh_state *st, const struct entry *e)
{
	if (lh_grow(&st->e, &st->cap, st->n + 1, sizeof(*st->e)) != LH_OK)
		return LH_FATAL;
	st->e[st->n++] = *e;
	return LH_OK;
}

static int
cmp_hash(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;

	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	return a->ts < b->ts ? -1 : a->ts > b->ts;
}

/*
 * The next field of *p: the bytes up to the next space (which must exist)
 * or, with last, up to the end of the line.  Advances *p past the space.
 */
static int
field(char **p, char **f, size_t *n, int last)
{
	char *sp = last ? strchr(*p, '\n') : strchr(*p, ' ');

	if (sp == NULL && !last)
		return LH_FAIL;
	*f = *p;
	*n = sp != NULL ? (size_t)(sp - *p) : strlen(*p);
	*p += *n + (sp != NULL);
	return *n > 0 || last ? LH_OK : LH_FAIL;
}

/* The 16 hexadecimal digits at f as a number.  LH_OK or LH_FAIL. */
static int
parse_hash(const char *f, size_t n, uint64_t *out)
{
	uint64_t h = 0;
	size_t i;
	int d;

	if (n != 16)
		return LH_FAIL;
	for (i = 0; i < n; i++) {
		/* lower case only: what the state file writes */
		if ((f[i] >= 'A' && f[i] <= 'F') ||
		    (d = lh_num_hexdigit((unsigned char)f[i])) < 0)
			return LH_FAIL;
		h = h << 4 | (uint64_t)d;
	}
	*out = h;
	return LH_OK;
}

/*
 * Parses one line, "HASH TS PREC FLAGS RULE_ID HOST", exactly as
 * write_all() writes it.  LH_OK, LH_FAIL (not an entry: anything else, a
 * number out of range, unknown flags) or LH_FATAL.
 */
static int
parse_line(char *line, struct entry *e)
{
	int64_t v[3];
	char *p = line, *f;
	size_t n;
	int i;

	memset(e, 0, sizeof(*e));
	if (field(&p, &f, &n, 0) != LH_OK || parse_hash(f, n, &e->hash) !=
	    LH_OK)
		return LH_FAIL;
	for (i = 0; i < 3; i++) {
		if (field(&p, &f, &n, 0) != LH_OK ||
		    lh_num_parse(f, n, i == 1 ? 1 : i == 2 ? 0 : INT64_MIN,
		    i == 2 ? LH_TS_BOOT : INT64_MAX, &v[i]) != LH_OK)
			return LH_FAIL;
	}
	e->ts = v[0];
	e->prec = v[1];
	e->flags = (int)v[2];
	if (field(&p, &f, &n, 1) != LH_OK || n == 0)
		return LH_FAIL;
	if ((e->rest = strndup(f, n)) == NULL)
		return LH_FATAL;
	return LH_OK;
}

static int
read_entries(struct lh_state *st, FILE *fp, const char *path,
    struct lh_err *err)
{
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	struct entry e;
	int rc = LH_OK;

	while (rc == LH_OK && getline(&line, &cap, fp) >= 0) {
		lineno++;
		if (lineno == 1 && strcmp(line, HEADER) != 0) {
			rc = lh_err_set(err, LH_FAIL, 0,
			    "%s: not a loghunt state file", path);
			break;
		}
		if (line[0] == '#')
			continue;
		if ((rc = parse_line(line, &e)) == LH_OK &&
		    (rc = add(st, &e)) != LH_OK)
			free(e.rest);
		if (rc == LH_FAIL)
			lh_err_set(err, LH_FAIL, 0,
			    "%s:%zu: not a state entry", path, lineno);
		else if (rc == LH_FATAL)
			lh_err_set(err, LH_FATAL, ENOMEM, "%s", path);
	}
	/* getline fails on ENOMEM without setting the error indicator */
	if (rc == LH_OK && (ferror(fp) || !feof(fp)))
		rc = lh_err_set(err, errno == ENOMEM ? LH_FATAL : LH_FAIL,
		    errno, "%s", path);
	free(line);
	return rc;
}

int
lh_state_load(const char *path, struct lh_state **stp, struct lh_err *err)
{
	struct lh_state *st = calloc(1, sizeof(*st));
	FILE *fp;
	int rc;

	*stp = NULL;
	if (st == NULL)
		return lh_err_set(err, LH_FATAL, ENOMEM, "%s", path);
	if ((fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT) {
			*stp = st;
			return LH_OK;
		}
		lh_state_free(st);
		return lh_err_set(err, LH_FAIL, errno, "%s", path);
	}
	rc = read_entries(st, fp, path, err);
	fclose(fp);
	if (rc != LH_OK) {
		lh_state_free(st);
		return rc;
	}
	if (st->n > 0)
		qsort(st->e, st->n, sizeof(*st->e), cmp_hash);
	st->nold = st->n;
	*stp = st;
	return LH_OK;
}

/* The first stored entry, not yet used this run, that is e; or NULL. */
static struct entry *
find(struct lh_state *st, const struct entry *e)
{
	size_t lo = 0, hi = st->nold, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (st->e[mid].hash < e->hash)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < st->nold && st->e[lo].hash == e->hash; lo++) {
		struct entry *s = &st->e[lo];

		if (!s->seen && s->flags == e->flags &&
		    lh_match_same_time(s->ts, s->prec, e->ts, e->prec))
			return s;
	}
	return NULL;
}

/* A new entry for alert m of rule r: "RULE_ID HOST", host made printable. */
static int
new_entry(struct entry *e, const struct lh_match *m, const struct lh_rule *r)
{
	size_t i, k, hl = m->host != NULL ? m->host_len : 1;
	const char *h = m->host != NULL ? m->host : "-";

	if ((e->rest = malloc(strlen(r->rule_id) + 2 + hl * 4)) == NULL)
		return LH_FATAL;
	k = (size_t)sprintf(e->rest, "%s ", r->rule_id);
	for (i = 0; i < hl; i++) {
		unsigned char c = (unsigned char)h[i];

		if (c > 0x20 && c < 0x7f && c != '\\')
			e->rest[k++] = (char)c;
		else
			k += (size_t)sprintf(e->rest + k, "\\x%02x", c);
	}
	e->rest[k] = '\0';
	e->seen = 1;
	return LH_OK;
}

int
lh_state_update(struct lh_state *st, const struct lh_timeline *tl,
    const struct lh_ruleset *rs, char *show, size_t *nnew)
{
	size_t i, nt = lh_timeline_count(tl);
	struct entry e, *s;

	*nnew = 0;
	for (i = 0; i < nt; i++) {
		const struct lh_match *m = lh_timeline_get(tl, i);
		const struct lh_rule *r = lh_ruleset_get(rs, (size_t)m->rule);

		memset(&e, 0, sizeof(e));
		/* by rule id: the hash survives a change of rule order */
		e.hash = lh_match_ident(m, r->rule_id, strlen(r->rule_id) + 1);
		e.ts = m->ts;
		e.prec = m->ts_prec > 0 ? m->ts_prec : 1;
		e.flags = m->ts_flags & LH_TS_BOOT;
		if ((s = find(st, &e)) != NULL) {
			s->seen = 1;
			show[i] = 0;
			continue;
		}
		if (new_entry(&e, m, r) != LH_OK || add(st, &e) != LH_OK) {
			free(e.rest);
			return LH_FATAL;
		}
		show[i] = 1;
		(*nnew)++;
	}
	return LH_OK;
}

/* File order: timed by time, then hash; then boot-relative ones. */
static int
cmp_file(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	int c;

	if (a->flags != b->flags)
		return a->flags < b->flags ? -1 : 1;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	if (a->prec != b->prec)
		return a->prec < b->prec ? -1 : 1;
	c = strcmp(a->rest, b->rest);
	return c;
}

/* Drops what the bounds of DESIGN say; entries end up in file order. */
static void
prune(struct lh_state *st)
{
	int64_t newest = INT64_MIN, horizon;
	size_t i, k = 0, skip;

	for (i = 0; i < st->n; i++)
		if (!(st->e[i].flags & LH_TS_BOOT) && st->e[i].ts > newest)
			newest = st->e[i].ts;
	horizon = newest == INT64_MIN ? INT64_MIN :
	    newest - (int64_t)LH_STATE_DAYS * 86400 * LH_US;
	for (i = 0; i < st->n; i++) {
		struct entry *e = &st->e[i];

		if (e->seen || (!(e->flags & LH_TS_BOOT) && e->ts >= horizon))
			st->e[k++] = *e;
		else
			free(e->rest);
	}
	st->n = k;
	qsort(st->e, st->n, sizeof(*st->e), cmp_file);
	if (st->n > LH_STATE_MAX) {
		/* the oldest go first: keep the tail of the timed ones */
		skip = st->n - LH_STATE_MAX;
		for (i = 0; i < skip; i++)
			free(st->e[i].rest);
		memmove(st->e, st->e + skip, LH_STATE_MAX * sizeof(*st->e));
		st->n = LH_STATE_MAX;
	}
	st->nold = 0;
}

static int
write_all(FILE *fp, const struct lh_state *st)
{
	size_t i;

	fputs(HEADER, fp);
	for (i = 0; i < st->n; i++) {
		const struct entry *e = &st->e[i];

		fprintf(fp, "%016" PRIx64 " %" PRId64 " %" PRId64 " %d %s\n",
		    e->hash, e->ts, e->prec, e->flags, e->rest);
	}
	return fflush(fp) != 0 || ferror(fp) ? LH_FAIL : LH_OK;
}

/* fsync of the directory that holds path, so the rename is durable. */
static void
sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (slash == NULL)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (dir == NULL)
		return;
	if ((fd = open(dir, O_RDONLY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

int
lh_state_save(struct lh_state *st, const char *path, struct lh_err *err)
{
	size_t len = strlen(path);
	char *tmp = malloc(len + 5);
	FILE *fp = NULL;
	int fd = -1, rc = LH_FAIL;

	if (tmp == NULL)
		return lh_err_set(err, LH_FATAL, ENOMEM, "%s", path);
	memcpy(tmp, path, len);
	memcpy(tmp + len, ".tmp", 5);
	prune(st);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) <
	    0 || (fp = fdopen(fd, "w")) == NULL)
		goto out;
	fd = -1;
	if (write_all(fp, st) != LH_OK || fsync(fileno(fp)) != 0)
		goto out;
	if (fclose(fp) != 0) {
		fp = NULL;
		goto out;
	}
	fp = NULL;
	if (rename(tmp, path) != 0)
		goto out;
	sync_dir(path);
	rc = LH_OK;
out:
	if (rc != LH_OK) {
		lh_err_set(err, LH_FAIL, errno, "%s", tmp);
		if (fp != NULL)
			fclose(fp);
		if (fd >= 0)
			close(fd);
		unlink(tmp);
	}
	free(tmp);
	return rc;
}
