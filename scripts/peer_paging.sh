#!/usr/bin/env bash
# Paging throughput side by side: msgraph-rs's `.stream()` (read-ahead on and
# off), the plain reqwest + serde_json loop into a hand-written struct, the
# same loop into msgraph-rs's own Page<Message>, and graph-rs-sdk 3.0's typed
# paging stream, all scanning the same bench server (benches/paging.rs in
# `serve` mode, its own process). Every client runs in its own process, once
# per round, in an order that rotates each round; ratios are paired medians
# (client time / plain loop time in the same round), wall and CPU (the
# client process's CPU only).
#
#   scripts/peer_paging.sh                      # N = 10000,100000, 5 rounds
#   PEER_N=100000 PEER_ROUNDS=9 scripts/peer_paging.sh
#   PEER_PAGING_EXE=target/release/deps/paging-<hash> scripts/peer_paging.sh   # skip the build
#
# graph-rs-sdk is built outside the workspace (benches/peer/graph_rs_sdk has
# its own [workspace] and Cargo.lock, the root excludes benches/peer) into
# PEER_TARGET_DIR (default /tmp/peer-target), at nice 19. It never enters the
# workspace's dependency tree. Needs python3 for the table.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
sizes="${PEER_N:-10000,100000}"
rounds="${PEER_ROUNDS:-5}"
peer_target="${PEER_TARGET_DIR:-/tmp/peer-target}"
work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${PEER_PAGING_EXE:-}" ]; then
    # a paging bench binary built beforehand (a target dir shared between
    # work trees can hold another tree's binary under the same name)
    bench_exe="$PEER_PAGING_EXE"
else
    echo "building the paging bench (release) ..." >&2
    bench_exe="$(cd "$root" && cargo bench -p msgraph --bench paging --no-run --message-format=json 2>/dev/null |
    python3 -c '
import json, sys
for line in sys.stdin:
    try:
        j = json.loads(line)
    except ValueError:
        continue
    if j.get("reason") == "compiler-artifact" and j.get("executable") and j["target"]["name"] == "paging":
        print(j["executable"])
' | tail -n 1)"
fi
[ -x "$bench_exe" ] || { echo "could not build the paging bench" >&2; exit 1; }
cp "$bench_exe" "$work/paging"

echo "building graph-rs-sdk's peer (outside the workspace, $peer_target) ..." >&2
(cd "$root/benches/peer/graph_rs_sdk" &&
    nice -n 19 cargo build --release --quiet --target-dir "$peer_target")
peer_exe="$peer_target/release/peer-graph-rs-sdk"

run_client() { # name base_url
    case "$1" in
        graph-rs-sdk) "$peer_exe" "$2" ;;
        *) MSGRAPH_BENCH_PAGING_MODE=client MSGRAPH_BENCH_URL="$2" MSGRAPH_BENCH_CLIENT="$1" "$work/paging" ;;
    esac
}

# the order of the first round (later rounds rotate it); PEER_CLIENTS overrides it
read -r -a clients <<<"${PEER_CLIENTS:-sdk plain sdk-off raw graph-rs-sdk}"
results="$work/results.txt"
: >"$results"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)"
for n in ${sizes//,/ }; do
    MSGRAPH_BENCH_PAGING_MODE=serve MSGRAPH_BENCH_SERVE_N="$n" "$work/paging" >"$work/serve.out" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 600); do
        grep -qs '^base_url ' "$work/serve.out" && break
        sleep 0.1
    done
    base_url="$(awk '/^base_url /{print $2}' "$work/serve.out")"
    [ -n "$base_url" ] || { cat "$work/serve.out" >&2; exit 1; }
    # a warm-up round (not counted), then rotating rounds
    for c in "${clients[@]}"; do run_client "$c" "$base_url" >/dev/null; done
    for r in $(seq 0 $((rounds - 1))); do
        for k in $(seq 0 $((${#clients[@]} - 1))); do
            c="${clients[$(((r + k) % ${#clients[@]}))]}"
            line="$(run_client "$c" "$base_url")"
            echo "$n $r $line" >>"$results"
            # Whichever client ran right after graph-rs-sdk measured up to 10 %
            # slower (every client, in turn): an uncounted run settles it.
            if [ "$c" = graph-rs-sdk ]; then run_client plain "$base_url" >/dev/null; fi
        done
    done
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$results" <<'EOF'
import sys
from statistics import median

rows = {}
for line in open(sys.argv[1]):
    f = line.split()
    # N round "client" name "n" count "wall_ms" w "cpu_ms" c
    n, r, name, count, wall, cpu = int(f[0]), int(f[1]), f[3], int(f[5]), float(f[7]), float(f[9])
    assert count == n, f"{name} streamed {count} of {n} messages"
    rows.setdefault(n, {}).setdefault(name, {})[r] = (wall, cpu)

labels = {
    "sdk": "msgraph-rs `.stream()`, read-ahead on (default)",
    "sdk-off": "msgraph-rs `.stream()`, read-ahead off",
    "plain": "plain reqwest + serde_json, hand-written struct",
    "raw": "plain reqwest + serde_json, msgraph-rs `Page<Message>`",
    "graph-rs-sdk": "graph-rs-sdk 3.0.1 `.paging().stream::<HandPage>()`",
}

def paired(a, b, i):
    return median(a[r][i] / b[r][i] for r in a if r in b)

print()
print("| N | client | rounds | wall median | CPU median | wall / plain (paired) | CPU / plain (paired) | wall / graph-rs-sdk (paired) |")
print("|---|---|---|---|---|---|---|---|")
for n in sorted(rows):
    by = rows[n]
    for name in ["sdk", "sdk-off", "plain", "raw", "graph-rs-sdk"]:
        s = by[name]
        print(
            f"| {n} | {labels[name]} | {len(s)} | {median(v[0] for v in s.values()):.1f} ms "
            f"| {median(v[1] for v in s.values()):.1f} ms | {paired(s, by['plain'], 0):.3f} "
            f"| {paired(s, by['plain'], 1):.3f} | {paired(s, by['graph-rs-sdk'], 0):.3f} |"
        )
EOF
