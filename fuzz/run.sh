#!/usr/bin/env bash
# Fuzzes every target for SECONDS_PER_TARGET seconds each (default 600), two at
# a time, seeded by the committed corpus in fuzz/corpus, then merges what the
# fuzzers found back into it, minimised.
#   bash fuzz/run.sh
#   SECONDS_PER_TARGET=60 bash fuzz/run.sh
# Needs cargo-fuzz (`cargo install cargo-fuzz`). Runs on stable Rust without a
# sanitizer (`--sanitizer none`): the core forbids unsafe code, and the
# targets assert their own invariants. A crash lands in fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${SECONDS_PER_TARGET:-600}
targets=(envelope webhook decrypt content content_disposition pager)
cargo fuzz build -O --sanitizer none
mkdir -p logs
run() {
  local target=$1
  mkdir -p "work/$target"
  if ! cargo fuzz run -O --sanitizer none "$target" "work/$target" "corpus/$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 >"logs/$target.log" 2>&1; then
    echo "$target: CRASH, see fuzz/logs/$target.log and fuzz/artifacts/$target/"
  fi
  grep -E "stat::number_of_executed_units" "logs/$target.log" | sed "s/^/$target: /" || true
}
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  run "${targets[i]}" &
  if [[ -n "${targets[i + 1]:-}" ]]; then run "${targets[i + 1]}" & fi
  wait
done
# Keep what adds coverage (libFuzzer's merge), and of that the smallest
# KEEP inputs (default 500) on top of the committed ones, so the corpus that
# `cargo test` replays stays small. The full set stays in fuzz/work.
keep=${KEEP:-500}
for target in "${targets[@]}"; do
  mkdir -p "merged/$target"
  cargo fuzz run -O --sanitizer none "$target" "merged/$target" "corpus/$target" "work/$target" -- -merge=1 >/dev/null 2>&1
  ls -S -r "merged/$target" | head -n "$keep" | while read -r input; do
    cp "merged/$target/$input" "corpus/$target/"
  done
done
rm -rf merged
