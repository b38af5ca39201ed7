/*
 * journald_map.h: a systemd journal entry as an ECS event, the field map
 * shared by the three journal formats.
 *
 * DESIGN
 * The three journal formats (export, JSON, native files) all produce the
 * same event: every journal field is kept under its own name ("MESSAGE",
 * "_HOSTNAME", "_SYSTEMD_UNIT", ...) so KQL can ask for any of them, and
 * lh_journald_map_finish() then adds the ECS fields Elastic's journald
 * input and the system module pipeline derive (elastic/beats filebeat/
 * input/journald/pkg/journalfield/default.go; module pipeline
 * journald.yml):
 *   MESSAGE -> message, _HOSTNAME -> host.hostname, _PID -> process.pid,
 *   _COMM -> process.name, __REALTIME_TIMESTAMP (µs) -> @timestamp,
 *   SYSLOG_IDENTIFIER -> log.syslog.appname, PRIORITY -> log.syslog.priority,
 *   SYSLOG_FACILITY -> log.syslog.facility.code, _TRANSPORT ->
 *   systemd.transport, _SYSTEMD_UNIT -> systemd.unit, _BOOT_ID ->
 *   journald.host.boot_id,
 * plus the logs-system.syslog-* constants (event.dataset, data_stream.
 * dataset, event.module, host.os.type).
 * Deliberate departure (SPEC §3): a kernel entry (_TRANSPORT=kernel) has no
 * _COMM, so Elastic leaves process.name empty and neither built-in rule can
 * fire; loghunt sets process.name from SYSLOG_IDENTIFIER ("kernel"), as
 * rsyslog writes such entries into /var/log/syslog.
 */
#ifndef LH_JOURNALD_MAP_H
#define LH_JOURNALD_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/event.h"

/*
 * Adds the journal field key=val (klen, vlen bytes) to ev, copying both into
 * the event's arena (borrows key and val).  Field names that are not valid
 * journal names are refused with LH_WARN (nothing added).  LH_OK, LH_WARN
 * or LH_FATAL (out of memory).
 */
int lh_journald_map_field(struct lh_event *ev, const char *key, size_t klen,
    const char *val, size_t vlen);

/*
 * Derives the ECS fields and ev->ts from the journal fields already in ev
 * (see DESIGN).  LH_OK, LH_WARN when the entry has no usable
 * __REALTIME_TIMESTAMP (the event is still complete, without a time), or
 * LH_FATAL.
 */
int lh_journald_map_finish(struct lh_event *ev, int lazy_auth);

/*
 * The decimal microseconds of a journal timestamp field's value (n bytes at
 * v, borrowed) as lh_journald_map_finish() reads them: digits only (no
 * sign), at most 19 of them, within int64_t.  LH_OK with *us, else LH_WARN.
 * For a format that reads an entry's time without building its event.
 */
int lh_journald_map_usec(const char *v, size_t n, int64_t *us);

/* 1 when name (n bytes, borrowed) is a valid journal field name, else 0. */
int lh_journald_map_valid_name(const char *name, size_t n);

/*
 * The syslog data stream's categorisation of systemd unit lifecycle lines
 * (integration syslog journald.yml and log.yml, 2.23.0): process.name
 * "systemd" with a message "Started ..." or "Stopped ..." (not "Stopped
 * target ...") gets event.category process, event.type start or end and
 * event.action service-start or service-stop.  Borrows ev; LH_OK or
 * LH_FATAL (out of memory).
 */
int lh_journald_map_lifecycle(struct lh_event *ev);

#endif
