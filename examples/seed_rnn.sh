#!/usr/bin/env bash
# The seed tutorial's experiment as a Trainyard job: the server trains the hand-built RNN cell
# (hidden 35, Adam 0.01, MSE, 1000 steps, i.e. passes over the sentence: the seed-rnn defaults), we poll it, then ask it to generate.
#
#   examples/seed_rnn.sh                          # server at $TRAINYARD_URL, default http://localhost:8080
#   STEPS=300 examples/seed_rnn.sh
#
# Needs curl and python3 (to read JSON). Set TRAINYARD_API_KEY for a team server.
set -euo pipefail

URL="${TRAINYARD_URL:-http://localhost:8080}"
API="$URL/api/v1"
PROJECT="${PROJECT:-seed-rnn}"
AUTH=()
if [[ -n "${TRAINYARD_API_KEY:-}" ]]; then AUTH=(-H "Authorization: Bearer $TRAINYARD_API_KEY"); fi

api() {  # api METHOD PATH [JSON BODY]: prints the answer, fails on an HTTP error
  curl -sS --fail-with-body -X "$1" ${AUTH[@]+"${AUTH[@]}"} -H 'Content-Type: application/json' "$API$2" ${3:+-d "$3"}
}
field() {  # field NAME < JSON: one top-level field, or progress.NAME
  python3 -c 'import json, sys
d = json.load(sys.stdin); k = sys.argv[1]
v = d.get(k, (d.get("job") or {}).get("progress", {}).get(k, ""))
print(v if v is not None else "")' "$1"
}

STEPS=${STEPS:-${EPOCHS:-}} # EPOCHS: what this script's variable was called before steps
job='{"model": "seed-rnn"'${STEPS:+', "steps": '$STEPS}'}'
run=$(api POST /runs '{"project": "'"$PROJECT"'", "name": "seed-rnn-job", "job": '"$job"'}')
id=$(field id <<<"$run")
echo "run $id queued: $URL/runs/$id"

while :; do
  run=$(api GET "/runs/$id")
  state=$(field state <<<"$run")
  case "$state" in
    FINISHED) break ;;
    FAILED | CANCELLED | CRASHED)
      echo "run $id ended $state: $(field error <<<"$run")" >&2
      exit 1 ;;
  esac
  printf '\r%-8s step %s/%s' "$state" "$(field step <<<"$run")" "$(field steps <<<"$run")"
  sleep 2
done
printf '\rFINISHED; final loss %s\n' "$(python3 -c 'import json, sys; print(json.load(sys.stdin)["summary"].get("loss"))' <<<"$run")"

api POST "/runs/$id/generate" '{}' | field text
