/*
 * schema.c: field types (see schema.h for the sources).
 */
#include <string.h>

#include "core/schema.h"

static const char *const text_fields[] = {
	"message", "error.message", "error.stack_trace", "event.original", NULL
};

static const char *const date_fields[] = {
	"@timestamp", "event.ingested", "event.created", "event.start",
	"event.end", "process.start", "process.end", NULL
};

static const char *const long_fields[] = {
	"process.pid", "process.ppid", "process.pgid", "process.thread.id",
	"process.parent.pid", "process.args_count", "process.exit_code",
	"log.offset", "source.port", "destination.port", "client.port",
	"server.port", "event.severity", "event.sequence",
	"log.syslog.priority", "log.syslog.facility.code",
	"log.syslog.severity.code", "user.id.num", "http.response.status_code",
	"source.bytes", "destination.bytes", NULL
};

static int
in(const char *const *list, const char *name)
{
	for (; *list != NULL; list++) {
		if (strcmp(*list, name) == 0)
			return 1;
	}
	return 0;
}

enum lh_ftype
lh_schema_type(const char *name)
{
	size_t n = strlen(name);

	if (in(text_fields, name) ||
	    (n > 5 && strcmp(name + n - 5, ".text") == 0))
		return LH_T_TEXT;
	if (in(date_fields, name))
		return LH_T_DATE;
	if (in(long_fields, name))
		return LH_T_LONG;
	return LH_T_KEYWORD;
}
