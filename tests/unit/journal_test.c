/*
 * journal_test.c: the journal entry -> ECS mapping (formats/journald_map.c) and
 * the journal export parser (formats/journal_export.c), fed from memory in
 * small chunks so that fields straddle the line reader's refills.  The
 * real exports come from Elastic's test data (testdata/samples/SOURCES).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "core/format.h"
#include "formats/journald_map.h"
#include "core/lines.h"
#include "core/status.h"
#include "core/stream.h"

extern const struct lh_format lh_format_journal_export;
extern const struct lh_format lh_format_journal_file;

#define SAMPLES "testdata/samples/"
#define MAXREC 64

/* ---- an in-memory stream ------------------------------------------------ */

#include "tests/memstream.h"

/* ---- running the export parser over bytes ------------------------------- */

struct rec {
	int rc;			/* what next() returned */
	uint64_t line;		/* LH_OK: the event's line */
	int64_t ts;
	char *message, *pname, *msg;	/* copies, or NULL */
	size_t message_len;
};

struct run {
	struct rec r[MAXREC];
	size_t n, events, warns;
	int last;		/* LH_EOF or LH_FAIL */
};

static char *
field_copy(const struct lh_event *ev, const char *name, size_t *len)
{
	const struct lh_field *f = lh_event_get(ev, name);
	char *p;

	if (f == NULL)
		return NULL;
	cr_assert_not_null(p = malloc(f->len + 1));
	memcpy(p, f->val, f->len);
	p[f->len] = '\0';
	if (len != NULL)
		*len = f->len;
	return p;
}

static void
record(struct run *run, int rc, const struct lh_event *ev,
    const struct lh_err *err)
{
	struct rec *r;

	cr_assert_lt(run->n, MAXREC, "too many records");
	r = &run->r[run->n++];
	memset(r, 0, sizeof(*r));
	r->rc = rc;
	if (rc == LH_OK) {
		run->events++;
		r->line = ev->line;
		r->ts = ev->ts;
		r->message = field_copy(ev, LH_F_MESSAGE, &r->message_len);
		r->pname = field_copy(ev, LH_F_PROC_NAME, NULL);
	} else {
		run->warns += rc == LH_WARN;
		r->msg = strdup(err->msg);
	}
}

static void
parse_mem(const char *p, size_t n, size_t chunk, int fail, struct run *run)
{
	struct lh_test_mem m = { p, n, 0, chunk, fail };
	struct lh_stream st = { &lh_test_mem_ops, &m, 0 };
	struct lh_source src;
	struct lh_parse_opts opts;
	struct lh_event ev;
	struct lh_err err;
	void *state = NULL;
	int rc, guard = 0;

	memset(run, 0, sizeof(*run));
	memset(&opts, 0, sizeof(opts));
	memset(&src, 0, sizeof(src));
	src.path = "mem";
	cr_assert_not_null(src.lines = lh_lines_create(&st, "mem"));
	lh_event_init(&ev);
	cr_assert_eq(lh_format_journal_export.open(&state, &src, &opts, &err),
	    LH_OK);
	for (;;) {
		lh_err_clear(&err);
		rc = lh_format_journal_export.next(state, &ev, &err);
		cr_assert(rc == LH_OK || rc == LH_WARN || rc == LH_EOF ||
		    rc == LH_FAIL, "next() returned %d", rc);
		if (rc == LH_EOF || rc == LH_FAIL)
			break;
		record(run, rc, &ev, &err);
		cr_assert_lt(++guard, 10000, "next() does not end");
	}
	run->last = rc;
	if (rc == LH_FAIL)
		record(run, rc, &ev, &err);
	/* after the end, the end again */
	cr_expect_eq(lh_format_journal_export.next(state, &ev, &err), LH_EOF);
	lh_format_journal_export.close(state);
	lh_event_free(&ev);
	lh_lines_free(src.lines);
}

static void
parse_str(const char *s, size_t n, struct run *run)
{
	parse_mem(s, n, 5, 0, run);
}

static void
run_free(struct run *run)
{
	size_t i;

	for (i = 0; i < run->n; i++) {
		free(run->r[i].message);
		free(run->r[i].pname);
		free(run->r[i].msg);
	}
}

/* The i-th event (0-based) of run. */
static const struct rec *
event(const struct run *run, size_t i)
{
	size_t k;

	for (k = 0; k < run->n; k++) {
		if (run->r[k].rc == LH_OK && i-- == 0)
			return &run->r[k];
	}
	cr_assert_fail("no event %zu", i);
	return NULL;
}

/* The whole file at path (owned, NUL-terminated). */
static char *
slurp(const char *path, size_t *n)
{
	char *p = lh_test_slurp(path, n);

	cr_assert_not_null(p, "cannot read %s", path);
	return p;
}

#define ENTRY1 "__CURSOR=s=1;i=1\n__REALTIME_TIMESTAMP=1767225603000000\n" \
	"_TRANSPORT=kernel\nSYSLOG_IDENTIFIER=kernel\n_HOSTNAME=app01\n" \
	"MESSAGE=first\n"
#define ENTRY2 "__CURSOR=s=1;i=2\n__REALTIME_TIMESTAMP=1767225604000000\n" \
	"_TRANSPORT=syslog\n_COMM=sshd\n_PID=7\nMESSAGE=second\n"

/* ---- formats/journald_map.c -------------------------------------------- */

static void
add(struct lh_event *ev, const char *k, const char *v)
{
	cr_assert_eq(lh_journald_map_field(ev, k, strlen(k), v, strlen(v)),
	    LH_OK, "field %s", k);
}

static void
expect_field(const struct lh_event *ev, const char *name, const char *val)
{
	const struct lh_field *f = lh_event_get(ev, name);

	cr_assert_not_null(f, "no field %s", name);
	cr_expect_eq(f->len, strlen(val), "%s length", name);
	cr_expect(memcmp(f->val, val, f->len) == 0, "%s: %.*s, want %s",
	    name, (int)f->len, f->val, val);
}

Test(journal, kernel_entry_gets_process_name_kernel)
{
	struct lh_event ev;

	lh_event_init(&ev);
	add(&ev, "__REALTIME_TIMESTAMP", "1767225603123456");
	add(&ev, "_TRANSPORT", "kernel");
	add(&ev, "SYSLOG_IDENTIFIER", "kernel");
	add(&ev, "SYSLOG_FACILITY", "0");
	add(&ev, "PRIORITY", "6");
	add(&ev, "_HOSTNAME", "app01");
	add(&ev, "_BOOT_ID", "0ffe5f74a4bd49ca8597eb05fe1a512a");
	add(&ev, "MESSAGE", "sshd[5]: segfault at 0");
	cr_assert_eq(lh_journald_map_finish(&ev, 0), LH_OK);
	cr_expect_eq(ev.ts, 1767225603123456LL);
	cr_expect_eq(ev.ts_prec, 1);
	expect_field(&ev, LH_F_PROC_NAME, "kernel");
	expect_field(&ev, LH_F_MESSAGE, "sshd[5]: segfault at 0");
	expect_field(&ev, LH_F_HOSTNAME, "app01");
	expect_field(&ev, "log.syslog.appname", "kernel");
	expect_field(&ev, "log.syslog.priority", "6");
	expect_field(&ev, "log.syslog.facility.code", "0");
	expect_field(&ev, "systemd.transport", "kernel");
	expect_field(&ev, "journald.host.boot_id",
	    "0ffe5f74a4bd49ca8597eb05fe1a512a");
	expect_field(&ev, LH_F_DATASET, "system.syslog");
	expect_field(&ev, LH_F_DS_DATASET, "system.syslog");
	expect_field(&ev, LH_F_MODULE, "system");
	expect_field(&ev, LH_F_OS_TYPE, "linux");
	/* the journal's own fields stay, under their own names */
	expect_field(&ev, "SYSLOG_IDENTIFIER", "kernel");
	cr_expect_null(lh_event_get(&ev, LH_F_PROC_PID));
	lh_event_free(&ev);
}

Test(journal, syslog_entry_takes_process_name_from_comm)
{
	struct lh_event ev;

	lh_event_init(&ev);
	add(&ev, "__REALTIME_TIMESTAMP", "1");
	add(&ev, "_TRANSPORT", "syslog");
	add(&ev, "SYSLOG_IDENTIFIER", "sshd-session");
	add(&ev, "_COMM", "sshd");
	add(&ev, "_PID", "4242");
	add(&ev, "_SYSTEMD_UNIT", "ssh.service");
	cr_assert_eq(lh_journald_map_finish(&ev, 0), LH_OK);
	expect_field(&ev, LH_F_PROC_NAME, "sshd");
	expect_field(&ev, LH_F_PROC_PID, "4242");
	expect_field(&ev, "systemd.unit", "ssh.service");
	expect_field(&ev, "log.syslog.appname", "sshd-session");
	cr_expect_null(lh_event_get(&ev, LH_F_MESSAGE));
	lh_event_free(&ev);
}

Test(journal, non_kernel_entry_without_comm_has_no_process_name)
{
	struct lh_event ev;

	lh_event_init(&ev);
	add(&ev, "__REALTIME_TIMESTAMP", "1");
	add(&ev, "_TRANSPORT", "stdout");
	add(&ev, "SYSLOG_IDENTIFIER", "app");
	cr_assert_eq(lh_journald_map_finish(&ev, 0), LH_OK);
	cr_expect_null(lh_event_get(&ev, LH_F_PROC_NAME));
	lh_event_free(&ev);
}

Test(journal, no_timestamp_is_a_warning)
{
	struct lh_event ev;

	lh_event_init(&ev);
	add(&ev, "MESSAGE", "hello");
	add(&ev, "__REALTIME_TIMESTAMP", "12x4");
	cr_expect_eq(lh_journald_map_finish(&ev, 0), LH_WARN);
	cr_expect_eq(ev.ts, LH_TS_NONE);
	expect_field(&ev, LH_F_MESSAGE, "hello");
	lh_event_reset(&ev);
	add(&ev, "_SOURCE_REALTIME_TIMESTAMP", "1767225603000001");
	cr_expect_eq(lh_journald_map_finish(&ev, 0), LH_OK);
	cr_expect_eq(ev.ts, 1767225603000001LL);
	lh_event_reset(&ev);
	add(&ev, "__REALTIME_TIMESTAMP", "99999999999999999999");
	cr_expect_eq(lh_journald_map_finish(&ev, 0), LH_WARN, "overflow");
	lh_event_free(&ev);
}

Test(journal, field_names)
{
	struct lh_event ev;
	char name65[66];
	int c;

	cr_expect(lh_journald_map_valid_name("MESSAGE", 7));
	cr_expect(lh_journald_map_valid_name("_PID", 4));
	cr_expect(lh_journald_map_valid_name("__CURSOR", 8));
	cr_expect(lh_journald_map_valid_name("CODE_LINE2", 10));
	cr_expect(!lh_journald_map_valid_name("", 0));
	cr_expect(!lh_journald_map_valid_name("message", 7));
	cr_expect(!lh_journald_map_valid_name("2FA", 3));
	cr_expect(!lh_journald_map_valid_name("A B", 3));
	cr_expect(!lh_journald_map_valid_name("A-B", 3));
	memset(name65, 'A', sizeof(name65));
	cr_expect(lh_journald_map_valid_name(name65, 64));
	cr_expect(!lh_journald_map_valid_name(name65, 65));
	for (c = 0; c < 256; c++) {	/* every byte, first and later */
		int ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '_';
		char two[2] = { 'A', (char)c };

		cr_expect_eq(lh_journald_map_valid_name(two, 2), ok, "%d", c);
		two[0] = (char)c;
		two[1] = 'A';
		cr_expect_eq(lh_journald_map_valid_name(two, 2),
		    ok && !(c >= '0' && c <= '9'), "%d", c);
	}
	lh_event_init(&ev);
	cr_expect_eq(lh_journald_map_field(&ev, "Sep 17", 6, "x", 1), LH_WARN);
	cr_expect_eq(ev.nfield, 0);
	lh_event_free(&ev);
}

/* ---- formats/journal_export.c -------------------------------------------- */

Test(journal, export_two_entries)
{
	static const char in[] = ENTRY1 "\n" ENTRY2 "\n";
	struct run run;

	parse_str(in, sizeof(in) - 1, &run);
	cr_assert_eq(run.events, 2);
	cr_expect_eq(run.warns, 0);
	cr_expect_eq(run.last, LH_EOF);
	cr_expect_eq(event(&run, 0)->line, 1);
	cr_expect_eq(event(&run, 0)->ts, 1767225603000000LL);
	cr_expect_str_eq(event(&run, 0)->pname, "kernel");
	cr_expect_str_eq(event(&run, 0)->message, "first");
	cr_expect_eq(event(&run, 1)->line, 8);
	cr_expect_str_eq(event(&run, 1)->pname, "sshd");
	run_free(&run);
}

Test(journal, export_last_entry_without_blank_line_and_extra_blanks)
{
	static const char in[] = "\n\n" ENTRY1 "\n\n\n" ENTRY2;
	struct run run;

	parse_str(in, sizeof(in) - 1, &run);
	cr_assert_eq(run.events, 2);
	cr_expect_eq(run.warns, 0);
	cr_expect_eq(event(&run, 0)->line, 3);
	cr_expect_eq(event(&run, 1)->line, 12);
	cr_expect_str_eq(event(&run, 1)->message, "second");
	run_free(&run);
}

Test(journal, export_binary_field_with_newlines_and_nul)
{
	/* MESSAGE is 11 bytes: "a\nb\0c\n\nd=e" plus a trailing "\n" */
	static const char in[] = "__REALTIME_TIMESTAMP=5\nMESSAGE\n"
	    "\x0b\0\0\0\0\0\0\0" "a\nb\0c\n\nd=e\n" "\n"
	    "_HOSTNAME=h\n\n" ENTRY2 "\n";
	struct run run;
	const struct rec *r;

	parse_str(in, sizeof(in) - 1, &run);
	cr_assert_eq(run.events, 2, "%zu events", run.events);
	cr_expect_eq(run.warns, 0);
	r = event(&run, 0);
	cr_expect_eq(r->line, 1);
	cr_expect_eq(r->ts, 5);
	cr_assert_eq(r->message_len, 11);
	cr_expect(memcmp(r->message, "a\nb\0c\n\nd=e\n", 11) == 0);
	/*
	 * Physical lines: 1 the stamp, 2 MESSAGE, 3-6 the size and value,
	 * 7 the value's "\n", 8 _HOSTNAME, 9 blank, 10 the next entry.
	 */
	cr_expect_eq(event(&run, 1)->line, 10);
	run_free(&run);
}

Test(journal, export_binary_field_after_text_fields_keeps_entry)
{
	static const char in[] = "__REALTIME_TIMESTAMP=5\n_COMM=x\nMESSAGE\n"
	    "\x03\0\0\0\0\0\0\0" "abc\n" "_PID=1\n";
	struct run run;

	parse_mem(in, sizeof(in) - 1, 1, 0, &run);
	cr_assert_eq(run.events, 1);
	cr_expect_str_eq(event(&run, 0)->message, "abc");
	cr_expect_str_eq(event(&run, 0)->pname, "x");
	run_free(&run);
}

Test(journal, export_truncated_binary_field)
{
	static const char in[] = ENTRY1 "\n__REALTIME_TIMESTAMP=7\n_COMM=c\n"
	    "MESSAGE\n\x64\0\0\0\0\0\0\0only ten b";
	struct run run;

	parse_str(in, sizeof(in) - 1, &run);
	cr_assert_eq(run.events, 2);
	cr_assert_eq(run.warns, 1);
	cr_expect_eq(run.last, LH_EOF);
	cr_expect_str_eq(event(&run, 0)->message, "first");
	/* the fields before the cut value are kept */
	cr_expect_eq(event(&run, 1)->line, 8);
	cr_expect_eq(event(&run, 1)->ts, 7);
	cr_expect_str_eq(event(&run, 1)->pname, "c");
	cr_expect_null(event(&run, 1)->message);
	cr_expect(strstr(run.r[1].msg, "mem:10:") != NULL, "%s", run.r[1].msg);
	cr_expect(strstr(run.r[1].msg, "MESSAGE") != NULL, "%s", run.r[1].msg);
	/* the size itself cut short */
	run_free(&run);
	parse_str("MESSAGE=a\n_X\n\x01\x02", 15, &run);
	cr_expect_eq(run.warns, 2, "the cut and the missing time");
	cr_expect_eq(run.events, 1);
	run_free(&run);
}

Test(journal, export_huge_binary_size_resyncs)
{
	static const char in[] = "__REALTIME_TIMESTAMP=1\nMESSAGE=kept\n"
	    "DATA\n\xff\xff\xff\xff\xff\xff\xff\x7f" "garbage\nMORE=x\n"
	    "\n" ENTRY2 "\n";
	struct run run;

	parse_str(in, sizeof(in) - 1, &run);
	cr_assert_eq(run.warns, 1);
	cr_expect(strstr(run.r[0].msg, "mem:3:") != NULL, "%s", run.r[0].msg);
	cr_assert_eq(run.events, 2);
	cr_expect_str_eq(event(&run, 0)->message, "kept");
	cr_expect_str_eq(event(&run, 1)->message, "second");
	cr_expect_eq(event(&run, 1)->line, 7);
	run_free(&run);
}

Test(journal, export_binary_without_newline_resyncs)
{
	static const char in[] = "__REALTIME_TIMESTAMP=1\nMESSAGE\n"
	    "\x02\0\0\0\0\0\0\0" "abcdef\nJUNK\n\n" ENTRY2 "\n";
	struct run run;

	parse_str(in, sizeof(in) - 1, &run);
	cr_assert_eq(run.warns, 1);
	cr_expect(strstr(run.r[0].msg, "not followed by a newline") != NULL,
	    "%s", run.r[0].msg);
	cr_assert_eq(run.events, 2);
	cr_expect_null(event(&run, 0)->message);
	cr_expect_str_eq(event(&run, 1)->message, "second");
	run_free(&run);
}

Test(journal, export_stray_lines_inside_entry_are_skipped)
{
	static const char in[] = "__REALTIME_TIMESTAMP=1\nnot a field\n"
	    "MESSAGE=m\nlower=case\n=x\n_COMM=c\n";
	struct run run;

	parse_str(in, sizeof(in) - 1, &run);
	cr_expect_eq(run.warns, 3);
	cr_assert_eq(run.events, 1);
	cr_expect_str_eq(event(&run, 0)->message, "m");
	cr_expect_str_eq(event(&run, 0)->pname, "c");
	cr_expect(strstr(run.r[0].msg, "mem:2:") != NULL, "%s", run.r[0].msg);
	cr_expect(strstr(run.r[1].msg, "mem:4:") != NULL, "%s", run.r[1].msg);
	cr_expect(strstr(run.r[2].msg, "mem:5:") != NULL, "%s", run.r[2].msg);
	run_free(&run);
}

Test(journal, export_cursor_without_blank_line_starts_an_entry)
{
	static const char in[] = ENTRY1 ENTRY2;
	struct run run;

	parse_str(in, sizeof(in) - 1, &run);
	cr_assert_eq(run.events, 2);
	cr_expect_eq(event(&run, 1)->line, 7);
	cr_expect_str_eq(event(&run, 0)->message, "first");
	cr_expect_str_eq(event(&run, 1)->message, "second");
	run_free(&run);
}

Test(journal, export_entry_without_time_is_kept_with_a_warning)
{
	static const char in[] = "MESSAGE=x\n_HOSTNAME=h\n\n" ENTRY2;
	struct run run;

	parse_str(in, sizeof(in) - 1, &run);
	cr_assert_eq(run.n, 3);
	cr_expect_eq(run.r[0].rc, LH_OK);
	cr_expect_eq(run.r[0].ts, LH_TS_NONE);
	cr_expect_eq(run.r[1].rc, LH_WARN);
	cr_expect(strstr(run.r[1].msg, "mem:1:") != NULL, "%s", run.r[1].msg);
	cr_expect_eq(run.r[2].rc, LH_OK);
	run_free(&run);
}

Test(journal, export_damaged_stream_returns_what_was_read)
{
	static const char in[] = ENTRY1 "\n__REALTIME_TIMESTAMP=9\nMESSAGE=par";
	struct run run;

	parse_mem(in, sizeof(in) - 1, 3, 1, &run);
	cr_expect_eq(run.last, LH_FAIL);
	cr_assert_eq(run.events, 2);
	/* the partial line before the damage is not trusted */
	cr_expect_null(event(&run, 1)->message);
	cr_expect_eq(event(&run, 1)->ts, 9);
	cr_expect(strstr(run.r[run.n - 1].msg, "damaged") != NULL);
	run_free(&run);
}

Test(journal, export_long_line_is_cut_with_a_warning)
{
	size_t n = LH_MAX_LINE + 100, i;
	char *in = malloc(n + 64);
	struct run run;

	cr_assert_not_null(in);
	i = (size_t)sprintf(in, "__REALTIME_TIMESTAMP=1\nMESSAGE=");
	memset(in + i, 'x', n - i);
	memcpy(in + n, "\n_COMM=c\n\n", 10);
	parse_mem(in, n + 10, 65536, 0, &run);
	cr_expect_eq(run.warns, 1);
	cr_assert_eq(run.events, 1);
	cr_expect_str_eq(event(&run, 0)->pname, "c");
	cr_expect_eq(event(&run, 0)->message_len, LH_MAX_LINE - 8);
	run_free(&run);
	free(in);
}

Test(journal, export_sample_with_stray_syslog_lines)
{
	static const uint64_t lines[] = { 1, 15, 31, 45, 59, 73 };
	struct run run;
	size_t n, i;
	char *p = slurp(SAMPLES "beats-journald-multiple-boots.export", &n);

	parse_mem(p, n, 4096, 0, &run);
	cr_expect_eq(run.last, LH_EOF);
	cr_assert_eq(run.events, 6);
	cr_assert_eq(run.warns, 2);
	for (i = 0; i < 6; i++) {
		cr_expect_eq(event(&run, i)->line, lines[i], "event %zu", i);
		cr_expect_str_eq(event(&run, i)->pname, "kernel");
		cr_expect_neq(event(&run, i)->ts, LH_TS_NONE);
	}
	cr_expect(strstr(run.r[2].msg, "mem:29:") != NULL, "%s", run.r[2].msg);
	cr_expect(strstr(run.r[3].msg, "mem:30:") != NULL, "%s", run.r[3].msg);
	cr_expect_eq(event(&run, 0)->ts, 1726585755776730LL);
	run_free(&run);
	free(p);
}

Test(journal, export_every_sample)
{
	static const struct {
		const char *file;
		size_t events, warns;
	} want[] = {
		{ "beats-journald-input-multiline-parser.head.export", 3, 0 },
		{ "beats-journald-journal1.export", 10, 0 },
		{ "beats-journald-multiple-boots.export", 6, 2 },
	};
	struct run run;
	char path[256], *p;
	size_t i, k, n;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		snprintf(path, sizeof(path), SAMPLES "%s", want[i].file);
		p = slurp(path, &n);
		cr_expect_geq(lh_format_journal_export.probe(p, n), 90, "%s",
		    path);
		cr_expect_eq(lh_format_journal_file.probe(p, n), 0);
		parse_mem(p, n, 1 + i * 17, 0, &run);
		cr_expect_eq(run.events, want[i].events, "%s", path);
		cr_expect_eq(run.warns, want[i].warns, "%s", path);
		cr_expect_eq(run.last, LH_EOF, "%s", path);
		for (k = 0; k < run.events; k++)
			cr_expect_neq(event(&run, k)->ts, LH_TS_NONE);
		run_free(&run);
		free(p);
	}
}

Test(journal, probe)
{
	static const char header_less[] = "MESSAGE=x\n_TRANSPORT=kernel\n"
	    "BINARY\n\x01\0\0\0\0\0\0\0z\n\n";
	static const char os_release[] = "NAME=\"Debian GNU/Linux\"\n"
	    "VERSION_ID=\"12\"\nID=debian\n";
	static const char *const no[] = {
		"{\"MESSAGE\":\"x\",\"__CURSOR\":\"s\"}\n",
		"Sep 17 11:26:36 Debian12 kernel: Linux version 6.1\n",
		"<13>1 2026-01-01T00:00:00Z h app - - - msg\n",
		"MESSAGE=only one line\n",
		"",
	};
	const struct lh_format *f = &lh_format_journal_export;
	size_t i;

	cr_expect_eq(f->probe("__CURSOR=s=1\n", 13), 95);
	cr_expect_eq(f->probe("__REALTIME_TIMESTAMP=1\n", 23), 95);
	cr_expect_eq(f->probe(header_less, sizeof(header_less) - 1), 80);
	cr_expect_eq(f->probe(os_release, sizeof(os_release) - 1), 0);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		cr_expect_eq(f->probe(no[i], strlen(no[i])), 0, "%s", no[i]);
	cr_expect_eq(lh_format_journal_file.probe("LPKSHHRH\0\0\0\0", 12),
	    100);
	cr_expect_eq(lh_format_journal_file.probe("LPKSHH", 6), 0);
	cr_expect_eq(lh_format_journal_file.probe("__CURSOR=", 9), 0);
}
