/*
 * json_doc.h: an event's fields as a nested, typed ECS JSON document.
 *
 * DESIGN
 * Events hold flat dotted names ("process.pid"), a multi-valued field as
 * the same name repeated (core/event.h).  Elasticsearch documents nest
 * objects, hold a multi-valued field as one array and keep numbers as
 * numbers, and strict JSON parsers keep one value of a repeated key: so
 * the writer groups the names by their dotted components into objects,
 * writes a repeated name once as an array (in the order of its values),
 * as it does a field ECS defines as an array even with one value
 * (lh_field_is_array: event.category, event.type, related.*, ...),
 * and writes a value of a long field (core/field.h) that is an integer as
 * a JSON number.  Other values are strings, as the pipelines leave them
 * (group.id and user.id are untyped grok captures in Elastic's documents,
 * so they stay strings).  A name that is both a value and the prefix of
 * others ("a" and "a.b") keeps the value under "a" and writes the others
 * with dotted keys ("a.b") beside it, so no key repeats.  Keys come in
 * byte order of their components, so the output depends only on content.
 */
#ifndef LH_JSON_DOC_H
#define LH_JSON_DOC_H

#include <stddef.h>

#include "core/buf.h"
#include "core/event.h"

/*
 * Appends the n fields at f (borrowed) to b as members of an open JSON
 * object, each preceded by ',' (the caller has written "{" and a first
 * member).  LH_OK or LH_FATAL (out of memory; b then holds a partial
 * document).  Thread-safe: each thread keeps the layouts of the last few
 * sequences of names it wrote (copies of the names, owned by the thread
 * and freed when it exits).
 */
int lh_json_doc_members(struct lh_buf *b, const struct lh_field *f,
    size_t n);

#endif
