/*
 * escape.h: writing untrusted bytes safely.
 *
 * Log text is written by whoever controlled the host: it must not move the
 * responder's cursor, recolour the terminal or set its title, break a JSON
 * line or run as a spreadsheet formula.  Every byte from evidence goes out
 * through one of these.
 */
#ifndef LH_CLI_ESCAPE_H
#define LH_CLI_ESCAPE_H

#include <stddef.h>

#include "core/buf.h"

/*
 * Text for a terminal: valid UTF-8 is kept except control characters (C0,
 * DEL, C1), which become \xNN like every invalid byte; a backslash stays
 * as it is.
 */
int lh_esc_text(struct lh_buf *b, const char *s, size_t n);
/* A JSON string with its quotes; invalid UTF-8 bytes become "\\xNN". */
int lh_esc_json(struct lh_buf *b, const char *s, size_t n);
/*
 * An RFC 4180 CSV cell (quoted when needed); a cell starting with = + - @
 * (or tab/CR) gets a leading ' so spreadsheets show it as text.
 */
int lh_esc_csv(struct lh_buf *b, const char *s, size_t n);

#endif
