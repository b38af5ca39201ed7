# Two readings under one name (two members of a tar archive both named
# a.gz, with other bytes) must not share the first pass's time map or gzip
# checkpoints: the first member, of another host, is mapped and has
# checkpoints; the second, of the alert's host, is cut short (so it is
# never mapped itself) and holds the lines around the alert deep inside.
# The context must be that of a pass that parses every record
# (LOGHUNT_PREFILTER=0), with the second member's lines in it, and so must
# scan --context-for's.
set -e
mkdir m1 m2 ev
python3 - <<'PY'
import random, time
random.seed(3)
T0 = 1772359200  # 2026-03-01T10:00:00Z
def stamp(t):
    return time.strftime("%b %e %H:%M:%S", time.gmtime(t))
def log(host, tag, n):
    return "".join("%s %s app[%d]: %s member line %d %08x\n" % (
        stamp(T0 + i), host, i % 30000, tag, i, random.getrandbits(32))
        for i in range(n))
open("m1/a", "w").write(log("snh9", "first", 60000))
open("m2/a", "w").write(log("snh1", "second", 60000))
open("ev/alerts.log", "w").write(
    "%s snh1 kernel: sshd[1]: segfault at 0 ip 00007f0000001000 sp "
    "00007ffc00000000 error 4 in libc.so.6[7f0000000000+195000]\n"
    % stamp(T0 + 40000))
PY
gzip m1/a m2/a
# the second member cut short: read to its damage, never mapped
size=$(wc -c < m2/a.gz)
head -c $((size - 200)) m2/a.gz > m2/cut && mv m2/cut m2/a.gz
tar -cf ev/logs.tar -C m1 a.gz -C ../m2 a.gz
test "$(tar -tf ev/logs.tar | grep -c '^a.gz$')" = 2
"$LOGHUNT" --year 2026 --no-guide ev > gated || test $? = 2
LOGHUNT_PREFILTER=0 "$LOGHUNT" --year 2026 --no-guide ev > full ||
    test $? = 2
cmp gated full
grep -q 'second member line 40000 ' gated
"$LOGHUNT" scan --year 2026 -f json ev > al.json || test $? = 2
"$LOGHUNT" scan --year 2026 --context-for al.json ev > cf || test $? = 2
LOGHUNT_PREFILTER=0 "$LOGHUNT" scan --year 2026 --context-for al.json ev \
    > cffull || test $? = 2
cmp cf cffull
grep -q 'second member line 40000 ' cf
