/*
 * err.c: filling struct lh_err.
 *
 * DESIGN
 * Workers fill their own lh_err, so the errno text comes from
 * strerror_r(3), never from plain strerror, whose buffer may be shared.  The
 * build (-D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE, no _GNU_SOURCE) gets
 * the XSI strerror_r that fills buf; the GNU one, which returns a string
 * that may not be buf, is handled too for builds with _GNU_SOURCE.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/status.h"

const char *
lh_err_text(int errnum, char *buf, size_t n)
{
#if defined(_GNU_SOURCE) && defined(__GLIBC__)
	return strerror_r(errnum, buf, n);
#else
	if (strerror_r(errnum, buf, n) != 0)
		snprintf(buf, n, "error %d", errnum);
	return buf;
#endif
}

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
		char ebuf[128];

		snprintf(err->msg + n, sizeof(err->msg) - n, ": %s",
		    lh_err_text(errnum, ebuf, sizeof(ebuf)));
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
