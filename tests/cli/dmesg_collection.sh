# dmesg saved by a collection (UAC keeps it beside [root]/etc/hostname):
# its records take the host of their evidence root and the wall time of
# their boot, dated by kernel lines that carry both clocks; the same kernel
# message in kern.log and in dmesg is one alert with both sources.
set -e
mkdir -p "c/uac-web01/[root]/etc" "c/uac-web01/[root]/var/log" \
    c/uac-web01/live_response/system c/lone
echo web01 > "c/uac-web01/[root]/etc/hostname"
cat > "c/uac-web01/[root]/var/log/kern.log" <<'L'
Jan 10 10:00:00 web01 kernel: [  100.000000] sshd[1111]: segfault at 0 ip 00007f3a2b1c4d5e sp 00007ffd1a2b3c40 error 4 in libc.so.6[7f3a2b000000+195000]
Jan 10 10:00:05 web01 kernel: [  105.000000] e1000: eth0 NIC Link is Up
L
cat > c/uac-web01/live_response/system/dmesg.txt <<'L'
[    0.000000] Linux version 6.1.0-13-amd64
[  100.000000] sshd[1111]: segfault at 0 ip 00007f3a2b1c4d5e sp 00007ffd1a2b3c40 error 4 in libc.so.6[7f3a2b000000+195000]
[  200.500000] sshd[2222]: segfault at 8 ip 00007f3a2b1c4d5e sp 00007ffd1a2b3c40 error 6 in libc.so.6[7f3a2b000000+195000]
L
# a copy elsewhere holds the same boot (a twin proves it): dated too
cp c/uac-web01/live_response/system/dmesg.txt c/lone/dmesg
# a dmesg with nothing to date it by stays boot-relative, inside loghunt
mkdir c/other
sed 's/^\[  \([12]\)/[  4\1/' c/lone/dmesg > c/other/dmesg
"$LOGHUNT" scan --year 2026 -f json c > out.json
"$LOGHUNT" scan --year 2026 -f json c/other > other.json
python3 - <<'PY'
import json
docs = [json.loads(l) for l in open("out.json")]
timed = [d for d in docs if d["@timestamp"]]
assert len(timed) == 2, docs
twin, later = timed
def files(d):
    return sorted(s["path"] for s in d["loghunt"]["sources"])
assert twin["@timestamp"] == "2026-01-10T10:00:00.000000Z"
assert twin["host"]["hostname"] == "web01"
assert files(twin) == ["c/lone/dmesg", "c/uac-web01/[root]/var/log/kern.log",
                       "c/uac-web01/live_response/system/dmesg.txt"], files(twin)
assert later["@timestamp"] == "2026-01-10T10:01:40.500000Z"
assert later["host"]["hostname"] == "web01"
assert later["loghunt"]["time_from_boot"] is True
assert files(later) == ["c/lone/dmesg", "c/uac-web01/live_response/system/dmesg.txt"]
lone = [d for d in docs if not d["@timestamp"]]
assert [files(d) for d in lone] == [["c/other/dmesg"]] * 2, lone
for d in docs:
    assert "loghunt.boot_relative_us" not in d
other = [json.loads(l) for l in open("other.json")]
assert sorted(d["loghunt"]["boot_relative_us"] for d in other) == [4100000000, 4200500000]
PY
