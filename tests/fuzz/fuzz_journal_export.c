/*
 * fuzz_journal_export.c: libFuzzer target for journal export
 * (formats/journal_export.c), through the format vtable over an in-memory
 * stream (fuzz_mem.h), then the input repeated as the context pass reads
 * it, against the full parse (fuzz_plan.h).
 */
#include <stddef.h>
#include <stdint.h>

#include "tests/fuzz/fuzz_mem.h"
#include "tests/fuzz/fuzz_plan.h"

extern const struct lh_format lh_format_journal_export;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_format(&lh_format_journal_export, data, size);
	fuzz_planned(&lh_format_journal_export, data, size);
	return 0;
}
