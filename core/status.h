/*
 * status.h: the one status convention of loghunt.
 *
 * Every fallible function returns an int from this enum.  The grades follow
 * libarchive's (archive.h), so its results map across directly: a negative
 * value is a problem, and the more negative, the more is lost.
 */
#ifndef LH_STATUS_H
#define LH_STATUS_H

enum lh_status {
	LH_OK = 0,	/* done */
	LH_EOF = 1,	/* nothing more to read */
	LH_WARN = -20,	/* this record was skipped; keep going */
	LH_FAIL = -25,	/* this file or member is unusable from here on */
	LH_FATAL = -30	/* stop everything (out of memory) */
};

#endif
