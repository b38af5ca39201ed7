/*
 * kmsg_test.c: kernel messages: the ring-buffer stamp, and the details of
 * the segfault and exec-stack messages with their LH_OK / LH_FAIL results.
 */
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "core/kmsg.h"
#include "core/status.h"

Test(kmsg, stamp_len)
{
	cr_expect_eq(lh_kmsg_stamp_len("[ 1234.567890] x", 16), 15);
	cr_expect_eq(lh_kmsg_stamp_len("[1.000001] x", 12), 11);
	cr_expect_eq(lh_kmsg_stamp_len("[1.000001] x", 10), 0);
	cr_expect_eq(lh_kmsg_stamp_len("[1.000001]x", 11), 0);
	cr_expect_eq(lh_kmsg_stamp_len("[ 12] x", 7), 0);
	cr_expect_eq(lh_kmsg_stamp_len("", 0), 0);
	cr_expect_eq(lh_kmsg_stamp_len("kernel: [1.0] x", 15), 0);
}

Test(kmsg, stamp_time)
{
	int64_t us = 0, prec = 0;

	cr_assert_eq(lh_kmsg_stamp("[ 12.5] x", 9, &us, &prec), 7);
	cr_expect_eq(us, 12500000);
	cr_expect_eq(prec, 100000);
	cr_assert_eq(lh_kmsg_stamp("[1.12345678]", 12, &us, &prec), 12);
	cr_expect_eq(us, 1123456);
	cr_expect_eq(prec, 1);
}

Test(kmsg, segfault)
{
	static const char m[] = "[ 8123.456789] systemd-logind[812]: segfault "
	    "at 0 ip 00007f1234567890 sp 00007ffd12345678 error 14 in "
	    "libc.so.6[7f1228000,7f1200000+195000]";
	struct lh_segv sv;

	cr_assert_eq(lh_kmsg_segfault(m, strlen(m), &sv), LH_OK);
	cr_expect_str_eq(sv.comm, "systemd-logind");
	cr_expect_eq(sv.pid, 812);
	cr_expect_eq(sv.ip, UINT64_C(0x00007f1234567890));
	cr_expect_eq(sv.error, 0x14);
	cr_expect_str_eq(sv.mapped, "libc.so.6");
	cr_expect_str_eq(sv.error_text,
	    "user-mode instruction fetch, page not present");
}

/* The first copy of " segfault at " counts; one at the very end fails. */
Test(kmsg, segfault_first_copy)
{
	static const char m[] = "a[1]: segfault  segfault at 0 ip 1 sp 2 "
	    "error 4 b[2]: segfault at 0 ip 1 sp 2 error 4";
	static const char two[] = "b[2]: segfault at 8 ip 1 sp 2 error 4 "
	    "a[1]: segfault at 0 ip 1 sp 2 error 4";
	struct lh_segv sv;

	cr_expect_eq(lh_kmsg_segfault(m, strlen(m), &sv), LH_FAIL);
	cr_assert_eq(lh_kmsg_segfault(two, strlen(two), &sv), LH_OK);
	cr_expect_str_eq(sv.comm, "b");
	cr_expect_eq(sv.addr, 8);
	cr_expect_eq(lh_kmsg_segfault(two, 18, &sv), LH_FAIL);
	cr_expect_eq(lh_kmsg_segfault(two, 17, &sv), LH_FAIL);
}

Test(kmsg, not_segfault)
{
	static const char *const bad[] = {
		"sshd[12]: Accepted password for root",
		"sshd[]: segfault at 0 ip 1 sp 2 error 4",
		"sshd[99999999999999999999]: segfault at 0 ip 1 sp 2 error 4",
		"sshd[12]: segfault at 0 ip 1 sp 2",
		"[12]: segfault at zz ip 1 sp 2 error 4",
	};
	struct lh_segv sv;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&sv, 'x', sizeof(sv));
		cr_expect_eq(lh_kmsg_segfault(bad[i], strlen(bad[i]), &sv),
		    LH_FAIL, "%s", bad[i]);
		cr_expect_eq(sv.comm[0], '\0', "%s", bad[i]);
	}
}

Test(kmsg, execstack)
{
	static const char m[] = "process '/tmp/x' started with executable "
	    "stack";
	char path[8];

	cr_assert_eq(lh_kmsg_execstack(m, strlen(m), path, sizeof(path)),
	    LH_OK);
	cr_expect_str_eq(path, "/tmp/x");
	cr_expect_eq(lh_kmsg_execstack(m, 20, path, sizeof(path)), LH_FAIL);
	cr_expect_eq(lh_kmsg_execstack("x", 1, path, sizeof(path)), LH_FAIL);
}
