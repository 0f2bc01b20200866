#!/usr/bin/env bash
# Cold build of a one-line app on msgraph-rs against the same app on
# graph-rs-sdk 3.0.1 (crates.io, default features), each in a fresh target
# directory, one after another on this machine. Prints wall and CPU seconds
# (user + sys: less sensitive to other load than wall time) and the ratios.
#
#   scripts/build_compare.sh              # cargo build --release (issue 21's measure)
#   PROFILE=dev scripts/build_compare.sh  # debug builds (what `cargo run` costs a developer)
#   TIMINGS=1 ...                         # also cargo's --timings report per project
#
# Both sides use rustls: graph-rs-sdk with `default-features = false,
# features = ["rustls-tls"]` (its default is native-tls, which links the
# system's OpenSSL instead of compiling a TLS stack).
#
# graph-rs-sdk is only ever built in the throwaway projects this script
# writes under $WORK (default: a new temp dir); it never enters the workspace.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-$(mktemp -d)}
profile=${PROFILE:-release}
echo "projects in $work, profile $profile, $(nproc) cores, rustc $(rustc --version | cut -d' ' -f2)"

project() { # name, dependency line
  mkdir -p "$work/$1/src"
  cat > "$work/$1/Cargo.toml" <<EOF
[package]
name = "$1"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
$2
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }

[workspace]
EOF
  echo 'fn main() {}' > "$work/$1/src/main.rs"
}

project msgraph_default "msgraph = { path = \"$root\" }"
project msgraph_mail "msgraph = { path = \"$root\", default-features = false, features = [\"rustls\", \"mail\", \"auth\"] }"
project graph_rs_sdk 'graph-rs-sdk = { version = "=3.0.1", default-features = false, features = ["rustls-tls"] }'

declare -A wall cpu crates
for p in graph_rs_sdk msgraph_default msgraph_mail; do
  (cd "$work/$p" && cargo fetch -q)
  out=$( { cd "$work/$p" && /usr/bin/time -f "TIME %e %U %S" cargo build -q --offline --profile "$profile" ${TIMINGS:+--timings} 2>&1 >/dev/null; } | grep '^TIME' )
  read -r _ w u s <<<"$out"
  wall[$p]=$w
  cpu[$p]=$(echo "$u + $s" | bc)
  crates[$p]=$(cd "$work/$p" && cargo tree -q -e normal,build --prefix none | sed 's/ (\*)$//' | sort -u | wc -l)
  echo "$p: wall ${wall[$p]} s, cpu ${cpu[$p]} s, ${crates[$p]} crates"
done
echo
echo "| app | crates | wall s | cpu s | wall / graph-rs-sdk | cpu / graph-rs-sdk |"
echo "|---|---:|---:|---:|---:|---:|"
for p in graph_rs_sdk msgraph_default msgraph_mail; do
  printf "| %s | %s | %s | %s | %.2f | %.2f |\n" "$p" "${crates[$p]}" "${wall[$p]}" "${cpu[$p]}" \
    "$(echo "${wall[$p]} / ${wall[graph_rs_sdk]}" | bc -l)" "$(echo "${cpu[$p]} / ${cpu[graph_rs_sdk]}" | bc -l)"
done
