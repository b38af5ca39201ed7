/*
 * kql_test.c: KQL parsing and evaluation (core/kql_*.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>

#include "core/event.h"
#include "core/kql.h"
#include "core/status.h"
#include "core/time.h"

/* Verbatim from ../shared/reference/rules/. */
static const char segfault_rule[] =
    "host.os.type:linux and event.dataset:system.syslog and process.name:kernel and\n"
    "message:(\n"
    "  segfault and (\n"
    "    agetty or apache2 or atd or auditbeat or auditd or beacon-chain or besu or chage or\n"
    "    chfn or chsh or clef or cron or crond or dbus-broker or dbus-daemon or dnsmasq or\n"
    "    elastic-agent or erigon or ethrex or ethsigner or geth or getty or gpasswd or\n"
    "    grandine or httpd or krb5_child or ldap_child or lighthouse or lodestar or login or\n"
    "    logrotate or named or nethermind or newgrp or nginx or nslcd or op-batcher or\n"
    "    op-challenger or op-conductor or op-geth or op-node or op-proposer or openvpn or\n"
    "    osqueryd or passwd or pkexec or polkitd or proftpd or prysm or reth or rsyslogd or\n"
    "    smbd or ssh or sshd or sssd or sssd_nss or sssd_pam or su or sudo or sudoedit or\n"
    "    systemd-logind or teku or unix_chkpwd or vsftpd or web3signer\n"
    "  )\n"
    ")\n";

static const char execstack_rule[] =
    "host.os.type:\"linux\" and event.dataset:\"system.syslog\" and process.name:\"kernel\" and\n"
    "message:\"started with executable stack\"\n";

static char matched_buf[1024];

static struct lh_kql *
compile(const char *q)
{
	struct lh_err err;
	struct lh_kql *k = lh_kql_compile(q, strlen(q), &err);

	cr_assert_not_null(k, "compile \"%s\": %s", q, err.msg);
	return k;
}

/* The error message of a query that must not compile. */
static const char *
compile_error(const char *q, size_t len)
{
	static struct lh_err err;
	struct lh_kql *k = lh_kql_compile(q, len, &err);

	cr_assert_null(k, "\"%.60s\" compiled", q);
	cr_assert_eq(err.status, LH_FAIL);
	return err.msg;
}

/* Fills ev from name, value pairs ending with NULL. */
static void
fill(struct lh_event *ev, const char *const *kv)
{
	lh_event_reset(ev);
	for (; kv[0] != NULL; kv += 2)
		cr_assert_eq(lh_event_adds(ev, kv[0], kv[1]), LH_OK);
}

/* Whether q matches the event kv; keeps the matched terms. */
static int
match_ev(const char *q, const char *const *kv, int64_t ts, int flags)
{
	struct lh_event ev;
	struct lh_kql *k = compile(q);
	struct lh_kql_scratch *s = lh_kql_scratch_create();
	static char planned[sizeof(matched_buf)];
	size_t n;
	int r;

	cr_assert_not_null(s);
	lh_event_init(&ev);
	fill(&ev, kv);
	ev.ts = ts;
	ev.ts_flags = flags;
	lh_kql_scratch_reset(s);
	r = lh_kql_match(k, &ev, s);
	snprintf(matched_buf, sizeof(matched_buf), "%s",
	    r ? lh_kql_matched(s, &n) : "");
	/* the verdict alone is the same, without matched terms */
	lh_kql_scratch_reset(s);
	cr_assert_eq(lh_kql_test(k, &ev, s), r, "%s", q);
	cr_assert_str_eq(lh_kql_matched(s, &n), "");
	/* a planned copy (a rule's) gives the same verdict and terms */
	lh_kql_free(k);
	k = compile(q);
	cr_assert_eq(lh_kql_plan(k), LH_OK);
	lh_kql_scratch_reset(s);
	cr_assert_eq(lh_kql_match(k, &ev, s), r, "planned %s", q);
	snprintf(planned, sizeof(planned), "%s", r ? lh_kql_matched(s, &n) :
	    "");
	cr_assert_str_eq(planned, matched_buf, "planned %s", q);
	lh_kql_scratch_reset(s);
	cr_assert_eq(lh_kql_test(k, &ev, s), r, "planned %s", q);
	lh_kql_scratch_free(s);
	lh_kql_free(k);
	lh_event_free(&ev);
	return r;
}

static int
match(const char *q, const char *const *kv)
{
	return match_ev(q, kv, LH_TS_NONE, 0);
}

/* A kernel syslog line as the syslog formats produce it. */
static int
kernel(const char *q, const char *msg)
{
	const char *kv[] = { "host.os.type", "linux", "event.dataset",
		"system.syslog", "process.name", "kernel", "message", msg,
		NULL };

	return match(q, kv);
}

static int
msg(const char *q, const char *m)
{
	const char *kv[] = { "message", m, NULL };

	return match(q, kv);
}

static int
proc(const char *q, const char *name, const char *pid)
{
	const char *kv[] = { "process.name", name, "process.pid", pid, NULL };

	return match(q, kv);
}

/*
 * The required words of q (with tags: lh_kql_required_tags), joined by
 * spaces ("" for none).
 */
static const char *
words_of(const char *q, int tags)
{
	static char out[512];
	struct lh_kql *k = compile(q);
	char **w;
	size_t i;

	out[0] = '\0';
	if (tags ? lh_kql_required_tags(k, &w) : lh_kql_required_words(k, &w)) {
		cr_assert_not_null(w);
		for (i = 0; w[i] != NULL; i++) {
			if (i > 0)
				strcat(out, " ");
			strcat(out, w[i]);
			free(w[i]);
		}
		free(w);
	} else {
		cr_assert_null(w);
	}
	lh_kql_free(k);
	return out;
}

static const char *
words(const char *q)
{
	return words_of(q, 0);
}

static int64_t
iso(const char *s)
{
	struct lh_tz utc;
	int64_t us, prec;
	size_t used;

	lh_tz_utc(&utc);
	cr_assert_eq(lh_time_parse_iso(s, strlen(s), &utc, 1, &us, &prec,
	    &used), LH_OK);
	return us;
}

/* ---- the built-in rules ------------------------------------------------- */

Test(kql, segfault_rule_matches_via_op_node)
{
	cr_assert(kernel(segfault_rule,
	    "node[4242]: segfault at 0 ip 0 sp 0 error 14"));
	cr_assert_str_eq(matched_buf, "segfault, node (op-node), "
	    "host.os.type:linux, event.dataset:system.syslog, "
	    "process.name:kernel");
}

Test(kql, segfault_rule_matches_real_lines)
{
	cr_assert(kernel(segfault_rule, "sshd[1234]: segfault at 0 ip "
	    "00007f3a2b1c4d5e sp 00007ffd1a2b3c40 error 4 in "
	    "libc-2.31.so[7f3a2b000000+1b000]"));
	cr_assert(kernel(segfault_rule, "[ 8123.456789] systemd-logind[812]: "
	    "segfault at 0 ip 00007f1234567890 sp 00007ffd12345678 error 4 "
	    "in libc.so.6[7f1228000,7f1200000+195000]"));
	cr_assert(kernel(segfault_rule, "sssd_nss[901]: segfault at 10 ip "
	    "00007f0000001000 sp 00007ffc00000000 error 4"));
	cr_assert(kernel(segfault_rule, "GETH[1]: SEGFAULT at 8"));
}

Test(kql, segfault_rule_near_misses)
{
	cr_assert_not(kernel(segfault_rule,
	    "traps: sshd[1] general protection fault"));
	cr_assert_not(kernel(segfault_rule, "sshd[1]: segfaults at 0"));
	cr_assert_not(kernel(segfault_rule, "sshd[1]: segfault's at 0"));
	cr_assert_not(kernel(segfault_rule, "firefox[1]: segfault at 0"));
	cr_assert_not(kernel(segfault_rule, "sshdx[1]: segfault at 0"));
	cr_assert_not(kernel(segfault_rule, ""));
	{
		const char *kv[] = { "host.os.type", "linux",
			"event.dataset", "system.syslog", "process.name",
			"Kernel", "message", "sshd[1]: segfault at 0", NULL };

		cr_assert_not(match(segfault_rule, kv));
	}
	{
		const char *kv[] = { "host.os.type", "linux",
			"process.name", "kernel", "message",
			"sshd[1]: segfault at 0", NULL };

		cr_assert_not(match(segfault_rule, kv));
	}
}

Test(kql, execstack_rule)
{
	cr_assert(kernel(execstack_rule, "process '/usr/bin/legacy' "
	    "started with executable stack"));
	cr_assert_str_eq(matched_buf, "started with executable stack, "
	    "host.os.type:linux, event.dataset:system.syslog, "
	    "process.name:kernel");
	cr_assert(kernel(execstack_rule,
	    "Started  With\tExecutable STACK"));
	cr_assert_not(kernel(execstack_rule, "process '/usr/bin/legacy' "
	    "started with executable stacks"));
	cr_assert_not(kernel(execstack_rule,
	    "started with an executable stack"));
	cr_assert_not(kernel(execstack_rule,
	    "stack executable with started"));
}

/* A planned rule tests its telling terms first; its terms keep order. */
Test(kql, planned_rule_keeps_matched_terms)
{
	const char *q = "host.os.type:linux and event.dataset:system.syslog "
	    "and user.name:(a or b or c or d or e or root) and "
	    "process.name:kernel and message:segfault";
	const char *kv[] = { "host.os.type", "linux", "event.dataset",
		"system.syslog", "process.name", "kernel", "user.name", "root",
		"message", "app[1]: segfault at 0", NULL };
	const char *no[] = { "host.os.type", "linux", "event.dataset",
		"system.syslog", "process.name", "sshd", "user.name", "root",
		"message", "segfault", NULL };

	cr_assert_eq(match(q, kv), 1);
	cr_assert_str_eq(matched_buf, "segfault, host.os.type:linux, "
	    "event.dataset:system.syslog, user.name:root, "
	    "process.name:kernel");
	cr_assert_eq(match(q, no), 0);
	cr_assert_eq(match("not (host.os.type:linux and process.name:sshd)",
	    no), 0);
}

Test(kql, required_words_of_the_rules)
{
	cr_assert_str_eq(words(segfault_rule), "segfault");
	cr_assert_str_eq(words(execstack_rule), "executable");
}

Test(kql, required_words)
{
	cr_assert_str_eq(words("message:foo or message:\"bar baz\""),
	    "foo bar");
	cr_assert_str_eq(words("message:op-geth"), "op geth");
	cr_assert_str_eq(words("message:a or process.name:b"), "");
	cr_assert_str_eq(words("process.name:kernel"), "");
	cr_assert_str_eq(words("segfault"), "");
	cr_assert_str_eq(words("not message:foo"), "");
	cr_assert_str_eq(words("message:seg*"), "");
	cr_assert_str_eq(words(""), "");
	/* Lucene lowercases U+0130 to i and U+212A to k. */
	cr_assert_str_eq(words("message:kill"), "");
	cr_assert_str_eq(words("message:\"kill now\""), "now");
	cr_assert_str_eq(words("message:(foo and \"a b\") and message:xyz"),
	    "foo");
	/* words every ECS document or kern.log line holds come last */
	cr_assert_str_eq(words("message:\"loading out-of-tree module taints "
	    "kernel.\""), "load");
	cr_assert_str_eq(words("message:\"module event\""), "module");
}

Test(kql, required_tags)
{
	static const char *const cases[][2] = {
		{ "process.name:sshd and message:\"Failed password\"",
		    "password" },
		{ "process.name:sudo", "sudo" },
		{ "process.name:CRON", "cron" },
		{ "process.name:systemd-logind", "systemd-logind" },
		{ "process.name:sshd or process.name:su", "sshd su" },
		{ "process.name:sshd or user.name:root", "" },
		{ "process.name:kernel", "" },
		{ "process.name:ss*", "" },
		{ "process.name:\"a/b\"", "" },
		{ "not process.name:sshd", "" },
		{ "process.name > sshd", "" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert_str_eq(words_of(cases[i][0], 1), cases[i][1], "%s",
		    cases[i][0]);
	cr_assert_str_eq(words("process.name:sudo"), "");
}

/* A phrase of ASCII words between blanks is matched without analysis. */
Test(kql, phrase_between_blanks)
{
	static const struct {
		const char *q, *m;
		int yes;
	} cases[] = {
		{ "message:\"Failed password\"", "Failed password for me", 1 },
		{ "message:\"Failed password\"", "FAILED PASSWORD", 1 },
		{ "message:\"Failed password\"", "x\tfailed password\n", 1 },
		{ "message:\"Failed password\"", "Failed  password", 1 },
		{ "message:\"Failed password\"", "Failed password.", 1 },
		{ "message:\"Failed password\"", "(Failed password)", 1 },
		{ "message:\"Failed password\"", "x.Failed password", 0 },
		{ "message:\"Failed password\"", "re:Failed password", 0 },
		{ "message:\"Failed password\"", "Failed password2", 0 },
		{ "message:\"Failed password\"", "Failed passwords", 0 },
		{ "message:\"Failed password\"", "Failed_password", 0 },
		{ "message:\"port 22\"", "from 10.0.0.1 port 22 ssh2", 1 },
		{ "message:\"port 22\"", "port 22.5", 0 },
		{ "message:\"port 22\"", "port 22, then", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert_eq(msg(cases[i].q, cases[i].m), cases[i].yes,
		    "%s on %s", cases[i].q, cases[i].m);
}

/* ---- field types -------------------------------------------------------- */

Test(kql, keyword_is_exact_and_case_sensitive)
{
	cr_assert(proc("process.name:kernel", "kernel", "1"));
	cr_assert(proc("process.name:\"kernel\"", "kernel", "1"));
	cr_assert_not(proc("process.name:Kernel", "kernel", "1"));
	cr_assert_not(proc("process.name:kern", "kernel", "1"));
	cr_assert_not(proc("process.name:kernel", "kernel ", "1"));
	cr_assert(proc("process.name:op-geth", "op-geth", "1"));
	cr_assert_not(proc("process.name:op-geth", "geth", "1"));
	cr_assert(proc("process.name:quick brown fox", "quick brown fox",
	    "1"));
	cr_assert(proc("process.name:true", "true", "1"));
	cr_assert(proc("process.name:null", "null", "1"));
}

Test(kql, keyword_ignore_above)
{
	char *v = malloc(1100), *q = malloc(1200);

	memset(v, 'a', 1099);
	v[1099] = '\0';
	snprintf(q, 1200, "process.name:%s", v);
	cr_assert_not(proc(q, v, "1"));
	v[1024] = '\0';
	snprintf(q, 1200, "process.name:%s", v);
	cr_assert(proc(q, v, "1"));
	free(v);
	free(q);
}

Test(kql, text_match_any_token)
{
	cr_assert(msg("message:op-geth", "geth[1]: started"));
	cr_assert(msg("message:op-geth", "op"));
	cr_assert(msg("message:quick brown fox", "a fox"));
	cr_assert(msg("message:SEGFAULT", "segfault"));
	cr_assert_not(msg("message:segfault", "segfaults"));
	cr_assert_not(msg("message:\"--\"", "-- x"));
	cr_assert_not(msg("message:--", "-- x"));
	cr_assert(msg("not message:--", "-- x"));
	cr_assert_not(msg("error.message:boom", "boom"));
	{
		const char *kv[] = { "error.message", "Boom!", NULL };

		cr_assert(match("error.message:boom", kv));
		cr_assert_str_eq(matched_buf, "error.message:boom");
	}
}

Test(kql, text_phrase)
{
	cr_assert(msg("message:\"quick brown\"", "The QUICK brown fox"));
	cr_assert_not(msg("message:\"quick brown\"", "brown quick"));
	cr_assert_not(msg("message:\"quick brown\"", "quick, red brown"));
	cr_assert(msg("message:\"quick\"", "so quick"));
	cr_assert(msg("message:\"op-geth\"", "x op geth y"));
	cr_assert_not(msg("message:\"op-geth\"", "geth op"));
}

Test(kql, long_fields)
{
	cr_assert(proc("process.pid:4242", "x", "4242"));
	cr_assert_not(proc("process.pid:4242", "x", "42"));
	cr_assert_not(proc("process.pid:4242", "x", "abc"));
	cr_assert_not(proc("process.pid:4242.5", "x", "4242"));
	cr_assert(proc("process.pid > 100", "x", "101"));
	cr_assert_not(proc("process.pid > 100", "x", "100"));
	cr_assert(proc("process.pid >= 100", "x", "100"));
	cr_assert(proc("process.pid<100", "x", "99"));
	cr_assert_not(proc("process.pid<100", "x", "100"));
	cr_assert(proc("process.pid<=100", "x", "100"));
	cr_assert(proc("process.pid >= 99.5", "x", "100"));
	cr_assert_not(proc("process.pid >= 99.5", "x", "99"));
	cr_assert(proc("process.pid < -1", "x", "-5"));
	cr_assert_not(proc("process.pid > 1 and process.pid < 3", "x",
	    "3"));
	cr_assert(proc("process.pid > 1 and process.pid < 3", "x", "2"));
	cr_assert_str_eq(matched_buf, "process.pid>1, process.pid<3");
	cr_assert_not(proc("process.pid > 1", "x", "abc"));
}

Test(kql, timestamp)
{
	const char *kv[] = { "message", "x", NULL };
	int64_t t = iso("2024-03-10T12:00:00Z"), now = (int64_t)time(NULL) *
	    LH_US;

	cr_assert(match_ev("@timestamp >= 2024-03-10", kv, t, 0));
	cr_assert(match_ev("@timestamp >= \"2024-03-10T12:00:00Z\"", kv, t,
	    0));
	cr_assert_not(match_ev("@timestamp > \"2024-03-10T12:00:00Z\"", kv,
	    t, 0));
	cr_assert(match_ev("@timestamp > 2024-03-10T11\\:59\\:59Z", kv, t,
	    0));
	cr_assert_not(match_ev("@timestamp < 2024-03-10", kv, t, 0));
	cr_assert(match_ev("@timestamp <= 2024-03-10", kv, t, 0));
	cr_assert_not(match_ev("@timestamp > 2024-03-10", kv, t, 0));
	cr_assert(match_ev("@timestamp:2024-03-10", kv, t, 0));
	cr_assert_not(match_ev("@timestamp:2024-03-11", kv, t, 0));
	cr_assert(match_ev("@timestamp < \"2024-03-10T12:00:00.000001Z\"", kv,
	    t, 0));
	cr_assert(match_ev("@timestamp <= \"2024-03-10T12:00\"", kv,
	    t + 59 * LH_US, 0));
	cr_assert(match_ev("@timestamp:2024-03", kv, t, 0));
	cr_assert(match_ev("@timestamp:2024", kv, t, 0));
	cr_assert(match_ev("@timestamp > 1710000000000", kv, t, 0));
	cr_assert(match_ev("@timestamp < 2024-03-10||+1d", kv, t, 0));
	cr_assert(match_ev("@timestamp < now", kv, t, 0));
	cr_assert_not(match_ev("@timestamp >= now-7d", kv, t, 0));
	cr_assert(match_ev("@timestamp >= now-7d", kv, now - 3600 * LH_US,
	    0));
	cr_assert_not(match_ev("@timestamp >= now-1h", kv,
	    now - 7200 * LH_US, 0));
	cr_assert(match_ev("@timestamp >= now/d", kv, now, 0));
	cr_assert(match_ev("@timestamp <= now/d", kv, now, 0));
	cr_assert_not(match_ev("@timestamp >= now+1d/d", kv, now, 0));
	cr_assert(match_ev("@timestamp:*", kv, t, 0));
	cr_assert_not(match_ev("@timestamp:*", kv, LH_TS_NONE, 0));
	cr_assert_not(match_ev("@timestamp >= 1970-01-01", kv, 5, LH_TS_BOOT));
	cr_assert(match_ev("not @timestamp < 2000-01-01", kv, LH_TS_NONE, 0));
}

Test(kql, other_date_fields)
{
	const char *kv[] = { "event.created", "2024-05-01T10:00:00Z",
		"event.ingested", "junk", NULL };

	cr_assert(match("event.created > 2024-05-01", kv) == 0);
	cr_assert(match("event.created >= 2024-05-01", kv));
	cr_assert(match("event.created:2024-05-01", kv));
	cr_assert_not(match("event.ingested >= 2000-01-01", kv));
	cr_assert(match("event.ingested:*", kv));
}

Test(kql, arrays_match_any_element)
{
	const char *kv[] = { "event.dataset", "foo", "event.dataset",
		"system.syslog", "message", "alpha", "message", "beta gamma",
		NULL };

	cr_assert(match("event.dataset:system.syslog", kv));
	cr_assert(match("event.dataset:foo", kv));
	cr_assert_not(match("event.dataset:bar", kv));
	cr_assert(match("message:gamma", kv));
	cr_assert(match("message:\"beta gamma\"", kv));
	/* Elements are separate values: no phrase across them. */
	cr_assert_not(match("message:\"alpha beta\"", kv));
}

Test(kql, missing_fields)
{
	cr_assert_not(msg("process.name:kernel", "kernel"));
	cr_assert(msg("not process.name:kernel", "kernel"));
	cr_assert_not(msg("process.name:*", "kernel"));
	cr_assert(msg("message:*", ""));
	cr_assert(msg("not process.pid > 3", "kernel"));
}

/* ---- the grammar -------------------------------------------------------- */

Test(kql, precedence_and_parentheses)
{
	const char *q = "message:a or message:b and message:c";

	cr_assert(msg(q, "a"));
	cr_assert_not(msg(q, "b"));
	cr_assert(msg(q, "b c"));
	cr_assert_not(msg("(message:a or message:b) and message:c", "a"));
	cr_assert(msg("message:(a or b and c)", "a"));
	cr_assert_not(msg("message:(a or b and c)", "b"));
	cr_assert(msg("message:a OR message:b AnD message:c", "b c"));
	cr_assert(msg("message:x or\tmessage:a", "a"));
}

Test(kql, not)
{
	cr_assert(msg("not message:a", "b"));
	cr_assert_not(msg("NOT message:a", "a"));
	cr_assert(msg("message:(b and not a)", "b"));
	cr_assert_not(msg("message:(b and not a)", "b a"));
	cr_assert(msg("message:b and not (message:a or message:c)", "b"));
	cr_assert(msg("not (not_a_field:x)", "b"));
	cr_assert(msg("notice:* or message:notice", "notice"));
	cr_assert(msg("not message:a", "b") && matched_buf[0] == '\0');
}

Test(kql, exists)
{
	cr_assert(proc("process.pid:*", "x", "1"));
	cr_assert_not(proc("process.ppid:*", "x", "1"));
	cr_assert(proc("process.name: *", "", "1"));
	cr_assert_str_eq(matched_buf, "process.name:*");
	cr_assert_not(proc("process.name:\"*\"", "x", "1"));
	cr_assert(proc("process.name:\"*\"", "*", "1"));
	cr_assert(proc("*:*", "x", "1"));
	cr_assert(proc("*", "x", "1"));
	cr_assert(proc("", "x", "1"));
	cr_assert(proc("   ", "x", "1"));
}

Test(kql, wildcards)
{
	cr_assert(proc("process.name:ker*", "kernel", "1"));
	cr_assert(proc("process.name:*nel", "kernel", "1"));
	cr_assert(proc("process.name:k*r*l", "kernel", "1"));
	cr_assert_not(proc("process.name:Ker*", "kernel", "1"));
	cr_assert_not(proc("process.name:ker*x", "kernel", "1"));
	cr_assert(msg("message:SEG*", "x Segfault y"));
	cr_assert_str_eq(matched_buf, "segfault (SEG*)");
	cr_assert_not(msg("message:seg*", "aseg"));
	cr_assert(msg("message:*geth", "op-geth"));
	cr_assert(proc("process.*:kernel", "kernel", "1"));
	cr_assert_not(proc("process.*:kernel", "Kernel", "1"));
	cr_assert(proc("process.*:1", "kernel", "1"));
	cr_assert(proc("*:kernel", "kernel", "1"));
	cr_assert(proc("process.pid:4*", "x", "42"));
	/* An escaped star is a literal star. */
	cr_assert_not(proc("process.name:ker\\*", "kernel", "1"));
	cr_assert(proc("process.name:ker\\*", "ker*", "1"));
	cr_assert(proc("process.name:\"ker*\"", "ker*", "1"));
	cr_assert_not(proc("process.name:\"ker*\"", "kernel", "1"));
}

Test(kql, escapes)
{
	cr_assert(proc("process.name:a\\(b\\)\\:c", "a(b):c", "1"));
	cr_assert(proc("process.name:C\\:\\\\Windows", "C:\\Windows", "1"));
	cr_assert(proc("process.name:\"a \\\"b\\\" \\\\c\"", "a \"b\" \\c",
	    "1"));
	cr_assert(proc("process.name:\"a\\tb\"", "a\tb", "1"));
	cr_assert(proc("process.name:\"\\u00e9t\\u00E9\"", "\xc3\xa9t\xc3\xa9",
	    "1"));
	cr_assert(proc("process.name:\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80",
	    "1"));
	cr_assert(proc("process.name:\"a\\qb\"", "a\\qb", "1"));
	cr_assert(proc("process.name:x \\and y", "x and y", "1"));
	cr_assert(proc("process.name:x \\or y", "x or y", "1"));
	cr_assert(proc("process.name:a\\u0062c", "abc", "1"));
	cr_assert(proc("process.name:a\\{\\}\\<\\>\\\"", "a{}<>\"", "1"));
	cr_assert(proc("process.name:\"a:(b) or c\"", "a:(b) or c", "1"));
	cr_assert(proc("process.name:\"\"", "", "1"));
	cr_assert(proc("\"process.name\":kernel", "kernel", "1"));
	/* Literals are trimmed, quoted strings are not. */
	cr_assert(proc("process.name:   kernel   ", "kernel", "1"));
	cr_assert(proc("process.name:\" kernel\"", " kernel", "1"));
	cr_assert_not(proc("process.name:\" kernel\"", "kernel", "1"));
}

Test(kql, keywords_inside_literals)
{
	/* Keywords need whitespace on both sides. */
	cr_assert(proc("process.name:orange", "orange", "1"));
	cr_assert(proc("process.name:android", "android", "1"));
	cr_assert(proc("process.name:a or", "a or", "1"));
	cr_assert(proc("process.name:x-or-y", "x-or-y", "1"));
	cr_assert(proc("process.name:a or process.name:b", "b", "1"));
	cr_assert(proc("process.name:(a or b)", "b", "1"));
	cr_assert_str_eq(matched_buf, "process.name:b");
}

Test(kql, bare_values)
{
	const char *kv[] = { "process.name", "kernel", "message",
		"Hello World", "process.pid", "42", NULL };

	cr_assert(match("world", kv));
	cr_assert_str_eq(matched_buf, "world");
	cr_assert(match("kernel", kv));
	cr_assert_str_eq(matched_buf, "process.name:kernel");
	cr_assert_not(match("Kernel", kv));
	cr_assert(match("42", kv));
	cr_assert(match("\"hello world\"", kv));
	cr_assert_not(match("\"world hello\"", kv));
	cr_assert(match("kern*", kv));
	cr_assert(match("HEL*", kv));
	cr_assert_not(match("nothing", kv));
	cr_assert(match("world and kernel", kv));
}

Test(kql, nested_fields)
{
	cr_assert(proc("process:{ name:kernel }", "kernel", "1"));
	cr_assert(proc("process:{name:kernel and pid > 0}", "kernel", "1"));
	cr_assert_not(proc("process:{ name:kernel and pid > 1 }", "kernel",
	    "1"));
	cr_assert(proc("process : { kernel }", "kernel", "1"));
	cr_assert(proc("a:{ b:{ c:x } } or process.name:kernel", "kernel",
	    "1"));
	{
		const char *kv[] = { "a.b.c", "x", NULL };

		cr_assert(match("a:{ b:{ c:x } }", kv));
		cr_assert_not(match("a:{ b:{ c:y } }", kv));
	}
}

/* ---- errors ------------------------------------------------------------- */

Test(kql, syntax_errors_have_columns)
{
	cr_assert_str_eq(compile_error("message:(a or b", 15),
	    "column 16: expected ')' but end of query found");
	cr_assert_str_eq(compile_error("process.name:", 13),
	    "column 14: expected a value but end of query found");
	cr_assert_str_eq(compile_error("a and ", 6),
	    "column 7: expected a field name, a value or '(' but end of query "
	    "found");
	cr_assert_str_eq(compile_error("a b)", 4),
	    "column 4: expected 'and', 'or' or the end of the query but ')' "
	    "found");
	cr_assert_str_eq(compile_error("message:\"abc", 12),
	    "column 13: expected '\"' but end of query found");
	cr_assert_str_eq(compile_error("a and )", 7),
	    "column 7: expected a field name, a value or '(' but ')' found");
	cr_assert_str_eq(compile_error("(a", 2),
	    "column 3: expected ')' but end of query found");
	cr_assert_str_eq(compile_error("x:{y:z", 6),
	    "column 7: expected '}' but end of query found");
	cr_assert_str_eq(compile_error("process.pid > abc", 17),
	    "column 15: expected a number for process.pid but \"abc\" found");
	cr_assert_str_eq(compile_error("@timestamp < yesterday", 22),
	    "column 14: expected a date for @timestamp but \"yesterday\" "
	    "found");
	compile_error("not not a", 9);
	compile_error("a\\x", 3);
	compile_error("message:cannot open", 19);
	compile_error("a:b:c", 5);
	compile_error("a\0b", 3);
	compile_error(">", 1);
	compile_error("a >", 3);
	compile_error("\xc3\xa9 )", 4);
	cr_assert_str_eq(compile_error("\xc3\xa9\xc3\xa9 )", 6),
	    "column 4: expected 'and', 'or' or the end of the query but ')' "
	    "found");
}

Test(kql, limits)
{
	size_t n = 2 * LH_KQL_MAX_DEPTH + 8, i, len;
	char *q = malloc(2 * n + 8);
	struct lh_kql *k;

	/* Just within the limit. */
	for (i = 0; i < LH_KQL_MAX_DEPTH; i++)
		q[i] = '(';
	q[i++] = 'a';
	for (len = i; len < 2 * LH_KQL_MAX_DEPTH + 1; len++)
		q[len] = ')';
	k = lh_kql_compile(q, len, NULL);
	cr_assert_not_null(k);
	lh_kql_free(k);
	/* One deeper. */
	memmove(q + 1, q, len);
	q[0] = '(';
	q[++len] = ')';
	len++;
	cr_assert(strstr(compile_error(q, len), "nesting deeper than") !=
	    NULL);
	/* Deep nots and values lists, far past the limit. */
	for (i = 0; i < n; i++)
		memcpy(q + 2 * i, "((", 2);
	cr_assert(strstr(compile_error(q, 2 * n), "nesting") != NULL);
	free(q);
	q = malloc(LH_KQL_MAX_LEN + 2);
	memset(q, 'a', LH_KQL_MAX_LEN + 1);
	compile_error(q, LH_KQL_MAX_LEN + 1);
	free(q);
}

Test(kql, garbage_never_crashes)
{
	static const char chars[] = "ab :()<>=\"\\*{}or and not\t\xc2\xa0u0";
	char q[64];
	unsigned seed = 1;
	int i, j, n;

	for (i = 0; i < 20000; i++) {
		struct lh_kql *k;

		n = (int)(seed % 40);
		for (j = 0; j < n; j++) {
			seed = seed * 1103515245u + 12345u;
			q[j] = chars[(seed >> 16) % (sizeof(chars) - 1)];
		}
		seed = seed * 1103515245u + 12345u;
		k = lh_kql_compile(q, (size_t)n, NULL);
		if (k != NULL) {
			char **w;
			struct lh_event ev;
			struct lh_kql_scratch *s = lh_kql_scratch_create();
			const char *kv[] = { "a", "b", "message", "or and b",
				NULL };

			lh_event_init(&ev);
			fill(&ev, kv);
			lh_kql_match(k, &ev, s);
			if (lh_kql_required_words(k, &w)) {
				for (j = 0; w[j] != NULL; j++)
					free(w[j]);
				free(w);
			}
			lh_kql_scratch_free(s);
			lh_event_free(&ev);
			lh_kql_free(k);
		}
	}
}

/* ---- scratch ------------------------------------------------------------ */

Test(kql, scratch_reuse_across_records)
{
	struct lh_kql *k = compile("message:(segfault and sshd)");
	struct lh_kql_scratch *s = lh_kql_scratch_create();
	struct lh_event ev;
	char line[64];
	size_t n;
	int i;

	lh_event_init(&ev);
	for (i = 0; i < 50; i++) {
		/* The same buffer and length, different words. */
		snprintf(line, sizeof(line), "%s[1]: segfault at %02d",
		    i % 2 ? "sshd" : "nfsd", i);
		lh_event_reset(&ev);
		lh_event_adds(&ev, "message", line);
		lh_kql_scratch_reset(s);
		cr_assert_eq(lh_kql_match(k, &ev, s), i % 2, "record %d", i);
		if (i % 2)
			cr_assert_str_eq(lh_kql_matched(s, &n),
			    "segfault, sshd");
	}
	cr_assert_eq(n, 2);
	lh_kql_scratch_free(s);
	lh_kql_free(k);
	lh_event_free(&ev);
}

Test(kql, matched_terms_deduplicated)
{
	cr_assert(msg("message:(a and a) and message:\"a\" and message:A",
	    "a"));
	cr_assert_str_eq(matched_buf, "a, a (A)");
	cr_assert(msg("message:x or message:(y or a)", "a"));
	cr_assert_str_eq(matched_buf, "a");
}

Test(kql, word_lists)
{
	const char *q = "message:(alpha or op-geth or op-node or \"x y\")";

	/* The first alternative in order wins, with its first token. */
	cr_assert_not(msg(segfault_rule, "sshd segfault"));
	cr_assert(kernel(segfault_rule, "op[1]: segfault"));
	cr_assert_str_eq(matched_buf, "segfault, op (op-batcher), "
	    "host.os.type:linux, event.dataset:system.syslog, "
	    "process.name:kernel");
	cr_assert(kernel(segfault_rule, "node geth op segfault"));
	cr_assert_str_eq(matched_buf, "segfault, geth, "
	    "host.os.type:linux, event.dataset:system.syslog, "
	    "process.name:kernel");
	cr_assert(msg(q, "x y"));
	cr_assert_str_eq(matched_buf, "x y");
	cr_assert(msg(q, "node"));
	cr_assert_str_eq(matched_buf, "node (op-node)");
	{
		const char *kv[] = { "message", "zeta", "message", "node",
			"message", "Alpha", NULL };

		cr_assert(match("message:(beta or op-node or alpha)", kv));
		cr_assert_str_eq(matched_buf, "node (op-node)");
		cr_assert(match("message:(alpha or op-node or beta)", kv));
		cr_assert_str_eq(matched_buf, "alpha");
		cr_assert_not(match("message:(beta or gamma)", kv));
		cr_assert(match("not message:(beta or gamma)", kv));
	}
}

/*
 * Fuzzer finding: an empty quoted literal left the value buffers
 * unallocated, and literal() computed NULL + 0 (undefined behaviour).
 */
Test(kql, empty_quoted_literal)
{
	const char *qs[] = { "\"\"", "message:\"\"", "\"\" or x",
		"\"\"\"\"*#t#", NULL };
	size_t i;

	for (i = 0; qs[i] != NULL; i++) {
		struct lh_err err;
		struct lh_kql *k = lh_kql_compile(qs[i], strlen(qs[i]), &err);

		lh_kql_free(k);
	}
	lh_kql_free(compile("message:\"\""));
}

/*
 * An or of exact values on one keyword field is looked up in a table
 * (struct tokmap): the same answers and the same hit as child by child -
 * which a wildcard child forces - case-sensitive, the first child in
 * order for a multi-valued field, and an unindexed value equal to none.
 */
Test(kql, keyword_value_lists)
{
	static const char *const qs[] = {
		"user.name:(bin or sys or root or \"www-data\")",
		"user.name:(bin or sys or root or \"www-data\" or zz*)"
	};
	const char *root[] = { "user.name", "root", NULL };
	const char *caps[] = { "user.name", "Root", NULL };
	const char *many[] = { "user.name", "zed", "user.name", "sys",
		"user.name", "bin", NULL };
	const char *other[] = { "user.name", "bin2", "source.user", "bin",
		NULL };
	char big[1200], q[1300];
	const char *longv[] = { "user.name", big, NULL };
	size_t i;

	for (i = 0; i < 2; i++) {
		cr_assert(match(qs[i], root));
		cr_assert_str_eq(matched_buf, "user.name:root");
		cr_assert_not(match(qs[i], caps));
		cr_assert(match(qs[i], many));
		cr_assert_str_eq(matched_buf, "user.name:bin");
		cr_assert_not(match(qs[i], other));
	}
	cr_assert_not(match("not user.name:(bin or sys)", many));
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(q, sizeof(q), "user.name:(bin or %s)", big);
	cr_assert_not(match(q, longv));
}
