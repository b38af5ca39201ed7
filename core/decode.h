/*
 * decode.h: the details a responder reads out of the two kernel messages.
 *
 * The segfault line is printed by arch/x86/mm/fault.c show_signal_msg():
 *   "%s[%d]: segfault at %lx ip %px sp %px error %lx" [" in FILE[...]"]
 * Every number is hexadecimal, the error code included: "error 14" is
 * 0x14, a user-mode instruction fetch from a page that is not present
 * (arch/x86/include/asm/trap_pf.h).  The exec-stack line is fs/exec.c's
 * "process '%pD4' started with executable stack".
 */
#ifndef LH_DECODE_H
#define LH_DECODE_H

#include <stddef.h>
#include <stdint.h>

struct lh_segv {
	char comm[64];		/* the crashed command (up to 15 bytes) */
	long pid;
	uint64_t addr, ip, sp;
	unsigned long error;	/* the page-fault error code */
	char error_text[160];	/* "user-mode instruction fetch, page not present" */
	char mapped[256];	/* the mapped file, "" if none */
};

/* Decodes a segfault message (len bytes).  1 when it is one, else 0. */
int lh_decode_segfault(const char *msg, size_t len, struct lh_segv *out);

/* Writes the meaning of an x86 page-fault error code into buf. */
void lh_pf_describe(unsigned long code, char *buf, size_t n);

/*
 * Copies the program path of an exec-stack message into path (n bytes).
 * 1 when msg is one, else 0.
 */
int lh_decode_execstack(const char *msg, size_t len, char *path, size_t n);

#endif
