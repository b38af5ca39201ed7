# Crash loops: repeated segfaults of one program on one host, summarised
# after the timeline (text) and on the alerts (json), counting every
# segfault line - also of a program no rule alerts on (python3) - and
# kern.log/syslog copies of one line once.
set -e
cat > kern.log <<'L'
Mar  2 01:00:00 web01 kernel: [ 10.000001] sshd[11]: segfault at 0 ip 00007f0000001000 sp 00007ffc00000000 error 4 in libc.so.6[7f0000000000+195000]
Mar  2 01:00:30 web01 kernel: [ 40.000001] sshd[12]: segfault at 41414141 ip 00007f0000001000 sp 00007ffc00000000 error 4 in libc.so.6[7f0000000000+195000]
Mar  2 01:01:00 web01 kernel: [ 70.000001] sshd[13]: segfault at 41414141 ip 00007f0000001000 sp 00007ffc00000000 error 4 in libc.so.6[7f0000000000+195000]
Mar  2 01:02:00 web01 kernel: [130.000001] python3[14]: segfault at 8 ip 00007f0000001000 sp 00007ffc00000000 error 6 in libpython3.11.so[7f0000000000+100000]
Mar  2 01:03:00 web01 kernel: [190.000001] python3[15]: segfault at 10 ip 00007f0000001000 sp 00007ffc00000000 error 6 in libpython3.11.so[7f0000000000+100000]
Mar  2 01:04:00 web02 kernel: [ 10.000001] sshd[16]: segfault at 0 ip 00007f0000001000 sp 00007ffc00000000 error 4 in libc.so.6[7f0000000000+195000]
L
cp kern.log syslog
"$LOGHUNT" --year 2026 --context 0 kern.log syslog > t
sed -n '/^== Crash loops ==/,/^== /p' t > loops
grep -q '^web01  sshd  3 segfaults$' loops
grep -q '^    first      2026-03-02T01:00:00.000000Z$' loops
grep -q '^    last       2026-03-02T01:01:00.000000Z$' loops
grep -q '^    addresses  0x0 0x41414141 (2 distinct)$' loops
grep -q '^web01  python3  2 segfaults$' loops
! grep -q '^web02' loops
# after the timeline, before the guides
test "$(grep -n '^== Crash loops' t | cut -d: -f1)" -lt \
    "$(grep -n '^== Segfault from' t | cut -d: -f1)"
"$LOGHUNT" --year 2026 -f json kern.log syslog > j
python3 - j <<'P'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
web01 = [d for d in docs if d["host"]["hostname"] == "web01"]
assert len(web01) == 3
for d in web01:
    cl = d["loghunt"]["crash_loop"]
    assert cl["count"] == 3 and cl["distinct_addresses"] == 2, cl
    assert cl["addresses"] == ["0x0", "0x41414141"], cl
    assert cl["first"] == "2026-03-02T01:00:00.000000Z"
assert all("crash_loop" not in d["loghunt"] for d in docs if d["host"]["hostname"] == "web02")
P
