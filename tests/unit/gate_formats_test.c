/*
 * gate_formats_test.c: the gate of lh_parse_opts in the JSON and journal
 * formats.  The time json_gate.c reads from a document's raw bytes must be
 * the one the full parse sets, whenever it claims one: checked over every
 * line of the JSON samples, crafted documents of every kind and oddity,
 * and the files named in $LH_GATE_FILES (':'-separated; for corpora kept
 * outside the tree), by a scanner per line and by one per file (which
 * keeps layouts and plans from line to line), with and without AVX2.  End
 * to end, a format opened with a gate must return exactly the ungated
 * events, less records skipped (counted in src->gated) whose time the
 * gate does not admit: JSON, journal export, and native journal files
 * made by systemd-journal-remote when it is installed.
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "tests/unit/gate_fixture.h"

/* check_line_with a scanner of its own. */
static int
check_line(const char *p, size_t n, int variant, struct tally *t)
{
	struct lh_json_rawtime *r = lh_json_rawtime_create();
	int known;

	cr_assert_not_null(r);
	known = check_line_with(r, p, n, variant, t);
	lh_json_rawtime_free(r);
	return known;
}

/* Every line of the n bytes at p, under both option variants. */
static void
check_lines(const char *p, size_t n, struct tally *t)
{
	const char *end = p + n, *nl;
	int v;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		for (v = 0; v < 2; v++)
			check_line(p, (size_t)(nl - p), v, v == 0 ? t : NULL);
	}
}

/*
 * Every line of the n bytes at p through one scanner, as the format uses
 * it (it keeps layouts and plans from one line to the next), made as it
 * is or portable (no AVX2): the same claims as a scanner per line.
 */
static void
check_lines_one(const char *p, size_t n, int portable)
{
	struct lh_json_rawtime *r = lh_json_rawtime_create();
	const char *end = p + n, *nl;

	cr_assert_not_null(r);
	if (portable)
		lh_json_rawtime_portable(r);
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		cr_assert_eq(check_line_with(r, p, (size_t)(nl - p), portable,
		    NULL), check_line(p, (size_t)(nl - p), portable, NULL),
		    "%.*s", (int)(nl - p), p);
	}
	lh_json_rawtime_free(r);
}

/* The array of documents that o is or wraps, or NULL. */
static struct json_object *
list_of(struct json_object *o)
{
	struct json_object *a = NULL;

	if (json_object_is_type(o, json_type_array))
		return o;
	if (!json_object_object_get_ex(o, "events", &a) &&
	    !json_object_object_get_ex(o, "expected", &a) &&
	    json_object_object_get_ex(o, "hits", &a))
		json_object_object_get_ex(a, "hits", &a);
	return json_object_is_type(a, json_type_array) ? a : NULL;
}

/*
 * The documents of a file that is not NDJSON (pretty-printed, arrays,
 * wrappers), each written back on one line by json-c, plain and spaced.
 */
static void
check_values(const char *p, size_t n, struct tally *t)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o, *a, *e;
	const char *line;
	size_t i, len, used = 0;
	int flags;

	cr_assert_not_null(tok);
	while (used < n && (o = json_tokener_parse_ex(tok, p + used,
	    (int)(n - used))) != NULL) {
		used += json_tokener_get_parse_end(tok);
		json_tokener_reset(tok);
		a = list_of(o);
		for (i = 0; i < (a != NULL ? json_object_array_length(a) : 1);
		    i++) {
			e = a != NULL ? json_object_array_get_idx(a, i) : o;
			for (flags = 0; flags <= JSON_C_TO_STRING_SPACED;
			    flags += JSON_C_TO_STRING_SPACED) {
				line = json_object_to_json_string_length(e,
				    flags, &len);
				check_line(line, len, 0, t);
				check_line(line, len, 1, NULL);
			}
		}
		json_object_put(o);
	}
	json_tokener_free(tok);
}

Test(gate_formats, raw_time_matches_parse_on_samples)
{
	static const char *const pats[] = { SAMPLES "*.json",
		SAMPLES "*.ndjson" };
	struct tally t = { 0, 0 };
	glob_t g;
	size_t i, k, n;
	char *p;

	for (i = 0; i < 2; i++) {
		cr_assert_eq(glob(pats[i], 0, NULL, &g), 0);
		for (k = 0; k < g.gl_pathc; k++) {
			p = slurp(g.gl_pathv[k], &n);
			check_lines(p, n, &t);
			check_lines_one(p, n, 0);
			check_lines_one(p, n, 1);
			check_values(p, n, &t);
			free(p);
		}
		globfree(&g);
	}
	/* the documents with a time, written on one line */
	cr_expect_geq(t.known, 20, "%zu of %zu", t.known, t.docs);
}

Test(gate_formats, raw_time_matches_parse_on_named_files)
{
	const char *env = getenv("LH_GATE_FILES");
	struct tally t = { 0, 0 };
	char *list, *path, *save = NULL, *p;
	size_t n;

	if (env == NULL || *env == '\0')
		cr_skip_test("LH_GATE_FILES not set");
	cr_assert_not_null(list = strdup(env));
	for (path = strtok_r(list, ":", &save); path != NULL;
	    path = strtok_r(NULL, ":", &save)) {
		struct tally f = { 0, 0 };

		p = slurp(path, &n);
		check_lines(p, n, &f);
		check_lines_one(p, n, 0);
		check_lines_one(p, n, 1);
		if (strstr(path, ".ndjson") == NULL)
			check_values(p, n, &f);
		fprintf(stderr, "gate: %s: %zu of %zu lines timed raw\n", path,
		    f.known, f.docs);
		t.docs += f.docs;
		t.known += f.known;
		free(p);
	}
	free(list);
	fprintf(stderr, "gate: %zu of %zu lines timed raw\n", t.known, t.docs);
}

/* What a crafted document must give: a time, none, or either. */
enum { NO = 0, YES = 1, ANY = 2 };

static const struct {
	int want;
	const char *doc;
} crafted[] = {
	/* Filebeat documents before the pipeline */
	{ YES, "{" FB "," FB_MSG "}" },
	{ YES, "  {" FB_MSG "," FB "}  " },
	{ YES, "{" FB ",\"message\":\"Dec 22 00:00:04 h a[1]: \\\"q\\\" \\\\ "
	    "\\t \\/ \\u00e9 \\u20ac \\u0000 z\"}" },
	{ ANY, "{" FB ",\"message\":\"Dec 22 00:00:04 h a: \\ud83d\\ude00\"}" },
	{ YES, "{" FB ",\"message\":\"\\u0044ec 22 00:00:04 h a: x\"}" },
	{ YES, "{" FB ",\"message\":\"hello, no stamp\"}" },
	{ NO, "{" FB_HEAD ",\"message\":\"hello, no stamp\"}" },
	{ YES, "{" FB_HEAD "," FB_MSG "}" },
	{ YES, "{" FB_HEAD ",\"@timestamp\":1766361604458," FB_MSG "}" },
	{ YES, "{" FB_HEAD ",\"@timestamp\":\"1766361604458\"," FB_MSG "}" },
	{ ANY, "{" FB_HEAD ",\"@timestamp\":1766361604458.5," FB_MSG "}" },
	{ YES, "{" FB_HEAD ",\"@timestamp\":true," FB_MSG "}" },
	{ YES, "{" FB_HEAD ",\"@timestamp\":\"junk\"," FB_MSG "}" },
	{ YES, "{" FB "," FB_MSG ",\"event\":{\"timezone\":\"+05:30\"}}" },
	{ YES, "{" FB "," FB_MSG ",\"event\":{\"timezone\":\"GMT-0200\"}}" },
	{ YES, "{" FB "," FB_MSG ",\"event\":{\"timezone\":\"Europe/X\"}}" },
	{ YES, "{" FB "," FB_MSG ",\"event.timezone\":\"-03:00\"}" },
	{ ANY, "{" FB "," FB_MSG ",\"event\":{\"timezone\":\"+\\u0032\"}}" },
	{ ANY, "{" FB ",\"message\":\"Feb 30 00:00:04 h a: x\"}" },
	{ YES, "{" FB ",\"message\":\"2025-12-22T01:02:03.5+01:00 h a: x\"}" },
	{ YES, "{" FB ",\"message\":\"2025-12-22T01:02:03 h a: x\"}" },
	{ YES, "{" FB ",\"message\":\"x Dec 22 00:00:04 h a: y\"}" },
	/* the data stream: fileset, module, dataset; dotted names */
	{ YES, "{" INPUT_LOG ",\"fileset\":{\"name\":\"syslog\"},"
	    FB_TS "," FB_MSG "}" },
	{ YES, "{\"input.type\":\"log\",\"event.module\":\"system\","
	    FB_TS "," FB_MSG "}" },
	{ YES, "{\"input\":{\"type\":\"log\"},\"data_stream.dataset\":"
	    "\"system.syslog\"," FB_TS "," FB_MSG "}" },
	{ YES, "{\"input\":{\"type\":\"log\"},\"event\":{\"dataset\":"
	    "\"system.auth\"}," FB_TS ",\"message\":\"Dec 22 00:00:04 h "
	    "sshd[1]: Accepted\"}" },
	{ YES, "{" INPUT_LOG ",\"fileset.name\":\"auth\"," FB_TS
	    ",\"message\":\"<38>1 2025-12-22T00:00:04Z h sshd 1 - - x\"}" },
	{ YES, "{" INPUT_LOG ",\"fileset\":{\"name\":\"auth\"},\"log\":"
	    "{\"syslog\":{\"appname\":\"sshd\"}}," FB_TS "," FB_MSG "}" },
	{ YES, "{\"event\":{\"module\":\"system\"}," FB_TS "," FB_MSG "}" },
	{ YES, "{" FB "," FB_MSG ",\"process\":{\"name\":\"sshd\"}}" },
	{ YES, "{" FB "," FB_MSG ",\"process\":{\"name\":null}}" },
	{ YES, "{" FB "," FB_MSG ",\"event\":{\"ingested\":\"x\"}}" },
	{ YES, "{" FB "," FB_MSG ",\"@metadata.beat\":\"packetbeat\"}" },
	/* what the scanner does not tell */
	{ NO, "{" FB "," FB_MSG "," FB_MSG "}" },
	{ NO, "{" FB "," FB_MSG "," FB_TS "}" },
	{ NO, "{" FB ",\"mess\\u0061ge\":\"Dec 22 00:00:04 h a: x\"}" },
	{ NO, "{" FB "," FB_MSG ",\"event\":{},\"event\":{\"ingested\":1}}" },
	{ NO, "{" FB "," FB_MSG "} x" },
	{ NO, "{" FB "," FB_MSG "}{" FB "," FB_MSG "}" },
	{ NO, "{" FB "," FB_MSG ",}" },
	{ NO, "{" FB "," FB_MSG ",\"x\":'y'}" },
	{ NO, "{" FB "," FB_MSG ",\"x\":NaN}" },
	{ NO, "{" FB "," FB_MSG ",/* c */\"x\":1}" },
	{ NO, "{" FB ",\"message\":\"Dec 22 00:00:04 h a:\tx\"}" },
	{ NO, "{" FB "," FB_MSG ",\"x\":01}" },
	{ NO, "{" FB "," FB_MSG ",\"x\":\"\\x\"}" },
	{ NO, "{" FB "," FB_MSG ",\"x\":\"\\u12\"}" },
	{ NO, "{" FB "," FB_MSG ",\"x\":[1,2" },
	{ NO, "{" FB "," FB_MSG },
	{ YES, "{" FB "," FB_MSG ",\"x\":[{\"a\":[1,{\"b\":null}]},-1.5e+3,"
	    "true,false,null,\"\\\"]\"],\"y\":{\"z\":{\"w\":{\"v\":{}}}}}" },
	{ YES, "{" FB "," FB_MSG ",\"a\":{\"b\":{\"c\":{\"message\":1,"
	    "\"message\":2,\"m\\u0065\":3}}}}" },
	/* names alike in length and first and last bytes (json_gate.c's bit) */
	{ YES, "{" FB "," FB_MSG ",\"massage\":1,\"massage\":2}" },
	{ YES, "{" FB "," FB_MSG ",\"pxxxxxs\":{\"name\":\"sshd\"}}" },
	{ YES, "{" FB "," FB_MSG ",\"evxxt\":{\"ingested\":\"x\"}}" },
	{ NO, "{" FB ",\"massage\":1," FB_MSG ",\"massage\":2," FB_MSG "}" },
	{ NO, "{" FB "," FB_MSG ",\"massage\":1," FB_MSG "," FB_MSG "}" },
	{ NO, "{\"journald\":{},\"jxxxxxxd\":1,\"journald\":{},\"a\":1}" },
	/* ECS documents and the _source wrapper */
	{ YES, "{\"@timestamp\":\"2025-12-22T00:00:39.482Z\",\"a\":\"x\"}" },
	{ YES, "{\"@timestamp\":\"2025-12-22T00:00:39\",\"message\":\"x\"}" },
	{ YES, "{\"@timestamp\":\"2025-12-22\",\"message\":\"x\"}" },
	{ YES, "{\"@timestamp\":-0,\"message\":\"x\"}" },
	{ YES, "{\"@timestamp\":-5,\"message\":\"x\"}" },
	{ NO, "{\"@timestamp\":12345678901234567,\"message\":\"x\"}" },
	{ NO, "{\"@timestamp\":1e12,\"message\":\"x\"}" },
	{ NO, "{\"@timestamp\":null,\"message\":\"x\"}" },
	{ NO, "{\"@timestamp\":{},\"message\":\"x\"}" },
	{ NO, "{\"@timestamp\":\"2025-12-22T00:00:39Zjunk\"}" },
	{ NO, "{\"@timestamp\":\"2025-12-22T00:00:39\\u005a\"}" },
	{ YES, "{\"_index\":\"x\",\"_source\":{\"@timestamp\":"
	    "\"2025-12-22T00:00:39.482Z\",\"message\":\"x\",\"process\":"
	    "{\"name\":\"CRON\"},\"event\":{\"ingested\":\"y\"}}}" },
	{ YES, "{\"_source\":{" FB "," FB_MSG "}}" },
	{ NO, "{\"_source\":{" FB "},\"_source\":{" FB "}}" },
	{ YES, "{\"_source\":[1]," FB_TS "}" },
	/* wrappers of documents */
	{ NO, "{\"events\":[{" FB "," FB_MSG "}]}" },
	{ NO, "{\"expected\":[]}" },
	{ NO, "{\"hits\":{\"hits\":[{\"_source\":{" FB_TS "}}]}}" },
	{ NO, "{\"hits.hits\":[]}" },
	{ YES, "{\"events\":[{" FB "," FB_MSG "}]," FB_TS "}" },
	{ NO, "{\"events\":[1],\"x\":2}" },
	/* the journald input */
	{ YES, "{" FB "," FB_MSG ",\"journald\":{\"pid\":1}}" },
	{ YES, "{\"input\":{\"type\":\"journald\"}," FB_TS ",\"a\":1}" },
	{ YES, "{\"journald\":{\"pid\":1},\"event\":{\"ingested\":\"x\"},"
	    FB_TS "}" },
	/* journal JSON */
	{ YES, "{" J_RT ":\"1703203200000000\",\"MESSAGE\":\"x\"}" },
	{ YES, "{" J_RT ":1703203200000000,\"MESSAGE\":\"x\"}" },
	{ YES, "{\"__CURSOR\":\"s=1\"," J_RT ":\"0\"}" },
	{ YES, "{\"MESSAGE\":\"x\"," J_RT ":\"x\"," J_SRT ":\"17032032\"}" },
	{ YES, "{\"MESSAGE\":\"x\"," J_RT ":true," J_SRT ":\"17032032\"}" },
	{ YES, "{\"MESSAGE\":\"x\"," J_RT ":null," J_SRT ":1703203200000001}" },
	{ YES, "{\"MESSAGE\":\"x\"," J_RT ":{}," J_SRT ":\"17032032\"}" },
	{ NO, "{\"MESSAGE\":\"x\"," J_RT ":-5," J_SRT ":\"17032032\"}" },
	{ NO, "{\"MESSAGE\":\"x\"," J_RT ":[\"1\",\"2\"]}" },
	{ NO, "{\"MESSAGE\":\"x\"," J_RT ":[49,50]}" },
	{ NO, "{\"MESSAGE\":\"x\"," J_RT ":\"\\u0031\"}" },
	{ NO, "{\"MESSAGE\":\"x\"," J_RT ":\"12345678901234567890\"}" },
	{ NO, "{\"MESSAGE\":\"x\"," J_RT ":1.5}" },
	{ NO, "{\"MESSAGE\":\"x\"}" },
	{ NO, "{\"MESSAGE\":\"x\"," J_RT ":\"1\"," J_RT ":\"2\"}" },
	{ YES, "{\"_source\":{\"MESSAGE\":\"x\"," J_RT ":\"17\"}}" },
	{ YES, "{\"MESSAGE\":\"x\"," J_RT ":\"1703203200000000\"," FB_TS "}" },
};

Test(gate_formats, raw_time_matches_parse_on_crafted_documents)
{
	size_t i;
	int v, known;

	for (i = 0; i < sizeof(crafted) / sizeof(crafted[0]); i++) {
		for (v = 0; v < 2; v++) {
			known = check_line(crafted[i].doc,
			    strlen(crafted[i].doc), v, NULL);
			if (crafted[i].want != ANY)
				cr_expect_eq(known, crafted[i].want,
				    "case %zu: %s", i, crafted[i].doc);
		}
	}
}

/*
 * One scanner over many documents, as a format uses it: what it keeps from
 * one document to the next (event.timezone's zone, the names looked up)
 * must not change a time.  The crafted documents forwards and backwards,
 * and Filebeat documents whose zones change, come back and repeat.
 */
Test(gate_formats, raw_time_with_one_scanner_over_many_documents)
{
	static const char *const zones[] = { "+05:30", "+05:30", "GMT-0200",
		"Europe/X", "+05:30", "", "", "UTC", "-03:00", "+0530",
		"+05:30", "Z", "GMT+02:00:00x", "Europe/X", "-03:00" };
	struct lh_json_rawtime *r = lh_json_rawtime_create();
	size_t nc = sizeof(crafted) / sizeof(crafted[0]), i, c;
	char doc[512];
	int v, n, known;

	cr_assert_not_null(r);
	for (v = 0; v < 2; v++) {
		for (i = 0; i < 2 * nc; i++) {
			c = i < nc ? i : 2 * nc - 1 - i;
			known = check_line_with(r, crafted[c].doc,
			    strlen(crafted[c].doc), v, NULL);
			if (crafted[c].want != ANY)
				cr_expect_eq(known, crafted[c].want, "%s",
				    crafted[c].doc);
		}
		for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
			n = snprintf(doc, sizeof(doc), "{" FB "," FB_MSG
			    ",\"event\":{\"timezone\":\"%s\"}}", zones[i]);
			cr_assert(n > 0 && (size_t)n < sizeof(doc));
			cr_expect_eq(check_line_with(r, doc, (size_t)n, v,
			    NULL), 1, "%s", doc);
		}
	}
	lh_json_rawtime_free(r);
}

/* Nesting, and more keys than are recorded: left to the parse. */
Test(gate_formats, raw_time_gives_up_on_deep_or_wide_documents)
{
	char doc[8192];
	size_t n = 0;
	int i;

	n += (size_t)snprintf(doc + n, sizeof(doc) - n, "{" FB "," FB_MSG
	    ",\"a\":");
	for (i = 0; i < 70; i++)
		doc[n++] = '[';
	doc[n++] = '1';
	for (i = 0; i < 70; i++)
		doc[n++] = ']';
	doc[n++] = '}';
	doc[n] = '\0';
	cr_expect_eq(check_line(doc, n, 0, NULL), 0);
	n = (size_t)snprintf(doc, sizeof(doc), "{" FB "," FB_MSG);
	for (i = 0; i < 600; i++)
		n += (size_t)snprintf(doc + n, sizeof(doc) - n, ",\"k%d\":1",
		    i);
	doc[n++] = '}';
	doc[n] = '\0';
	cr_expect_eq(check_line(doc, n, 0, NULL), 0);
}

Test(gate_formats, json_gated_events_are_the_admitted_ones)
{
	static const char pretty[] = "{\n \"@timestamp\": 1766361604458,\n"
	    " \"message\": \"x\"\n}\n[{\"@timestamp\":1},\n"
	    "{\"@timestamp\":2}]\n"
	    "{\"events\":[{\"@timestamp\":3},{\"@timestamp\":4}]}\n";
	struct lh_buf all;
	size_t i, n;
	char *p;

	memset(&all, 0, sizeof(all));
	for (i = 0; i < sizeof(crafted) / sizeof(crafted[0]); i++) {
		lh_buf_puts(&all, crafted[i].doc);
		lh_buf_putc(&all, '\n');
		if (i % 10 == 0)
			lh_buf_puts(&all, pretty);
	}

	cr_assert_eq(lh_buf_status(&all), LH_OK);
	cr_expect_geq(check_gated(&lh_format_json, all.p, all.len, "crafted"),
	    20);
	lh_buf_free(&all);
	p = slurp(SAMPLES "journalctl-json-records.ndjson", &n);
	cr_expect_eq(check_gated(&lh_format_json, p, n, "journalctl"), 2);
	free(p);
}

Test(gate_formats, export_gated_events_are_the_admitted_ones)
{
	static const char crafted_export[] =
	    "__CURSOR=a\n__REALTIME_TIMESTAMP=1703203200000000\nMESSAGE=1\n\n"
	    "__CURSOR=b\n__REALTIME_TIMESTAMP=x\n"
	    "_SOURCE_REALTIME_TIMESTAMP=1703203200000007\nMESSAGE=2\n\n"
	    "__CURSOR=c\nMESSAGE=3\n__REALTIME_TIMESTAMP=1703203200000009\n"
	    "__REALTIME_TIMESTAMP=1\n\n"
	    "__CURSOR=d\nMESSAGE=no time\n\n\n\n"
	    "__CURSOR=e\n__REALTIME_TIMESTAMP=1703203200000011\nBIN\n"
	    "\x03\0\0\0\0\0\0\0a\nb\nMESSAGE=4\n\n"
	    "__CURSOR=f\n__REALTIME_TIMESTAMP=1703203200000013\nMESSAGE=5\r\n\n"
	    "__CURSOR=g\n__REALTIME_TIMESTAMP=1703203200000015\nnot a field\n"
	    "MESSAGE=6\n\n"
	    "__CURSOR=h\n__REALTIME_TIMESTAMP=1703203200000017\n"
	    "__CURSOR=i\n__REALTIME_TIMESTAMP=1703203200000019\nMESSAGE=7\n\n"
	    "__CURSOR=j\n__REALTIME_TIMESTAMP=1703203200000021\nMESSAGE=8\n";
	static const char *const files[] = {
		"beats-journald-input-multiline-parser.head.export",
		"beats-journald-journal1.export",
		"beats-journald-multiple-boots.export",
	};
	char path[256], *p;
	size_t i, n;

	cr_expect_geq(check_gated(&lh_format_journal_export, crafted_export,
	    sizeof(crafted_export) - 1, "crafted export"), 2);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), SAMPLES "%s", files[i]);
		p = slurp(path, &n);
		cr_expect_gt(check_gated(&lh_format_journal_export, p, n, path),
		    0, "%s", path);
		free(p);
	}
}

static int
fd_of(struct lh_source *src, int *fd, struct lh_err *err)
{
	*fd = *(int *)src->priv;
	if (lseek(*fd, 0, SEEK_SET) != 0)
		return lh_err_set(err, LH_FAIL, errno, "%s: cannot rewind",
		    src->path);
	return LH_OK;
}

/* The native journal file at path under every gate of gate_for. */
static uint64_t
check_gated_file(const char *path)
{
	struct lh_parse_opts o;
	struct lh_source src;
	struct lh_gate *g;
	struct run u, r;
	uint64_t most = 0, k;
	int fd, kind;

	fd = open(path, O_RDONLY);
	cr_assert_geq(fd, 0, "%s", path);
	memset(&src, 0, sizeof(src));
	src.path = path;
	src.get_fd = fd_of;
	src.priv = &fd;
	options(&o, 0, NULL);
	drain(&lh_format_journal_file, &src, &o, &u);
	cr_assert_gt(u.n, 0);
	for (kind = 0; kind < 4; kind++) {
		g = gate_for(&u, kind);
		options(&o, 0, g);
		src.gated = 0;
		drain(&lh_format_journal_file, &src, &o, &r);
		k = compare_runs(&u, &r, g, path);
		most = k > most ? k : most;
		run_free(&r);
		lh_gate_free(g);
	}
	run_free(&u);
	close(fd);
	return most;
}

Test(gate_formats, journal_file_gated_events_are_the_admitted_ones)
{
	static const char *const remotes[] = {
		"/lib/systemd/systemd-journal-remote",
		"/usr/lib/systemd/systemd-journal-remote",
	};
	char dir[] = "/tmp/lh-gate-XXXXXX", out[64], cmd[512];
	const char *remote = NULL;
	size_t i;

	for (i = 0; i < 2; i++)
		if (access(remotes[i], X_OK) == 0)
			remote = remotes[i];
	if (remote == NULL)
		cr_skip_test("no systemd-journal-remote");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(out, sizeof(out), "%s/x.journal", dir);
	snprintf(cmd, sizeof(cmd), "%s -o %s " SAMPLES
	    "beats-journald-journal1.export 2>/dev/null", remote, out);
	cr_assert_eq(system(cmd), 0);
	cr_expect_gt(check_gated_file(out), 0);
	unlink(out);
	rmdir(dir);
}
