/*
 * kmsg.h: kernel messages, whichever source carried them (the kernel ring
 * buffer via dmesg, /var/log/kern.log, the journal).
 *
 * DESIGN
 * The same kernel event reaches evidence with or without the ring buffer's
 * stamp "[ 1234.567890] " in front of its text; lh_kmsg_stamp_len() lets
 * callers compare the text without it.  The two messages a responder reads
 * details out of:
 * - the segfault line of arch/x86/mm/fault.c show_signal_msg():
 *   "%s[%d]: segfault at %lx ip %px sp %px error %lx" [" in FILE[...]"].
 *   Every number is hexadecimal, the error code included: "error 14" is
 *   0x14, a user-mode instruction fetch from a page that is not present
 *   (arch/x86/include/asm/trap_pf.h);
 * - the exec-stack line of fs/exec.c, "process '%pD4' started with
 *   executable stack".
 * Pure functions over borrowed text: thread-safe, nothing allocated.
 */
#ifndef LH_KMSG_H
#define LH_KMSG_H

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

/*
 * Reads a ring-buffer stamp "[ 1234.567890]" at the start of s (n bytes):
 * seconds since boot.  Returns its length up to and with the ']', or 0 when
 * s does not start with one; then *us gets the time (µs since boot) and
 * *prec the unit of its last digit (µs).  Borrows s.
 */
size_t lh_kmsg_stamp(const char *s, size_t n, int64_t *us, int64_t *prec);

/*
 * The length of a leading stamp and the space after it in s (n bytes), 0
 * if there is none: s + the length is the message without it.  Borrows s.
 */
size_t lh_kmsg_stamp_len(const char *s, size_t n);

/*
 * Decodes a segfault message (len bytes, with or without a stamp).  LH_OK
 * when it is one (*out filled), LH_FAIL when it is not (*out cleared).
 * Borrows msg.
 */
int lh_kmsg_segfault(const char *msg, size_t len, struct lh_segv *out);

/*
 * Writes the meaning of an x86 page-fault error code into buf (n bytes,
 * always NUL-terminated, cut to fit).
 */
void lh_kmsg_pf_describe(unsigned long code, char *buf, size_t n);

/*
 * Copies the program path of an exec-stack message (len bytes) into path
 * (n > 0 bytes, NUL-terminated, cut to fit).  LH_OK when msg is one,
 * LH_FAIL when it is not (path untouched).  Borrows msg.
 */
int lh_kmsg_execstack(const char *msg, size_t len, char *path, size_t n);

#endif
