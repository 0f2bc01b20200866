#!/usr/bin/env bash
# No panic on any input, at scale: feeds at least 100,000 mutated payloads to
# every model (each payload goes to every model deserializer), plus random
# strings to the header and id parsers. Prints the count and any failure.
#   scripts/fuzz.sh            # 100,000 per model
#   scripts/fuzz.sh 1000000    # more
set -euo pipefail
cd "$(dirname "$0")/.."
per_model="${1:-100000}"
samples=$(find testdata/graph-samples -name '*.json' | wc -l)
# every case feeds two payloads (a JSON mutation and a byte mutation) per sample
cases=$(( (per_model + 2 * samples - 1) / (2 * samples) ))
echo "samples: $samples, cases per sample: $cases, payloads per model: $(( cases * 2 * samples ))"
MSGRAPH_FUZZ_CASES="$cases" cargo test --release -p msgraph --all-features --test no_panics -- --nocapture
