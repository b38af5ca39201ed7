# Distinct records are never folded (SPEC 15): the documents of a JSON array
# and of a search-response wrapper each report the line they start on, so
# two identical documents at different places are two events.
set -e
cat > arr.json <<'J'
[
  {"@timestamp": "2026-01-02T03:04:05Z", "host": {"hostname": "h1"}, "message": "same"},
  {"@timestamp": "2026-01-02T03:04:05Z", "host": {"hostname": "h1"}, "message": "other"},
  {
    "@timestamp": "2026-01-02T03:04:05Z", "host": {"hostname": "h1"}, "message": "same"
  },
  {"@timestamp": "2026-01-02T03:04:06Z", "host": {"hostname": "h1"}, "message": "x"}
]
J
"$LOGHUNT" query -f json '*' arr.json > out
[ "$(wc -l < out)" = 4 ]
[ "$(grep -o '"line":[0-9]*' out | sort -u | wc -l)" = 4 ]
grep -q '"message":"same".*"line":2' out
grep -q '"message":"same".*"line":4' out
cat > hits.json <<'J'
{"hits": {"total": 2, "hits": [
 {"_source": {"@timestamp": "2026-01-02T03:04:05Z", "message": "m"}},
 {"_source": {"@timestamp": "2026-01-02T03:04:05Z", "message": "m"}}]}}
J
"$LOGHUNT" query -f json '*' hits.json > out
[ "$(wc -l < out)" = 2 ]
grep -q '"line":2' out
grep -q '"line":3' out
