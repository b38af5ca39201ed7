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

static int
add(struct lh_state *st, const struct entry *e)
{
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 64;
		struct entry *p = realloc(st->e, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		st->e = p;
		st->cap = cap;
	}
	st->e[st->n++] = *e;
	return 0;
}

static int
cmp_hash(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;

	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	return a->ts < b->ts ? -1 : a->ts > b->ts;
}

/* Parses one line; 0, or -1 when it is not an entry. */
static int
parse_line(char *line, struct entry *e)
{
	char *end;
	int used = 0;

	memset(e, 0, sizeof(*e));
	if (sscanf(line, "%16" SCNx64 " %" SCNd64 " %" SCNd64 " %d %n",
	    &e->hash, &e->ts, &e->prec, &e->flags, &used) != 4 || used == 0 ||
	    e->prec <= 0)
		return -1;
	if ((end = strchr(line, '\n')) != NULL)
		*end = '\0';
	if ((e->rest = strdup(line + used)) == NULL)
		return -1;
	return 0;
}

static int
read_entries(struct lh_state *st, FILE *fp, const char *path, char *err,
    size_t n)
{
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	struct entry e;

	while (getline(&line, &cap, fp) >= 0) {
		lineno++;
		if (lineno == 1 && strcmp(line, HEADER) != 0) {
			snprintf(err, n, "%s: not a loghunt state file", path);
			goto bad;
		}
		if (line[0] == '#')
			continue;
		if (parse_line(line, &e) != 0 || add(st, &e) != 0) {
			free(e.rest);
			snprintf(err, n, "%s:%zu: not a state entry", path,
			    lineno);
			goto bad;
		}
	}
	free(line);
	return 0;
bad:
	free(line);
	return -1;
}

struct lh_state *
lh_state_load(const char *path, char *err, size_t n)
{
	struct lh_state *st = calloc(1, sizeof(*st));
	FILE *fp;

	if (st == NULL) {
		snprintf(err, n, "%s", strerror(ENOMEM));
		return NULL;
	}
	if ((fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return st;
		snprintf(err, n, "%s: %s", path, strerror(errno));
		lh_state_free(st);
		return NULL;
	}
	if (read_entries(st, fp, path, err, n) != 0) {
		fclose(fp);
		lh_state_free(st);
		return NULL;
	}
	fclose(fp);
	if (st->n > 0)
		qsort(st->e, st->n, sizeof(*st->e), cmp_hash);
	st->nold = st->n;
	return st;
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
		return -1;
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
	return 0;
}

long
lh_state_update(struct lh_state *st, const struct lh_timeline *tl,
    const struct lh_ruleset *rs, char *show)
{
	size_t i, nt = lh_timeline_count(tl);
	struct entry e, *s;
	long nnew = 0;

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
		if (new_entry(&e, m, r) != 0 || add(st, &e) != 0) {
			free(e.rest);
			return -1;
		}
		show[i] = 1;
		nnew++;
	}
	return nnew;
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
	return fflush(fp) != 0 || ferror(fp) ? -1 : 0;
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
lh_state_save(struct lh_state *st, const char *path, char *err, size_t n)
{
	size_t len = strlen(path);
	char *tmp = malloc(len + 5);
	FILE *fp = NULL;
	int fd = -1, rc = -1;

	if (tmp == NULL) {
		snprintf(err, n, "%s", strerror(ENOMEM));
		return -1;
	}
	memcpy(tmp, path, len);
	memcpy(tmp + len, ".tmp", 5);
	prune(st);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) <
	    0 || (fp = fdopen(fd, "w")) == NULL)
		goto out;
	fd = -1;
	if (write_all(fp, st) != 0 || fsync(fileno(fp)) != 0)
		goto out;
	if (fclose(fp) != 0) {
		fp = NULL;
		goto out;
	}
	fp = NULL;
	if (rename(tmp, path) != 0)
		goto out;
	sync_dir(path);
	rc = 0;
out:
	if (rc != 0) {
		snprintf(err, n, "%s: %s", tmp, strerror(errno));
		if (fp != NULL)
			fclose(fp);
		if (fd >= 0)
			close(fd);
		unlink(tmp);
	}
	free(tmp);
	return rc;
}
