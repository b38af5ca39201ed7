# rules lists both built-ins; explain finds by id, name or prefix; --rules
# loads Kibana export NDJSON and refuses what cannot run, by rule_id.
set -e
"$LOGHUNT" rules > out
grep -q "01e244f0-fef9-4102-903f-9788052b2c91  Segfault from Sensitive Process Detected" out
grep -q "fc5105ce-2584-48b6-a0cf-9ace7eeffd3c  Process Started with Executable Stack" out
grep -q "TA0006 Credential Access: T1003 OS Credential Dumping; T1212" out
grep -q "T1059.004 Unix Shell" out
"$LOGHUNT" explain fc5105ce > g
grep -q "### Possible investigation steps" g
grep -q "### False positive analysis" g
grep -q "### Response and remediation" g
"$LOGHUNT" explain "segfault from" | grep -q "Investigating Segfault"
! "$LOGHUNT" explain nothing-like-this 2> err
grep -q "no rule matches" err
cat > extra.ndjson <<'NDJ'
{"rule_id":"my-sshd-fail","name":"SSH failures","type":"query","language":"kuery","query":"process.name:sshd and message:\"Failed password\"","severity":"low","risk_score":10}
{"rule_id":"eql-one","name":"An EQL rule","type":"eql","language":"eql","query":"process where true | head 1"}
{"rule_id":"bad-kql","name":"Broken","type":"query","language":"kuery","query":"message:(a or"}
{"exported_count":3,"exported_rules_count":3,"missing_rules":[],"missing_rules_count":0}
NDJ
"$LOGHUNT" rules --rules extra.ndjson > out 2> err || true
grep -q "my-sshd-fail" out
grep -q "rule eql-one refused" err
grep -q "rule bad-kql refused" err
"$LOGHUNT" -f json --rules extra.ndjson --rule my-sshd "$FIX/ev" > hits 2> err || true
test "$(wc -l < hits)" = 2
grep -q '"name":"SSH failures"' hits
# a process name the query excludes is no word to require: the line of
# another program must still be parsed and alert (LOGHUNT_PREFILTER=0 agrees)
cat > notproc.ndjson <<'NDJ'
{"rule_id":"not-sshd","name":"Boom elsewhere","type":"query","language":"kuery","query":"not process.name:sshd and message:boom","severity":"low","risk_score":10}
NDJ
printf 'Mar  1 10:00:00 h1 app[1]: boom\nMar  1 10:00:01 h1 sshd[2]: boom\n' > np.log
"$LOGHUNT" -f json --year 2026 --rules notproc.ndjson --rule not-sshd np.log > np 2> err
test "$(wc -l < np)" = 1
grep -q '"process":{"name":"app"' np
LOGHUNT_PREFILTER=0 "$LOGHUNT" -f json --year 2026 --rules notproc.ndjson \
    --rule not-sshd np.log | cmp - np
