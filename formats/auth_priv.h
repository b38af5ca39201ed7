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


/* script-categorize-sudo-systemctl.  LH_OK or LH_FATAL. */
int lh_auth_sudo_systemctl(struct lh_event *ev);

/*
 * The user/group management steps: append_category-iam through
 * script-categorize-iam-action, given ev's message and process.name (the
 * caller's lookups, borrowed; NULL when absent).  LH_OK or LH_FATAL.
 */
int lh_auth_iam(struct lh_event *ev, const char *msg, size_t msglen,
    const char *proc, size_t proclen);

#endif
