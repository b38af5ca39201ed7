/*
 * walk.c: directories, in sorted order, without loops or escapes.
 *
 * DESIGN
 * Entries are sorted byte-wise so two runs over the same tree visit files
 * in the same order.  The (device, inode) pairs of the directories on the
 * current path are kept on a small stack: a directory already on it is a
 * loop.  A symbolic link found inside a tree is followed only when its
 * target resolves inside the directory named on the command line, so
 * evidence cannot point loghunt at the responder's own files.  Running out
 * of memory stops the walk (LH_FATAL): a listing cut short would silently
 * leave files out of the evidence.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/status.h"
#include "core/walk.h"

#define MAX_WALK_DEPTH 256

struct walk {
	lh_file_fn fn;
	void *arg;
	struct lh_diag *diag;
	char *root;		/* realpath of the top directory */
	size_t rootlen;
	dev_t dev[MAX_WALK_DEPTH];
	ino_t ino[MAX_WALK_DEPTH];
	int depth;
	int failed;
};

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int visit(struct walk *w, const char *path, int top);

static int
inside_root(struct walk *w, const char *path)
{
	char *real = realpath(path, NULL);
	int ok;

	if (real == NULL)
		return 0;
	ok = strncmp(real, w->root, w->rootlen) == 0 &&
	    (real[w->rootlen] == '/' || real[w->rootlen] == '\0' ||
	    w->rootlen == 1);
	free(real);
	return ok;
}

/* Adds errno's message for path to the diag as a failure. */
static void
fail_errno(struct walk *w, const char *path)
{
	struct lh_err err;

	lh_err_set(&err, LH_FAIL, errno, "%s", path);
	lh_diag_add(w->diag, LH_FAIL, "%s", err.msg);
	w->failed = 1;
}

static void
free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The sorted names in directory path.  LH_OK, LH_FAIL or LH_FATAL. */
static int
read_names(struct walk *w, const char *path, char ***names, size_t *n)
{
	DIR *d = opendir(path);
	struct dirent *de;
	size_t cap = 0;
	int rc = LH_OK;

	*names = NULL;
	*n = 0;
	if (d == NULL && errno == ENOMEM)
		return LH_FATAL;
	if (d == NULL) {
		fail_errno(w, path);
		return LH_FAIL;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if ((rc = lh_grow(names, &cap, *n + 1, sizeof(**names))) !=
		    LH_OK)
			break;
		if (((*names)[*n] = strdup(de->d_name)) == NULL) {
			rc = LH_FATAL;
			break;
		}
		(*n)++;
	}
	closedir(d);
	if (rc != LH_OK) {
		free_names(*names, *n);
		*names = NULL;
		*n = 0;
		return rc;
	}
	if (*n > 1)
		qsort(*names, *n, sizeof(**names), cmp);
	return LH_OK;
}

static int
visit_dir(struct walk *w, const char *path, const struct stat *sb)
{
	char **names;
	size_t n, i;
	int k, rc = LH_OK;

	for (k = 0; k < w->depth; k++) {
		if (w->dev[k] == sb->st_dev && w->ino[k] == sb->st_ino) {
			lh_diag_add(w->diag, LH_WARN,
			    "%s: symbolic link loop, skipped", path);
			return LH_OK;
		}
	}
	if (w->depth == MAX_WALK_DEPTH) {
		lh_diag_add(w->diag, LH_FAIL, "%s: directories nested too deep",
		    path);
		w->failed = 1;
		return LH_OK;
	}
	if ((rc = read_names(w, path, &names, &n)) != LH_OK)
		return rc == LH_FATAL ? LH_FATAL : LH_OK;
	w->dev[w->depth] = sb->st_dev;
	w->ino[w->depth] = sb->st_ino;
	w->depth++;
	for (i = 0; i < n; i++) {
		size_t a = strlen(path), b = strlen(names[i]);
		char *child = malloc(a + b + 2);

		if (child == NULL)
			rc = LH_FATAL;
		else if (rc == LH_OK) {
			memcpy(child, path, a);
			child[a] = '/';
			memcpy(child + a + 1, names[i], b + 1);
			if (a > 0 && path[a - 1] == '/')
				memmove(child + a, child + a + 1, b + 1);
			rc = visit(w, child, 0);
		}
		free(child);
		free(names[i]);
	}
	free(names);
	w->depth--;
	return rc;
}

static int
visit(struct walk *w, const char *path, int top)
{
	struct stat lsb, sb;

	if (lstat(path, &lsb) != 0 || stat(path, &sb) != 0) {
		if (lstat(path, &lsb) == 0 && S_ISLNK(lsb.st_mode))
			lh_diag_add(w->diag, LH_WARN,
			    "%s: dangling symbolic link, skipped", path);
		else
			fail_errno(w, path);
		return LH_OK;
	}
	if (!top && S_ISLNK(lsb.st_mode) && w->root != NULL &&
	    !inside_root(w, path)) {
		lh_diag_add(w->diag, LH_WARN,
		    "%s: symbolic link out of the evidence tree, not followed",
		    path);
		return LH_OK;
	}
	if (S_ISDIR(sb.st_mode))
		return visit_dir(w, path, &sb);
	if (!S_ISREG(sb.st_mode)) {
		if (top)
			return w->fn(w->arg, path);	/* a named fifo */
		return LH_OK;
	}
	return w->fn(w->arg, path);
}

int
lh_walk(const char *path, lh_file_fn fn, void *arg, struct lh_diag *diag)
{
	struct walk w;
	int rc;

	memset(&w, 0, sizeof(w));
	w.fn = fn;
	w.arg = arg;
	w.diag = diag;
	if (strcmp(path, "-") == 0)
		return fn(arg, path);
	if ((w.root = realpath(path, NULL)) != NULL)
		w.rootlen = strlen(w.root);
	rc = visit(&w, path, 1);
	free(w.root);
	if (rc != LH_OK)
		return rc;
	return w.failed ? LH_FAIL : LH_OK;
}
