/*
 * schema.h: the Elasticsearch field type of an ECS field name.
 *
 * Offline evidence has no index mapping, so loghunt uses the types ECS and
 * the system integration give these fields (reference: ECS schemas and
 * packages/system/data_stream/syslog/fields): message and error.message
 * are (match_only_)text, so is every "*.text" multi-field; @timestamp and
 * a few event.* fields are dates; pids, ports, offsets and similar are
 * longs; everything else is keyword.
 */
#ifndef LH_SCHEMA_H
#define LH_SCHEMA_H

enum lh_ftype {
	LH_T_KEYWORD = 0,	/* exact, case-sensitive */
	LH_T_TEXT,		/* standard analyzer */
	LH_T_LONG,		/* integer */
	LH_T_DATE		/* date */
};

/* The type of the field named name (NUL-terminated). */
enum lh_ftype lh_schema_type(const char *name);

#endif
