#!/bin/sh
# bench/run.sh [SIZE] [SEED]: the performance figures of SPEC §9, measured
# side by side in one run with public tools (hyperfine, /usr/bin/time -v).
#
#   1. generates the evidence tree (../shared/bench/gen-corpus --size SIZE)
#   2. computes its decompression floor (../shared/bench/floor)
#   3. times loghunt scan -f json (default threads and -j 1), the text
#      timeline, every built-in rule, one stateful rule alone (the EQL
#      sequence "Potential External Linux SSH Brute Force Detected", which
#      raises nothing on the corpus: what parsing the authentication events
#      and feeding them costs by itself), scan --context-for, loghunt query
#      (the benchmark query of SPEC §9 as JSON, text and CSV, and a query
#      that matches nothing) and rg -z -c over the same tree; with
#      LH_REF=BINARY (another loghunt, e.g. the last release), the
#      benchmark query is timed with it too, side by side
#   4. prints the benchmark query's events/s for each format, its CPU
#      seconds (user + system, median of 3; the workers' and the merger's
#      work, which wall time hides on a busy machine) beside LH_REF's,
#      peak memory (maximum resident set) of each loghunt run, and
#      checks the alerts (../shared/bench/check-alerts)
#   5. times the text timeline, --rule all and the one stateful rule
#      against the JSON scan again
#      in alternation (bench/pair.sh, PAIRS pairs, default 11): on a
#      shared machine the ratio within pairs is the steadier figure
#
# Needs: hyperfine, ripgrep, python3 (apt-get install hyperfine ripgrep).
# (-i: a run that finds nothing exits 1 by design, as query-none does.)
# Writes only under bench/out/.  Default: SIZE=1G SEED=3.
set -e
size=${1:-1G}
seed=${2:-3}
top=$(cd "$(dirname "$0")/.." && pwd)
shared=$(cd "$top/../shared" && pwd)
out="$top/bench/out"
corpus="$out/corpus-$size-$seed"
lh="$top/loghunt"
ref=${LH_REF:-}
pairs=${PAIRS:-11}
mkdir -p "$out"
[ -x "$lh" ] || make -C "$top" -s
if [ ! -f "$corpus/expected-alerts.jsonl" ]; then
	"$shared/bench/gen-corpus" --size "$size" --seed "$seed" "$corpus"
fi
ev="$corpus/evidence"
one=fa210b61-b627-4e5e-86f4-17e8270656ab
q='process.name:sshd and message:"Failed password"'
echo "== machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "== corpus: $(python3 -c "import json;m=json.load(open('$corpus/manifest.json'));print('%d files, %.0f MB of logs, %.0f MB stored, %d events' % (len(m['files']), m['uncompressed_bytes']/1e6, m['stored_bytes']/1e6, m['events']))")"
floor=$("$shared/bench/floor" "$ev" | sed -n 's/^floor: \([0-9.]*\) s.*/\1/p')
echo "== floor: $floor s"
cat "$ev" > /dev/null 2>&1 || true
find "$ev" -type f -exec cat {} + > /dev/null   # warm the page cache
# the alerts that `scan --context-for` (a part's triage events) reads
"$lh" scan --format json "$ev" > "$out/alerts.jsonl" || true
set --
[ -n "$ref" ] && set -- -n query-ref "$ref query '$q' -f json $ev"
hyperfine -N -i -w 1 -r 5 --export-json "$out/times.json" "$@" \
    -n scan "$lh scan --format json $ev" \
    -n scan-j1 "$lh scan -j 1 --format json $ev" \
    -n query "$lh query '$q' -f json $ev" \
    -n query-text "$lh query '$q' $ev" \
    -n query-csv "$lh query '$q' -f csv $ev" \
    -n query-none "$lh query -f json message:xyzzyq $ev" \
    -n text "$lh $ev" \
    -n rule-all "$lh scan --format json --rule all $ev" \
    -n rule-one "$lh scan --format json --rule $one $ev" \
    -n ctx-for "$lh scan --context-for $out/alerts.jsonl $ev" \
    -n rg "rg -z -c -e segfault -e 'started with executable stack' $ev" \
    > "$out/hyperfine.txt" 2>&1 || { cat "$out/hyperfine.txt"; exit 1; }
rss() { /usr/bin/time -f %M "$@" > /dev/null 2> "$out/rss"; tail -n 1 "$out/rss"; }
rss_scan=$(rss "$lh" scan --format json "$ev")
rss_query=$(rss "$lh" query "$q" -f json "$ev")
rss_all=$(rss "$lh" query -f json host.os.type:linux "$ev")
rss_rules=$(rss "$lh" scan --format json --rule all "$ev")
# CPU seconds (user + system) of the benchmark query: median of 3
cpu() {
	for i in 1 2 3; do
		/usr/bin/time -f '%U %S' "$@" > /dev/null 2> "$out/cpu"
		tail -n 1 "$out/cpu"
	done | awk '{ print $1 + $2 }' | sort -n | sed -n 2p
}
cpu_query=$(cpu "$lh" query "$q" -f json "$ev")
cpu_ref=-
[ -n "$ref" ] && cpu_ref=$(cpu "$ref" query "$q" -f json "$ev")
events=$(python3 -c "import json;print(json.load(open('$corpus/manifest.json'))['events'])")
python3 - "$out/times.json" "$floor" "$events" "$rss_scan" "$rss_query" "$rss_all" "$rss_rules" "$cpu_query" "$cpu_ref" <<'PY'
import json, sys
t = {r["command"]: r["median"] for r in json.load(open(sys.argv[1]))["results"]}
floor, events = float(sys.argv[2]), int(sys.argv[3])
print("%-10s %8s" % ("command", "median s"))
for k in ("scan", "scan-j1", "query", "query-text", "query-csv", "query-ref",
          "query-none", "text", "rule-all", "rule-one", "ctx-for", "rg"):
    if k in t:
        print("%-10s %8.3f" % (k, t[k]))
print("scan / floor        %.2f  (target <= 1.25)" % (t["scan"] / floor))
print("scan / rg           %.2f  (target < 1)" % (t["scan"] / t["rg"]))
print("-j 1 / default      %.2f  (target >= 1.7)" % (t["scan-j1"] / t["scan"]))
print("query events/s      %.2f M (target >= 2)" % (events / t["query"] / 1e6))
print("query-text events/s %.2f M (target >= 2)" % (events / t["query-text"] / 1e6))
print("query-csv events/s  %.2f M" % (events / t["query-csv"] / 1e6))
if "query-ref" in t:
    print("query-ref events/s  %.2f M (LH_REF, side by side)" % (events / t["query-ref"] / 1e6))
print("query CPU s         %s (LH_REF: %s)" % (sys.argv[8], sys.argv[9]))
print("text / scan         %.2f  (target <= 1.5: the context pass)" % (t["text"] / t["scan"]))
print("rule-all / scan     %.2f  (target <= 1.3: all 18 rules)" % (t["rule-all"] / t["scan"]))
print("rule-one / scan     %.2f  (one stateful rule, no alert)" % (t["rule-one"] / t["scan"]))
print("ctx-for / scan      %.2f  (a part's triage events for merge)" % (t["ctx-for"] / t["scan"]))
print("peak RSS scan %.1f MB, query %.1f MB (target < 100)" % (int(sys.argv[4]) / 1024, int(sys.argv[5]) / 1024))
print("peak RSS query of every event %.1f MB (target < 256), --rule all %.1f MB" % (int(sys.argv[6]) / 1024, int(sys.argv[7]) / 1024))
PY
"$shared/bench/check-alerts" --sources "$corpus/expected-alerts.jsonl" "$out/alerts.jsonl" | tail -n 2
echo "== in alternation ($pairs pairs, bench/pair.sh)"
sh "$top/bench/pair.sh" "$pairs" "$lh $ev" "$lh scan --format json $ev" |
    sed -n 's/^/text vs scan: /p' | tail -n 2
sh "$top/bench/pair.sh" "$pairs" "$lh scan --format json --rule all $ev" \
    "$lh scan --format json $ev" | sed -n 's/^/rule-all vs scan: /p' |
    tail -n 2
sh "$top/bench/pair.sh" "$pairs" "$lh scan --format json --rule $one $ev" \
    "$lh scan --format json $ev" | sed -n 's/^/rule-one vs scan: /p' |
    tail -n 2
