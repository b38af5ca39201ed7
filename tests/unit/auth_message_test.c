/*
 * auth_message_test.c: the system.auth pipeline (formats/auth_message.c,
 * formats/auth_script.c, formats/grok_*.c): one test per grok pattern and
 * per script branch of message.yml, on real lines from OpenSSH, sudo,
 * shadow-utils and PAM (reference/external: beats-2019 auth test logs,
 * loghub OpenSSH), checked against Elastic's expected documents where
 * they exist (today's pipeline wins where it differs), plus hostile
 * input.  log.yml's header grok is tested with the syslog header
 * (syslog_header_test.c: the auth variant).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>

#include "core/event.h"
#include "core/status.h"
#include "formats/auth_message.h"
#include "formats/auth_priv.h"
#include "formats/grok.h"

static struct lh_event ev;
static char vbuf[4096];

static void
setup(void)
{
	lh_event_init(&ev);
}

static void
teardown(void)
{
	lh_event_free(&ev);
}

TestSuite(auth, .init = setup, .fini = teardown);

/* Runs the pipeline on message msg of process proc on host precise32. */
static void
run(const char *proc, const char *msg)
{
	lh_event_reset(&ev);
	cr_assert_eq(lh_event_adds(&ev, LH_F_MESSAGE, msg), LH_OK);
	cr_assert_eq(lh_event_adds(&ev, LH_F_HOSTNAME, "precise32"), LH_OK);
	if (proc != NULL)
		cr_assert_eq(lh_event_adds(&ev, LH_F_PROC_NAME, proc), LH_OK);
	cr_assert_eq(lh_auth_message(&ev), LH_OK);
}

/* The values of name joined with ",", or "(none)". */
static const char *
val(const char *name)
{
	size_t i, n = 0;

	vbuf[0] = '\0';
	for (i = 0; i < ev.nfield; i++) {
		if (strcmp(ev.fields[i].name, name) != 0)
			continue;
		n += (size_t)snprintf(vbuf + n, sizeof(vbuf) - n, "%s%.*s",
		    n ? "," : "", (int)ev.fields[i].len, ev.fields[i].val);
		if (n >= sizeof(vbuf))
			break;
	}
	return n ? vbuf : "(none)";
}

#define EXPECT(name, want) cr_expect_str_eq(val(name), want, "%s", name)

/* ---- grok-specific-messages ----------------------------------------------- */

Test(auth, ssh_accepted_publickey)	/* test.log line 1 */
{
	run("sshd", "Accepted publickey for vagrant from 10.0.2.2 port 63673 "
	    "ssh2: RSA 39:33:99:e9:a0:dc:f2:33:a3:e5:72:3b:7c:3a:56:84");
	EXPECT("system.auth.ssh.event", "Accepted");
	EXPECT("system.auth.ssh.method", "publickey");
	EXPECT("system.auth.ssh.signature",
	    "RSA 39:33:99:e9:a0:dc:f2:33:a3:e5:72:3b:7c:3a:56:84");
	EXPECT("user.name", "vagrant");
	EXPECT("source.address", "10.0.2.2");
	EXPECT("source.ip", "10.0.2.2");
	EXPECT("source.port", "63673");
	EXPECT("event.category", "authentication,session");
	EXPECT("event.type", "info");
	EXPECT("event.action", "ssh_login");
	EXPECT("event.outcome", "success");
	EXPECT("event.kind", "event");
	EXPECT("related.user", "vagrant");
	EXPECT("related.ip", "10.0.2.2");
	EXPECT("related.hosts", "precise32");
}

Test(auth, ssh_failed_invalid_user)	/* loghub OpenSSH */
{
	run("sshd", "Failed password for invalid user webmaster from "
	    "173.234.31.186 port 38926 ssh2");
	EXPECT("system.auth.ssh.event", "Failed");
	EXPECT("system.auth.ssh.method", "password");
	/*
	 * "for (invalid user)?%{DATA:user.name} from": the group takes
	 * "invalid user", so the lazy DATA keeps the space after it.
	 */
	EXPECT("user.name", " webmaster");
	EXPECT("source.ip", "173.234.31.186");
	EXPECT("source.port", "38926");
	EXPECT("event.category", "authentication");
	EXPECT("event.outcome", "failure");
	EXPECT("system.auth.ssh.signature", "(none)");
}

Test(auth, ssh_invalid_user_pattern2)	/* test.log line 3 */
{
	run("sshd", "Invalid user test from 10.0.2.2");
	EXPECT("system.auth.ssh.event", "Invalid");
	EXPECT("user.name", "test");
	EXPECT("source.ip", "10.0.2.2");
	EXPECT("source.port", "(none)");
	EXPECT("event.outcome", "failure");
	EXPECT("event.action", "ssh_login");
}

Test(auth, ssh_ipv6_and_hostname_source)
{
	run("sshd", "Accepted password for root from fe80::1 port 22 ssh2");
	EXPECT("source.ip", "fe80::1");
	EXPECT("source.domain", "(none)");
	run("sshd", "Invalid user x from host.example.com");
	EXPECT("source.address", "host.example.com");
	EXPECT("source.ip", "(none)");
	EXPECT("source.domain", "host.example.com");
	EXPECT("related.ip", "(none)");
}

Test(auth, ssh_dropped_ip_pattern3)	/* test.log line 6 */
{
	run("sshd", "Did not receive identification string from 123.57.245.163");
	EXPECT("system.auth.ssh.dropped_ip", "123.57.245.163");
	EXPECT("source.ip", "123.57.245.163");
	EXPECT("event.action", "(none)");
	run("sshd", "Did not receive identification string from example.org");
	EXPECT("system.auth.ssh.dropped_ip", "(none)");
	EXPECT("source.ip", "(none)");
}

Test(auth, sudo_pattern4)	/* test.log line 5 */
{
	run("sudo", "vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; "
	    "COMMAND=/bin/ls");
	EXPECT("user.name", "vagrant");
	EXPECT("system.auth.sudo.tty", "pts/0");
	EXPECT("system.auth.sudo.pwd", "/home/vagrant");
	EXPECT("system.auth.sudo.user", "root");
	EXPECT("system.auth.sudo.command", "/bin/ls");
	EXPECT("system.auth.sudo.error", "(none)");
	EXPECT("user.effective.name", "root");
	EXPECT("event.category", "process");
	EXPECT("event.type", "start");
	EXPECT("related.user", "vagrant,root");
}

Test(auth, sudo_error)	/* test.log line 8 */
{
	run("sudo", "    tsg : user NOT in sudoers ; TTY=pts/1 ; "
	    "PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls");
	EXPECT("user.name", "tsg");
	EXPECT("system.auth.sudo.error", "user NOT in sudoers");
	EXPECT("system.auth.sudo.tty", "pts/1");
}

Test(auth, sudo_no_tty_systemctl_restart)
{
	run("sudo", "root : PWD=/ ; USER=root ; COMMAND=/usr/bin/systemctl "
	    "restart nginx.service");
	EXPECT("system.auth.sudo.tty", "(none)");
	EXPECT("system.auth.sudo.command",
	    "/usr/bin/systemctl restart nginx.service");
	EXPECT("service.name", "nginx");
	EXPECT("event.action", "service-restart");
	EXPECT("event.type", "change");
	EXPECT("event.category", "process");
}

Test(auth, sudo_systemctl_start_stop_other)
{
	run("sudo", "a : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=systemctl "
	    "--now  start  /etc/x/foo.service");
	EXPECT("service.name", "foo");
	EXPECT("event.type", "start");
	EXPECT("event.action", "service-start");
	run("sudo", "a : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/"
	    "systemctl stop sshd");
	EXPECT("event.type", "end");
	EXPECT("event.action", "service-stop");
	run("sudo", "a : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/"
	    "systemctl status sshd");
	EXPECT("event.action", "(none)");
	EXPECT("event.type", "start");
	run("sudo", "a : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/"
	    "mysystemctl stop sshd");
	EXPECT("service.name", "(none)");
}

Test(auth, groupadd_new_group_pattern5)	/* secure-rhel7.log */
{
	run("groupadd", "new group: name=apache, GID=48");
	EXPECT("group.name", "apache");
	EXPECT("group.id", "48");
	EXPECT("event.category", "iam");
	EXPECT("event.type", "group,creation");
	EXPECT("event.outcome", "success");
	EXPECT("event.action", "group-created");
}

Test(auth, useradd_new_user_pattern6)	/* secure-rhel7.log */
{
	run("useradd", "new user: name=apache, UID=48, GID=48, "
	    "home=/usr/share/httpd, shell=/sbin/nologin");
	EXPECT("user.target.name", "apache");
	EXPECT("user.target.id", "48");
	EXPECT("user.name", "apache");
	EXPECT("user.id", "48");
	EXPECT("group.id", "48");
	EXPECT("system.auth.useradd.home", "/usr/share/httpd");
	EXPECT("system.auth.useradd.shell", "/sbin/nologin");
	EXPECT("event.type", "user,creation");
	EXPECT("event.action", "user-created");
	EXPECT("related.user", "apache");
}

Test(auth, group_added_pattern7)	/* auth-ubuntu1204.log */
{
	run("groupadd", "group added to /etc/group: name=tsg, GID=1003");
	EXPECT("group.name", "tsg");
	EXPECT("group.id", "1003");
	EXPECT("event.action", "group-created");
	run("groupadd", "group added to /etc/gshadow: name=tsg");
	EXPECT("group.name", "tsg");
	EXPECT("group.id", "(none)");
}

Test(auth, group_removed_pattern8)
{
	run("groupdel", "group 'tsg' removed from /etc/group");
	EXPECT("group.name", "tsg");
	EXPECT("event.type", "group,deletion");
	EXPECT("event.action", "group-deleted");
	run("groupdel", "group 'tsg' removed");
	EXPECT("group.name", "tsg");
}

/* ---- PAM ------------------------------------------------------------------- */

Test(auth, pam_session_opened_by)	/* auth-ubuntu1204.log */
{
	run("sudo", "pam_unix(sudo:session): session opened for user root by "
	    "vagrant(uid=1000)");
	EXPECT("user.name", "vagrant");
	EXPECT("user.id", "1000");
	EXPECT("user.effective.name", "root");
	EXPECT("event.category", "session");
	EXPECT("event.action", "logged-on");
	EXPECT("related.user", "vagrant,root");
}

Test(auth, pam_session_closed_for)
{
	run("sudo", "pam_unix(sudo:session): session closed for user root");
	EXPECT("user.name", "root");
	EXPECT("user.effective.name", "(none)");
	EXPECT("event.action", "logged-off");
	EXPECT("event.category", "session");
}

Test(auth, pam_by_user_and_quoted_user)
{
	run("sshd", "subsystem request for sftp by user vagrant");
	EXPECT("user.name", "vagrant");
	run("sshd", "pam_unix(sshd:auth): check pass; user 'bob' unknown");
	EXPECT("user.name", "bob");
	EXPECT("event.category", "authentication");
	EXPECT("event.outcome", "success");
}

/* The patterns form one alternation: the leftmost match wins. */
Test(auth, pam_users_leftmost_alternative)
{
	run(NULL, "x user 'a' for user b");
	EXPECT("user.name", "a");
	EXPECT("user.effective.name", "(none)");
}

Test(auth, pam_auth_failure_rhost)	/* loghub OpenSSH */
{
	run("sshd", "pam_unix(sshd:auth): authentication failure; logname= "
	    "uid=0 euid=0 tty=ssh ruser= rhost=173.234.31.186  user=root");
	EXPECT("source.address", "173.234.31.186");
	EXPECT("source.ip", "173.234.31.186");
	EXPECT("user.name", "root");
	EXPECT("event.category", "authentication");
	EXPECT("event.outcome", "failure");
	EXPECT("event.action", "authentication_failure");
	EXPECT("event.type", "info");
	run("sshd", "pam_unix(sshd:auth): authentication failure; logname= "
	    "uid=0 euid=0 tty=ssh ruser= rhost=ec2-52-80-34-196.cn-north-1."
	    "compute.amazonaws.com.cn ");
	EXPECT("source.domain",
	    "ec2-52-80-34-196.cn-north-1.compute.amazonaws.com.cn");
	EXPECT("user.name", "(none)");
	run("sshd", "pam_unix(sshd:auth): authentication failure; logname= "
	    "uid=0 euid=0 tty=ssh ruser= rhost=  user=root");
	EXPECT("user.name", "root");
	EXPECT("source.address", "(none)");
}

Test(auth, pam_chauthtok_password_changed)	/* auth-ubuntu1204.log */
{
	run("passwd", "pam_unix(passwd:chauthtok): password changed for tsg");
	EXPECT("user.name", "tsg");
	EXPECT("user.target.name", "tsg");
	EXPECT("event.category", "iam");
	EXPECT("event.type", "change");
	EXPECT("event.outcome", "success");
	EXPECT("event.action", "password-changed");
	run("passwd", "pam_unix(passwd:chauthtok): authentication token "
	    "manipulation error");
	EXPECT("event.outcome", "failure");
}

Test(auth, pam_faillock)
{
	run("sshd", "pam_faillock(sshd:auth): Consecutive login failures for "
	    "user root account temporarily locked");
	EXPECT("user.name", "root");
	EXPECT("event.category", "authentication");
	EXPECT("event.outcome", "failure");
	EXPECT("event.action", "account-locked");
	EXPECT("event.type", "info");
}

Test(auth, unix_chkpwd)
{
	run("unix_chkpwd", "password check failed for user (root)");
	EXPECT("user.name", "root");
	EXPECT("event.category", "authentication");
	EXPECT("event.outcome", "failure");
	EXPECT("event.action", "authentication_failure");
	EXPECT("event.type", "info");
}

/* ---- shadow-utils ------------------------------------------------------------ */

Test(auth, gpasswd_added)
{
	run("gpasswd", "user alice added by root to group docker");
	EXPECT("user.target.name", "alice");
	EXPECT("user.name", "root");
	EXPECT("group.name", "docker");
	EXPECT("event.category", "iam");
	EXPECT("event.type", "change");
	EXPECT("event.outcome", "success");
	EXPECT("event.action", "group-user-added");
	EXPECT("related.user", "root,alice");
	run("gpasswd", "user alice removed by root from group docker");
	EXPECT("event.action", "group-user-removed");
}

Test(auth, usermod_group_and_user)
{
	run("usermod", "add 'alice' to group 'docker'");
	EXPECT("user.target.name", "alice");
	EXPECT("user.name", "alice");
	EXPECT("group.name", "docker");
	EXPECT("event.action", "group-member-added");
	EXPECT("event.category", "iam");
	EXPECT("event.type", "user,change");
	EXPECT("event.outcome", "success");
	run("usermod", "add 'alice' to shadow group 'docker'");
	EXPECT("group.name", "docker");
	run("usermod", "change user 'alice' password");
	EXPECT("user.target.name", "alice");
	EXPECT("event.action", "(none)");
}

Test(auth, userdel_three_patterns)
{
	run("userdel", "delete 'alice' from group 'docker'");
	EXPECT("user.target.name", "alice");
	EXPECT("user.name", "(none)");
	EXPECT("group.name", "docker");
	EXPECT("event.action", "group-member-removed");
	run("userdel", "delete user 'alice'");
	EXPECT("user.name", "alice");
	EXPECT("event.action", "user-deleted");
	EXPECT("event.type", "user,deletion");
	run("userdel", "removed group 'alice' owned by 'alice'");
	EXPECT("group.name", "alice");
	EXPECT("user.target.name", "alice");
	EXPECT("event.action", "group-deleted");
}

/*
 * The conditions' contains() at every offset of the message, with the
 * bytes needles begin with all around (the scan goes 16 bytes a step),
 * and a needle cut short, which must not count.
 */
Test(auth, needles_at_every_offset)
{
	static const struct {
		const char *needle, *field, *want;
	} c[] = {
		{ "session opened", "event.action", "logged-on" },
		{ "session closed", "event.action", "logged-off" },
		{ "authentication failure", "event.action",
		    "authentication_failure" },
		{ "pam_faillock(", "event.action", "account-locked" },
		{ " user 'bob'", "user.name", "bob" },	/* G_PAM_USERS */
	};
	char msg[128];
	size_t k, pre, post, i, n;
	int cut;

	for (k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		for (pre = 0; pre < 40; pre++) {
			for (post = 0; post < 20; post += 3) {
				for (cut = 0; cut < 2; cut++) {
					for (n = i = 0; i < pre; i++)
						msg[n++] = "aprs.s-"[i % 7];
					memcpy(msg + n, c[k].needle,
					    strlen(c[k].needle) - (size_t)cut);
					n += strlen(c[k].needle) - (size_t)cut;
					for (i = 0; i < post; i++)
						msg[n++] = "-sa.rp"[i % 6];
					msg[n] = '\0';
					run("cron", msg);
					cr_assert_str_eq(val(c[k].field),
					    cut ? "(none)" : c[k].want,
					    "%s", msg);
				}
			}
		}
	}
}

Test(auth, iam_failure_and_appname)
{
	lh_event_reset(&ev);
	cr_assert_eq(lh_event_adds(&ev, LH_F_MESSAGE,
	    "failed adding user 'x', data deleted"), LH_OK);
	cr_assert_eq(lh_event_adds(&ev, "log.syslog.appname", "useradd"),
	    LH_OK);
	cr_assert_eq(lh_auth_message(&ev), LH_OK);
	EXPECT("process.name", "useradd");
	EXPECT("event.outcome", "failure");
	EXPECT("event.action", "user-created");
}

/* ---- the matcher and hostile input --------------------------------------- */

Test(auth, grok_semantics)
{
	static const char *const p[] = { "a%{NUMBER:n:long}$",
		"%{WORD:w}" };
	struct lh_grok *g = lh_grok_create(p, 2, NULL, NULL);
	struct lh_grok_result r;

	cr_assert_not_null(g);
	cr_expect_eq(lh_grok_match(g, "a+7", 3, &r), LH_OK);
	cr_expect_eq(r.alt, 1);
	cr_expect_eq(r.cap[0].num, 7);
	/* Long.parseLong("1.5") throws: the grok fails as a whole. */
	cr_expect_eq(lh_grok_match(g, "a1.5", 4, &r), LH_WARN);
	cr_expect_eq(r.ncap, 0);
	cr_expect_eq(lh_grok_match(g, " -- b_c", 7, &r), LH_OK);
	cr_expect_eq(r.alt, 2);
	cr_expect_eq(r.cap[0].len, 3);
	lh_grok_free(g);
}

Test(auth, hostile_lines_bounded)
{
	static const char *const reps[] = { " ", "for user ", "a : ",
		"Accepted x for ", "rhost=", "pam_unix(" };
	size_t n = (size_t)1 << 20, i, k;
	char *s = malloc(n + 1);
	clock_t t0 = clock();

	cr_assert_not_null(s);
	for (k = 0; k < sizeof(reps) / sizeof(reps[0]); k++) {
		size_t l = strlen(reps[k]);

		for (i = 0; i < n; i++)
			s[i] = reps[k][i % l];
		s[n] = '\0';
		lh_event_reset(&ev);
		cr_assert_eq(lh_event_add(&ev, LH_F_MESSAGE, s, n), LH_OK);
		cr_assert_eq(lh_auth_message(&ev), LH_OK);
	}
	free(s);
	cr_expect_lt((double)(clock() - t0) / CLOCKS_PER_SEC, 30.0);
}

/* ---- the prefilters change nothing a match returns ----------------------- */

/* The grok of the last grok_once(): r's fields live as long as it. */
static struct lh_grok *held;

/* Matches s with the patterns p (n of them); r filled, returns the status. */
static int
grok_once(const char *const *p, size_t n, const char *s,
    struct lh_grok_result *r)
{
	lh_grok_free(held);
	held = lh_grok_create(p, n, NULL, NULL);
	cr_assert_not_null(held);
	return lh_grok_match(held, s, strlen(s), r);
}

static void
grok_done(void)
{
	lh_grok_free(held);
	held = NULL;
}

static int
cap_is(const struct lh_grok_result *r, const char *field, const char *v)
{
	const struct lh_grok_cap *c = lh_grok_get(r, field);

	return c != NULL && c->len == strlen(v) && memcmp(c->p, v, c->len) == 0;
}

Test(auth, grok_leftmost_across_prefiltered_patterns)
{
	static const char *const p[] = { "x=%{WORD:a} zz", "%{WORD:b} y" };
	struct lh_grok_result r;

	cr_assert_eq(grok_once(p, 2, "q y x=1 zz", &r), LH_OK);
	cr_expect_eq(r.alt, 2);
	cr_expect(cap_is(&r, "b", "q"));
	cr_assert_eq(grok_once(p, 2, "x=1 zz q y", &r), LH_OK);
	cr_expect_eq(r.alt, 1);
	cr_expect(cap_is(&r, "a", "1"));
	grok_done();
}

Test(auth, grok_required_literals)
{
	static const char *const opt[] = { "ab?c=%{WORD:w}" };
	static const char *const esc[] = { "\\(%{WORD:w}\\)\\?" "?!" };
	static const char *const alt[] = { "foo=%{WORD:a}|bar=%{WORD:b}" };
	static const char *const brace[] = { "ab{2}=%{WORD:w}" };
	struct lh_grok_result r;

	cr_expect_eq(grok_once(opt, 1, "ac=x", &r), LH_OK);
	cr_expect(cap_is(&r, "w", "x"));
	cr_expect_eq(grok_once(esc, 1, "f(x)!", &r), LH_OK);
	cr_expect(cap_is(&r, "w", "x"));
	cr_expect_eq(grok_once(esc, 1, "f(x!", &r), LH_EOF);
	cr_expect_eq(grok_once(alt, 1, "bar=z", &r), LH_OK);
	cr_expect(cap_is(&r, "b", "z"));
	cr_expect_eq(grok_once(brace, 1, "abb=q", &r), LH_OK);
	cr_expect(cap_is(&r, "w", "q"));
	cr_expect_eq(grok_once(brace, 1, "ab=q", &r), LH_EOF);
	grok_done();
}

Test(auth, grok_lazy_data_and_line_starts)
{
	static const char *const lazy[] = { "%{DATA:d}x" };
	static const char *const colon[] = { "%{DATA:d}:" };
	static const char *const bol[] = { "^new %{WORD:w}" };
	static const char *const dup[] = { "%{WORD:f} %{WORD:f}" };
	struct lh_grok_result r;

	/* "." stops at a newline: the match starts after it. */
	cr_expect_eq(grok_once(lazy, 1, "ab\ncx", &r), LH_OK);
	cr_expect(cap_is(&r, "d", "c"));
	cr_expect_eq(grok_once(colon, 1, "\xc3\xa9:", &r), LH_OK);
	cr_expect(cap_is(&r, "d", "\xc3\xa9"));
	cr_expect_eq(grok_once(bol, 1, "x new a\nnew y", &r), LH_OK);
	cr_expect(cap_is(&r, "w", "y"));
	cr_expect_eq(grok_once(bol, 1, "x new a", &r), LH_EOF);
	cr_expect_eq(grok_once(dup, 1, "one two", &r), LH_OK);
	cr_expect_eq(r.ncap, 1);
	cr_expect(cap_is(&r, "f", "one"));
	grok_done();
}

Test(auth, grok_find)
{
	const char *s = "pam_unix(sshd:session): x";

	cr_expect_eq(lh_grok_find(s, strlen(s), "(sshd", 5), s + 8);
	cr_expect_eq(lh_grok_find(s, strlen(s), ": x", 3), s + 22);
	cr_expect_null(lh_grok_find(s, strlen(s), ": y", 3));
	cr_expect_null(lh_grok_find(s, 3, "pam_", 4));
	cr_expect_eq(lh_grok_find(s, 0, "", 0), s);
}

/*
 * formats/auth_ssh.c: the sshd lines matched without the grok machine give
 * exactly the grok's captures, and the lines it cannot tell go to the
 * grok machine: lines made of the pieces that matter, in random order.
 */
static const char *const ssh_pieces[] = {
	"Accepted", "Failed", " ", "  ", "publickey", "password", " for ",
	"for ", "invalid user", "invalid user ", " from ", "from ", "1.2.3.4",
	"10.0.0.255", "256.1.1.1", "01.002.3.4", "1.2.3", "1.2.3.4.5", "::1",
	"fe80::1", "host.example", " port ", "22", "022",
	"99999999999999999999", " ssh2", ": ", "ssh2", ":", "RSA SHA256:x",
	"\xc3\xa9", "\xe2\x82", "\n", "bob", "a b", "[preauth]", "9.9.9.9"
};

static int
same_result(const struct lh_grok_result *a, const struct lh_grok_result *b)
{
	size_t k;

	if (a->ncap != b->ncap || a->alt != b->alt)
		return 0;
	for (k = 0; k < a->ncap; k++) {
		if (a->cap[k].id != b->cap[k].id || a->cap[k].p != b->cap[k].p ||
		    a->cap[k].len != b->cap[k].len ||
		    a->cap[k].type != b->cap[k].type ||
		    a->cap[k].num != b->cap[k].num ||
		    strcmp(a->cap[k].field, b->cap[k].field) != 0)
			return 0;
	}
	return 1;
}

Test(auth, ssh_quick_equals_grok)
{
	const struct lh_grok *g = lh_auth_grok(0);
	const size_t np = sizeof(ssh_pieces) / sizeof(ssh_pieces[0]);
	struct lh_grok_result a, b;
	uint32_t seed = 7;
	char line[512];
	size_t len, k;
	int it, t, nt, quick = 0;

	cr_assert_not_null(g);
	cr_assert(lh_auth_ssh_ids(g));
	for (it = 0; it < 40000; it++) {
		len = 0;
		seed = seed * 1103515245u + 12345u;
		nt = 3 + (int)(seed >> 16) % 14;
		if (it % 2 == 0) {
			memcpy(line, "Failed password for ", 20);
			len = 20;
		}
		for (t = 0; t < nt; t++) {
			seed = seed * 1103515245u + 12345u;
			k = strlen(ssh_pieces[(seed >> 16) % np]);
			memcpy(line + len, ssh_pieces[(seed >> 16) % np], k);
			len += k;
		}
		if (it % 3 == 0) {
			memcpy(line + len, " from 1.2.3.4 port 22 ssh2: s", 29);
			len += it % 6 == 0 ? 29 : 26;
		}
		if (!lh_auth_ssh_quick(g, line, len, &a))
			continue;
		quick++;
		cr_assert_eq(lh_grok_match(g, line, len, &b), LH_OK,
		    "%.*s", (int)len, line);
		cr_assert(same_result(&a, &b), "%.*s", (int)len, line);
	}
	cr_assert_gt(quick, 1000);
}
