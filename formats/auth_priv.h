/*
 * auth_priv.h: the parts of the auth pipeline that auth_message.c and
 * auth_script.c share; not for other modules.
 */
#ifndef LH_AUTH_PRIV_H
#define LH_AUTH_PRIV_H

#include <stddef.h>

#include "core/event.h"
#include "formats/grok.h"

/*
 * The compiled grok number which (G_* in auth_message.c, built once,
 * thread-safe), or NULL when compiling failed (out of memory).
 */
const struct lh_grok *lh_auth_grok(int which);

/*
 * 1 when s (n bytes) is an IP address for Elasticsearch's convert
 * processor (InetAddresses.isInetAddress): a dotted quad without leading
 * zeros, or RFC 4291 IPv6 text (optionally ending in a dotted quad).
 */
int lh_auth_is_ip(const char *s, size_t n);

/* script-categorize-sudo-systemctl.  LH_OK or LH_FATAL. */
int lh_auth_sudo_systemctl(struct lh_event *ev);

/*
 * The user/group management steps: append_category-iam through
 * script-categorize-iam-action.  LH_OK or LH_FATAL.
 */
int lh_auth_iam(struct lh_event *ev);

#endif
