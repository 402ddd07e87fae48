#!/usr/bin/env bash
# What feishu-ureq adds to a program over plain ureq: crates and binary size.
#
#   bash scripts/footprint.sh
#
# benches/footprint/min_token.rs (a tenant token through feishu-ureq) and
# benches/footprint/raw_ureq_token.rs (the same by hand with ureq + serde_json)
# are bench targets of the root package, whose dev-dependencies (tokio, axum,
# reqwest, feishu-mock...) would blur what each one links. So each is copied into a
# throwaway crate of its own, in a temp dir, with only what it needs:
#
#   min-token       feishu-ureq = { path = crates/feishu-ureq }  (its defaults: rustls)
#   raw-ureq-token  ureq (default-features = false, features = ["rustls"]:
#                   the same ureq build feishu-ureq uses) + serde_json
#   raw-ureq-default  the same program with ureq's default features
#                   (rustls + gzip), as `cargo add ureq` gives; for reference
#
# Each starts from the workspace's Cargo.lock, so versions match the
# workspace. For each, `cargo tree -e normal` counts the crates of its normal
# dependency graph (the program itself not counted; with `-e no-proc-macro`
# too, which leaves what is linked), and a release build with
# CARGO_PROFILE_RELEASE_STRIP=symbols gives the stripped size. Both binaries
# are then run against a feishu-mock in its own process, to show they work.
# Last, feishu-core's own graph and its clean release compile time (a fresh
# CARGO_TARGET_DIR).
#
# Environment: FOOTPRINT_DIR (the throwaway crates' shared target dir, kept
# between runs; default target/footprint), SKIP_CORE_BUILD=1 to skip the
# clean compile. Installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target=${CARGO_TARGET_DIR:-$root/target}
footprint_target=${FOOTPRINT_DIR:-$target/footprint}
mkdir -p "$footprint_target"

work=$(mktemp -d "${TMPDIR:-/tmp}/feishu-footprint.XXXXXX")
core_target=""
mock_pid=""
cleanup() {
  [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null || true
  rm -rf "$work"
  [ -n "$core_target" ] && rm -rf "$core_target"
  return 0
}
trap cleanup EXIT

# crate NAME SOURCE DEPENDENCIES: a throwaway binary crate.
crate() {
  local name=$1 source=$2 deps=$3
  mkdir -p "$work/$name/src"
  cp "$source" "$work/$name/src/main.rs"
  cp Cargo.lock "$work/$name/Cargo.lock"
  cat >"$work/$name/Cargo.toml" <<EOF
[package]
name = "$name"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
$deps

# Not part of any workspace.
[workspace]
EOF
}

# The versions the workspace resolved ("ureq v3.5.2" -> "3.5.2").
version_of() {
  cargo tree -p "$1" --depth 0 --prefix none --format '{p}' | awk 'NR == 1 { sub(/^v/, "", $2); print $2 }'
}
ureq_version=$(version_of ureq)
serde_json_version=$(version_of serde_json)
crate min-token benches/footprint/min_token.rs \
  "feishu-ureq = { path = \"$root/crates/feishu-ureq\" }"
crate raw-ureq-token benches/footprint/raw_ureq_token.rs \
  "ureq = { version = \"$ureq_version\", default-features = false, features = [\"rustls\"] }
serde_json = \"$serde_json_version\""
crate raw-ureq-default benches/footprint/raw_ureq_token.rs \
  "ureq = \"$ureq_version\"
serde_json = \"$serde_json_version\""

# count MANIFEST EDGES: crates in the graph, the root program left out.
count() {
  cargo tree --manifest-path "$1" -e "$2" --prefix none --format '{p}' |
    awk 'NF { print $1, $2 }' | sort -u | grep -vc '^\(min-token\|raw-ureq-token\|raw-ureq-default\) '
}

declare -A crates linked size
programs=(min-token raw-ureq-token raw-ureq-default)
for program in "${programs[@]}"; do
  manifest="$work/$program/Cargo.toml"
  echo "== building $program (release, stripped)"
  CARGO_TARGET_DIR="$footprint_target" CARGO_PROFILE_RELEASE_STRIP=symbols \
    cargo build --release --quiet --manifest-path "$manifest"
  crates[$program]=$(count "$manifest" normal)
  linked[$program]=$(count "$manifest" normal,no-proc-macro)
  cp "$footprint_target/release/$program" "$work/$program.bin"
  size[$program]=$(stat -c %s "$work/$program.bin")
done

# Both programs against a feishu-mock of their own.
cargo build --release --quiet -p feishu-mock --bin feishu-mock
mock_log="$work/mock.log"
"$target/release/feishu-mock" --port 0 >"$mock_log" 2>&1 &
mock_pid=$!
url=""
for _ in $(seq 100); do
  # The first URL of the banner: its control API line repeats it.
  url=$(grep -o -m1 'http://127\.0\.0\.1:[0-9]*' "$mock_log" || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "footprint.sh: feishu-mock did not start" >&2; cat "$mock_log" >&2; exit 1; }
echo "== running both against feishu-mock at $url"
for program in min-token raw-ureq-token; do
  printf '   %-16s ' "$program:"
  "$work/$program.bin" --url "$url"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t ? "met" : "MISSED") }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.2f MiB", b / 1048576 }'; }

echo
echo "== footprint (crates: cargo tree -e normal, program itself not counted; linked: without proc-macros)"
printf '%-18s %8s %8s %14s %12s\n' "program" "crates" "linked" "stripped bytes" ""
for program in "${programs[@]}"; do
  printf '%-18s %8s %8s %14s %12s\n' "$program" "${crates[$program]}" "${linked[$program]}" \
    "${size[$program]}" "$(mib "${size[$program]}")"
done
echo
c=$(ratio "${crates[min-token]}" "${crates[raw-ureq-token]}")
l=$(ratio "${linked[min-token]}" "${linked[raw-ureq-token]}")
s=$(ratio "${size[min-token]}" "${size[raw-ureq-token]}")
printf '%-34s %8s   %s\n' "min-token / raw-ureq-token" "" ""
printf '  %-32s %7sx   target <= 1.2x: %s\n' "crates" "$c" "$(verdict "$c" 1.2)"
printf '  %-32s %7sx\n' "linked crates" "$l"
printf '  %-32s %7sx   target <= 1.15x: %s\n' "stripped size" "$s" "$(verdict "$s" 1.15)"
printf '%-34s\n' "min-token / raw-ureq-default (reference)"
printf '  %-32s %7sx\n' "crates" "$(ratio "${crates[min-token]}" "${crates[raw-ureq-default]}")"
printf '  %-32s %7sx\n' "stripped size" "$(ratio "${size[min-token]}" "${size[raw-ureq-default]}")"

echo
echo "== what min-token links beyond raw-ureq-token"
tree_of() {
  cargo tree --manifest-path "$work/$1/Cargo.toml" -e normal --prefix none --format '{p}' |
    awk 'NF { print $1, $2 }' | sort -u
}
comm -23 <(tree_of min-token | grep -v '^min-token ') <(tree_of raw-ureq-token | grep -v '^raw-ureq-token ') |
  sed 's/^/   + /'
comm -13 <(tree_of min-token | grep -v '^min-token ') <(tree_of raw-ureq-token | grep -v '^raw-ureq-token ') |
  sed 's/^/   - /'

echo
echo "== feishu-core"
core_crates=$(cargo tree -p feishu-core -e normal --prefix none --format '{p}' |
  awk 'NF { print $1, $2 }' | sort -u | grep -vc '^feishu-core ')
echo "   normal dependency graph: $core_crates crates besides feishu-core"
if [ "${SKIP_CORE_BUILD:-0}" = 1 ]; then
  echo "   clean compile: skipped (SKIP_CORE_BUILD=1)"
else
  core_target=$(mktemp -d "${TMPDIR:-/tmp}/feishu-core-build.XXXXXX")
  start=$(date +%s.%N)
  CARGO_TARGET_DIR="$core_target" cargo build -p feishu-core --release --quiet
  end=$(date +%s.%N)
  printf '   clean compile (cargo build -p feishu-core --release, fresh target dir, %s cores): %.1f s\n' \
    "$(nproc)" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"
fi
