# Many alerts are rendered on two threads (cli/output_par.c) and written
# in order: the output is byte for byte that of one thread (-j 1) in every
# format, with query alerts (1500 kernel segfaults of sensitive programs)
# and new_terms alerts (sshd logins from new addresses and keys) mixed.
set -e
awk 'BEGIN {
	split("sshd cron atd dbus-daemon httpd", p, " ")
	for (i = 0; i < 1500; i++) {
		s = i * 7
		printf "Jan %2d %02d:%02d:%02d web1 kernel: [%6d.%06d] " \
		    "%s[%d]: segfault at %x ip 00007f%010x sp 00007ffd%08x " \
		    "error 4 in libc.so.6[7f0000000000+195000]\n",
		    10 + int(s / 86400), int(s / 3600) % 24, int(s / 60) % 60,
		    s % 60, 100 + i, i, p[1 + i % 5], 1000 + i, i * 16,
		    i * 4096, i * 8
	}
}' > kern.log
awk 'BEGIN {
	for (i = 0; i < 1200; i++) {
		s = 86400 + i * 1500
		printf "Jan %2d %02d:%02d:%02d web1 sshd[%d]: Accepted " \
		    "publickey for u%d from 10.%d.%d.%d port %d ssh2: RSA " \
		    "SHA256:k%d\n", 1 + int(s / 86400), int(s / 3600) % 24,
		    int(s / 60) % 60, s % 60, 2000 + i, i % 7, int(i / 65536),
		    int(i / 256) % 256, i % 256, 40000 + i, i
	}
}' > auth.log
test "$(wc -l < kern.log)" = 1500
test "$(wc -l < auth.log)" = 1200
for f in json text csv; do
	"$LOGHUNT" -f $f -j 1 --rule all auth.log kern.log > one.$f
	for j in 2 3; do
		"$LOGHUNT" -f $f -j $j --rule all auth.log kern.log > two.$f
		cmp one.$f two.$f
	done
done
# every segfault is an alert, and every login after the first history
# window from a new address or with a new key
test "$(grep -c '"id":"01e244f0' one.json)" = 1500
test "$(grep -c '"new_terms":\[' one.json)" = 1824
test "$(wc -l < one.json)" = 3324
head -1 one.text | grep -qx '3324 alerts'
test "$(sed 1d one.csv | wc -l)" = 3324
# a write error stops the output: exit status 2 with -j 2 too
if "$LOGHUNT" -f json -j 2 --rule all auth.log kern.log > /dev/full; then
	exit 1
fi
