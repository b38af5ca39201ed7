/*
 * ip_test.c: core/ip.c, addresses and CIDR blocks as Elasticsearch's
 * InetAddresses reads them.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/ip.h"
#include "core/status.h"

static int
ok(const char *s)
{
	struct lh_ip ip;

	return lh_ip_parse(s, strlen(s), &ip) == LH_OK;
}

static int
in(const char *addr, const char *block)
{
	struct lh_ip ip, net;
	int bits;

	cr_assert_eq(lh_ip_parse(addr, strlen(addr), &ip), LH_OK, "%s", addr);
	cr_assert_eq(lh_ip_parse_cidr(block, strlen(block), &net, &bits),
	    LH_OK, "%s", block);
	return lh_ip_in(&ip, &net, bits);
}

Test(ip, accepts_what_elasticsearch_accepts)
{
	cr_expect(ok("203.0.113.9"));
	cr_expect(ok("0.0.0.0"));
	cr_expect(ok("::1"));
	cr_expect(ok("::"));
	cr_expect(ok("fe80::1:2"));
	cr_expect(ok("2001:db8:0:0:0:0:2:1"));
	cr_expect(ok("::ffff:10.1.2.3"));
	cr_expect(ok("64:ff9b::192.0.2.33"));
}

Test(ip, refuses_the_rest)
{
	cr_expect(!ok("010.0.0.1"));		/* leading zero */
	cr_expect(!ok("256.1.1.1"));
	cr_expect(!ok("1.2.3"));
	cr_expect(!ok("1.2.3.4.5"));
	cr_expect(!ok("fe80::1%eth0"));		/* zone id */
	cr_expect(!ok("1::2::3"));
	cr_expect(!ok("1:2:3:4:5:6:7:8:9"));
	cr_expect(!ok("12345::1"));
	cr_expect(!ok("host.example.com"));
	cr_expect(!ok(""));
	cr_expect(!ok("1.2.3.4 "));
}

Test(ip, ipv4_is_mapped)
{
	struct lh_ip a, b;

	cr_assert_eq(lh_ip_parse("10.1.2.3", 8, &a), LH_OK);
	cr_assert_eq(lh_ip_parse("::ffff:10.1.2.3", 15, &b), LH_OK);
	cr_expect_eq(lh_ip_cmp(&a, &b), 0);
}

Test(ip, cidr_blocks)
{
	cr_expect(in("203.0.113.9", "203.0.113.0/24"));
	cr_expect(!in("203.0.114.9", "203.0.113.0/24"));
	cr_expect(in("10.200.1.1", "10.0.0.0/8"));
	cr_expect(in("172.31.255.255", "172.16.0.0/12"));
	cr_expect(!in("172.32.0.0", "172.16.0.0/12"));
	cr_expect(in("1.2.3.4", "0.0.0.0/0"));
	cr_expect(in("fe80::abcd", "FE80::/10"));
	cr_expect(!in("fec0::1", "FE80::/10"));
	cr_expect(in("::1", "::1"));
	cr_expect(in("203.0.113.9", "203.0.113.9"));
	cr_expect(!in("203.0.113.8", "203.0.113.9"));
	/* prefixes on either side of the two 64-bit halves */
	cr_expect(in("2001:db8::1", "::/0"));
	cr_expect(in("2001:db8::8000:0:0:1", "2001:db8::/64"));
	cr_expect(!in("2001:db8:0:1::", "2001:db8::/64"));
	cr_expect(in("2001:db8::7fff:0:0:1", "2001:db8::/65"));
	cr_expect(!in("2001:db8::8000:0:0:1", "2001:db8::/65"));
	cr_expect(!in("2001:db9::", "2001:db8::/63"));
	cr_expect(in("::2", "::3/127"));
	cr_expect(!in("::4", "::3/127"));
}

Test(ip, bad_blocks)
{
	struct lh_ip net;
	int bits;

	cr_expect_eq(lh_ip_parse_cidr("10.0.0.0/33", 11, &net, &bits), LH_FAIL);
	cr_expect_eq(lh_ip_parse_cidr("10.0.0.0/", 9, &net, &bits), LH_FAIL);
	cr_expect_eq(lh_ip_parse_cidr("::/129", 6, &net, &bits), LH_FAIL);
	cr_expect_eq(lh_ip_parse_cidr("10.0.0.0/8x", 11, &net, &bits),
	    LH_FAIL);
}
