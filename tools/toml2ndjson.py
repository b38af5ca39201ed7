#!/usr/bin/env python3
"""Convert an elastic/detection-rules TOML rule into one line of Kibana
rule-export NDJSON (the format `loghunt --rules` reads and rules/ holds).

    tools/toml2ndjson.py RULE.toml [VERSION] > rules/NAME.ndjson

Fields the TOML leaves out get Kibana's defaults (interval 5m, to now,
max_signals 100, references [], false_positives []); see the reference
notes on the export format.  The keys of other rule types are carried as
Kibana exports them: new_terms_fields and history_window_start (new_terms
rules), building_block_type (building blocks).  The output is ASCII (other
characters as \\u escapes): the build embeds it as a C char array.  Run
by hand when a rule is updated.
"""
import json, sys, tomllib

def main():
    with open(sys.argv[1], "rb") as f:
        doc = tomllib.load(f)
    r = doc["rule"]
    out = {
        "rule_id": r["rule_id"], "name": r["name"], "description": r["description"].strip().replace("\n", " "),
        "type": r["type"], "language": r["language"], "query": r["query"].lstrip("\n"),
        "index": r.get("index", []), "from": r.get("from", "now-6m"), "to": "now", "interval": "5m",
        "max_signals": r.get("max_signals", 100), "enabled": True, "severity": r["severity"], "severity_mapping": [],
        "risk_score": r["risk_score"], "risk_score_mapping": [], "author": r.get("author", []),
        "license": r.get("license", ""), "tags": r.get("tags", []), "threat": r.get("threat", []),
        "timestamp_override": r.get("timestamp_override"), "note": r.get("note", ""),
        "setup": r.get("setup", ""), "references": r.get("references", []),
        "false_positives": r.get("false_positives", []), "exceptions_list": [],
        "related_integrations": [{"package": i, "version": ">=2.0.0"} for i in doc["metadata"].get("integration", [])],
        "required_fields": [], "immutable": True,
        "rule_source": {"type": "external", "is_customized": False},
        "version": int(sys.argv[2]) if len(sys.argv) > 2 else 1, "revision": 0, "actions": [],
    }
    nt = r.get("new_terms")
    if nt is not None:
        out["new_terms_fields"] = nt["value"]
        out["history_window_start"] = nt["history_window_start"][0]["value"]
    if "building_block_type" in r:
        out["building_block_type"] = r["building_block_type"]
    print(json.dumps(out, ensure_ascii=True, separators=(",", ":")))

main()
