# 7z and cpio archives, and a syslog.2.gz inside a tar.zst, by content.
set -e
cp -R "$FIX/ev/web01" w
(cd w && bsdtar --format 7zip -cf ../w.7z var)
(cd w && find var -type f | sort | bsdtar --format odc -cf ../w.cpio -T -)
(cd w/var/log && gzip -n syslog && touch -d '2026-01-05 06:00:00 UTC' syslog.gz)
(cd w && tar -cf - var | zstd -q -c > ../w.tar.zst)
for a in w.7z w.cpio w.tar.zst; do
	"$LOGHUNT" -f json "$a" > out.jsonl || test $? = 0
	test "$(wc -l < out.jsonl)" = 3 || { echo "$a"; cat out.jsonl; exit 1; }
	grep -q "\"$a!var/log/kern.log\"" out.jsonl
done
grep -q '"w.tar.zst!var/log/syslog.gz","line":4' out.jsonl
