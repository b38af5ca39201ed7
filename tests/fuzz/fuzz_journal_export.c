/*
 * fuzz_journal_export.c: libFuzzer target for journal export (formats/journal_export.c),
 * through the format vtable over an in-memory stream (fuzz_mem.h).
 */
#include <stddef.h>
#include <stdint.h>

#include "tests/fuzz/fuzz_mem.h"

extern const struct lh_format lh_format_journal_export;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_format(&lh_format_journal_export, data, size);
	return 0;
}
