/*
 * registry.c: the table of every input format.  core/ reaches formats only
 * through this table, which cli/ passes in (see core/format.h).
 */
#include "formats/formats.h"

extern const struct lh_format lh_format_syslog;

const struct lh_format *const lh_formats[] = {
	&lh_format_syslog,
	NULL
};
