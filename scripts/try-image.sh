#!/usr/bin/env bash
# Runs the image that scripts/build-image.sh built, the way the Kubernetes Job does (read-only root,
# user 65532, configuration and state on volumes), against the sink on this machine's 127.0.0.1:
#   1. --version;
#   2. a CET backfill --dry-run across the spring DST change, byte for byte the host binary's
#      (time zones come from the binary's ICU: the image has no zoneinfo);
#   3. a backfill with --config, --state-dir and --summary-json on volumes;
#   4. a 5 s live run;
# then checks that the sink recorded every hit the two reported, once. Exit 0 only then.
#
#   scripts/try-image.sh [IMAGE]    default localhost/trafficinator:<version>
#
# RUN_FLAGS passes what this host's podman needs. Here (root, cgroups v1 + v2 hybrid, no systemd):
#   RUN_FLAGS="--runtime runc --ulimit nofile=20000:20000 --ulimit nproc=4096:4096"
# (crun refuses hybrid cgroups; the default rlimits exceed what the host lets a container set).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
VERSION=$(node -p 'require("./package.json").version')
IMAGE=${1:-localhost/trafficinator:$VERSION}
HOST_BIN=${HOST_BIN:-dist/trafficinator}
read -r -a EXTRA <<<"${RUN_FLAGS:-}"
WORK=$(mktemp -d)
SINK_PID=
cleanup() {
  if [ -n "$SINK_PID" ] && kill -0 "$SINK_PID" 2>/dev/null; then kill -TERM "$SINK_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "try-image: FAIL: $*" >&2; exit 1; }
step() { echo "try-image: $*" >&2; }
json() { node -e 'let v=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));for(const k of process.argv[2].split("."))v=v[k];console.log(v)' "$1" "$2"; }
# The Job's pod, locally: host network (the sink is on 127.0.0.1), read-only root, a tmpfs /tmp.
in_image() { podman run --rm "${EXTRA[@]}" --network host --read-only --read-only-tmpfs "$@"; }

TOKEN="try-$$-$RANDOM"

step "1. --version"
podman image inspect "$IMAGE" --format 'image {{.Id}}: {{.Size}} bytes, user {{.Config.User}}, entrypoint {{.Config.Entrypoint}}' >&2
in_image "$IMAGE" --version

step "2. CET backfill --dry-run across 2026-03-29 (23 h), against the host binary"
DRY=(backfill --url http://127.0.0.1:9/matomo.php --from 2026-03-28 --to 2026-03-30 --timezone CET --seed 42 --max-visits-per-day 20 --dry-run)
in_image -e MATOMO_TOKEN_AUTH="$TOKEN" "$IMAGE" "${DRY[@]}" >"$WORK/dry-image.ndjson" 2>"$WORK/dry-image.err"
MATOMO_TOKEN_AUTH="$TOKEN" "$HOST_BIN" "${DRY[@]}" >"$WORK/dry-host.ndjson" 2>/dev/null
grep -E '^  2026-03-29 ' "$WORK/dry-image.err" >&2
cmp -s "$WORK/dry-image.ndjson" "$WORK/dry-host.ndjson" || fail "the image's dry run differs from the host's"
step "   same $(wc -l <"$WORK/dry-image.ndjson") hits as the host, sha256 $(sha256sum "$WORK/dry-image.ndjson" | cut -c1-16)"

step "starting the sink on 127.0.0.1"
exec 3< <(exec node dist/cli.cjs sink --port 0 --token "$TOKEN" --timezone CET --summary-json "$WORK/sink.json" 2>"$WORK/sink.err")
SINK_PID=$!
read -r -t 30 URL <&3 || fail "the sink did not start: $(cat "$WORK/sink.err")"
step "   $URL"

step "3. backfill: config, state and summary on volumes, as in deploy/kubernetes/job-backfill.yaml"
mkdir -p "$WORK/etc" "$WORK/state" "$WORK/summaries"
chmod 0777 "$WORK/state" "$WORK/summaries" # written by uid 65532
cat >"$WORK/etc/trafficinator.yaml" <<EOF
url: $URL/matomo.php
siteId: 1
timezone: CET
seed: 42
backfill: { from: 2026-03-28, to: 2026-03-30, maxVisitsPerDay: 200 }
EOF
VOLUMES=(-v "$WORK/etc:/etc/trafficinator:ro" -v "$WORK/state:/var/lib/trafficinator/state" -v "$WORK/summaries:/var/lib/trafficinator/summaries")
in_image -e MATOMO_TOKEN_AUTH="$TOKEN" "${VOLUMES[@]}" "$IMAGE" backfill --config /etc/trafficinator/trafficinator.yaml \
  --state-dir /var/lib/trafficinator/state --summary-json /var/lib/trafficinator/summaries/backfill-shard-0.json --quiet

step "4. a 5 s live run"
in_image -e MATOMO_TOKEN_AUTH="$TOKEN" "${VOLUMES[@]}" "$IMAGE" run --config /etc/trafficinator/trafficinator.yaml \
  --rps max --concurrency 50 --pause-min 0 --pause-max 0 --duration 5s --seed 7 --quiet \
  --summary-json /var/lib/trafficinator/summaries/run-shard-0.json

kill -INT "$SINK_PID"
wait "$SINK_PID" 2>/dev/null || true
SINK_PID=
BACKFILL=$(node -e 'const s=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(s.targets.flatMap(t=>t.days).reduce((n,d)=>n+d.tracked,0))' "$WORK/summaries/backfill-shard-0.json")
RUN=$(json "$WORK/summaries/run-shard-0.json" hits.ok)
RECORDED=$(json "$WORK/sink.json" hits.recorded)
DUPLICATES=$(json "$WORK/sink.json" hits.duplicates)
step "backfill tracked $BACKFILL, run ok $RUN; the sink recorded $RECORDED, duplicates $DUPLICATES"
[ "$RECORDED" -eq $((BACKFILL + RUN)) ] || fail "the sink recorded $RECORDED, the image reported $((BACKFILL + RUN))"
[ "$DUPLICATES" -eq 0 ] || fail "$DUPLICATES duplicates"
step "OK"
