/*
 * fuzz_json.c: libFuzzer target for journal JSON and ECS/Filebeat JSON documents (formats/json.c),
 * through the format vtable over an in-memory stream (fuzz_mem.h).
 */
#include <stddef.h>
#include <stdint.h>

#include "tests/fuzz/fuzz_mem.h"

extern const struct lh_format lh_format_json;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_format(&lh_format_json, data, size);
	return 0;
}
