/*
 * rawtime_again_test.c: lh_json_rawtime on documents that repeat the one
 * before but for some values (formats/json_gate.c's again(), which puts
 * the new values into the records of the document before) against a
 * scanner of its own per document, which reads each one whole: the kind,
 * the time, its precision and flags, and the host (lh_json_rawhost) must
 * be the same (also for the lookups over the records kept from one
 * document to the next: the same name looked up in two objects, values a
 * kind depends on).  The documents are
 * Filebeat and journal documents with neighbours that differ in a value
 * (longer, shorter, escaped, of another type; also values the kind
 * depends on, in one layout), a key, a byte of the skeleton, blanks, or
 * their length, in turns of several layouts (more than the scanner keeps),
 * with and without AVX2.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/format.h"
#include "core/status.h"
#include "core/time.h"
#include "formats/json_int.h"

#define FB(ts, off, msg, tz) "{\"@timestamp\":" ts ",\"@metadata\":" \
	"{\"beat\":\"filebeat\",\"type\":\"_doc\"},\"log\":{\"offset\":" off \
	",\"file\":{\"path\":\"/var/log/syslog\"}},\"message\":" msg \
	",\"input\":{\"type\":\"log\"},\"fileset\":{\"name\":\"syslog\"}," \
	"\"event\":{\"module\":\"system\",\"timezone\":" tz "}}"
#define TS1 "\"2025-12-22T00:00:04.458Z\""
#define TS2 "\"2025-12-22T00:03:32.781Z\""
#define M1 "\"Dec 22 00:00:04 web02 sshd[5962]: Failed x\""
#define M2 "\"Dec 22 00:03:32 web02 CRON[1]: (root) CMD (x)\""
#define FBH(host, msg) "{\"@timestamp\":" TS1 ",\"@metadata\":" \
	"{\"beat\":\"filebeat\"},\"host\":{\"name\":" host "},\"message\":" \
	msg ",\"input\":{\"type\":\"log\"}}"
#define JH(host) "{\"__REALTIME_TIMESTAMP\":\"1766966405191594\"," \
	"\"_HOSTNAME\":" host ",\"MESSAGE\":\"x\"}"
#define FS(fileset, dataset, msg) "{\"@timestamp\":" TS1 ",\"input\":" \
	"{\"type\":\"log\"},\"fileset\":{\"name\":" fileset "},\"event\":" \
	"{\"dataset\":" dataset "},\"log\":{\"syslog\":{}},\"message\":" \
	msg ",\"host\":{\"name\":\"h\"}}"
#define J(rt, pid, msg) "{\"__CURSOR\":\"s=8f;i=1\",\"__REALTIME_TIMESTAMP\":" \
	rt ",\"_HOSTNAME\":\"app01\",\"_PID\":" pid ",\"MESSAGE\":" msg "}"

static const char *const docs[] = {
	FB(TS1, "0", M1, "\"+00:00\""),
	FB(TS2, "120", M2, "\"+00:00\""),
	FB(TS2, "1200000", M2, "\"+00:00\""),
	FB(TS2, "7", M1, "\"+00:00\""),
	FB(TS2, "7.5e3", M1, "\"+00:00\""),
	FB(TS2, "-1", M1, "\"+00:00\""),
	FB(TS2, "01", M1, "\"+00:00\""),
	FB(TS2, "\"7\"", M1, "\"+00:00\""),
	FB(TS2, "true", M1, "\"+00:00\""),
	FB(TS2, "7", M1, "\"+05:30\""),
	FB(TS2, "7", M1, "\"Europe/X\""),
	FB(TS2, "7", M1, "\"+\\u0032\""),
	FB(TS2, "7", M1, "null"),
	FB("1766361604458", "7", M1, "\"+00:00\""),
	FB("1766361604458.5", "7", M1, "\"+00:00\""),
	FB("\"junk\"", "7", M1, "\"+00:00\""),
	FB("null", "7", M1, "\"+00:00\""),
	FB("\"2025-12-22T00:00:39\\u005a\"", "7", M1, "\"+00:00\""),
	FB(TS1, "8", "\"Dec 22 00:00:04 h a[1]: \\\"q\\\" \\t \\u00e9 z\"",
	    "\"+00:00\""),
	FB(TS1, "9", "\"\\u0044ec 22 00:00:04 h a: x\"", "\"+00:00\""),
	FB(TS1, "9", "\"Dec 22 00:00:04 h a: \\ud83d\\ude00\"", "\"+00:00\""),
	FB(TS1, "9", "\"Dec 22 00:00:04 h a:\tx\"", "\"+00:00\""),
	FB(TS1, "9", "\"Feb 30 00:00:04 h a: x\"", "\"+00:00\""),
	FB(TS1, "9", "\"2025-12-22T01:02:03.5+01:00 h a: x\"", "\"+00:00\""),
	FB(TS1, "9", "\"hello, no stamp\"", "\"+00:00\""),
	FB(TS1, "9", "\"\"", "\"+00:00\""),
	FB(TS1, "9", "{}", "\"+00:00\""),
	FB(TS1, "9", "[\"a\"]", "\"+00:00\""),
	FB(TS1, "10", M1, "\"+00:00\""),
	FB(TS1, "10", M1, "\"+00:00\"") " ",
	" " FB(TS1, "10", M1, "\"+00:00\""),
	FB(TS1, "10", M1, "\"+00:00\"") "x",
	FB(TS1, "10", M1, "\"+00:00\"") "}",
	"{\"@timestamp\":" TS1 ",\"@metadata\":{\"beat\":\"filebeat\",\"type\":"
	    "\"_doc\"},\"log\":{\"offset\":11,\"file\":{\"path\":\"/var/log/"
	    "syslog\"}},\"massage\":" M1 ",\"input\":{\"type\":\"log\"}}",
	"{\"@timestamp\":" TS1 ",\"@metadata\":{\"beat\":\"filebeat\",\"type\":"
	    "\"_doc\"},\"log\":{\"offset\":11,\"file\":{\"path\":\"/var/log/"
	    "syslog\"}},\"message\":" M1 ",\"input\":{\"type\":\"log\"}}",
	"{\"@timestamp\":" TS1 ",\"@metadata\":{\"beat\":\"filebeat\",\"type\":"
	    "\"_doc\"},\"log\":{\"offset\":11,\"file\":{\"path\":\"/var/log/"
	    "syslog\"}},\"message\":" M1 ",\"message\":" M2 ",\"input\":"
	    "{\"type\":\"log\"}}",
	"{\"@timestamp\":" TS1 ",\"@metadata\":{\"beat\":\"packetbeat\","
	    "\"type\":\"_doc\"},\"log\":{\"offset\":11,\"file\":{\"path\":"
	    "\"/var/log/syslog\"}},\"message\":" M1 ",\"input\":{\"type\":"
	    "\"journald\"}}",
	"{\"@timestamp\":" TS1 ",\"@metadata\":{\"beat\":\"filebeat\",\"type\":"
	    "\"_doc\"},\"log\":{\"offset\":11,\"file\":{\"path\":\"/var/log/"
	    "syslog\"}},\"message\":" M1 ",\"input\":{\"type\":\"log\"},"
	    "\"fileset\":{\"name\":\"auth\"}}",
	J("\"1766966405191594\"", "\"430\"", "\"pam_unix(sshd:session)\""),
	J("\"1766966410150318\"", "\"18309\"", "\"(bob) CMD\""),
	J("1766966410150318", "18309", "\"(bob) CMD\""),
	J("\"x\"", "18309", "\"(bob) CMD\""),
	J("\"\\u0031\"", "18309", "\"(bob) CMD\""),
	J("-5", "18309", "\"(bob) CMD\""),
	J("1.5", "18309", "\"(bob) CMD\""),
	J("\"12345678901234567890\"", "1", "\"x\""),
	J("\"1766966410150318\"", "1", "\"x\""),
	"{\"_source\":" J("\"1766966410150318\"", "1", "\"x\"") "}",
	"{\"_source\":" J("\"1766966410150319\"", "1", "\"x\"") "}",
	"{\"_source\":{\"@timestamp\":" TS1 ",\"a\":\"x\"}}",
	"{\"_source\":{\"@timestamp\":" TS2 ",\"a\":\"x\"}}",
	"{\"_source\":{\"@timestamp\":" TS2 ",\"a\":\"x\"},"
	    "\"@timestamp\":" TS1 "}",
	"{\"events\":[" J("\"1766966410150319\"", "1", "\"x\"") "]}",
	"{\"@timestamp\":\"2025-12-22T00:00:39.482Z\",\"a\":\"x\"}",
	"{\"@timestamp\":\"2025-12-22T00:00:39.483Z\",\"a\":\"x\"}",
	"{\"@timestamp\":\"2025-12-22T00:00:39.483Z\",\"a\":\"xy\"}",
	"{\"@timestamp\":\"2025-12-22T00:00:39.483Z\",\"a\":\"x\"",
	"{\"@timestamp\":\"2025-12-22T00:00:39.483Z\",\"a\":1}",
	"{\"@timestamp\":\"2025-12-22T00:00:39.483Z\",\"a\":12}",
	"{\"@timestamp\":\"2025-12-22T00:00:39.483Z\",\"a\":1}",
	"{\"@timestamp\":\"2025-12-22T00:00:39.483Z\",\"a\":1 }",
	"{\"@timestamp\":\"2025-12-22\",\"a\":1}",
	"{\"@timestamp\":-5,\"a\":1}",
	"{\"@timestamp\":-5}",
	FBH("\"web02\"", M1),
	FBH("\"web03\"", M1),
	FBH("\"web0\"", "\"hello\""),
	FBH("\"w\\u0065b\"", "\"hello\""),
	FBH("7", "\"hello\""),
	FBH("null", "\"hello\""),
	FBH("\"fb\"", "\"Dec 22 00:00:04 other a: x\""),
	/* one layout, values a plan compares (the auth test) changing */
	FS("\"syslog\"", "\"system.syslog\"", M1),
	FS("\"auth\"", "\"system.syslog\"", M1),
	FS("\"auth\"", "\"system.auth\"", M2),
	FS("\"syslog\"", "\"system.auth\"", M2),
	FS("\"a\\u0075th\"", "\"system.syslog\"", M1),
	FS("\"syslog\"", "\"system.\\u0061uth\"", M1),
	FS("\"syslog\"", "7", M1),
	FS("\"syslog\"", "\"system.syslog\"", "7"),
	/* escapes in keys, keys given twice, other orders, nesting, BOM */
	"{\"@time\\u0073tamp\":" TS1 ",\"a\":\"x\"}",
	"{\"@timestamp\":" TS1 ",\"@timestamp\":" TS2 "}",
	"{\"a\":\"x\",\"@timestamp\":" TS2 "}",
	"{\"a\":{\"b\":{\"c\":{\"d\":[1,{\"e\":\"f\"}]}}},\"@timestamp\":"
	    TS2 "}",
	"{\"a\":{\"b\":{\"c\":{\"d\":[1,{\"e\":\"g\"}]}}},\"@timestamp\":"
	    TS2 "}",
	"{\"a\":-0.5e+7,\"b\":1E2,\"@timestamp\":" TS2 "}",
	"{\"a\":-0.25e+7,\"b\":3E2,\"@timestamp\":" TS2 "}",
	"\xef\xbb\xbf{\"@timestamp\":" TS2 "}",
	JH("\"app01\""),
	JH("\"app02\""),
	JH("\"app\\u0030\""),
	JH("12"),
	JH("[\"a\"]"),
	/* journal layouts read slot by slot: long values, escapes late */
	J("\"1766966410150318\"", "\"18309\"",
	    "\"a message longer than sixteen bytes, and then some\""),
	J("\"1766966410150319\"", "\"18310\"",
	    "\"a message longer than sixteen bytes\\nwith an escape\""),
	J("\"1766966410150320\"", "\"18311\"",
	    "\"a message longer than sixteen bytes \\u00e9 \\\"q\\\"\""),
	J("\"17669664101503200\"", "\"1\"", "\"sixteen bytes ok\""),
	J("\"176696641015032x\"", "\"1\"", "\"sixteen bytes ok\""),
	J("\"9223372036854775807\"", "\"1\"", "\"m\""),
	J("\"9223372036854775808\"", "\"1\"", "\"m\""),
	J("\"\"", "\"1\"", "\"m\""),
	J("null", "\"1\"", "\"m\""),
	J("\"1766966410150318\"", "\"1\"", "\"tab\there in a long message\""),
	"{\"__CURSOR\":\"s=8f;i=2\",\"_SOURCE_REALTIME_TIMESTAMP\":"
	    "\"1766966410150111\",\"__REALTIME_TIMESTAMP\":\"x\","
	    "\"_HOSTNAME\":\"app01\",\"MESSAGE\":\"m\"}",
	"{\"__CURSOR\":\"s=8f;i=3\",\"_SOURCE_REALTIME_TIMESTAMP\":"
	    "\"1766966410150112\",\"__REALTIME_TIMESTAMP\":\"y\","
	    "\"_HOSTNAME\":\"app02\",\"MESSAGE\":\"m\"}",
	"{\"MESSAGE\":\"m\",\"_HOSTNAME\":\"app03\","
	    "\"__REALTIME_TIMESTAMP\":\"1766966410150113\"}",
	"{\"MESSAGE\":\"m2\",\"_HOSTNAME\":\"app04\","
	    "\"__REALTIME_TIMESTAMP\":\"1766966410150114\"}",
	"{\"MESSAGE\":\"m2\",\"_HOSTNAME\":\"app04\","
	    "\"__REALTIME_TIMESTAMP\":\"1766966410150114\","
	    "\"_HOSTNAME\":\"b\"}",
	"{\"MESSAGE\":\"m3\",\"_HOSTNAME\":\"app05\"}",
	"{\"MESSAGE\":\"m3\", \"_HOSTNAME\":\"app05\"}",
};

/* The document p through r and through a scanner of its own. */
static void
compare(struct lh_json_rawtime *r, const char *p, int variant)
{
	struct lh_json_rawtime *fresh = lh_json_rawtime_create();
	struct lh_tz tz;
	struct lh_parse_opts o = { .tz = &tz, .year = variant ? 2024 : 0 };
	struct lh_source src = { .path = "mem",
		.mtime = INT64_C(1767571200) * LH_US };
	struct lh_json_doc d = { .src = &src, .opts = &o };
	struct lh_err err;
	int64_t ta = 0, tb = 0, pa = 0, pb = 0;
	const char *ha = NULL, *hb = NULL;
	int fa = 0, fb = 0, ka, kb;
	size_t n = strlen(p), hla = 0, hlb = 0;

	cr_assert_not_null(fresh);
	lh_tz_utc(&tz);
	if (variant)
		cr_assert_eq(lh_tz_parse("+02:00", &tz, &err), LH_OK);
	ka = lh_json_rawtime(r, &d, p, n, &ta, &pa, &fa);
	kb = lh_json_rawtime(fresh, &d, p, n, &tb, &pb, &fb);
	cr_assert_eq(ka, kb, "known of %s", p);
	if (ka)
		cr_assert(ta == tb && pa == pb && fa == fb,
		    "%s: %lld %lld %d, whole %lld %lld %d", p, (long long)ta,
		    (long long)pa, fa, (long long)tb, (long long)pb, fb);
	ka = ka && lh_json_rawhost(r, &ha, &hla);
	kb = kb && lh_json_rawhost(fresh, &hb, &hlb);
	cr_assert_eq(ka, kb, "host known of %s", p);
	if (ka)
		cr_assert(hla == hlb && memcmp(ha, hb, hla) == 0,
		    "%s: host %.*s, whole %.*s", p, (int)hla, ha, (int)hlb, hb);
	lh_json_rawtime_free(fresh);
}

/* The comparisons with one scanner, as made (AVX2 or not) or portable. */
static void
same_as_whole_documents(int portable)
{
	struct lh_json_rawtime *r = lh_json_rawtime_create();
	size_t nd = sizeof(docs) / sizeof(docs[0]), i, j, k;
	int v;

	cr_assert_not_null(r);
	if (portable)
		lh_json_rawtime_portable(r);
	for (v = 0; v < 2; v++) {
		/*
		 * in order, backwards, and every pair both ways (in the
		 * other zone, a quarter of the pairs: each compare makes a
		 * fresh scanner, which costs under ASan)
		 */
		for (i = 0; i < nd; i++)
			compare(r, docs[i], v);
		for (i = nd; i-- > 0;)
			compare(r, docs[i], v);
		for (i = 0; i < nd; i++) {
			for (j = v ? i % 4 : 0; j < nd; j += v ? 4 : 1) {
				compare(r, docs[i], v);
				compare(r, docs[j], v);
				compare(r, docs[i], v);
			}
		}
		/* layouts taking turns, more of them than are kept */
		for (k = 2; k <= 7; k++)
			for (i = 0; i < 4 * nd; i++)
				compare(r, docs[(i % k) * 7 % nd], v);
	}
	lh_json_rawtime_free(r);
}

Test(rawtime_again, same_as_whole_documents)
{
	same_as_whole_documents(0);
}

Test(rawtime_again, same_as_whole_documents_portable)
{
	same_as_whole_documents(1);
}
