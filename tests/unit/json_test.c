/*
 * json_test.c: the JSON format (formats/json.c) through an in-memory stream:
 * journalctl -o json (real records from testdata/samples, byte-array values,
 * kernel entries), Filebeat output still holding the raw line (the grok and
 * date steps, the year from @timestamp, the zone from event.timezone),
 * Elasticsearch exports and Elastic's own expected documents (testdata/
 * samples/SOURCES), and hostile input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "core/event.h"
#include "core/format.h"
#include "core/lines.h"
#include "core/status.h"
#include "core/stream.h"
#include "core/time.h"

extern const struct lh_format lh_format_json;

#include "tests/memstream.h"

static struct lh_test_mem mem;
static struct lh_stream stream;
static struct lh_source src;
static struct lh_parse_opts popts;
static struct lh_tz utc;
static struct lh_event ev;
static void *state;
static char *owned;		/* a file read by load() */
static int nwarn;		/* warnings met by next_event() */
static char lastwarn[LH_ERR_LEN];
static char fbuf[4096];

static void
teardown(void)
{
	if (state != NULL)
		lh_format_json.close(state);
	state = NULL;
	lh_lines_free(src.lines);
	src.lines = NULL;
	lh_event_free(&ev);
	free(owned);
	owned = NULL;
}

TestSuite(json, .fini = teardown);

static void
open_n(const char *p, size_t n)
{
	struct lh_err err;

	/* small pieces, so that lines straddle reads */
	mem.p = p;
	mem.n = n;
	mem.pos = 0;
	mem.chunk = 1000;
	mem.fail = 0;
	stream.ops = &lh_test_mem_ops;
	stream.state = &mem;
	stream.pos = 0;
	lh_tz_utc(&utc);
	popts.tz = &utc;
	popts.year = 0;
	src.path = "mem.json";
	src.mtime = INT64_C(1767571200) * LH_US;	/* 2026-01-05 */
	src.lines = lh_lines_create(&stream, src.path);
	cr_assert_not_null(src.lines);
	lh_event_init(&ev);
	nwarn = 0;
	lastwarn[0] = '\0';
	lh_err_clear(&err);
	cr_assert_eq(lh_format_json.open(&state, &src, &popts, &err), LH_OK);
}

static void
open_s(const char *s)
{
	open_n(s, strlen(s));
}

static void
load(const char *name)
{
	char path[256];
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "testdata/samples/%s", name);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	owned = malloc((size_t)n + 1);
	cr_assert_eq(fread(owned, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	open_n(owned, (size_t)n);
}

/* The next event (LH_OK) or LH_EOF; warnings are counted on the way. */
static int
next_event(void)
{
	struct lh_err err;
	int rc;

	for (;;) {
		lh_err_clear(&err);
		rc = lh_format_json.next(state, &ev, &err);
		if (rc != LH_WARN)
			break;
		nwarn++;
		snprintf(lastwarn, sizeof(lastwarn), "%s", err.msg);
	}
	cr_assert(rc == LH_OK || rc == LH_EOF, "next: %d %s", rc, err.msg);
	return rc;
}

/* The first value of name, NUL-terminated (in a static buffer), or NULL. */
static const char *
field(const char *name)
{
	const struct lh_field *f = lh_event_get(&ev, name);

	if (f == NULL)
		return NULL;
	cr_assert_lt(f->len, sizeof(fbuf));
	memcpy(fbuf, f->val, f->len);
	fbuf[f->len] = '\0';
	return fbuf;
}

static size_t
count(const char *name)
{
	size_t i, c = 0;

	for (i = 0; i < ev.nfield; i++)
		if (strcmp(ev.fields[i].name, name) == 0)
			c++;
	return c;
}

static void
expect_field(const char *name, const char *want)
{
	const char *got = field(name);

	cr_assert_not_null(got, "%s missing", name);
	cr_assert_str_eq(got, want, "%s", name);
}

static void
expect_ts(const char *want)
{
	char buf[40];

	cr_assert_neq(ev.ts, LH_TS_NONE, "no time");
	lh_time_format(ev.ts, buf);
	cr_assert_str_eq(buf, want);
}

/* ---- journal JSON -------------------------------------------------------- */

Test(json, journalctl_json_sample_records)
{
	load("journalctl-json-records.ndjson");
	cr_assert_eq(next_event(), LH_OK);
	cr_assert_eq(ev.line, 1);
	expect_field("host.hostname", "iseb00240");
	expect_field("process.name", "docker");
	expect_field("process.pid", "2592");
	expect_field("_SYSTEMD_UNIT", "docker.service");
	cr_assert(strncmp(field("message"), "{\"@timestamp\":\"2016-12-08T18:53:"
	    "30.386+00:00\",\"@version\":1,\"message\":\"172.16.87.1 - - ", 72) ==
	    0, "%s", field("message"));
	expect_ts("2016-12-08T18:53:30.387056Z");
	cr_assert_eq(next_event(), LH_OK);
	cr_assert_eq(ev.line, 2);
	expect_field("message",
	    "2020/03/04 20:31:39 POST / - 200 OK - ContentLength: 83");
	expect_field("SYSLOG_IDENTIFIER", "openfaas-fn:nodeinfo");
	cr_assert_null(field("host.hostname"));
	expect_ts("2020-03-04T20:31:39.094400Z");
	cr_assert_eq(next_event(), LH_EOF);
	cr_assert_eq(nwarn, 0, "%s", lastwarn);
}

Test(json, journal_byte_array_and_old_spacing)
{
	const struct lh_field *f;

	open_s("{ \"__CURSOR\" : \"s=1;i=2\", \"__REALTIME_TIMESTAMP\" : "
	    "\"1767225600000001\", \"_HOSTNAME\" : \"app01\", \"_TRANSPORT\" "
	    ": \"syslog\", \"_COMM\" : \"myapp\", \"_PID\" : \"77\", "
	    "\"MESSAGE\" : [ 104, 105, 27, 91, 48, 109, 255 ], \"X_TAG\" : "
	    "[ \"a\", [ 98, 0, 99 ] ], \"X_NONE\" : null }\n");
	cr_assert_eq(next_event(), LH_OK);
	f = lh_event_get(&ev, "message");
	cr_assert_not_null(f);
	cr_assert_eq(f->len, 7);
	cr_assert(memcmp(f->val, "hi\x1b[0m\xff", 7) == 0);
	cr_assert_eq(count("X_TAG"), 2);
	cr_assert_eq(lh_event_get(&ev, "X_TAG")->len, 1);
	cr_assert_null(field("X_NONE"));
	expect_field("process.name", "myapp");
	expect_ts("2026-01-01T00:00:00.000001Z");
	cr_assert_eq(next_event(), LH_EOF);
}

Test(json, journal_kernel_entry_is_process_kernel)
{
	open_s("{\"__CURSOR\":\"s=8f1c2a;i=3\",\"__REALTIME_TIMESTAMP\":"
	    "\"1767225598123456\",\"__MONOTONIC_TIMESTAMP\":\"86312114422\","
	    "\"_BOOT_ID\":\"5d1e0c0ffee04a4bb0a7e2b1c9d3f001\",\"_HOSTNAME\":"
	    "\"app01\",\"_TRANSPORT\":\"kernel\",\"SYSLOG_IDENTIFIER\":"
	    "\"kernel\",\"PRIORITY\":\"6\",\"MESSAGE\":\"sshd[20211]: segfault "
	    "at 0 ip 00007f3a2b1c4d5e sp 00007ffc1a2b3c40 error 4 in "
	    "libc.so.6[7f3a2b19c000+195000]\"}\n");
	cr_assert_eq(next_event(), LH_OK);
	expect_field("process.name", "kernel");
	expect_field("host.hostname", "app01");
	expect_field("event.dataset", "system.syslog");
	cr_assert(strncmp(field("message"), "sshd[20211]: segfault at 0", 26) ==
	    0);
	expect_ts("2025-12-31T23:59:58.123456Z");
	cr_assert_eq(next_event(), LH_EOF);
}

/* ---- Filebeat output with the raw line ------------------------------------ */

static const char fb_head[] =
    "{\"@timestamp\":\"2026-01-01T00:00:03.037Z\",\"@metadata\":{\"beat\":"
    "\"filebeat\",\"type\":\"_doc\",\"version\":\"8.11.3\"},\"log\":"
    "{\"offset\":0,\"file\":{\"path\":\"/var/log/syslog\"}},\"message\":";
static const char fb_tail[] =
    ",\"input\":{\"type\":\"log\"},\"fileset\":{\"name\":\"syslog\"},"
    "\"event\":{\"module\":\"system\",\"dataset\":\"system.syslog\","
    "\"timezone\":\"%s\"},\"service\":{\"type\":\"system\"},\"host\":"
    "{\"name\":\"web02\",\"hostname\":\"collector\",\"architecture\":"
    "\"x86_64\",\"os\":{\"type\":\"linux\",\"family\":\"debian\"}},"
    "\"agent\":{\"type\":\"filebeat\",\"version\":\"8.11.3\"}}\n";
static char fb_doc[2048];

static void
open_filebeat(const char *msg, const char *zone)
{
	int n = snprintf(fb_doc, sizeof(fb_doc), "%s\"%s\"", fb_head, msg);

	snprintf(fb_doc + n, sizeof(fb_doc) - (size_t)n, fb_tail, zone);
	open_s(fb_doc);
}

static const char segv_line[] = "Dec 31 23:59:58 web02 kernel: sshd[4321]: "
    "segfault at 0 ip 00007f0000001000 sp 00007ffc00000000 error 4 in "
    "libc.so.6[7f0000000000+195000]";

Test(json, filebeat_raw_grok_year_from_timestamp)
{
	open_filebeat(segv_line, "+00:00");
	cr_assert_eq(next_event(), LH_OK);
	expect_ts("2025-12-31T23:59:58.000000Z");
	cr_assert_eq(ev.ts_prec, LH_US);
	expect_field("host.hostname", "web02");
	cr_assert_eq(count("host.hostname"), 1);
	expect_field("process.name", "kernel");
	cr_assert_null(field("process.pid"));
	cr_assert(strncmp(field("message"), "sshd[4321]: segfault at 0", 25) ==
	    0, "%s", field("message"));
	cr_assert_eq(count("message"), 1);
	cr_assert_eq(count("event.dataset"), 1);
	cr_assert_eq(count("event.module"), 1);
	cr_assert_eq(count("host.os.type"), 1);
	expect_field("data_stream.dataset", "system.syslog");
	expect_field("host.name", "web02");
	expect_field("log.file.path", "/var/log/syslog");
	expect_field("log.offset", "0");
	expect_field("@metadata.beat", "filebeat");
	cr_assert_null(field("@timestamp"));
	cr_assert_eq(next_event(), LH_EOF);
	cr_assert_eq(nwarn, 0, "%s", lastwarn);
}

Test(json, filebeat_raw_event_timezone_offset)
{
	open_filebeat(segv_line, "+02:00");
	cr_assert_eq(next_event(), LH_OK);
	expect_ts("2025-12-31T21:59:58.000000Z");
}

Test(json, filebeat_raw_zone_name_falls_back_to_tz)
{
	open_filebeat(segv_line, "Europe/Berlin");
	cr_assert_eq(next_event(), LH_OK);
	expect_ts("2025-12-31T23:59:58.000000Z");
}

Test(json, filebeat_raw_no_pattern_keeps_raw_line)
{
	open_filebeat("-- MARK --", "+00:00");
	cr_assert_eq(next_event(), LH_OK);
	expect_field("message", "-- MARK --");
	cr_assert_null(field("process.name"));
	expect_field("host.hostname", "collector");
	expect_ts("2026-01-01T00:00:03.037000Z");
	cr_assert_eq(count("event.dataset"), 1);
	cr_assert_eq(next_event(), LH_EOF);
	cr_assert_eq(nwarn, 1);
	cr_assert(strstr(lastwarn, "mem.json:1: ") != NULL, "%s", lastwarn);
}

/* ---- ECS documents -------------------------------------------------------- */

Test(json, es_export_source_wrapped)
{
	open_s("{\"_index\":\".ds-logs-system.syslog-default-2025.12.22-000001\","
	    "\"_id\":\"0000000000000078\",\"_score\":1,\"_source\":{"
	    "\"@timestamp\":\"2026-01-02T03:04:05.678Z\",\"agent\":{\"type\":"
	    "\"filebeat\"},\"log\":{\"offset\":120,\"file\":{\"path\":"
	    "\"/var/log/syslog\"}},\"message\":\"nginx[812]: segfault at 8 ip "
	    "00007f0000001000 sp 00007ffc00000000 error 6 in libssl.so.1.1"
	    "[7f0000000000+1000]\",\"event\":{\"module\":\"system\",\"dataset\":"
	    "\"system.syslog\",\"timezone\":\"+00:00\",\"ingested\":"
	    "\"2026-01-05T06:00:00.000Z\"},\"process\":{\"name\":\"kernel\"},"
	    "\"host\":{\"hostname\":\"web03\",\"name\":\"web03\",\"os\":{"
	    "\"type\":\"linux\"}},\"ecs\":{\"version\":\"8.0.0\"}}}\n"
	    "{\"_source\":{\"message\":\"Jan  1 00:00:01 h sshd[1]: x\","
	    "\"input\":{\"type\":\"log\"},\"event\":{\"module\":\"system\"}}}\n");
	cr_assert_eq(next_event(), LH_OK);
	expect_ts("2026-01-02T03:04:05.678000Z");
	cr_assert_eq(ev.ts_prec, 1000);
	expect_field("process.name", "kernel");
	expect_field("host.hostname", "web03");
	expect_field("host.os.type", "linux");
	expect_field("log.offset", "120");
	cr_assert(strncmp(field("message"), "nginx[812]: segfault", 20) == 0);
	cr_assert_null(field("_index"));
	cr_assert_null(field("_source.message"));
	cr_assert_null(field("data_stream.dataset"));
	cr_assert_eq(ev.line, 1);
	/* _source-wrapped: as it stands, even with a raw-looking message. */
	cr_assert_eq(next_event(), LH_OK);
	expect_field("message", "Jan  1 00:00:01 h sshd[1]: x");
	cr_assert_null(field("process.name"));
	cr_assert_eq(ev.ts, LH_TS_NONE);
	cr_assert_eq(next_event(), LH_EOF);
	cr_assert_eq(nwarn, 0);
}

Test(json, beats_suse_expected_array)
{
	load("beats-suse-syslog.log-expected.json");
	cr_assert_eq(next_event(), LH_OK);
	cr_assert_eq(ev.line, 2);
	cr_assert_eq(ev.ts, LH_TS_NONE);
	expect_field("process.name", "systemd");
	expect_field("process.pid", "4179");
	expect_field("message", "Stopped target Basic System.");
	expect_field("log.offset", "0");
	cr_assert_eq(count("event.dataset"), 1);
	cr_assert_eq(next_event(), LH_OK);
	cr_assert_eq(ev.line, 15);
	expect_field("message", "Stopped target Paths.");
	expect_field("log.offset", "88");
	cr_assert_eq(next_event(), LH_EOF);
	cr_assert_eq(nwarn, 0, "%s", lastwarn);
}

Test(json, beats_tz_offset_expected)
{
	load("beats-tz-offset.log-expected.json");
	cr_assert_eq(next_event(), LH_OK);
	expect_ts("1986-04-25T21:23:45.101000Z");
	cr_assert_eq(ev.ts_prec, 1000);
	expect_field("process.name", "shutdown");
	expect_field("event.timezone", "+00:00");
	cr_assert_eq(next_event(), LH_OK);
	expect_ts("1986-04-25T21:23:45.388000Z");
	expect_field("process.name", "thermald");
	cr_assert_null(field("process.pid"));
	cr_assert_eq(next_event(), LH_EOF);
}

Test(json, integrations_expected_wrapper)
{
	load("integrations-test-tz-offset.log-expected.json");
	cr_assert_eq(next_event(), LH_OK);
	expect_ts("1986-04-25T21:23:45.101000Z");
	expect_field("host.hostname", "rmbkmonitor04");
	expect_field("process.pid", "2649");
	expect_field("event.timezone", "GMT-0200");
	cr_assert(strncmp(field("event.original"), "1986-04-26T01:23:45.101+0400",
	    28) == 0);
	cr_assert_eq(next_event(), LH_OK);
	expect_field("process.name", "thermald");
	cr_assert_eq(next_event(), LH_OK);
	expect_ts("2019-06-14T12:40:20.912000Z");
	expect_field("message", "pam_unix(sudo-i:session): session opened for "
	    "user root by userauth3(uid=0)");
	cr_assert_eq(next_event(), LH_EOF);
	cr_assert_eq(nwarn, 0, "%s", lastwarn);
}

Test(json, integrations_sample_event_nested)
{
	const struct lh_field *f;
	size_t i, tags = 0;

	load("integrations-system-syslog-sample_event.json");
	cr_assert_eq(next_event(), LH_OK);
	expect_ts("1986-04-25T21:23:45.388000Z");
	expect_field("host.os.type", "linux");
	expect_field("host.hostname", "rmbkmonitor04");
	expect_field("host.name", "docker-fleet-agent");
	expect_field("host.ip", "172.18.0.7");
	expect_field("host.containerized", "false");
	expect_field("data_stream.dataset", "system.syslog");
	expect_field("log.offset", "199");
	for (i = 0; i < ev.nfield; i++) {
		f = &ev.fields[i];
		if (strcmp(f->name, "tags") == 0)
			tags++;
		cr_assert(strncmp(f->name, "system", 6) != 0, "%s", f->name);
	}
	cr_assert_eq(tags, 2);
	cr_assert_eq(next_event(), LH_EOF);
}

Test(json, integrations_journald_events_wrapper)
{
	load("integrations-test-systemd-journald.json");
	cr_assert_eq(next_event(), LH_OK);
	expect_ts("2025-05-27T11:19:35.000000Z");
	expect_field("message", "Stopped System Logging Service.");
	expect_field("input.type", "journald");
	/* the integration's syslog journald.yml */
	expect_field("process.name", "systemd");
	expect_field("process.pid", "1");
	expect_field("event.action", "service-stop");
	expect_field("event.type", "end");
	cr_assert_null(field("journald.custom.unit"));
	cr_assert_null(field("journald.process.name"));
	expect_field("process.args", "/lib/systemd/systemd");
	expect_field("log.syslog.facility.code", "3");
	cr_assert_null(field("event.dataset"));
	/* its last steps (test-systemd-journald.json-expected.json) */
	expect_field("event.kind", "event");
	expect_field("related.hosts", "bullseye");
	cr_assert_eq(next_event(), LH_OK);
	expect_field("message", "Started System Logging Service.");
	expect_field("event.action", "service-start");
	cr_assert_eq(next_event(), LH_EOF);
	cr_assert_eq(nwarn, 0, "%s", lastwarn);
}

Test(json, beats_debian12_empty_process_name_kept)
{
	load("beats-debian-12.journal-expected.json");
	cr_assert_eq(next_event(), LH_OK);
	expect_field("process.name", "systemd");
	cr_assert_eq(next_event(), LH_OK);
	expect_field("process.name", "");
	expect_field("related.hosts", "vagrant-debian-12");
	cr_assert_eq(next_event(), LH_OK);
	cr_assert_eq(next_event(), LH_EOF);
}

Test(json, dotted_and_nested_keys_mix)
{
	open_s("{\"@timestamp\":1767225600123,\"host.os\":{\"type\":\"linux\"},"
	    "\"a\":{\"b.c\":[1,2.50,true,null,{\"d\":\"x\"}]},\"n\":null,"
	    "\"e\":{}}\n");
	cr_assert_eq(next_event(), LH_OK);
	expect_ts("2026-01-01T00:00:00.123000Z");
	expect_field("host.os.type", "linux");
	cr_assert_eq(count("a.b.c"), 3);
	cr_assert_str_eq(field("a.b.c.d"), "x");
	cr_assert_null(field("n"));
	cr_assert_null(field("e"));
	cr_assert_eq(ev.nfield, 5);
	cr_assert_eq(ev.fields[2].len, 4);
	cr_assert(memcmp(ev.fields[2].val, "2.50", 4) == 0);
	cr_assert(memcmp(ev.fields[3].val, "true", 4) == 0);
}

/* ---- reading ---------------------------------------------------------------- */

Test(json, pretty_document_and_one_line_array)
{
	open_s("\n{\n  \"message\": \"a\",\n  \"@timestamp\": "
	    "\"2026-01-01T00:00:00Z\"\n}\n[{\"message\":\"b\"},"
	    "{\"message\":\"c\"}] {\"message\":\"d\"}\n");
	cr_assert_eq(next_event(), LH_OK);
	cr_assert_eq(ev.line, 2);
	expect_field("message", "a");
	cr_assert_eq(ev.ts_prec, LH_US);
	cr_assert_eq(next_event(), LH_OK);
	expect_field("message", "b");
	cr_assert_eq(ev.line, 6);
	cr_assert_eq(next_event(), LH_OK);
	expect_field("message", "c");
	cr_assert_eq(next_event(), LH_OK);
	expect_field("message", "d");
	cr_assert_eq(next_event(), LH_EOF);
	cr_assert_eq(nwarn, 0, "%s", lastwarn);
}

Test(json, invalid_line_reported_rest_read)
{
	open_s("{\"message\":\"one\"}\n{\"message\": nope}\n"
	    "{\"message\":\"three\"}\n\"just a string\"\n{\"message\":\"five\"}"
	    "\n{\"message\":\"cut");
	cr_assert_eq(next_event(), LH_OK);
	expect_field("message", "one");
	cr_assert_eq(next_event(), LH_OK);
	expect_field("message", "three");
	cr_assert_eq(ev.line, 3);
	cr_assert_eq(nwarn, 1);
	cr_assert(strstr(lastwarn, "mem.json:2: not JSON: ") != NULL, "%s",
	    lastwarn);
	cr_assert_eq(next_event(), LH_OK);
	expect_field("message", "five");
	cr_assert_eq(nwarn, 2);
	cr_assert(strstr(lastwarn, "mem.json:4: ") != NULL, "%s", lastwarn);
	cr_assert_eq(next_event(), LH_EOF);
	cr_assert_eq(nwarn, 3);
	cr_assert(strstr(lastwarn, "mem.json:6: ") != NULL, "%s", lastwarn);
}

Test(json, deep_nesting_refused)
{
	static char doc[4096];
	size_t i, n = 0;

	for (i = 0; i < 70; i++)
		doc[n++] = '[';
	doc[n++] = '\n';
	for (i = 0; i < 200; i++)
		n += (size_t)snprintf(doc + n, sizeof(doc) - n, "{\"a\":");
	doc[n++] = '1';
	for (i = 0; i < 200; i++)
		doc[n++] = '}';
	n += (size_t)snprintf(doc + n, sizeof(doc) - n,
	    "\n{\"message\":\"after\"}\n");
	open_n(doc, n);
	cr_assert_eq(next_event(), LH_OK);
	expect_field("message", "after");
	cr_assert_eq(nwarn, 2);
	cr_assert(strstr(lastwarn, "not JSON") != NULL, "%s", lastwarn);
	cr_assert_eq(next_event(), LH_EOF);
}

Test(json, oversized_document_skipped)
{
	const size_t line = 1000, lines = 9000;
	char *doc = malloc(line * lines + 100);
	size_t i, n = 0;

	cr_assert_not_null(doc);
	n += (size_t)sprintf(doc, "{\"a\":[\n");
	for (i = 0; i < lines; i++) {
		memset(doc + n, 'x', line - 3);
		doc[n] = '"';
		doc[n + line - 3] = '"';
		doc[n + line - 2] = ',';
		doc[n + line - 1] = '\n';
		n += line;
	}
	n += (size_t)sprintf(doc + n, "1]}\n{\"message\":\"after\"}\n");
	owned = doc;
	open_n(doc, n);
	cr_assert_eq(next_event(), LH_OK);
	expect_field("message", "after");
	cr_assert_eq(nwarn, 1);
	cr_assert(strstr(lastwarn, "mem.json:1: JSON document larger") !=
	    NULL, "%s", lastwarn);
	cr_assert_eq(next_event(), LH_EOF);
}

Test(json, nul_bytes_and_garbage_do_not_crash)
{
	static const char doc[] = "{\"message\":\"a\0b\"}\n\0\0{\x01}\n"
	    "{\"message\":\"\\u0000x\"}\n\xff\xfe{{{{\n{\"message\":\"end\"}\n";

	open_n(doc, sizeof(doc) - 1);
	while (next_event() == LH_OK)
		;
	cr_assert_gt(nwarn, 0);
	expect_field("message", "end");
}

Test(json, probe)
{
	static const char *const yes[] = {
		"{\"message\":\"x\"}\n{\"message\"",
		"[\n    {\n        \"ecs.version\": \"1.0.0\",\n",
		"\xef\xbb\xbf  {\"a\":1}\n",
		"{ \"__CURSOR\" : \"s=1\", \"MESSAGE\" : [ 1, 2",
	};
	static const char *const no[] = {
		"[    0.000000] Linux version 6.1.0-17-amd64\n",
		"[ 1234.567890] sshd[4321]: segfault at 0\n",
		"[Sat Oct  9 12:17:39 2021] usb 1-1: new device\n",
		"Dec 31 23:59:58 web01 kernel: x\n",
		"__CURSOR=s=1\n__REALTIME_TIMESTAMP=1\n",
		"",
	};
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		cr_assert_geq(lh_format_json.probe(yes[i], strlen(yes[i])), 90,
		    "%s", yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		cr_assert_eq(lh_format_json.probe(no[i], strlen(no[i])), 0,
		    "%s", no[i]);
	cr_assert_gt(lh_format_json.probe("{\"a\": nope}\n", 12), 0);
}

Test(json, too_many_objects_skipped)
{
	const size_t k = 20000;
	char *doc = malloc(k * 4 + 100);
	size_t i, n = 0;

	cr_assert_not_null(doc);
	n += (size_t)sprintf(doc, "{\"a\":[\n");
	for (i = 0; i < k; i++) {
		memcpy(doc + n, "{},", 3);
		n += 3;
		if (i % 100 == 99)
			doc[n++] = '\n';
	}
	n += (size_t)sprintf(doc + n, "{}]}\n{\"message\":\"after\"}\n");
	owned = doc;
	open_n(doc, n);
	cr_assert_eq(next_event(), LH_OK);
	cr_assert(strstr(lastwarn, "mem.json:1: JSON document with more") !=
	    NULL, "%s", lastwarn);
	cr_assert_eq(nwarn, 1);
	expect_field("message", "after");
	cr_assert_eq(next_event(), LH_EOF);
}

/* Every element of a wrapper keeps where it starts (json.c DESIGN). */
Test(json, wrapper_elements_keep_their_position)
{
	static const char doc[] = "{\"hits\":{\"total\":2,\"hits\":[\n"
	    "{\"_source\":{\"message\":\"m\",\"tags\":[{\"a\":1}]}},\n"
	    "  {\"_source\":{\"message\":\"m\"}}]}}\n";

	open_s(doc);
	cr_assert_eq(next_event(), LH_OK);
	cr_assert_eq(ev.line, 2);
	cr_assert_eq(ev.offset, (uint64_t)(strchr(doc, '\n') - doc + 1));
	cr_assert_eq(next_event(), LH_OK);
	cr_assert_eq(ev.line, 3);
	cr_assert_eq(ev.offset, (uint64_t)(strstr(doc, "  {") - doc + 2));
	cr_assert_eq(next_event(), LH_EOF);
	cr_assert_eq(nwarn, 0, "%s", lastwarn);
}

/* A duplicate key that replaced an array: positions unknown, wrapper's. */
Test(json, wrapper_positions_fall_back)
{
	open_s("{\"events\":[{\"message\":\"x\"}],\n\"events\":[\n"
	    "{\"message\":\"a\"},\n{\"message\":\"b\"}]}\n");
	cr_assert_eq(next_event(), LH_OK);
	expect_field("message", "a");
	cr_assert_eq(next_event(), LH_OK);
	expect_field("message", "b");
	cr_assert_eq(next_event(), LH_EOF);
}

/*
 * The Filebeat module's journald.yml (fileset.name present): process.* from
 * journald.*, no "" for a missing name, the input's extra fields removed.
 */
Test(json, journald_input_beats_module)
{
	open_s("{\"@timestamp\":\"2026-01-02T03:04:05Z\",\"message\":\"hi\","
	    "\"input\":{\"type\":\"journald\"},\"fileset\":{\"name\":\"syslog\"},"
	    "\"event\":{\"module\":\"system\",\"dataset\":\"system.syslog\"},"
	    "\"journald\":{\"pid\":42,\"process\":{\"name\":\"sshd\"}},"
	    "\"syslog\":{\"identifier\":\"sshd\"},\"systemd\":{\"unit\":\"x\"},"
	    "\"process\":{\"thread\":{\"id\":3}},\"message_id\":\"abc\"}\n"
	    "{\"message\":\"Started x.\",\"input.type\":\"journald\","
	    "\"fileset.name\":\"syslog\",\"journald.pid\":1}\n");
	cr_assert_eq(next_event(), LH_OK);
	expect_ts("2026-01-02T03:04:05.000000Z");
	expect_field("process.name", "sshd");
	expect_field("process.pid", "42");
	expect_field("message", "hi");
	cr_assert_null(field("journald.pid"));
	cr_assert_null(field("syslog.identifier"));
	cr_assert_null(field("systemd.unit"));
	cr_assert_null(field("process.thread.id"));
	cr_assert_null(field("message_id"));
	expect_field("event.kind", "event");
	cr_assert_null(field("related.hosts"));
	cr_assert_eq(next_event(), LH_OK);
	cr_assert_null(field("process.name"));
	cr_assert_null(field("event.action"));
	expect_field("process.pid", "1");
	cr_assert_eq(next_event(), LH_EOF);
}

/*
 * The integration's journald.yml: syslog sets process.name "" when
 * journald.process.name is missing; auth renames the name, copies no pid,
 * and falls back to log.syslog.appname.
 */
Test(json, journald_input_integration_syslog_and_auth)
{
	open_s("{\"event\":{\"original\":\"orig\"},\"input\":{\"type\":"
	    "\"journald\"},\"data_stream\":{\"dataset\":\"system.syslog\"},"
	    "\"journald\":{\"pid\":7}}\n"
	    "{\"message\":\"m\",\"input\":{\"type\":\"journald\"},"
	    "\"data_stream\":{\"dataset\":\"system.auth\"},"
	    "\"journald\":{\"pid\":7},\"log\":{\"syslog\":{\"appname\":"
	    "\"sudo\"}}}\n"
	    "{\"message\":\"m\",\"input\":{\"type\":\"journald\"},"
	    "\"data_stream\":{\"dataset\":\"system.auth\"},"
	    "\"journald\":{\"process\":{\"name\":\"su\"}},\"log\":{\"syslog\":"
	    "{\"appname\":\"sudo\"}}}\n");
	cr_assert_eq(next_event(), LH_OK);
	expect_field("message", "orig");
	expect_field("process.name", "");
	expect_field("process.pid", "7");
	cr_assert_eq(next_event(), LH_OK);
	expect_field("process.name", "sudo");
	cr_assert_null(field("process.pid"));
	cr_assert_eq(next_event(), LH_OK);
	expect_field("process.name", "su");
	cr_assert_eq(next_event(), LH_EOF);
}

/*
 * The auth data stream: a raw line through the auth grok (empty host,
 * padding trimmed); a header the input parsed (log.syslog) is not grokked
 * again, process.name comes from log.syslog.appname (override false).
 */
Test(json, filebeat_auth_header_and_log_syslog)
{
	open_s("{\"@timestamp\":\"2017-02-10T00:00:00Z\",\"message\":"
	    "\"Feb  9 21:20:08  sshd[8317]: last message repeated 2 times\","
	    "\"input\":{\"type\":\"log\"},\"event\":{\"module\":\"system\","
	    "\"dataset\":\"system.auth\",\"timezone\":\"+00:00\"},"
	    "\"fileset\":{\"name\":\"auth\"}}\n"
	    "{\"@timestamp\":\"2017-02-10T00:00:00Z\",\"message\":"
	    "\"Accepted password for a from 10.0.0.1 port 1 ssh2\","
	    "\"input\":{\"type\":\"syslog\"},\"data_stream\":{\"dataset\":"
	    "\"system.auth\"},\"log\":{\"syslog\":{\"appname\":\"sshd\","
	    "\"procid\":\"12\",\"hostname\":\"h9\"}}}\n");
	cr_assert_eq(next_event(), LH_OK);
	cr_assert_null(field("host.hostname"));
	expect_field("process.name", "sshd");
	expect_field("process.pid", "8317");
	expect_field("message", "last message repeated 2 times");
	expect_field("event.dataset", "system.auth");
	expect_ts("2017-02-09T21:20:08.000000Z");
	cr_assert_eq(next_event(), LH_OK);
	expect_field("process.name", "sshd");
	cr_assert_null(field("process.pid"));
	cr_assert_null(field("host.hostname"));
	expect_field("message", "Accepted password for a from 10.0.0.1 port "
	    "1 ssh2");
	expect_ts("2017-02-10T00:00:00.000000Z");
	cr_assert_eq(next_event(), LH_EOF);
	cr_assert_eq(nwarn, 0, "%s", lastwarn);
}
