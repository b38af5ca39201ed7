/*
 * err.c: filling struct lh_err.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/status.h"

int
lh_err_set(struct lh_err *err, int status, int errnum, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return status;
	err->status = status;
	err->errnum = errnum;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (errnum != 0) {
		size_t n = strlen(err->msg);

		snprintf(err->msg + n, sizeof(err->msg) - n, ": %s",
		    strerror(errnum));
	}
	return status;
}

void
lh_err_clear(struct lh_err *err)
{
	if (err == NULL)
		return;
	err->status = LH_OK;
	err->errnum = 0;
	err->msg[0] = '\0';
}
