/*
 * filter.c: the --since, --until and --host filters (see filter.h).
 */
#include <fnmatch.h>
#include <string.h>

#include "core/filter.h"
#include "core/event.h"

int
lh_filter_keeps(int64_t since, int64_t until, const char *const *hosts,
    int64_t ts, int ts_flags, const char *host, size_t host_len)
{
	int timed = ts != LH_TS_NONE && !(ts_flags & LH_TS_BOOT);
	char name[256];
	size_t i, n;

	if (since != LH_TS_NONE && (!timed || ts < since))
		return 0;
	if (until != LH_TS_NONE && (!timed || ts > until))
		return 0;
	if (hosts == NULL || hosts[0] == NULL)
		return 1;
	if (host == NULL)
		return 0;
	n = host_len < sizeof(name) - 1 ? host_len : sizeof(name) - 1;
	memcpy(name, host, n);
	name[n] = '\0';
	for (i = 0; hosts[i] != NULL; i++) {
		if (fnmatch(hosts[i], name, 0) == 0)
			return 1;
	}
	return 0;
}
