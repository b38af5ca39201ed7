/*
 * grok_int.h: the compiled form of a grok, shared by the stages of
 * formats/grok_*.c; not for other modules (formats/grok.h is the API).
 *
 * DESIGN
 * lh_grok_create() runs two stages: grok_expand.c turns the grok patterns
 * into one regex text as Grok.toRegex() does, and grok_compile.c compiles
 * that text straight to code for a backtracking machine in the style of
 * Thompson/Pike's instruction sets: CHAR, SET (a byte bitmap), CLS (\s \w
 * ...), ANY, the assertions, SPLIT (try x, on failure y), JMP, SAVE
 * (capture slot), and SUB for the constructs that run a sub-program to
 * its first end (atomic groups, possessive quantifiers, lookaround).
 * Jumps are relative, so a piece of code can be moved or copied as it is:
 * that is how alternation and {m,n} are built in one pass.  grok_match.c
 * runs the code.
 *
 * O_LAZYANY is the SPLIT of a lazy ".*?" whose continuation must begin
 * with the ASCII byte arg (as in "%{DATA} from"): it behaves as that SPLIT
 * would, but first skips the positions where the continuation cannot
 * start, up to the next arg, newline or end, in one memchr-like scan.
 *
 * Named captures may not occur inside a SUB (no built-in pattern needs it),
 * so a SUB discards the backtrack entries of its body wholesale.
 *
 * The program is never written after lh_grok_create(), so any number of
 * threads may run it at once.
 */
#ifndef LH_GROK_INT_H
#define LH_GROK_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "formats/grok.h"

enum op {
	O_CHAR, O_ANY, O_SET, O_CLS, O_BOL, O_EOL, O_WB, O_NWB,
	O_SPLIT, O_JMP, O_SAVE, O_SUB, O_END, O_MATCH, O_MARK,
	O_LAZYANY
};

enum cls { C_SPACE, C_NSPACE, C_WORD, C_NWORD, C_DIGIT, C_NDIGIT };
enum sub { S_ATOM, S_AHEAD, S_NAHEAD, S_BEHIND, S_NBEHIND };

struct ins {
	unsigned char op;
	unsigned char arg;	/* CHAR byte, CLS class, SUB kind, MARK k */
	int32_t x, y;		/* relative targets; SET index; SAVE slot */
};

struct capdef {
	char *field;		/* owned */
	enum lh_grok_type type;
	int first;		/* the lowest capture with the same field */
};

#define MAXLIT 8		/* required literals kept per pattern */

/*
 * One pattern of the list, run on its own (see lh_grok_match): its entry
 * in the program, where a match of it can start, and the literals any
 * match of it contains, in order.  A pattern is tried at a position only
 * if its literals occur and the position passes the start filter, so only
 * a pattern that cannot match there is ever skipped.
 */
struct alt {
	size_t pc;		/* its O_MARK */
	int linestart;		/* begins with ^: at line starts only */
	char pre[32];		/* the literal every match begins with */
	size_t npre;
	size_t prerare;		/* lh_grok_rare() of pre */
	int anyfirst;		/* 1: first[] and bolfirst do not apply */
	int bolfirst;		/* a match may start at any line start */
	unsigned char first[32];	/* bytes a match may start with */
	char *lit[MAXLIT];	/* owned; required literals in order */
	size_t litlen[MAXLIT];
	size_t litrare[MAXLIT];	/* the index of a rare byte of each */
	int nlit;
};

struct lh_grok {
	struct ins *code;
	size_t n, cap;
	unsigned char (*sets)[32];
	size_t nset, setcap;
	struct capdef caps[LH_GROK_MAXCAP];
	int ncap;
	struct alt *alts;	/* one per pattern, in list order */
	size_t nalt;
};

/*
 * Expands the n grok patterns with defs and the built-in bank into one
 * regex, appended to out: "(?%1)(?:p1)|(?%2)(?:p2)|...", where (?%k) marks
 * which pattern a match took and each %{NAME:field:type} becomes
 * "(?<k>...)" with capture k recorded in g->caps (owned by g from then
 * on, even on failure).  Borrows its arguments; out stays the caller's.
 * Returns LH_OK; LH_FAIL with err filled for an unknown pattern, a missing
 * "}", too many captures or too deep or big an expansion; LH_FATAL when out
 * of memory (err may then be left unset).
 */
int lh_grok_expand(struct lh_grok *g, const char *const *patterns, size_t n,
    const struct lh_grok_def *defs, struct lh_buf *out, struct lh_err *err);

/*
 * Records in a the literals that every match of the grok pattern pat
 * contains outside its %{...}, groups and classes, in order (at most
 * MAXLIT; none if pat has a top-level "|").  LH_OK or LH_FATAL.
 */
int lh_grok_literals(struct alt *a, const char *pat);

/*
 * The index of the byte of lit (n > 0 bytes) a search should look for
 * first: the least common in log text by a rough rank, the first of equal
 * rank.  Borrows lit.
 */
size_t lh_grok_rare(const char *lit, size_t n);

#endif
