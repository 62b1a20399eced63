#!/usr/bin/env bash
# What a user's own CI runs against trafficinator: every command end to end against the built-in
# sink on 127.0.0.1, then the sink's counts against the generator's reports. Exit 0 only when every
# hit sent was recorded exactly once.
#
#   scripts/smoke.sh [BIN]      BIN: dist/trafficinator (default), or "node dist/cli.cjs"
set -euo pipefail

BIN=${1:-dist/trafficinator}
read -r -a CMD <<<"$BIN"
WORK=$(mktemp -d)
SINK_PID=
cleanup() {
  if [ -n "$SINK_PID" ] && kill -0 "$SINK_PID" 2>/dev/null; then kill -TERM "$SINK_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "smoke: FAIL: $*" >&2; exit 1; }
step() { echo "smoke: $*" >&2; }

# json FILE a.b.0.c -> the value (jq, python3 or node: whichever the CI machine has).
json() {
  if command -v jq >/dev/null; then jq -r ".$(echo "$2" | sed -E 's/\.([0-9]+)/[\1]/g')" "$1"
  elif command -v python3 >/dev/null; then
    python3 -c 'import json,sys
v=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): v=v[int(k)] if isinstance(v,list) else v[k]
print(v)' "$1" "$2"
  else node -e 'let v=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));for(const k of process.argv[2].split("."))v=v[k];console.log(v)' "$1" "$2"
  fi
}

TOKEN="smoke-$$-$RANDOM"
echo "$TOKEN" >"$WORK/token.txt"
chmod 600 "$WORK/token.txt"

step "starting the sink"
# Its first stdout line is the base URL: reading it is the readiness signal.
exec 3< <(exec "${CMD[@]}" sink --port 0 --token "$TOKEN" --timezone CET --summary-json "$WORK/sink.json" 2>"$WORK/sink.err")
SINK_PID=$!
read -r -t 60 URL <&3 || fail "the sink did not start: $(cat "$WORK/sink.err")"
[[ "$URL" == http://127.0.0.1:* ]] || fail "the sink printed no URL"
COMMON=(--preset smoke --url "$URL/matomo.php" --site-id 1 --token-auth-file "$WORK/token.txt")
# Two past local days, ending the day before yesterday (CET), so no cdt is ever in the future.
WINDOW=(--days-back 3 --duration-days 2 --seed 5 --state-dir "$WORK/state")

step "validate (connection and token checked through the sink's Reporting API)"
"${CMD[@]}" validate "${COMMON[@]}" || fail "validate"

step "run --preset smoke with thresholds"
"${CMD[@]}" run "${COMMON[@]}" --seed 1 --max-error-rate 0 --min-rate-ratio 0.9 --max-dropped 0 \
  --summary-json "$WORK/run.json" --quiet || fail "run (exit $?)"

step "backfill of 2 past days (bulk)"
"${CMD[@]}" backfill "${COMMON[@]}" "${WINDOW[@]}" --summary-json "$WORK/backfill.json" --quiet || fail "backfill (exit $?)"

step "backfill --resume finds nothing left"
"${CMD[@]}" backfill "${COMMON[@]}" "${WINDOW[@]}" --resume >"$WORK/resume.out" 2>&1 || fail "resume (exit $?)"
grep -q "nothing left to resume" "$WORK/resume.out" || fail "resume did not find the window complete: $(cat "$WORK/resume.out")"

step "verify the backfilled days"
"${CMD[@]}" verify "${COMMON[@]}" "${WINDOW[@]}" || fail "verify: Matomo's (the sink's) days differ from the plan"

step "stopping the sink"
kill -TERM "$SINK_PID"
wait "$SINK_PID" || true
SINK_PID=
[ -s "$WORK/sink.json" ] || fail "the sink wrote no summary"

run_ok=$(json "$WORK/run.json" hits.ok)
run_failed=$(json "$WORK/run.json" hits.failed)
bf_planned=$(json "$WORK/backfill.json" targets.0.totals.hits)
bf_tracked=$(json "$WORK/backfill.json" targets.0.totals.tracked)
recorded=$(json "$WORK/sink.json" hits.recorded)
rejected=$(json "$WORK/sink.json" hits.rejected)
duplicates=$(json "$WORK/sink.json" hits.duplicates)

printf 'smoke: run ok %s (failed %s), backfill tracked %s of %s planned; sink recorded %s, rejected %s, duplicates %s\n' \
  "$run_ok" "$run_failed" "$bf_tracked" "$bf_planned" "$recorded" "$rejected" "$duplicates" >&2
[ "$run_ok" -gt 0 ] || fail "the run sent nothing"
[ "$run_failed" -eq 0 ] || fail "the run had failed hits"
[ "$bf_tracked" -eq "$bf_planned" ] || fail "backfill: tracked $bf_tracked of $bf_planned planned hits"
[ "$recorded" -eq $((run_ok + bf_tracked)) ] || fail "the sink recorded $recorded hits, the generator reports $((run_ok + bf_tracked))"
[ "$rejected" -eq 0 ] || fail "the sink rejected $rejected hits"
[ "$duplicates" -eq 0 ] || fail "the sink saw $duplicates duplicate hits"
echo "smoke: ok: every hit sent was recorded exactly once" >&2
