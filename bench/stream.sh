#!/bin/bash
# bench/stream.sh DIR TIMES [TMP]: a long synthetic stream through a query of
# every event, in bounded memory (SPEC §13): DIR's syslog, auth.log and
# kern.log (e.g. a gen-corpus host's var/log) repeated TIMES times, piped
# through gzip -1 into `loghunt query --stats '*' -` (text to /dev/null).
# Each repetition is a new sorted run for the spill.  Prints the input
# size, loghunt's --stats, its peak RSS and wall time (/usr/bin/time -v),
# the most temporary space it held (the growth of the file system's used
# space under TMP, default $TMPDIR or /tmp, sampled every 5 s: the run
# files are unlinked at once, so du cannot see them; other writers to the
# same file system count too) and that nothing is left in TMP at the end.
# Example (21.5 GB): bench/stream.sh bench/out/corpus-256M-11/evidence/web01/var/log 8794
set -e
dir=$1
times=$2
tmp=${3:-${TMPDIR:-/tmp}}/loghunt-stream.$$
top=$(cd "$(dirname "$0")/.." && pwd)
lh="$top/loghunt"
mkdir -p "$tmp"
base=$(df -k --output=used "$tmp" | tail -1)
(
	while sleep 5; do
		echo $(($(df -k --output=used "$tmp" | tail -1) - base))
	done
) > "$tmp.du" &
sampler=$!
i=0
(
	while [ $i -lt "$times" ]; do
		cat "$dir/syslog" "$dir/auth.log" "$dir/kern.log"
		i=$((i + 1))
	done
) | tee >(wc -c > "$tmp.bytes") | gzip -1 |
    TMPDIR="$tmp" /usr/bin/time -v "$lh" query --stats '*' - \
    > /dev/null 2> "$tmp.err" || true
kill "$sampler" 2>/dev/null || true
sleep 1
peak=$(sort -n "$tmp.du" | tail -1)
echo "input: $(cat "$tmp.bytes") bytes"
grep -E '^loghunt:|Maximum resident|Elapsed|Exit status' "$tmp.err"
echo "temporary space at most: ${peak:-0} KB (sampled every 5 s)"
left=$(find "$tmp" -mindepth 1 | wc -l)
echo "left in $tmp at exit: $left files"
rm -rf "$tmp" "$tmp.du" "$tmp.bytes" "$tmp.err"
