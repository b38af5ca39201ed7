# A member with a non-ASCII name (zip with the UTF-8 flag, pax tar) keeps
# that name in the sources, even in the C locale.
set -e
f="$TOP/testdata/evidence/web01/var/log/kern.log"
python3 - "$f" <<'PY'
import sys, tarfile, zipfile
data = open(sys.argv[1], 'rb').read()
name = 'var/log/journal-\u00e9/kern.log'
with zipfile.ZipFile('b.zip', 'w') as z:
    z.writestr(name, data)
with tarfile.open('b.tar', 'w', format=tarfile.PAX_FORMAT) as t:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 1767225600
    import io
    t.addfile(info, io.BytesIO(data))
PY
for a in b.zip b.tar; do
	"$LOGHUNT" --format json --year 2026 "$a" > out.jsonl || true
	[ "$(grep -c '"kind":"alert"' out.jsonl)" = 3 ] ||
	    { echo "$a: alerts missing"; exit 1; }
	grep -q "\"path\":\"$a!var/log/journal-é/kern.log\"" out.jsonl ||
	    { echo "$a: name lost"; grep -o '"sources":[^]]*' out.jsonl |
	    head -1; exit 1; }
done
