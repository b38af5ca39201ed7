/*
 * auth_message.h: the system integration's auth pipeline (Elastic
 * integrations packages/system/data_stream/auth/elasticsearch/
 * ingest_pipeline/message.yml, and the header grok of log.yml) for the
 * syslog, journal and JSON formats.
 *
 * DESIGN
 * message.yml is shared by Elastic's log-file and journald paths: it gets
 * an event whose message is the syslog body and adds event.category/type/
 * action/outcome/kind, user.*, group.*, source.*, related.*, service.name
 * and system.auth.* exactly as the processors do, in their order.  Left
 * out: geoip/ASN (no database ships), ecs.version, the date processors
 * (the caller has set the time) and the syslog5424_sd kv processors.
 *
 * Values added are copies in the event's arena or spans of the event's own
 * message, so they live as long as the event.  Numbers (source.port) are
 * written as canonical decimal text; their type comes from core/schema.h.
 * The compiled patterns are shared, immutable and built once on first use
 * (pthread_once): every function here is thread-safe.
 */
#ifndef LH_AUTH_MESSAGE_H
#define LH_AUTH_MESSAGE_H

#include <stddef.h>
#include <stdint.h>

#include "core/event.h"

/*
 * Runs message.yml on ev, which holds message (the body, header removed)
 * and possibly process.name, process.pid, host.hostname and
 * log.syslog.appname.  Rewrites and adds fields as the pipeline would.
 * Returns LH_OK (also when no pattern applied), or LH_FATAL when out of
 * memory (ev then holds a partial result).
 */
int lh_auth_message(struct lh_event *ev);

/* The header fields log.yml's grok finds; spans point into the line. */
struct lh_auth_header {
	int pattern;		/* 1, 2 or 3: which header pattern matched */
	const char *ts;		/* system.auth.timestamp text, or NULL ("-") */
	size_t ts_len;
	const char *host;	/* host.hostname, or NULL when absent/empty */
	size_t host_len;
	const char *proc;	/* process.name, or NULL */
	size_t proc_len;
	int64_t pid;		/* process.pid when has_pid */
	int has_pid;
	int64_t priority;	/* log.syslog.priority, or -1 */
	const char *version;	/* system.auth.syslog.version, or NULL */
	size_t version_len;
	const char *code;	/* event.code (RFC 5424 MSGID), or NULL */
	size_t code_len;
	const char *sd;		/* syslog5424_sd, or NULL */
	size_t sd_len;
	const char *body;	/* the message: after ":" and its padding */
	size_t body_len;
};

/*
 * Applies the three header patterns of log.yml to line (n bytes, need not
 * be NUL-terminated): RFC 5424 with <PRI>, then "TIMESTAMP HOST? TAG:",
 * then "<PRI>VERSION? TIMESTAMP HOST? TAG:".  Fills h with spans into line
 * (valid as long as line) and does no time conversion.  Returns LH_OK,
 * LH_EOF when no pattern fits (Elastic then keeps the raw line), LH_WARN
 * when the match was abandoned (step budget, or a pid/priority Java would
 * not parse), LH_FATAL when out of memory.
 */
int lh_auth_header(const char *line, size_t n, struct lh_auth_header *h);

#endif
