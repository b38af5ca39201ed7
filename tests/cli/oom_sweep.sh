# Out of memory (STYLE.md 3.4): fails each allocation of a run in turn
# (tests/cli/failmalloc.c, LD_PRELOAD) and checks that loghunt either
# still succeeds with the same stdout and exit status, or exits 2 saying
# "out of memory": never a crash, a hang, or a different result.
# Every allocation is swept (stride 1): about 8,100 runs (the built-in
# rules are all parsed before one is chosen), two at a time (JOBS, one
# per core of the CI machine), about 4 minutes.
#
# Excluded: an allocation that json-c 0.16 itself makes and then ignores
# the failure of.  json_tokener_parse_ex() strdup()s an object key without
# a check and json_object_object_add_ex() then takes strlen(NULL) (SIGSEGV),
# and a failed json_object_new_string() drops the member without an error
# (a rule loses its severity).  The shim names the caller of the failed
# allocation (LH_FAIL_WHO): libjson-c's are counted apart, not failed.
# These are reached while loading the built-in rules (before any input)
# and through JSON input read by formats/json.c.
CC=${CC:-cc}
command -v "$CC" > /dev/null 2>&1 || { echo "skip: no C compiler"; exit 0; }
"$CC" -shared -fPIC -O1 -o "$T/failmalloc.so" "$TOP/tests/cli/failmalloc.c" \
    -ldl 2> /dev/null || { echo "skip: cannot build the shim"; exit 0; }
to=
command -v timeout > /dev/null 2>&1 && to="timeout 10"
SO=$T/failmalloc.so
bad=0

JOBS=2

# part K N ARGS...: fails allocations K + 1, K + 1 + JOBS, ... up to N of
# loghunt ARGS in turn (files of its own: $T/*K), printing each wrong
# result, then a last line "same oom lib fail" with the counts
part() {
	k=$1
	n=$2
	shift 2
	i=$((k + 1)) same=0 oom=0 lib=0 fail=0
	while [ $i -le "$n" ]; do
		rm -f "$T/who$k"
		LD_PRELOAD=$SO LH_FAIL_AT=$i LH_FAIL_WHO=$T/who$k $to \
		    "$LOGHUNT" "$@" > "$T/out$k" 2> "$T/err$k"
		rc=$?
		if [ $rc = $brc ] && cmp -s "$T/out$k" "$T/base"; then
			same=$((same + 1))
		elif [ $rc = 2 ] && grep -q "out of memory" "$T/err$k"; then
			oom=$((oom + 1))
		elif grep -q "^libjson-c" "$T/who$k" 2> /dev/null; then
			lib=$((lib + 1))
		else
			fail=$((fail + 1))
			echo "$name: allocation $i: exit $rc, failed in" \
			    "$(cat "$T/who$k" 2> /dev/null)"
			head -c 300 "$T/err$k"
			echo
		fi
		i=$((i + JOBS))
	done
	echo "$same $oom $lib $fail"
}

# sweep NAME ARGS...: every allocation of loghunt ARGS
sweep() {
	name=$1
	shift
	"$LOGHUNT" "$@" > "$T/plain" 2> /dev/null
	prc=$?
	LD_PRELOAD=$SO LH_COUNT_TO=$T/count "$LOGHUNT" "$@" > "$T/base" 2> /dev/null
	brc=$?
	# a sanitizer build refuses the preloaded shim: nothing to sweep
	if [ $brc != $prc ] || ! cmp -s "$T/base" "$T/plain" ||
	    [ ! -s "$T/count" ]; then
		echo "skip $name: the shim does not load with this binary"
		return
	fi
	n=$(cat "$T/count")
	k=0
	while [ $k -lt "$JOBS" ]; do
		part "$k" "$n" "$@" > "$T/part$k" &
		k=$((k + 1))
	done
	wait
	same=0 oom=0 lib=0 fail=0
	k=0
	while [ $k -lt "$JOBS" ]; do
		sed '$d' "$T/part$k"	# the wrong ones, as they came
		set -- $(tail -n 1 "$T/part$k")
		same=$((same + $1)) oom=$((oom + $2)) lib=$((lib + $3))
		fail=$((fail + $4))
		k=$((k + 1))
	done
	echo "$name: $n allocations: $same same, $oom out of memory," \
	    "$lib json-c (excluded), $fail wrong"
	test $fail = 0 || bad=1
}

ev=$TOP/testdata/evidence
sm=$TOP/testdata/samples
sweep rule -j1 -f json --rule 01e244f0 "$ev"
sweep query query -j1 -f json 'process.name:sshd' "$ev" \
    "$sm/journalctl-json-records.ndjson" "$sm/beats-journald-journal1.export"
exit $bad
