#!/bin/sh
# run.sh BUILD SECONDS TARGET...: runs each libFuzzer target in turn for
# SECONDS, one process at a time (-jobs=1), from a seed corpus generated
# here out of testdata/ and rules/ plus the hand seeds and crash
# regressions in tests/fuzz/seeds/TARGET/.  Every seed is first run once
# (the regression check); then the fuzzer runs.  Findings go to
# BUILD/fuzz/crash/, statistics to BUILD/fuzz/stats.log (one line per run:
# target, seconds, executions).  Exits 1 on the first finding.
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
b=$1 secs=$2
shift 2
out="$b/fuzz"
mkdir -p "$out/crash" "$out/log"

# seed FILE DIR: the file with the control byte in front (fuzz_mem.h):
# whole 64 KiB refills, and 7-byte chunks so records straddle refills.
seed() {
	n=$(basename "$1")
	{ printf '\005'; head -c 16384 "$1"; } > "$2/$n.a"
	{ printf '\002'; head -c 4096 "$1"; } > "$2/$n.b"
}

gen() {
	d="$out/seeds/$1"
	rm -rf "$d"
	mkdir -p "$d"
	s="$top/testdata/samples"
	case $1 in
	syslog)
		for f in $(find "$top/testdata/evidence" -type f) $s/*.log; do
			seed "$f" "$d"
		done ;;
	journal_export)
		for f in $s/*.export; do seed "$f" "$d"; done ;;
	json)
		for f in $s/*.json $s/*.ndjson; do seed "$f" "$d"; done ;;
	kql)
		python3 - "$top/rules" "$d" <<'PY'
import json, os, sys
i = 0
for n in sorted(os.listdir(sys.argv[1])):
    for line in open(os.path.join(sys.argv[1], n)):
        q = json.loads(line).get("query")
        if q:
            open(os.path.join(sys.argv[2], "rule%d" % i), "w").write(
                q + "\nkernel: segfault at 0 ip 00007f sp 0 error 4 in sshd")
            i += 1
PY
		;;
	rules)
		for f in "$top"/rules/*.ndjson; do
			cp "$f" "$d/"
			head -c 2000 "$f" > "$d/$(basename "$f").cut"
		done ;;
	analyzer)
		python3 - "$top/testdata/analyzer-cases.jsonl" "$d" <<'PY'
import json, os, sys
for i, line in enumerate(open(sys.argv[1])):
    open(os.path.join(sys.argv[2], "case%d" % i), "w").write(
        json.loads(line)["input"])
PY
		head -c 8192 "$s/loghub-Linux_2k.head.log" > "$d/loghub" ;;
	esac
	if [ -d "$top/tests/fuzz/seeds/$1" ]; then
		cp "$top/tests/fuzz/seeds/$1"/* "$d/" 2>/dev/null || true
	fi
}

for t in "$@"; do
	bin="$b/fuzz/fuzz_$t"
	gen "$t"
	mkdir -p "$out/corpus/$t"
	log="$out/log/$t.log"
	# the regressions and seeds, each once
	"$bin" -runs=0 "$out/seeds/$t" > "$log" 2>&1 ||
	    { tail -n 40 "$log"; echo "fuzz: $t fails on a seed"; exit 1; }
	echo "fuzz: $t for ${secs}s"
	if ! ASAN_OPTIONS=detect_leaks=1 "$bin" -max_total_time="$secs" \
	    -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
	    -artifact_prefix="$out/crash/$t-" \
	    "$out/corpus/$t" "$out/seeds/$t" >> "$log" 2>&1; then
		tail -n 60 "$log"
		echo "fuzz: $t: finding in $out/crash/"
		exit 1
	fi
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	echo "$t $secs $runs" >> "$out/stats.log"
	echo "fuzz: $t: $runs executions"
done
