/*
 * limits.h: how much memory one input may make loghunt spend, whatever
 * the input says.
 *
 * DESIGN
 * Evidence is hostile (SPEC §10) and large (SPEC §13): a compressed
 * header may ask for a 2 GiB window, a member that must be read with
 * random access (a 7z archive, a native journal inside an archive) would
 * be copied whole.  struct lh_limits holds the caps that core/decomp.c
 * and core/input.c apply; an input needing more is refused with a message
 * naming the path, the offset and what it asked for (LH_FAIL: the rest of
 * the run goes on and exits 2), never an out-of-memory kill.  The caps
 * come from the memory budget (lh_input_limits(), input.h) or, without
 * one, from the defaults below.  A value type: copy it freely.
 *
 * What needs no cap: gzip's window is 32 KiB by format; a bzip2 stream
 * needs at most 100 KiB + 4 x 900 KiB (about 3.7 MB, bzip2(1) MEMORY
 * MANAGEMENT) whatever its header says; lz4 frames decoded by libarchive
 * have blocks of at most 4 MiB and a 64 KiB window; compress(1) has at
 * most 2^16 codes.
 */
#ifndef LH_LIMITS_H
#define LH_LIMITS_H

#include <stdint.h>

/*
 * zstd: 2^27 = 128 MiB, libzstd's own default for decompression
 * (ZSTD_WINDOWLOG_LIMIT_DEFAULT, zstd.h): every frame written by zstd
 * without --long or --ultra fits (level 19 uses 2^23; --ultra -22 2^27);
 * zstd --long=N with N > 27 must be read with --memory=2^N as well.
 */
#define LH_ZSTD_WLOG_DEFAULT	27
/*
 * The smallest caps a budget may give: zstd levels up to 19 write windows
 * of at most 2^23 (ZSTD_defaultCParameters), and xz -6, its default level,
 * needs 9 MiB to decode.  Below them ordinary files would be refused.
 */
#define LH_ZSTD_WLOG_MIN	23
#define LH_XZ_MEMLIMIT_MIN	((uint64_t)16 << 20)
#define LH_ZSTD_WLOG_MAX	31	/* ZSTD_WINDOWLOG_MAX_64 */
/*
 * xz: 256 MiB.  xz -9 (64 MiB dictionary) needs 65 MiB to decode and
 * xz -9e the same; the format allows a 1.5 GiB dictionary (and liblzma
 * 4 GiB), which only a crafted or deliberately odd file asks for.
 */
#define LH_XZ_MEMLIMIT_DEFAULT	((uint64_t)256 << 20)
/*
 * A copy made so that a member can be read with random access: 1 GiB.
 * Journal files rotate at 128 MiB by default (journald.conf
 * SystemMaxFileSize: 1/8 of SystemMaxUse, capped at 128 MiB), and a 7z
 * bundle of logs is rarely larger; the copy lives in memory (memfd), and
 * a native journal is copied once more into /dev/shm for libsystemd
 * before v256, so one nested journal may cost twice this.
 */
#define LH_COPY_MAX_DEFAULT	((uint64_t)1 << 30)

struct lh_limits {
	unsigned zstd_wlog;	/* largest zstd window: 2^zstd_wlog bytes */
	uint64_t xz_memlimit;	/* liblzma's memory limit, bytes */
	uint64_t copy_max;	/* largest member copied whole, bytes */
};

/* The limits without a budget: the defaults above. */
#define LH_LIMITS_DEFAULT { LH_ZSTD_WLOG_DEFAULT, LH_XZ_MEMLIMIT_DEFAULT, \
	LH_COPY_MAX_DEFAULT }

#endif
