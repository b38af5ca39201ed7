/*
 * auth_message.h: the system integration's auth pipeline (Elastic
 * integrations packages/system/data_stream/auth/elasticsearch/
 * ingest_pipeline/message.yml) for the syslog, journal and JSON formats;
 * log.yml's header grok is the auth variant of formats/syslog_header.c.
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

#endif
