#!/usr/bin/env bash
# Prints the order in which the workspace's crates must be published to
# crates.io (each after every workspace crate it depends on), computed from
# `cargo metadata`, not hard-coded.
#
#   scripts/release.sh             print the publish order
#   scripts/release.sh --dry-run   also run `cargo package --no-verify -p <crate>`
#                                  for every crate, in that order (one cargo run)
#   --allow-dirty                  passed on to `cargo package` (uncommitted changes)
#
# Dependencies counted: normal, build and dev-dependencies on other workspace
# crates (crates.io needs a published crate's versioned dev-dependencies to
# exist too). If dev-dependencies alone would make a cycle, they are dropped
# with a warning and the order is computed from normal and build dependencies.
# Crates with `publish = false` are left out.
#
# `--no-verify`: until the dependencies are on crates.io, `cargo package`
# cannot build a crate from its package; this only checks what would be
# uploaded (file list, manifest rewriting).
set -euo pipefail

cd "$(dirname "$0")/.."

dry_run=0
package_args=(--no-verify)
for arg in "$@"; do
    case "$arg" in
        --dry-run) dry_run=1 ;;
        --allow-dirty) package_args+=(--allow-dirty) ;;
        -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "release.sh: unknown argument '$arg' (use --dry-run, --allow-dirty)" >&2; exit 2 ;;
    esac
done

order=$(cargo metadata --no-deps --format-version 1 | python3 -c '
import json, sys

meta = json.load(sys.stdin)
packages = {p["name"]: p for p in meta["packages"]}

def publishable(p):
    # publish is null (anywhere) or a list of registries ([] means never)
    return p.get("publish") is None or "crates-io" in p["publish"]

def edges(with_dev):
    deps = {}
    for name, p in packages.items():
        deps[name] = {
            d["name"]
            for d in p["dependencies"]
            if d["name"] in packages and d["name"] != name and (with_dev or d["kind"] != "dev")
        }
    return deps

def topo(deps):
    remaining = {n: set(ds) for n, ds in deps.items()}
    order = []
    while remaining:
        ready = sorted(n for n, ds in remaining.items() if not ds)
        if not ready:
            return None
        for n in ready:
            order.append(n)
            del remaining[n]
        for ds in remaining.values():
            ds.difference_update(ready)
    return order

order = topo(edges(True))
if order is None:
    print("release.sh: dev-dependencies make a cycle; ordering by normal and build dependencies only", file=sys.stderr)
    order = topo(edges(False))
    if order is None:
        sys.exit("release.sh: the workspace dependency graph has a cycle")
for name in order:
    if publishable(packages[name]):
        print(name)
')

echo "Publish order:"
i=1
for crate in $order; do
    printf '%3d. %s\n' "$i" "$crate"
    i=$((i + 1))
done

if [ "$dry_run" = 1 ]; then
    # One `cargo package` with every crate, in publish order: a crate whose
    # workspace dependencies are not on crates.io yet can only be packaged
    # together with them (cargo resolves them from a temporary local registry
    # of the crates packaged before it in the same run).
    selection=()
    for crate in $order; do
        selection+=(-p "$crate")
    done
    echo
    echo "== cargo package ${package_args[*]} ${selection[*]}"
    cargo package "${package_args[@]}" "${selection[@]}"
    echo
    version_of() {
        cargo metadata --no-deps --format-version 1 |
            python3 -c 'import json, sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == sys.argv[1]))' "$1"
    }
    for crate in $order; do
        file="target/package/$crate-$(version_of "$crate").crate"
        if [ ! -f "$file" ]; then
            echo "release.sh: $file is missing" >&2
            exit 1
        fi
        printf '%-40s %s bytes\n' "$file" "$(wc -c < "$file")"
    done
    echo "Dry run done: every crate packaged, in publish order."
fi
