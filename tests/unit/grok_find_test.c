/*
 * grok_find_test.c: the literal search of formats/grok_match.c
 * (lh_grok_rare's byte ranks, lh_grok_find) against plain reference
 * loops.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "formats/grok.h"
#include "formats/grok_int.h"

/* The rank the search documents: 0 space .. 4 the rarest. */
static int
ref_rank(unsigned char c)
{
	if (c == ' ')
		return 0;
	if (c >= 'a' && c <= 'z')
		return strchr("etaoinsrhldcu", c) != NULL ? 1 : 2;
	if ((c >= '0' && c <= '9') || c == '.' || c == ':' || c == '/' ||
	    c == '-' || c == '_')
		return 2;
	return (c >= 'A' && c <= 'Z') ? 3 : 4;
}

/* The first byte of the highest rank. */
static size_t
ref_rare(const char *lit, size_t n)
{
	size_t i, best = 0;
	int rbest = -1;

	for (i = 0; i < n; i++) {
		if (ref_rank((unsigned char)lit[i]) > rbest) {
			rbest = ref_rank((unsigned char)lit[i]);
			best = i;
		}
	}
	return best;
}

static const char *
ref_find(const char *s, size_t n, const char *lit, size_t k)
{
	size_t i;

	for (i = 0; i + k <= n; i++) {
		if (memcmp(s + i, lit, k) == 0)
			return s + i;
	}
	return NULL;
}

Test(grok_find, rare_every_byte)
{
	char lit[3];
	int c;

	for (c = 0; c < 256; c++) {
		lit[0] = 'e';		/* rank 1 */
		lit[1] = (char)c;
		lit[2] = 'T';		/* rank 3 */
		cr_expect_eq(lh_grok_rare(lit, 3), ref_rare(lit, 3), "%d", c);
		cr_expect_eq(lh_grok_rare(lit + 1, 1), 0);
	}
}

Test(grok_find, rare_random)
{
	static const char alpha[] = " eaxqZ09._-:/\"=(\x80";
	char lit[12];
	size_t i, n;
	int t;

	srand(7);
	for (t = 0; t < 20000; t++) {
		n = 1 + (size_t)rand() % sizeof(lit);
		for (i = 0; i < n; i++)
			lit[i] = alpha[(size_t)rand() % (sizeof(alpha) - 1)];
		cr_assert_eq(lh_grok_rare(lit, n), ref_rare(lit, n),
		    "%.*s", (int)n, lit);
	}
}

Test(grok_find, literals)
{
	static const char *const lits[] = { "", "a", "pam_", "rhost=",
		"password changed for", "session ", "aab", "ba" };
	static const char alpha[] = "abp_ =";
	const char *l;
	char s[90];
	size_t i, k, n;
	int t;

	srand(11);
	for (k = 0; k < sizeof(lits) / sizeof(lits[0]); k++) {
		l = lits[k];
		for (t = 0; t < 3000; t++) {
			n = (size_t)rand() % sizeof(s);
			for (i = 0; i < n; i++)
				s[i] = alpha[(size_t)rand() %
				    (sizeof(alpha) - 1)];
			if (n > strlen(l) && t % 3 == 0)	/* plant it */
				memcpy(s + (size_t)rand() %
				    (n - strlen(l) + 1), l, strlen(l));
			cr_assert_eq(lh_grok_find(s, n, l, strlen(l)),
			    ref_find(s, n, l, strlen(l)));
		}
	}
}
