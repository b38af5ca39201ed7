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

/* 1 when ip lies in the block net/bits, else 0. */
int lh_ip_in(const struct lh_ip *ip, const struct lh_ip *net, int bits);

/* memcmp-like order of two addresses (for ranges on ip fields). */
int lh_ip_cmp(const struct lh_ip *a, const struct lh_ip *b);

#endif
