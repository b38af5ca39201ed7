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
 * The sshd lines of the first pattern of grok-specific-messages, matched
 * without the grok machine (auth_ssh.c).  lh_auth_ssh_ids() is 1 when
 * the captures numbered 0..SSH_NCAP - 1 of g are that pattern's fields,
 * in its order (else lh_auth_ssh_quick must not be used with g).
 * lh_auth_ssh_quick() fills r exactly as lh_grok_match(g, s, n, r) would
 * and returns 1, or returns 0 when it cannot tell (then r is undefined
 * and the grok machine must run).  Borrows everything; thread-safe.
 */
#define SSH_NCAP 6
int lh_auth_ssh_ids(const struct lh_grok *g);
int lh_auth_ssh_quick(const struct lh_grok *g, const char *s, size_t n,
    struct lh_grok_result *r);

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
