/*
 * fuzz_auth.c: libFuzzer target for the system.auth pipeline: with bit
 * 0x40 of the first byte, the input as one auth-stream line (log.yml's
 * header grok, the auth variant of formats/syslog_header.c, then
 * message.yml); otherwise message.yml (lh_auth_message) on the whole
 * input, with the process name chosen by the first byte so the
 * shadow-utils and gpasswd branches are reached.
 *
 * The line is copied into a buffer of exactly its size, so ASan catches a
 * matcher reading s[n].
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "core/status.h"
#include "core/time.h"
#include "formats/auth_message.h"
#include "formats/syslog_header.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const procs[] = { "sshd", "sudo", "useradd", "userdel",
	"usermod", "groupadd", "gpasswd", "passwd", "unix_chkpwd", NULL };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct lh_tz utc = { 0 };
	struct lh_syslog_header_ctx ctx;
	struct lh_event ev;
	char *line;
	size_t n;

	if (size < 1)
		return 0;
	n = size - 1;
	if ((line = malloc(n ? n : 1)) == NULL)
		return 0;
	memcpy(line, data + 1, n);
	lh_event_init(&ev);
	if (data[0] & 0x40) {
		memset(&ctx, 0, sizeof(ctx));
		ctx.tz = &utc;
		ctx.auth = 1;
		(void)lh_syslog_header_parse(line, n, &ctx, &ev);
	} else {
		if (lh_event_add(&ev, LH_F_MESSAGE, line, n) == LH_OK &&
		    procs[data[0] % 10] != NULL)
			(void)lh_event_adds(&ev, LH_F_PROC_NAME,
			    procs[data[0] % 10]);
		if (data[0] & 0x80)
			(void)lh_event_adds(&ev, "log.syslog.appname",
			    "usermod");
		(void)lh_auth_message(&ev);
	}
	lh_event_free(&ev);
	free(line);
	return 0;
}
