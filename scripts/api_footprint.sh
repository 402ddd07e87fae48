#!/usr/bin/env bash
# Footprint of the generated API, side by side in one run (a measurement,
# not a test): clean debug builds, each in its own target directory under a
# temporary directory (never committed), timed with GNU time:
#   1. feishu-api with every family (`full`);
#   2. feishu-sdk 0.1.2 and larksuite-oapi-sdk-rs 0.3.13, the Rust peers,
#      fetched from crates.io;
#   3. a program using one family (`contact`) and one using none (only
#      feishu-core), to show what a family costs.
# Prints wall time, CPU time, the peak memory of the largest rustc, and the
# target directory's size. Usage: [RUNS=5] scripts/api_footprint.sh [tmp dir]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d)}
mkdir -p "$work"
export CARGO_INCREMENTAL=0 CARGO_PROFILE_DEV_DEBUG=line-tables-only CARGO_TERM_COLOR=never

# build NAME DIR CARGO-ARGS…: one clean build; sets wall (seconds), cpu
# (user + system seconds), rss (MB, the largest rustc) and size.
build() {
  local name=$1 dir=$2
  shift 2
  local target="$work/target-$name"
  rm -rf "$target"
  local log="$work/$name.time"
  (cd "$dir" && CARGO_TARGET_DIR="$target" /usr/bin/time -f 'wall %e\ncpu %U %S\nrss %M' cargo build -q "$@" 2>"$log") || {
    echo "$name: build failed, see $log" >&2
    return 1
  }
  wall=$(awk '/^wall / {print $2}' "$log")
  cpu=$(awk '/^cpu / {print $2 + $3}' "$log")
  rss=$(awk '/^rss / {printf "%.0f", $2 / 1024}' "$log")
  size=$(du -sh "$target" | cut -f1)
}

row() {
  printf '| %-28s | %8.1f s | %8.1f s | %6s MB | %6s |\n' "$1" "$2" "$3" "$4" "$5"
}

# measure NAME DIR CARGO-ARGS…: one clean build, one line of figures.
measure() {
  build "$@"
  row "$1" "$wall" "$cpu" "$rss" "$size"
}

median() {
  printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
}

# A one-file program depending on DEPENDENCY (a Cargo.toml line).
program() {
  local dir="$work/$1"
  mkdir -p "$dir/src"
  printf '[package]\nname = "%s"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[dependencies]\n%s\n\n[workspace]\n' "$1" "$2" >"$dir/Cargo.toml"
  printf '%s\n' "$3" >"$dir/src/main.rs"
  echo "$dir"
}

echo "| build | wall | CPU | peak rustc | target |"
echo "|---|---|---|---|---|"
measure feishu-api-full "$root" -p feishu-api --features full
measure feishu-sdk-0.1.2 "$(program peer-feishu-sdk 'feishu-sdk = "=0.1.2"' 'fn main() {}')"
measure larksuite-oapi-sdk-rs-0.3.13 "$(program peer-larksuite 'larksuite-oapi-sdk-rs = "=0.3.13"' 'fn main() {}')"
none=$(program uses-no-family "feishu-core = { path = \"$root/crates/feishu-core\" }" \
  'fn main() { println!("{}", feishu_core::FEISHU_BASE_URL); }')
one=$(program uses-one-family "feishu-core = { path = \"$root/crates/feishu-core\" }
feishu-api = { path = \"$root/crates/feishu-api\", features = [\"contact\"] }" \
  'fn main() { let e = feishu_api::contact::v3::user::BatchGetIdUser::new(); println!("{:?}", feishu_core::build(&feishu_core::Config::feishu(), &e, Some(&feishu_core::Secret::new("t")))); }')
# Both resolve against the workspace's lock file, so the versions match.
cp "$root/Cargo.lock" "$none/Cargo.lock"
cp "$root/Cargo.lock" "$one/Cargo.lock"
# A family's cost is a second or two on a build of ten, the size of the
# noise between two runs: the pair is built RUNS times, alternately, and
# the medians are shown.
runs=${RUNS:-5}
none_wall=() none_cpu=() one_wall=() one_cpu=()
for _ in $(seq "$runs"); do
  build program-no-family "$none"
  none_wall+=("$wall") none_cpu+=("$cpu") none_rss=$rss none_size=$size
  build program-one-family "$one"
  one_wall+=("$wall") one_cpu+=("$cpu") one_rss=$rss one_size=$size
done
row "program-no-family (median of $runs)" "$(median "${none_wall[@]}")" "$(median "${none_cpu[@]}")" "$none_rss" "$none_size"
row "program-one-family (median of $runs)" "$(median "${one_wall[@]}")" "$(median "${one_cpu[@]}")" "$one_rss" "$one_size"
awk -v a="$(median "${one_wall[@]}")" -v b="$(median "${none_wall[@]}")" -v c="$(median "${one_cpu[@]}")" -v d="$(median "${none_cpu[@]}")" \
  'BEGIN {printf "one family / none: %.2fx wall, %.2fx CPU\n", a / b, c / d}'
