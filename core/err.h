/*
 * err.h: error details that travel with a status.
 *
 * A struct lh_err is owned by the caller or by a handle, never global, so
 * that worker threads never share one.  The message names the place of the
 * problem (file, line or byte offset) as precisely as the reporter knows it.
 */
#ifndef LH_ERR_H
#define LH_ERR_H

#include <stddef.h>

#define LH_ERR_LEN 512

struct lh_err {
	int status;		/* an enum lh_status, LH_OK when clear */
	int errnum;		/* errno when the cause was a system call, or 0 */
	char msg[LH_ERR_LEN];	/* NUL-terminated, may be empty */
};

/*
 * Fills err (which may be NULL) and returns status, so that callers can
 * write "return lh_err_set(err, LH_FAIL, 0, ...)".
 */
int lh_err_set(struct lh_err *err, int status, int errnum, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

/*
 * The text of errnum (thread-safe, unlike plain strerror): returns buf (n
 * bytes, 64 or more advised) or a static string of the C library; either
 * is valid until buf is reused.
 */
const char *lh_err_text(int errnum, char *buf, size_t n);

/* Resets err to LH_OK with an empty message; err may be NULL. */
void lh_err_clear(struct lh_err *err);

#endif
