/*
 * formats.h: the table of input formats (formats/registry.c).
 */
#ifndef LH_FORMATS_H
#define LH_FORMATS_H

#include "core/format.h"

/* Every format loghunt reads, NULL-terminated, in probe order. */
extern const struct lh_format *const lh_formats[];

#endif
