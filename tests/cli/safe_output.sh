# Safe output (SPEC 10): log text carrying ESC, CSI, OSC (set the title),
# a C1 control (U+009B, CSI in one character), BEL, backspace, DEL, NUL and
# invalid UTF-8, in a message, a host name, a process name and an archive
# member name, goes through every output format of scan and query '*':
# text and CSV hold no raw control byte and are valid UTF-8, every JSON
# line parses as UTF-8 JSON and gives back the escaped text, and a CSV
# cell starting with = + - @ is neutralised with a leading quote.
set -e
esc=$(printf '\033')
pay=$(printf ' \033]0;pwned\007 \033[2J\033[31mred \302\233[1m \010\010X \177 \377 ')
mk() {	# mk HOST PROC MESSAGE-TAIL
	printf 'Jan  1 00:01:15 %s kernel: [86389.001234] %s[4242]: segfault at 0 ip 0000000000000000 sp 00007ffc1b2c3d40 error 14 in node[55d1c1000000+2000000]%s\n' "$1" "$2" "$3"
}
{ mk web01 node "$pay"
  printf 'Jan  1 00:02:00 =evil sshd[1]: -2+3 @SUM(A1) \000 nul\n'
  printf 'Jan  1 00:03:00 web02 +cmd: =HYPERLINK("http://x")\n'
  printf 'Jan  1 00:04:00 web03 @x[9]: %s\n' "$pay"; } > evil.log
python3 - <<'PY'
import io, tarfile
t = tarfile.open("evil.tar", "w")
d = open("evil.log", "rb").read()
i = tarfile.TarInfo("var/\x1b]0;title\x07\x1b[2Jlog")
i.size = len(d)
t.addfile(i, io.BytesIO(d))
t.close()
PY
touch -d '2026-01-05 06:00:00 UTC' evil.log evil.tar
for f in text json csv; do
	"$LOGHUNT" -f $f evil.log evil.tar > scan.$f 2> scan.$f.err
	"$LOGHUNT" query -f $f '*' evil.log evil.tar > query.$f 2> query.$f.err
done
python3 - <<'PY'
import csv, io, json

def no_controls(name, b):
    s = b.decode("utf-8")               # valid UTF-8 or this raises
    for ch in s:
        o = ord(ch)
        assert ch == "\n" or not (o < 0x20 or o == 0x7f or 0x80 <= o <= 0x9f), \
            "%s: raw control U+%04X" % (name, o)
    return s

for kind in ("scan", "query"):
    text = no_controls(kind + ".text", open(kind + ".text", "rb").read())
    assert "\\x1b]0;pwned\\x07" in text, kind + ".text: OSC not escaped"
    assert "\\xc2\\x9b" in text, kind + ".text: C1 not escaped"
    assert "\\x08\\x08X" in text and "\\x7f" in text and "\\xff" in text
    assert "\\x1b]0;title\\x07\\x1b[2Jlog" in text, "member name"

    raw = open(kind + ".json", "rb").read()
    assert b"\x1b" not in raw and b"\x9b" not in raw and b"\x00" not in raw
    msgs = []
    for line in raw.splitlines():
        msgs.append(json.loads(line.decode("utf-8")))
    assert msgs, kind + ".json is empty"
    vals = []
    def walk(v):
        if isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, str):
            vals.append(v)
    walk(msgs)
    assert any("\x1b]0;pwned\x07" in v for v in vals), "JSON round trip"
    assert any("\u009b[1m" in v for v in vals), "JSON C1 round trip"

    s = no_controls(kind + ".csv", open(kind + ".csv", "rb").read())
    rows = list(csv.reader(io.StringIO(s)))
    assert len(rows) >= 2
    for r in rows:
        for cell in r:
            assert cell == "" or cell[0] not in "=+-@", \
                "%s.csv: formula cell %r" % (kind, cell)
    if kind == "query":
        cells = [c for r in rows for c in r]
        assert "'=evil sshd[1]: -2+3 @SUM(A1) \\x00 nul" in cells or \
            any(c.startswith("'=") for c in cells), "no neutralised cell"
        assert "'+cmd" in cells and "'@x" in cells, "process names"
PY
# the alert of line 1 is there in every scan format (once per copy)
test "$(grep -c '"line":1,' scan.json)" = 2
# stderr carries no raw ESC either, even when a message names a damaged
# member whose name holds escapes
python3 - <<'PY'
import io, tarfile
t = tarfile.open("dmg.tar", "w")
i = tarfile.TarInfo("x\x1b]0;title\x07\x1b[2J\u009b.log")
i.size = 5000
t.addfile(i, io.BytesIO(b"x" * 5000))
t.close()
PY
head -c 2000 dmg.tar > dmgcut.tar
"$LOGHUNT" dmgcut.tar > dmg.out 2> dmg.err || test $? = 2
grep -qF 'dmgcut.tar!x\x1b]0;title\x07\x1b[2J\xc2\x9b.log: damaged data' dmg.err
! grep -q "$esc" scan.text.err query.text.err dmg.err
python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' dmg.err
! grep -q "$(printf '\302\233')" dmg.err
