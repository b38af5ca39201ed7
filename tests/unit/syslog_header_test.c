/*
 * syslog_header_test.c: the syslog header grok against the grok
 * definitions of the Filebeat system module (elastic-semantics.md 5.1),
 * Elastic's own test expectations (beats tz-offset.log-expected.json,
 * suse-syslog.log-expected.json) and real lines from the public samples (reference/
 * samples/SOURCES.md), plus RFC 5424, dmesg and hostile input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "core/event.h"
#include "core/status.h"
#include "core/time.h"
#include "formats/syslog_header.h"

/* 2026-01-10T00:00:00Z, the reference time of most tests. */
#define REF_2026 (INT64_C(1768003200) * LH_US)

static struct lh_tz test_tz;
static struct lh_syslog_header_ctx ctx;
static struct lh_event ev;

static void
setup_ctx(const char *zone, int64_t ref, int year)
{
	cr_assert_eq(lh_tz_parse(zone, &test_tz, NULL), LH_OK);
	ctx.tz = &test_tz;
	ctx.ref = ref;
	ctx.year = year;
	ctx.last_year = 0;
	ctx.auth = 0;
}

static void
setup(void)
{
	setup_ctx("UTC", REF_2026, 0);
	lh_event_init(&ev);
}

static void
teardown(void)
{
	lh_event_free(&ev);
}

TestSuite(pipeline, .init = setup, .fini = teardown);

static int
parse_n(const char *line, size_t len)
{
	lh_event_reset(&ev);
	return lh_syslog_header_parse(line, len, &ctx, &ev);
}

static int
parse(const char *line)
{
	return parse_n(line, strlen(line));
}

static int
grok(const char *line)
{
	lh_event_reset(&ev);
	return lh_syslog_header_grok(line, strlen(line), &ctx, &ev);
}

/* Asserts that field name is want (NULL: absent). */
static void
expect_field(const char *name, const char *want)
{
	const struct lh_field *f = lh_event_get(&ev, name);

	if (want == NULL) {
		cr_expect_null(f, "%s present: \"%.*s\"", name,
		    f != NULL ? (int)f->len : 0, f != NULL ? f->val : "");
		return;
	}
	cr_assert_not_null(f, "%s absent, want \"%s\"", name, want);
	cr_expect(f->len == strlen(want) && memcmp(f->val, want, f->len) == 0,
	    "%s = \"%.*s\", want \"%s\"", name, (int)f->len, f->val, want);
}

static void
expect_tag(const char *host, const char *proc, const char *pid,
    const char *msg)
{
	expect_field(LH_F_HOSTNAME, host);
	expect_field(LH_F_PROC_NAME, proc);
	expect_field(LH_F_PROC_PID, pid);
	expect_field(LH_F_MESSAGE, msg);
}

/* Asserts ev->ts as RFC 3339 text (NULL: no time). */
static void
expect_ts(const char *want)
{
	char buf[40];

	if (want == NULL) {
		cr_expect_eq(ev.ts, LH_TS_NONE);
		return;
	}
	cr_assert_neq(ev.ts, LH_TS_NONE, "no time, want %s", want);
	lh_time_format(ev.ts, buf);
	cr_expect_str_eq(buf, want);
}

static void
expect_constants(void)
{
	expect_field(LH_F_DATASET, "system.syslog");
	expect_field(LH_F_DS_DATASET, "system.syslog");
	expect_field(LH_F_MODULE, "system");
	expect_field(LH_F_OS_TYPE, "linux");
}

/* A line no pattern fits: raw message, no time, no tag. */
static void
expect_raw_n(const char *line, size_t len)
{
	const struct lh_field *f;

	cr_expect_eq(parse_n(line, len), LH_WARN);
	f = lh_event_get(&ev, LH_F_MESSAGE);
	cr_assert_not_null(f);
	cr_expect(f->val == line && f->len == len, "message is not the line");
	cr_expect_null(lh_event_get(&ev, LH_F_PROC_NAME));
	cr_expect_null(lh_event_get(&ev, LH_F_HOSTNAME));
	cr_expect_eq(ev.ts, LH_TS_NONE);
}

static void
expect_raw(const char *line)
{
	expect_raw_n(line, strlen(line));
}

Test(pipeline, rfc3164_kernel_segfault)
{
	/* elastic-semantics.md 5.1, the worked example. */
	cr_assert_eq(parse("Jan  5 10:11:12 web01 kernel: [ 1234.567890] "
	    "sshd[4321]: segfault at 0 ip 00007f0000001000 sp "
	    "00007ffc00000000 error 4 in libc.so.6[7f0000000000,7f0000000000"
	    "+195000] likely on CPU 1 (core 1, socket 0)"), LH_OK);
	expect_tag("web01", "kernel", NULL, "[ 1234.567890] sshd[4321]: "
	    "segfault at 0 ip 00007f0000001000 sp 00007ffc00000000 error 4 in "
	    "libc.so.6[7f0000000000,7f0000000000+195000] likely on CPU 1 "
	    "(core 1, socket 0)");
	expect_ts("2026-01-05T10:11:12.000000Z");
	cr_expect_eq(ev.ts_prec, LH_US);
	cr_expect_eq(ev.ts_flags, LH_TS_YEAR);
	cr_expect_eq(ctx.last_year, 2026);
	expect_constants();
}

Test(pipeline, lazy_data_is_shortest_tag)
{
	cr_assert_eq(parse("Jan  5 10:11:12 h kernel: [ 12.3] sshd[5]: x"),
	    LH_OK);
	expect_tag("h", "kernel", NULL, "[ 12.3] sshd[5]: x");
	cr_assert_eq(parse("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: x"),
	    LH_OK);
	expect_tag("combo", "sshd(pam_unix)", "19939", "x");
	cr_assert_eq(parse("Jan  5 10:11:12 h foo[0]: x"), LH_OK);
	expect_tag("h", "foo[0]", NULL, "x");
	cr_assert_eq(parse("Jan  5 10:11:12 h foo[007]: x"), LH_OK);
	expect_tag("h", "foo[007]", NULL, "x");
	cr_assert_eq(parse("Jan  5 10:11:12 h CRON[123]: (root) CMD (run)"),
	    LH_OK);
	expect_tag("h", "CRON", "123", "(root) CMD (run)");
	cr_assert_eq(parse("Jan  5 10:11:12 h foo[12]x: y"), LH_OK);
	expect_tag("h", "foo[12]x", NULL, "y");
	cr_assert_eq(parse("Jan  5 10:11:12 h a b c: d: e"), LH_OK);
	expect_tag("h", "a b c", NULL, "d: e");
	cr_assert_eq(parse("Jan  5 10:11:12 h foo:bar: baz"), LH_OK);
	expect_tag("h", "foo:bar", NULL, "baz");
	cr_assert_eq(parse("Jan  5 10:11:12 h foo:  two"), LH_OK);
	expect_tag("h", "foo", NULL, " two");
	cr_assert_eq(parse("Jan  5 10:11:12 h foo: "), LH_OK);
	expect_tag("h", "foo", NULL, "");
}

Test(pipeline, empty_tag_and_bare_pid)
{
	/* DATA may be empty; grok then captures "" (GrokCaptureType). */
	cr_assert_eq(parse("Jan  5 10:11:12 h : m"), LH_OK);
	expect_tag("h", "", NULL, "m");
	cr_assert_eq(parse("Jan  5 10:11:12 h [42]: m"), LH_OK);
	expect_tag("h", "", "42", "m");
}

Test(pipeline, pattern2_without_tag)
{
	/* darwin-syslog-sample.log, last line. */
	cr_assert_eq(parse("Apr 4 03:39:57 --- last message repeated 1 time "
	    "---"), LH_OK);
	expect_tag(NULL, NULL, NULL, "--- last message repeated 1 time ---");
	expect_ts("2025-04-04T03:39:57.000000Z");
	/* '_' is no hostname character; no ": " means no tag. */
	cr_assert_eq(parse("Jan  5 10:11:12 bad_host x: y"), LH_OK);
	expect_tag(NULL, NULL, NULL, "bad_host x: y");
	cr_assert_eq(parse("Jan  5 10:11:12 host no colon here"), LH_OK);
	expect_tag(NULL, NULL, NULL, "host no colon here");
	cr_assert_eq(parse("Jan  5 10:11:12  host x: y"), LH_OK);
	expect_tag(NULL, NULL, NULL, " host x: y");
	cr_assert_eq(parse("Jan  5 10:11:12 "), LH_OK);
	expect_tag(NULL, NULL, NULL, "");
	expect_raw("Jan  5 10:11:12");
}

Test(pipeline, month_names)
{
	static const struct {
		const char *line, *ts;
	} c[] = { { "Mär  3 01:02:03 h p: m", "2025-03-03T01:02:03.000000Z" },
		{ "März 3 01:02:03 h p: m", "2025-03-03T01:02:03.000000Z" },
		{ "Mai 3 01:02:03 h p: m", "2025-05-03T01:02:03.000000Z" },
		{ "Okt 3 01:02:03 h p: m", "2025-10-03T01:02:03.000000Z" },
		{ "Dez 3 01:02:03 h p: m", "2025-12-03T01:02:03.000000Z" },
		{ "Dezember 3 01:02:03 h p: m",
		    "2025-12-03T01:02:03.000000Z" },
		{ "January 3 01:02:03 h p: m",
		    "2026-01-03T01:02:03.000000Z" },
		{ "september 3 01:02:03 h p: m",
		    "2025-09-03T01:02:03.000000Z" },
		{ "Juni 3 01:02:03 h p: m", "2025-06-03T01:02:03.000000Z" } };
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		cr_assert_eq(parse(c[i].line), LH_OK, "%s", c[i].line);
		expect_ts(c[i].ts);
		expect_tag("h", "p", NULL, "m");
	}
	expect_raw("JAN  3 01:02:03 h p: m");
	expect_raw("Jax  3 01:02:03 h p: m");
}

Test(pipeline, day_and_time_forms)
{
	cr_assert_eq(parse("Apr  4 03:39:57 h p: m"), LH_OK);
	expect_ts("2025-04-04T03:39:57.000000Z");
	cr_assert_eq(parse("Apr 04 3:09:05 h p: m"), LH_OK);
	expect_ts("2025-04-04T03:09:05.000000Z");
	cr_assert_eq(parse("Apr 4 03:39:57.123 h p: m"), LH_OK);
	expect_ts("2025-04-04T03:39:57.123000Z");
	cr_expect_eq(ev.ts_prec, 1000);
	cr_assert_eq(parse("Apr 4 03:39:57,5 h p: m"), LH_OK);
	expect_ts("2025-04-04T03:39:57.500000Z");
	cr_assert_eq(parse("Apr 4 03:39:57:1234567 h p: m"), LH_OK);
	expect_ts("2025-04-04T03:39:57.123456Z");
	cr_expect_eq(ev.ts_prec, 1);
	expect_raw("Apr 32 03:39:57 h p: m");
	expect_raw("Apr 0 03:39:57 h p: m");
	expect_raw("Apr 4 24:00:00 h p: m");
	expect_raw("Apr 4 03:60:00 h p: m");
	expect_raw("Apr 4 03:39:61 h p: m");
	expect_raw("Apr 4 03:39 h p: m");
	/* The grok fits Feb 30; the date processor would not: no time. */
	cr_assert_eq(parse("Feb 30 03:39:57 h p: m"), LH_OK);
	expect_tag("h", "p", NULL, "m");
	expect_ts(NULL);
}

Test(pipeline, year_rollover_and_forced_year)
{
	setup_ctx("UTC", INT64_C(1767571200) * LH_US, 0); /* 2026-01-05 */
	cr_assert_eq(parse("Dec 31 23:59:58 h p: m"), LH_OK);
	expect_ts("2025-12-31T23:59:58.000000Z");
	cr_expect_eq(ctx.last_year, 2025);
	cr_expect_eq(ev.ts_flags, LH_TS_YEAR);
	cr_assert_eq(parse("Jan  5 00:00:01 h p: m"), LH_OK);
	expect_ts("2026-01-05T00:00:01.000000Z");
	cr_expect_eq(ctx.last_year, 2026);
	setup_ctx("UTC", INT64_C(1767571200) * LH_US, 2019);
	cr_assert_eq(parse("Dec 31 23:59:58 h p: m"), LH_OK);
	expect_ts("2019-12-31T23:59:58.000000Z");
	cr_expect_eq(ev.ts_flags, 0);
	cr_expect_eq(ctx.last_year, 2019);
}

Test(pipeline, rfc3164_in_zone)
{
	setup_ctx("+02:00", REF_2026, 0);
	cr_assert_eq(parse("Jan  5 10:11:12 h p: m"), LH_OK);
	expect_ts("2026-01-05T08:11:12.000000Z");
}

Test(pipeline, iso_offsets)
{
	setup_ctx("+01:00", REF_2026, 0);
	cr_assert_eq(parse("2025-12-30T10:00:00.123456+02:00 h p[1]: m"),
	    LH_OK);
	expect_ts("2025-12-30T08:00:00.123456Z");
	cr_expect_eq(ev.ts_prec, 1);
	cr_expect_eq(ev.ts_flags, 0);
	cr_assert_eq(parse("2025-12-30T10:00:00Z h p[1]: m"), LH_OK);
	expect_ts("2025-12-30T10:00:00.000000Z");
	cr_assert_eq(parse("2025-12-30T10:00:00 h p[1]: m"), LH_OK);
	expect_ts("2025-12-30T09:00:00.000000Z");
	cr_assert_eq(parse("2025-12-30T10:00:00-0530 h p[1]: m"), LH_OK);
	expect_ts("2025-12-30T15:30:00.000000Z");
	cr_assert_eq(parse("2025-12-30T10:00:00+5:30 h p[1]: m"), LH_OK);
	expect_ts("2025-12-30T04:30:00.000000Z");
	expect_tag("h", "p", "1", "m");
}

Test(pipeline, iso_grok_variants)
{
	/* hh:mm without seconds, a space for T, one-digit month and day. */
	cr_assert_eq(parse("2025-12-30 10:07 h p: m"), LH_OK);
	expect_ts("2025-12-30T10:07:00.000000Z");
	cr_expect_eq(ev.ts_prec, 60 * LH_US);
	expect_tag("h", "p", NULL, "m");
	cr_assert_eq(parse("2025-1-2T1007Z h p: m"), LH_OK);
	expect_ts("2025-01-02T10:07:00.000000Z");
	/* pattern 4: no tag */
	cr_assert_eq(parse("2022-04-21T14:30:00Z greedy multiline"), LH_OK);
	expect_tag(NULL, NULL, NULL, "greedy multiline");
	/* YEAR is (?>\d\d){1,2}: a two-digit year fits, without a time. */
	cr_assert_eq(parse("25-12-30T10:00:00 h p: m"), LH_OK);
	expect_tag("h", "p", NULL, "m");
	expect_ts(NULL);
	/* A zone "+02" has no minutes: ISO8601_TIMEZONE does not fit. */
	expect_raw("2025-12-30T10:00:00+02 h p: m");
	expect_raw("2025-13-30T10:00:00Z h p: m");
}

Test(pipeline, beats_tz_offset_expected)
{
	/* beats tz-offset.log and tz-offset.log-expected.json */
	cr_assert_eq(parse("1986-04-26T01:23:45.101+0400 rmbkmonitor04 "
	    "shutdown[2649]: shutting down for system halt"), LH_OK);
	expect_tag("rmbkmonitor04", "shutdown", "2649",
	    "shutting down for system halt");
	expect_ts("1986-04-25T21:23:45.101000Z");
	cr_expect_eq(ev.ts_prec, 1000);
	cr_assert_eq(parse("1986-04-26T01:23:45.388424+04:00 rmbkmonitor04 "
	    "thermald: constraint_0_power_limit_uw exceeded."), LH_OK);
	expect_tag("rmbkmonitor04", "thermald", NULL,
	    "constraint_0_power_limit_uw exceeded.");
	expect_ts("1986-04-25T21:23:45.388424Z");
	/* integrations test-tz-offset: no zone, event.timezone -02:00 */
	setup_ctx("-02:00", REF_2026, 0);
	cr_assert_eq(parse("2019-06-14T10:40:20.912134 localhost sudo: "
	    "pam_unix(sudo-i:session): session opened for user root by "
	    "userauth3(uid=0)"), LH_OK);
	expect_tag("localhost", "sudo", NULL, "pam_unix(sudo-i:session): "
	    "session opened for user root by userauth3(uid=0)");
	expect_ts("2019-06-14T12:40:20.912134Z");
}

Test(pipeline, beats_suse_expected)
{
	/* beats suse-syslog.log and suse-syslog.log-expected.json */
	cr_assert_eq(parse("2018-08-14T14:30:02.203151+02:00 linux-sqrz "
	    "systemd[4179]: Stopped target Basic System."), LH_OK);
	expect_tag("linux-sqrz", "systemd", "4179",
	    "Stopped target Basic System.");
	expect_ts("2018-08-14T12:30:02.203151Z");
	cr_assert_eq(parse("2018-08-14T14:30:02.203251+02:00 linux-sqrz "
	    "systemd[4179]: Stopped target Paths."), LH_OK);
	expect_tag("linux-sqrz", "systemd", "4179", "Stopped target Paths.");
	expect_constants();
}

Test(pipeline, real_sample_lines)
{
	/* crowdsec-hub syslog-logs.log */
	cr_assert_eq(parse("Feb 12 14:10:21 sd-126005 sshd[16378]: Invalid "
	    "user pascal from 35.188.49.176 port 53502"), LH_OK);
	expect_tag("sd-126005", "sshd", "16378",
	    "Invalid user pascal from 35.188.49.176 port 53502");
	/* loghub Linux_2k: trailing space kept, tag without pid */
	cr_assert_eq(parse("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: "
	    "authentication failure; logname= uid=0 euid=0 tty=NODEVssh "
	    "ruser= rhost=218.188.2.4 "), LH_OK);
	expect_tag("combo", "sshd(pam_unix)", "19939", "authentication "
	    "failure; logname= uid=0 euid=0 tty=NODEVssh ruser= "
	    "rhost=218.188.2.4 ");
	cr_assert_eq(parse("Jun 15 04:06:20 combo logrotate: ALERT exited "
	    "abnormally with [1]"), LH_OK);
	expect_tag("combo", "logrotate", NULL,
	    "ALERT exited abnormally with [1]");
	/* integrations test-systemd.log */
	cr_assert_eq(parse("May 27 11:19:36 hostname systemd[1]: Started "
	    "ssh.service - OpenBSD Secure Shell server."), LH_OK);
	expect_tag("hostname", "systemd", "1",
	    "Started ssh.service - OpenBSD Secure Shell server.");
	/* beats darwin-syslog-sample.log: the message holds a stamp */
	cr_assert_eq(parse("Dec 13 11:35:28 a-mac-with-esc-key "
	    "GoogleSoftwareUpdateAgent[21412]: 2016-12-13 11:35:28.420 "
	    "GoogleSoftwareUpdateAgent[21412/0x700007399000] [lvl=2]"), LH_OK);
	expect_tag("a-mac-with-esc-key", "GoogleSoftwareUpdateAgent",
	    "21412", "2016-12-13 11:35:28.420 GoogleSoftwareUpdateAgent"
	    "[21412/0x700007399000] [lvl=2]");
	expect_ts("2025-12-13T11:35:28.000000Z");
	/* a continuation line of the same file: no pattern fits */
	expect_raw("\t\tticketStore=<KSPersistentTicketStore:0x100204520 "
	    "store=<KSKeyedPersistentStore:0x100213290");
}

Test(pipeline, hosts)
{
	cr_assert_eq(parse("Jan  5 10:11:12 2001:db8::1 sshd[1]: m"), LH_OK);
	expect_tag("2001:db8::1", "sshd", "1", "m");
	cr_assert_eq(parse("Jan  5 10:11:12 ::ffff:10.0.0.1 sshd[1]: m"),
	    LH_OK);
	expect_tag("::ffff:10.0.0.1", "sshd", "1", "m");
	cr_assert_eq(parse("Jan  5 10:11:12 fe80::1%eth0 sshd[1]: m"), LH_OK);
	expect_tag("fe80::1%eth0", "sshd", "1", "m");
	cr_assert_eq(parse("Jan  5 10:11:12 10.1.2.3 sshd[1]: m"), LH_OK);
	expect_tag("10.1.2.3", "sshd", "1", "m");
	cr_assert_eq(parse("Jan  5 10:11:12 web.example.com. sshd[1]: m"),
	    LH_OK);
	expect_tag("web.example.com.", "sshd", "1", "m");
	cr_assert_eq(parse("Jan  5 10:11:12 web- sshd[1]: m"), LH_OK);
	expect_tag("web-", "sshd", "1", "m");
	/* not hosts: pattern 2 */
	cr_assert_eq(parse("Jan  5 10:11:12 2001:db8:::1 sshd[1]: m"), LH_OK);
	expect_tag(NULL, NULL, NULL, "2001:db8:::1 sshd[1]: m");
	cr_assert_eq(parse("Jan  5 10:11:12 -web sshd[1]: m"), LH_OK);
	expect_field(LH_F_HOSTNAME, NULL);
	cr_assert_eq(parse("Jan  5 10:11:12 a..b sshd[1]: m"), LH_OK);
	expect_field(LH_F_HOSTNAME, NULL);
	cr_assert_eq(parse("Jan  5 10:11:12 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa sshd[1]: m"), LH_OK);
	expect_field(LH_F_HOSTNAME, NULL);
}

Test(pipeline, pid_beyond_long)
{
	/* grok's POSINT:process.pid:long throws: the whole grok fails. */
	expect_raw("Jan  5 10:11:12 h p[99999999999999999999]: m");
	cr_assert_eq(parse("Jan  5 10:11:12 h p[9223372036854775807]: m"),
	    LH_OK);
	expect_tag("h", "p", "9223372036854775807", "m");
}

Test(pipeline, rfc5424_crowdsec)
{
	cr_assert_eq(parse("<13>1 2022-12-26T12:55:26-07:00 "
	    "OPNsense.localdomain opnsense 49061 - [meta sequenceId=\"78\"] "
	    "/usr/local/etc/rc.newwanipv6: plugins_configure newwanip (,wan)"),
	    LH_OK);
	expect_tag("OPNsense.localdomain", "opnsense", "49061",
	    "/usr/local/etc/rc.newwanipv6: plugins_configure newwanip (,wan)");
	expect_ts("2022-12-26T19:55:26.000000Z");
	cr_expect_eq(ev.ts_flags, 0);
	expect_constants();
}

Test(pipeline, rfc5424_structured_data)
{
	cr_assert_eq(parse("<165>1 2003-10-11T22:14:15.003Z mymachine.example."
	    "com evntslog - ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"A"
	    "pp\\]lication\" x=\"q\\\"uo]te\\\\\"][examplePriority@32473 class"
	    "=\"high\"] \xef\xbb\xbf" "An application event"), LH_OK);
	expect_tag("mymachine.example.com", "evntslog", NULL,
	    "An application event");
	expect_ts("2003-10-11T22:14:15.003000Z");
	cr_expect_eq(ev.ts_prec, 1000);
	/* nil values everywhere, no MSG */
	cr_assert_eq(parse("<0>1 - - - - - -"), LH_OK);
	expect_tag(NULL, NULL, NULL, "");
	expect_ts(NULL);
	/* PROCID that is no number is no pid */
	cr_assert_eq(parse("<34>1 2003-10-11T22:14:15Z h su abc ID47 - m"),
	    LH_OK);
	expect_tag("h", "su", NULL, "m");
	/* unterminated SD: not RFC 5424; the unanchored grok finds ISO */
	cr_assert_eq(parse("<34>1 2003-10-11T22:14:15Z h su 1 ID47 [x a=\"]"),
	    LH_OK);
	expect_tag(NULL, NULL, NULL, "h su 1 ID47 [x a=\"]");
}

Test(pipeline, rfc5424_bad_pri)
{
	/* PRI 192 is out of range: the grok alone, as Elastic would. */
	cr_assert_eq(parse("<192>1 2003-10-11T22:14:15.003Z mymachine su - - "
	    "- hello"), LH_OK);
	expect_tag(NULL, NULL, NULL, "mymachine su - - - hello");
	expect_raw("<192>1 - mymachine su - - - hello");
	expect_raw("<1a>1 - mymachine su - - - hello");
}

Test(pipeline, pri_rfc3164)
{
	cr_assert_eq(parse("<13>Jan  5 10:11:12 host tag[7]: msg"), LH_OK);
	expect_tag("host", "tag", "7", "msg");
	expect_ts("2026-01-05T10:11:12.000000Z");
	cr_assert_eq(parse("<13>2026-01-05T10:11:12Z host tag[7]: msg"), LH_OK);
	expect_tag("host", "tag", "7", "msg");
}

Test(pipeline, dmesg_raw)
{
	cr_assert_eq(parse("[ 1234.567890] usb 1-1: new high-speed USB"),
	    LH_OK);
	expect_tag(NULL, "kernel", NULL,
	    "[ 1234.567890] usb 1-1: new high-speed USB");
	cr_expect_eq(ev.ts, INT64_C(1234567890));
	cr_expect_eq(ev.ts_flags, LH_TS_BOOT);
	cr_expect_eq(ev.ts_prec, 1);
	expect_constants();
	cr_assert_eq(parse("<6>[    0.000000] Linux version 6.1.0"), LH_OK);
	expect_tag(NULL, "kernel", NULL, "[    0.000000] Linux version 6.1.0");
	cr_expect_eq(ev.ts, 0);
	cr_assert_eq(parse("[   12.5]"), LH_OK);
	cr_expect_eq(ev.ts, INT64_C(12500000));
	cr_expect_eq(ev.ts_prec, 100000);
	expect_raw("[ 12.5]x");
	expect_raw("[ 12] x");
	expect_raw("[ .5] x");
}

Test(pipeline, dmesg_T)
{
	setup_ctx("+02:00", REF_2026, 0);
	cr_assert_eq(parse("[Sat Oct  9 12:17:39 2021] segfault here"), LH_OK);
	expect_tag(NULL, "kernel", NULL, "segfault here");
	expect_ts("2021-10-09T10:17:39.000000Z");
	cr_expect_eq(ev.ts_flags, 0);
	cr_assert_eq(parse("[Sat Oct 19 12:17:39 2021]"), LH_OK);
	expect_tag(NULL, "kernel", NULL, "");
	expect_raw("[Sat Oct 32 12:17:39 2021] x");
	/* not dmesg -T; the unanchored grok's pattern 2 finds "Oct  9" */
	cr_assert_eq(parse("[Sax Oct  9 12:17:39 2021] x"), LH_OK);
	expect_tag(NULL, NULL, NULL, "2021] x");
	cr_assert_eq(parse("[Sat Oct  9 12:17:39 2021]x"), LH_OK);
	expect_tag(NULL, NULL, NULL, "2021]x");
}

Test(pipeline, unanchored_grok)
{
	/* Grok searches: a stamp later in the line fits (Grok.java). */
	cr_assert_eq(grok("foo Jan  5 10:11:12 h p: m"), LH_OK);
	expect_tag("h", "p", NULL, "m");
	cr_assert_eq(parse("\xef\xbb\xbfJan  5 10:11:12 h p: m"), LH_OK);
	expect_tag("h", "p", NULL, "m");
	/* MONTH starts at \b */
	cr_assert_eq(grok("xJan  5 10:11:12 h p: m"), LH_WARN);
	/* pattern 1 anywhere beats pattern 2 at offset 0 */
	cr_assert_eq(grok("Jan  5 10:11:12 --- Feb  6 11:12:13 h p: m"), LH_OK);
	expect_tag("h", "p", NULL, "m");
	expect_ts("2025-02-06T11:12:13.000000Z");
	/* YEAR has no \b: the leftmost place it fits */
	cr_assert_eq(grok("12020-01-01T10:00:00Z h p: m"), LH_OK);
	expect_ts("2020-01-01T10:00:00.000000Z");
	/* grok alone knows no RFC 5424 */
	cr_assert_eq(grok("<13>1 2022-12-26T12:55:26-07:00 host app 1 - - "
	    "x: y"), LH_OK);
	expect_tag("host", "app 1 - - x", NULL, "y");
	cr_assert_eq(grok("[ 12.5] x"), LH_WARN);
}

Test(pipeline, multiline_message)
{
	/* Filebeat joins "^\s" lines with \n; DATA's '.' stops at one. */
	cr_assert_eq(grok("Jan  5 10:11:12 h p: line1\n\tline2"), LH_OK);
	expect_tag("h", "p", NULL, "line1\n\tline2");
	cr_assert_eq(grok("Jan  5 10:11:12 h p\nq: m"), LH_OK);
	expect_tag(NULL, NULL, NULL, "h p\nq: m");
	cr_assert_eq(grok("2022-04-21T14:30:00Z greedy multiline\nsyslog"),
	    LH_OK);
	expect_tag(NULL, NULL, NULL, "greedy multiline\nsyslog");
}

Test(pipeline, garbage_lines)
{
	static const char nul[] = "Jan  5 10:11:12 h p\0q: m";
	static const char bin[] = "ab\0cd\0";

	expect_raw("");
	expect_raw_n(bin, sizeof(bin) - 1);
	expect_raw("\xff\xfe\x80garbage");
	expect_raw("::::::::::::::::");
	expect_raw("-----------------");
	expect_raw("1234-5678-9012-3456");
	expect_raw("<");
	expect_raw("<13>");
	expect_raw("[");
	expect_raw("[Sat");
	expect_constants();
	/* NUL inside a tag's DATA is just a byte */
	cr_assert_eq(parse_n(nul, sizeof(nul) - 1), LH_OK);
	cr_expect_eq(lh_event_get(&ev, LH_F_PROC_NAME)->len, 3);
}

static int
grok_n_free(char *p, size_t n)
{
	int r;

	lh_event_reset(&ev);
	r = lh_syslog_header_grok(p, n, &ctx, &ev);
	free(p);
	return r;
}

/* Fills a big line from a repeated unit and parses it. */
static void
parse_big(const char *unit, size_t total)
{
	size_t ul = strlen(unit), i;
	char *p = malloc(total);
	int r;

	cr_assert_not_null(p);
	for (i = 0; i < total; i++)
		p[i] = unit[i % ul];
	r = parse_n(p, total);
	cr_expect(r == LH_OK || r == LH_WARN);
	r = grok_n_free(p, total);
	cr_expect(r == LH_OK || r == LH_WARN);
}

Test(pipeline, huge_hostile_lines, .timeout = 20)
{
	size_t mib = 1 << 20;

	parse_big("a", mib);
	parse_big(":", mib);
	parse_big("1-", mib);
	parse_big("2020-", mib);
	parse_big("Jan 1 1:00:00 h ", mib);
	parse_big("Jan 1 1:00:00 h p[1", mib);
	parse_big("2020-01-01T10:00:00Z h ", mib);
	parse_big("2020-01-01T10:00:00Z ::1%z ", mib);
	parse_big("[", mib);
	parse_big("<13>1 - - - - - [x a=\"\\", mib);
}

/* Random lines from bytes that matter to the scanners. */
Test(pipeline, random_lines_never_crash, .timeout = 60)
{
	static const char alpha[] = "JanFebMärzDecOkt 0123456789:.-,+TZ[]<>"
	    "\"\\h%_\n\t\xef\xbb\xbf\0";
	char line[200];
	const struct lh_field *f;
	size_t len, i, k;
	int r;
	unsigned seed = 12345;

	for (k = 0; k < 200000; k++) {
		seed = seed * 1103515245 + 12345;
		len = (seed >> 16) % sizeof(line);
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245 + 12345;
			line[i] = alpha[(seed >> 16) % (sizeof(alpha) - 1)];
		}
		r = parse_n(line, len);
		cr_assert(r == LH_OK || r == LH_WARN);
		for (i = 0; i < ev.nfield; i++) {
			f = &ev.fields[i];
			if (f->name == LH_F_MESSAGE ||
			    f->name == LH_F_HOSTNAME ||
			    f->name == LH_F_PROC_PID)
				cr_assert(f->val >= line &&
				    f->val + f->len <= line + len);
		}
		f = lh_event_get(&ev, LH_F_MESSAGE);
		cr_assert_not_null(f);
		if (r == LH_WARN)
			cr_assert(f->val == line && f->len == len);
	}
}

/* The probe on an exactly sized heap copy, so ASan sees any overread. */
static int
probe(const char *text, size_t n)
{
	char *p = malloc(n ? n : 1);
	int score;

	cr_assert_not_null(p);
	memcpy(p, text, n);
	score = lh_syslog_header_probe(p, n);
	free(p);
	return score;
}

static int
probes(const char *text)
{
	return probe(text, strlen(text));
}

Test(pipeline, probe_scores)
{
	static const char bin[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\n\0\0";

	cr_expect_geq(probes("Feb 12 14:10:21 sd-126005 sshd[16378]: x\n"
	    "Feb 12 14:10:21 sd-126005 sshd[16378]: y\n"
	    "<13>1 2022-12-26T12:55:26-07:00 h a 1 - - m\n\n"), 80);
	cr_expect_geq(probes("[    0.000000] Linux version\n"
	    "[    0.000001] Command line: x\n"), 80);
	cr_expect_geq(probes("Dec 13 11:35:28 mac agent[1]: x\n\t\tcont\n"
	    "\t\tcont\n\t>\nApr 4 03:39:57 --- last ---\n"), 80);
	cr_expect_geq(probes("2018-08-14T14:30:02.203151+02:00 linux-sqrz "
	    "systemd[4179]: Stopped target Paths."), 80);
	cr_expect_eq(probes("{\"message\":\"Jan  5 10:11:12 h p: m\"}\n"), 0);
	cr_expect_eq(probe(bin, sizeof(bin) - 1), 0);
	cr_expect_eq(probes(""), 0);
	cr_expect_eq(probes("hello world\nthis is prose\n"), 0);
	cr_expect_eq(probes("__CURSOR=s=1\n__REALTIME_TIMESTAMP=1\n"), 0);
	cr_expect_lt(probes("Jan  5 10:11:12 h p: m\nfoo\nbar\nbaz\n"), 80);
	cr_expect_gt(probes("Jan  5 10:11:12 h p: m\nfoo\nbar\nbaz\n"), 0);
	/* a cut last line is not held against the text */
	cr_expect_geq(probes("Jan  5 10:11:12 h p: m\nJan  5 10:1"), 80);
}

/*
 * The empty host of beats auth-ubuntu1204.log line 22: the auth grok's
 * "%{SYSLOGHOST:host.hostname}?" lets it through (Elastic's document: no
 * host.hostname, process sshd 8317); the syslog grok wants a host, so its
 * second pattern keeps the tag in the message.
 */
Test(pipeline, empty_host_auth_and_syslog)
{
	static const char line[] =
	    "Feb  9 21:20:08  sshd[8317]: last message repeated 2 times";

	cr_assert_eq(parse(line), LH_OK);
	expect_tag(NULL, NULL, NULL, " sshd[8317]: last message repeated 2 "
	    "times");
	ctx.auth = 1;
	cr_assert_eq(parse(line), LH_OK);
	expect_tag(NULL, "sshd", "8317", "last message repeated 2 times");
	expect_ts("2025-02-09T21:20:08.000000Z");
	cr_assert_eq(grok(line), LH_OK);
	expect_tag(NULL, "sshd", "8317", "last message repeated 2 times");
}

/*
 * "sudo:  patrol : TTY=..." (beats auth-ubuntu1204.log): the auth grok's
 * ":%{SPACE}" trims the padding, the syslog grok's ": " keeps one space.
 */
Test(pipeline, message_padding_auth_trims_syslog_keeps)
{
	static const char line[] = "Feb  9 21:21:02 localhost sudo:  patrol "
	    ": TTY=pts/1 ; PWD=/home/patrol ; USER=root ; COMMAND=/bin/ls";

	cr_assert_eq(parse(line), LH_OK);
	expect_tag("localhost", "sudo", NULL, " patrol : TTY=pts/1 ; "
	    "PWD=/home/patrol ; USER=root ; COMMAND=/bin/ls");
	ctx.auth = 1;
	cr_assert_eq(parse(line), LH_OK);
	expect_tag("localhost", "sudo", NULL, "patrol : TTY=pts/1 ; "
	    "PWD=/home/patrol ; USER=root ; COMMAND=/bin/ls");
}

/*
 * The auth grok is anchored, takes ':' without a space as the end of the
 * tag, an ISO stamp and "<PRI>VERSION " before the stamp; a line with no
 * tag does not fit (the syslog grok's second pattern has no auth twin).
 */
Test(pipeline, auth_grok_shapes)
{
	ctx.auth = 1;
	cr_assert_eq(parse("2024-03-01T10:00:00+01:00 h1 sshd[5]:x"), LH_OK);
	expect_tag("h1", "sshd", "5", "x");
	expect_ts("2024-03-01T09:00:00.000000Z");
	cr_assert_eq(parse("<38>1 Mar  1 10:00:00 h1 su:\tok"), LH_OK);
	expect_tag("h1", "su", NULL, "ok");
	cr_assert_eq(parse("Mar  1 10:00:00 h1 CRON[7]:\n  x"), LH_OK);
	expect_tag("h1", "CRON", "7", "x");
	cr_assert_eq(parse("Mar  1 10:00:00 h1 no tag here"), LH_WARN);
	expect_tag(NULL, NULL, NULL, "Mar  1 10:00:00 h1 no tag here");
	cr_assert_eq(parse("x Mar  1 10:00:00 h1 sshd: y"), LH_WARN);
	cr_assert_eq(parse("Mar  1 10:00:00 h_1 sshd: y"), LH_WARN);
}

/*
 * The auth grok tries its RFC 5424 pattern first (log.yml), so a line of
 * Elastic's test-5424.log (integrations system auth pipeline tests) keeps
 * its app name and pid, though its message has a ':'; the header fields
 * become log.syslog.priority and system.auth.syslog.version, the spaces
 * before the message go, and the message ends at a newline ('$' of
 * grok's Ruby syntax).  "<PRI>" before an RFC 3164 stamp is the third
 * pattern.
 */
Test(pipeline, auth_rfc5424_pattern_first)
{
	ctx.auth = 1;
	cr_assert_eq(parse("<86>1 2023-10-06T09:47:13.917778+02:00 "
	    "test.lab.com sshd 162122 - - pam_unix(sshd:session): session "
	    "closed for user root"), LH_OK);
	expect_tag("test.lab.com", "sshd", "162122", "pam_unix(sshd:session): "
	    "session closed for user root");
	expect_field("log.syslog.priority", "86");
	expect_field("system.auth.syslog.version", "1");
	expect_field("event.code", NULL);
	expect_ts("2023-10-06T07:47:13.917778Z");
	cr_assert_eq(parse("<6>1 2023-10-06T09:45:19.574793+02:00 test.lab.com "
	    "kernel - - - connection1:0: detected conn error (1020)"), LH_OK);
	expect_tag("test.lab.com", "kernel", NULL,
	    "connection1:0: detected conn error (1020)");
	cr_assert_eq(parse("<85>1 2023-10-23T17:12:56.965413+02:00 test-server "
	    "sudo 1481021 - -   patrol : TTY=unknown ; PWD=/home/patrol ; "
	    "USER=root ; COMMAND=/ntp_check.pl -l 2000 -r 5000"), LH_OK);
	expect_tag("test-server", "sudo", "1481021", "patrol : TTY=unknown ; "
	    "PWD=/home/patrol ; USER=root ; COMMAND=/ntp_check.pl -l 2000 -r "
	    "5000");
	expect_field("system.auth.sudo.user", "root");
	cr_assert_eq(parse("<85>Oct 23 16:54:59 test-server sudo:  patrol : "
	    "TTY=unknown ; PWD=/home/patrol ; USER=root ; COMMAND=/bin/id"),
	    LH_OK);
	expect_tag("test-server", "sudo", NULL, "patrol : TTY=unknown ; "
	    "PWD=/home/patrol ; USER=root ; COMMAND=/bin/id");
	expect_field("log.syslog.priority", "85");
	expect_field("system.auth.syslog.version", NULL);
}

/* The shapes of the auth RFC 5424 pattern: SD, MSGID, spaces, newline. */
Test(pipeline, auth_rfc5424_shapes)
{
	ctx.auth = 1;
	cr_assert_eq(parse("<13>1 2024-03-01T10:00:00Z h app 7 id  text"),
	    LH_OK);
	expect_tag("h", "app", "7", "text");
	expect_field("event.code", "id");
	/* no SD and one space: neither " +(SD)? +" nor a tag fits */
	cr_assert_eq(parse("<13>1 2024-03-01T10:00:00Z h app 7 id text"),
	    LH_WARN);
	cr_assert_eq(parse("<13>1 2024-03-01T10:00:00Z h app - - "
	    "[a x=\"]\"][b] msg: m"), LH_OK);
	expect_tag("h", "app", NULL, "msg: m");
	cr_assert_eq(parse("<13>1 2024-03-01T10:00:00Z h app - - - first\n"
	    "  second"), LH_OK);
	expect_tag("h", "app", NULL, "first");
	/* pid 0 is no POSINT, and no stamp for the other patterns */
	cr_assert_eq(parse("<999>1 - h app 0 - - x: y"), LH_WARN);
	cr_assert_eq(parse("<999>1 - h app - - - x: y"), LH_OK);
	expect_field("log.syslog.priority", "999");
	expect_tag("h", "app", NULL, "x: y");
	expect_ts(NULL);
	ctx.auth = 0;
	cr_assert_eq(parse("<86>1 2023-10-06T09:47:13+02:00 h sshd 5 - - "
	    " a: b"), LH_OK);
	expect_tag("h", "sshd", "5", " a: b");
	expect_field("log.syslog.priority", NULL);
}

/*
 * The syslog data stream's log.yml (2.23.0): event.kind on every parsed
 * line, and systemd's unit lifecycle (Elastic's test-systemd.log of the
 * integration's syslog pipeline tests); not for Filebeat documents.
 */
Test(pipeline, syslog_stream_kind_and_systemd_lifecycle)
{
	static const char *const lines[] = {
		"May 27 11:19:35 hostname systemd[1]: Stopped System Logging "
		    "Service.",
		"May 27 11:19:36 hostname systemd[1]: Started ssh.service - "
		    "OpenBSD Secure Shell server.",
		"May 27 11:19:37 hostname systemd[1]: Stopped target Multi-User "
		    "System.",
	};

	cr_assert_eq(parse(lines[0]), LH_OK);
	expect_field("event.kind", "event");
	expect_field("event.category", "process");
	expect_field("event.type", "end");
	expect_field("event.action", "service-stop");
	cr_assert_eq(parse(lines[1]), LH_OK);
	expect_field("event.type", "start");
	expect_field("event.action", "service-start");
	cr_assert_eq(parse(lines[2]), LH_OK);
	expect_field("event.kind", "event");
	expect_field("event.action", NULL);
	expect_field("event.category", NULL);
	cr_assert_eq(grok(lines[1]), LH_OK);
	expect_field("event.kind", NULL);
	expect_field("event.action", NULL);
	expect_raw("no header at all");
	expect_field("event.kind", NULL);
}
