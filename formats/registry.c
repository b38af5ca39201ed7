/*
 * registry.c: the table of every input format.  core/ reaches formats only
 * through this table, which cli/ passes in (see core/format.h).
 */
#include "formats/formats.h"

extern const struct lh_format lh_format_journal_export;
extern const struct lh_format lh_format_journal_file;
extern const struct lh_format lh_format_json;
extern const struct lh_format lh_format_syslog;

const struct lh_format *const lh_formats[] = {
	&lh_format_journal_export,
	&lh_format_journal_file,
	&lh_format_json,
	&lh_format_syslog,
	NULL
};
