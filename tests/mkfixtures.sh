#!/bin/sh
# mkfixtures.sh DIR: builds the compressed and archived test fixtures from
# testdata/ with the system's own tools (gzip, zstd, xz, bzip2, lz4, tar,
# zip), with fixed modification times so year inference is reproducible.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
d=$1
stamp='2026-01-05 06:00:00 UTC'
mkdir -p "$d"
cp -R "$top/testdata/evidence" "$d/ev"
find "$d/ev" -type f -exec touch -d "$stamp" {} +

# rotated web01 logs, one per compression, each holding the kernel lines
k="$top/testdata/evidence/web01/var/log/kern.log"
mkdir -p "$d/rot"
head -n 2 "$k" | gzip -9 -n > "$d/rot/kern.log.1.gz"
tail -n +3 "$k" | gzip -9 -n >> "$d/rot/kern.log.1.gz"       # two gzip members
head -n 3 "$k" | zstd -q -c > "$d/rot/kern.log.2.zst"
tail -n +4 "$k" | zstd -q -c >> "$d/rot/kern.log.2.zst"      # two zstd frames
xz -c < "$k" > "$d/rot/kern.log.3.xz"
bzip2 -c < "$k" > "$d/rot/kern.log.4.bz2"
lz4 -q -c < "$k" > "$d/rot/kern.log.5.lz4"
cp "$k" "$d/rot/kern.log.6.renamed.txt.gz"   # named .gz, plain inside
find "$d/rot" -type f -exec touch -d "$stamp" {} +

# collection bundles
(cd "$d/ev" && tar -czf "$d/bundle.tar.gz" web01 db01)
(cd "$d/ev" && tar -cf - web01 | zstd -q -c > "$d/bundle.tar.zst")
(cd "$d/ev" && zip -q -r "$d/bundle.zip" web01)
mkdir -p "$d/nest"
(cd "$d/ev/web01/var/log" && gzip -n -c syslog > "$d/nest/syslog.2.gz" &&
    touch -d "$stamp" "$d/nest/syslog.2.gz")
(cd "$d/nest" && tar -czf "$d/inner.tar.gz" syslog.2.gz &&
    zip -q "$d/outer.zip" "$d/inner.tar.gz" -j)
rm -rf "$d/nest"
find "$d" -maxdepth 1 -type f -exec touch -d "$stamp" {} +
