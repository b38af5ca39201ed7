/*
 * evidence.h: what an evidence tree tells about its hosts beyond the log
 * records: the host name and machine id a collection keeps under etc/,
 * and the boots that kernel records with both clocks date.
 *
 * DESIGN
 * Collections (UAC and the like) save `dmesg` output with boot-relative
 * stamps and no host, next to the host's etc/hostname and etc/machine-id
 * ("[root]/etc/..." in UAC).  A record from a file below such a root, and
 * without a host of its own, takes the root's host name (SPEC section 12,
 * host.id likewise).  The walker's thread notes the roots as it meets the
 * files, and probes each directory's etc/ as the walk enters it
 * (lh_evidence_note_dir), so the roots a worker asks for are complete
 * before it is handed a file below them, although workers read files
 * while the walk goes on.  A lock guards the table; facts never move nor
 * are freed before the table (a value noted again differently is kept
 * aside), so a worker may keep the pointers it was given.  Archive
 * members do not contribute roots.
 *
 * A kernel record that carries both clocks (a kern.log or syslog line
 * "kernel: [uptime] ...", timed by its header) dates its boot: boot =
 * wall - uptime.  Workers collect these anchors per job (lh_boots); the
 * merger adds them up and dates every boot-relative match: the same
 * kernel message (rule, stamp and text) recorded with a wall time gives
 * its host and time exactly (the two records are then one event);
 * otherwise the latest boot of the match's host gives boot + uptime.
 * With neither, the match stays boot-relative.
 */
#ifndef LH_EVIDENCE_H
#define LH_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

struct lh_evidence;
struct lh_timeline;

/* The facts of one evidence root (strings owned by the evidence). */
struct lh_host_facts {
	const char *root;	/* the directory holding etc/, with '/' */
	const char *hostname;	/* etc/hostname's first line, or NULL */
	const char *machine_id;	/* etc/machine-id's first line, or NULL */
};

/* Returns an owned, empty evidence table (free with lh_evidence_free). */
struct lh_evidence *lh_evidence_create(void);
void lh_evidence_free(struct lh_evidence *e);

/*
 * Notes the file at path (borrowed): when it is ROOT/etc/hostname or
 * ROOT/etc/machine-id (or ROOT/[root]/etc/...), a small regular file, its
 * first line becomes a fact of ROOT.  LH_OK (also for any other file), or
 * LH_FATAL when out of memory.  Called from one thread at a time.
 */
int lh_evidence_note_file(struct lh_evidence *e, const char *path);

/*
 * Notes the facts kept below the directory at the n bytes of dir
 * (borrowed): its etc/hostname and etc/machine-id and those of its
 * [root]/etc/, when they are regular files (not links), in the order a
 * sorted walk meets them.  A streaming walk calls it for each directory
 * before it hands out the first file below, so that a file that sorts
 * before etc/ (ROOT/boot/..., ROOT/dmesg.txt) has its root's facts too.
 * LH_OK or LH_FATAL (out of memory).  Called from one thread at a time.
 */
int lh_evidence_note_dir(struct lh_evidence *e, const char *dir, size_t n);

/*
 * The facts of the deepest root that path (borrowed) lies below, or NULL.
 * Thread-safe; the result is valid until lh_evidence_free.
 */
const struct lh_host_facts *lh_evidence_lookup(struct lh_evidence *e,
    const char *path);

/* A job's boot anchors (owned by the job, merged by the merger). */
struct lh_boots;

/* Returns owned, empty anchors (free with lh_boots_free), or NULL. */
struct lh_boots *lh_boots_create(void);
void lh_boots_free(struct lh_boots *b);

/*
 * Notes that host (hlen bytes, borrowed) booted at boot (µs UTC) with
 * precision prec.  Anchors of one boot (within 2 s) count once; beyond
 * 4096 boots the rest are ignored.  LH_OK or LH_FATAL.
 */
int lh_boots_add(struct lh_boots *b, const char *host, size_t hlen,
    int64_t boot, int64_t prec);

/* Adds the anchors of from into e.  LH_OK or LH_FATAL. */
int lh_evidence_add_boots(struct lh_evidence *e, const struct lh_boots *from);

/*
 * The key that pairs a kernel record with both clocks and the same
 * record seen boot-relative (their "twin": same rule, kernel stamp and
 * bare message), or 0 when m's message has no kernel stamp.  Twins have
 * equal keys; equal keys are not proof.
 */
struct lh_match;
uint64_t lh_evidence_twin_key(const struct lh_match *m);

/*
 * Dates the boot-relative matches of tl (before lh_timeline_finish; see
 * DESIGN), setting LH_TS_DERIVED on those it dates.  LH_OK or LH_FATAL.
 */
int lh_evidence_date(struct lh_evidence *e, struct lh_timeline *tl);

#endif
