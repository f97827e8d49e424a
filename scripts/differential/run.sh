#!/usr/bin/env bash
# Differential test of rolecall against @cloud-copilot/iam-simulate.
#
# iam-simulate is AGPL-licensed: it is installed from npm into a temporary
# folder for this run only and called as a separate process; nothing of it
# is vendored or committed.
#
# Usage: scripts/differential/run.sh [COUNT] [SEED] [--validated]
#   COUNT  random requests to generate (default 100000)
#   SEED   generator seed (default 1)
#   --validated  compare against iam-simulate's validated entry point
#                (runSimulation) instead of runUnsafeSimulation
# Also prints iam-simulate's throughput on both entry points.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
count="${1:-100000}"
seed="${2:-1}"
mode="${3:-}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm init -y >/dev/null && npm install --silent @cloud-copilot/iam-simulate >/dev/null)
# Only `simulate` is used: skip the `live` feature (AWS SDK) to halve the build.
cargo build --release --quiet --no-default-features --manifest-path "$root/Cargo.toml" --bin rolecall
bin="$root/target/release/rolecall"

python3 "$here/generate.py" "$count" "$seed" > "$work/requests.jsonl"
head -n 5000 "$work/requests.jsonl" > "$work/bench.jsonl"
echo "iam-simulate throughput on this machine:"
IAM_SIMULATE_DIR="$work" node "$here/iam-simulate.mjs" --bench 4 < "$work/bench.jsonl"
IAM_SIMULATE_DIR="$work" node "$here/iam-simulate.mjs" --bench 1 --validated < "$work/bench.jsonl"
python3 "$here/compare.py" "$work/requests.jsonl" "$bin" "$work" $mode
