/*
 * num.c: strict decimal integers (see num.h).
 */
#include "core/num.h"
#include "core/status.h"

int
lh_num_hexdigit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
lh_num_parse(const char *s, size_t n, int64_t lo, int64_t hi, int64_t *out)
{
	size_t i = 0, d0;
	int neg = 0;
	uint64_t u = 0;
	int64_t v;

	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	for (d0 = i; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		if (u > (UINT64_MAX - 9) / 10)
			return LH_FAIL;
		u = u * 10 + (uint64_t)(s[i] - '0');
	}
	if (i == d0 || i != n || u > (uint64_t)INT64_MAX + (uint64_t)neg)
		return LH_FAIL;
	v = neg ? (int64_t)(0 - u) : (int64_t)u;
	if (v < lo || v > hi)
		return LH_FAIL;
	*out = v;
	return LH_OK;
}
