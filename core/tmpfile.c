/*
 * tmpfile.c: temporary files that nothing outlives (tmpfile.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/status.h"
#include "core/tmpfile.h"

int
lh_tmpfile(const char *dir, const char *prefix, int *fd, struct lh_err *err)
{
	char path[4096];

	if (dir == NULL)
		dir = "/tmp";
	if ((size_t)snprintf(path, sizeof(path), "%s/%s-XXXXXX", dir,
	    prefix) >= sizeof(path))
		return lh_err_set(err, LH_FATAL, ENAMETOOLONG, "%s", dir);
	if ((*fd = mkstemp(path)) < 0)
		return lh_err_set(err, LH_FATAL, errno, "%s: temporary file",
		    dir);
	/* gone from the directory at once: nothing outlives the process */
	unlink(path);
	fcntl(*fd, F_SETFD, FD_CLOEXEC);
	return LH_OK;
}
