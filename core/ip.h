/*
 * ip.h: IP addresses and CIDR blocks, as Elasticsearch's ip field type
 * reads them.
 *
 * DESIGN
 * Elasticsearch keeps every address as 16 bytes, an IPv4 address as the
 * IPv4-mapped IPv6 address ::ffff:a.b.c.d, so that one comparison serves
 * both families (org.elasticsearch.common.network.InetAddresses, a fork
 * of Guava's): text is accepted as ipStringToBytes accepts it (a dotted
 * quad without leading zeros; RFC 4291 IPv6 text, "::" once, an optional
 * final dotted quad; no zone id).  A CIDR block "a.b.c.d/n" of an IPv4
 * address counts its prefix in the IPv4 bits (n + 96 of the 128), as
 * InetAddresses.parseCidr does.  Used by KQL terms on ip fields, EQL's
 * cidrmatch() and the auth pipeline's convert-to-ip.  Pure functions.
 */
#ifndef LH_IP_H
#define LH_IP_H

#include <stddef.h>
#include <stdint.h>

struct lh_ip {
	uint8_t b[16];		/* network order; IPv4 as ::ffff:a.b.c.d */
};

/* Parses the n bytes at s into *ip.  LH_OK, or LH_FAIL when not an IP. */
int lh_ip_parse(const char *s, size_t n, struct lh_ip *ip);

/*
 * Parses "ADDRESS/BITS" (or a plain ADDRESS, a block of one) into the
 * network *net and its prefix length *bits (0..128, IPv4 blocks counted
 * in the mapped space).  LH_OK, or LH_FAIL when s is neither.
 */
int lh_ip_parse_cidr(const char *s, size_t n, struct lh_ip *net, int *bits);

/* The big-endian 64-bit word of the 8 bytes at b. */
static inline uint64_t
lh_ip_word(const uint8_t *b)
{
	return (uint64_t)b[0] << 56 | (uint64_t)b[1] << 48 |
	    (uint64_t)b[2] << 40 | (uint64_t)b[3] << 32 |
	    (uint64_t)b[4] << 24 | (uint64_t)b[5] << 16 |
	    (uint64_t)b[6] << 8 | (uint64_t)b[7];
}

/*
 * 1 when ip lies in the block net/bits (bits 0..128), else 0: the two
 * halves compared under their masks (inline: cidrmatch() tests an
 * address against dozens of blocks).
 */
static inline int
lh_ip_in(const struct lh_ip *ip, const struct lh_ip *net, int bits)
{
	uint64_t m0 = bits >= 64 ? ~(uint64_t)0 : bits <= 0 ? 0 :
	    ~(uint64_t)0 << (64 - bits);
	uint64_t m1 = bits >= 128 ? ~(uint64_t)0 : bits <= 64 ? 0 :
	    ~(uint64_t)0 << (128 - bits);

	return ((lh_ip_word(ip->b) ^ lh_ip_word(net->b)) & m0) == 0 &&
	    ((lh_ip_word(ip->b + 8) ^ lh_ip_word(net->b + 8)) & m1) == 0;
}

/* memcmp-like order of two addresses (for ranges on ip fields). */
int lh_ip_cmp(const struct lh_ip *a, const struct lh_ip *b);

#endif
