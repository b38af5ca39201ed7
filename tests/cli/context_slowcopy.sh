# The context pass reads a copy of the decoded bytes of an xz or bzip2
# file, made during the first pass (core/replay.h), instead of decoding it
# again: logs of two hosts (made by xz and bzip2) whose alerts sit in
# another file must give the text timeline of a pass that parses every
# record (LOGHUNT_PREFILTER=0), of one thread, of a budget too small for
# the copies (--max-memory 4M: decoded again), and of the same bytes
# uncompressed under the same names; --stats shows the copies read.  A
# tar.xz is copied as the tar and unpacked again; an xz file cut short
# gives the same output and the same single diagnostic with or without its
# copy.  Nothing is left in TMPDIR.
set -e
mkdir ev tmp
export TMPDIR="$PWD/tmp"
python3 - <<'PY'
import random, time
rnd = random.Random(5)
W = "alpha bravo charlie delta echo foxtrot golf".split()
def stamp(t):  # t seconds after 2026-03-01T10:00:00Z, as RFC 3164
    return time.strftime("%b %e %H:%M:%S", time.gmtime(1772359200 + t))
def log(host, tag, n):
    out = []
    for i in range(n):
        out.append("%s %s app[%d]: %s line %d %s %08x\n" % (stamp(i), host,
            i % 30000, tag, i, " ".join(rnd.choice(W) for _ in range(4)),
            rnd.getrandbits(32)))
    return "".join(out)
open("xz.log", "w").write(log("xzh1", "xzlog", 30000))
open("bz.log", "w").write(log("bzh1", "bzlog", 30000))
segv = ("%s %s kernel: sshd[%d]: segfault at 0 ip 00007f0000001000 sp "
        "00007ffc00000000 error 4 in libc.so.6[7f0000000000+195000]\n")
open("ev/alerts.log", "w").write(segv % (stamp(21000), "xzh1", 1) +
    segv % (stamp(25000), "bzh1", 2))
PY
xz -0 -c xz.log > ev/app.log.1.xz
bzip2 -c bz.log > ev/db.log.1.bz2
touch -d 2026-03-02 ev/app.log.1.xz ev/db.log.1.bz2 ev/alerts.log
test "$(wc -c < xz.log)" -gt 2000000
"$LOGHUNT" --year 2026 --no-guide --stats ev > gated 2> st
cat st
test "$(grep -c 'segfault at 0' gated)" = 2
# context from both compressed files, around their hosts' alerts
grep -q 'xzlog line 20999 ' gated
grep -q 'bzlog line 25001 ' gated
line=$(grep 'context pass:' st)
echo "$line" | grep -q ' MB read from copies of decoded files (2 copies, '
echo "$line" | grep -q ' 0 over budget)'
mb=$(echo "$line" | sed 's/.* \([0-9.]*\) MB read from copies.*/\1/')
awk -v m="$mb" 'BEGIN { exit !(m > 0) }'
LOGHUNT_PREFILTER=0 "$LOGHUNT" --year 2026 --no-guide ev | cmp - gated
"$LOGHUNT" -j 1 --year 2026 --no-guide ev | cmp - gated
# a part's triage events for merge (scan --context-for) read them too
"$LOGHUNT" scan --year 2026 -f json ev > al.json
"$LOGHUNT" scan --year 2026 --context-for al.json ev > cf
LOGHUNT_PREFILTER=0 "$LOGHUNT" scan --year 2026 --context-for al.json ev |
    cmp - cf
grep -q 'xzlog line 20999 ' cf
# past the budget: decoded again, the same output
"$LOGHUNT" --max-memory 4M --year 2026 --no-guide --stats ev > small 2> st4
grep 'context pass:' st4 | grep -q '(0 copies, 0.0 MB; [1-9][0-9]* over'
cmp small gated
# the same bytes, not compressed, under the same names and times
mkdir evplain
cp -p ev/alerts.log evplain/
cp xz.log evplain/app.log.1.xz
cp bz.log evplain/db.log.1.bz2
touch -d 2026-03-02 evplain/app.log.1.xz evplain/db.log.1.bz2
"$LOGHUNT" --year 2026 --no-guide evplain | sed 's|^\(.*\)evplain/|\1ev/|' |
    cmp - gated
# a tar.xz: its copy is the tar, unpacked again in the context pass
mkdir evtar
cp -p ev/alerts.log evtar/
XZ_OPT=-0 tar -C . -cJf evtar/logs.tar.xz xz.log bz.log
"$LOGHUNT" --year 2026 --no-guide --stats evtar > tar.out 2> tar.st
grep 'context pass:' tar.st | grep -q '(1 copies, '
grep -q 'xzlog line 20999 ' tar.out
LOGHUNT_PREFILTER=0 "$LOGHUNT" --year 2026 --no-guide evtar | cmp - tar.out
"$LOGHUNT" --max-memory 4M --year 2026 --no-guide evtar | cmp - tar.out
# an xz file cut short: what was decoded is copied; one diagnostic
mkdir evcut
cp -p ev/alerts.log evcut/
size=$(wc -c < ev/app.log.1.xz)
head -c $((size * 3 / 4)) ev/app.log.1.xz > evcut/app.log.1.xz
rc=0
"$LOGHUNT" --year 2026 --no-guide evcut > cut.out 2> cut.err || rc=$?
test "$rc" = 2
cat cut.err
test "$(wc -l < cut.err)" = 1
grep -q 'evcut/app.log.1.xz: xz data truncated at offset' cut.err
"$LOGHUNT" --year 2026 --no-guide --stats evcut 2>&1 >/dev/null |
    grep 'context pass:' | grep -q '(1 copies, '
rc=0
"$LOGHUNT" --max-memory 4M --year 2026 --no-guide evcut > cut4.out \
    2> cut4.err || rc=$?
test "$rc" = 2
cmp cut.out cut4.out
cmp cut.err cut4.err
test "$(grep -c 'segfault at 0' cut.out)" = 2
test -z "$(ls -A tmp)"
# many xz files: at most about 64 copies (each keeps a descriptor open),
# the rest decoded again, the same output
mkdir evmany
python3 - <<'PY'
import time
def stamp(t):
    return time.strftime("%b %e %H:%M:%S", time.gmtime(1772359200 + t))
for k in range(100):
    open("evmany/h%03d.log" % k, "w").write("".join(
        "%s xh%d app[1]: many line %d\n" % (stamp(i), k, i)
        for i in range(50)))
open("evmany/alerts.log", "w").write("".join(
    "%s xh%d kernel: sshd[1]: segfault at 0 ip 00007f0000001000 sp "
    "00007ffc00000000 error 4 in libc.so.6[7f0000000000+195000]\n"
    % (stamp(25), k) for k in range(100)))
PY
xz evmany/h*.log
"$LOGHUNT" --year 2026 --no-guide --stats evmany > many 2> stmany
n=$(sed -n 's/.*decoded files (\([0-9]*\) copies.*/\1/p' stmany)
test "$n" -ge 60 && test "$n" -le 66
LOGHUNT_PREFILTER=0 "$LOGHUNT" --year 2026 --no-guide evmany | cmp - many
test "$(grep -c 'many line' many)" -ge 100
test -z "$(ls -A tmp)"
