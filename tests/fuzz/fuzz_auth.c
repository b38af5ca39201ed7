/*
 * fuzz_auth.c: libFuzzer target for the system.auth pipeline: log.yml's
 * header grok (lh_auth_header) on the input as one line, then message.yml
 * (lh_auth_message) on the body it found, or on the whole input, with the
 * process name chosen by the first byte so the shadow-utils and gpasswd
 * branches are reached.
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
#include "formats/auth_message.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const procs[] = { "sshd", "sudo", "useradd", "userdel",
	"usermod", "groupadd", "gpasswd", "passwd", "unix_chkpwd", NULL };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lh_auth_header h;
	struct lh_event ev;
	const char *body;
	char *line;
	size_t n, blen;

	if (size < 1)
		return 0;
	n = size - 1;
	if ((line = malloc(n ? n : 1)) == NULL)
		return 0;
	memcpy(line, data + 1, n);
	body = line;
	blen = n;
	if (lh_auth_header(line, n, &h) == LH_OK && h.body != NULL) {
		body = h.body;
		blen = h.body_len;
	}
	lh_event_init(&ev);
	if (lh_event_add(&ev, LH_F_MESSAGE, body, blen) == LH_OK &&
	    procs[data[0] % 10] != NULL)
		(void)lh_event_adds(&ev, LH_F_PROC_NAME, procs[data[0] % 10]);
	if (data[0] & 0x80)
		(void)lh_event_adds(&ev, "log.syslog.appname", "usermod");
	(void)lh_auth_message(&ev);
	lh_event_free(&ev);
	free(line);
	return 0;
}
