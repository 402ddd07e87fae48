#!/usr/bin/env bash
# Instructions per call, the noise-free measure of what the adapters cost over
# the HTTP clients they drive.
#
#   bash scripts/callgrind.sh            # N=500, each side 3 times
#   CALLS=200 REPEAT=1 bash scripts/callgrind.sh
#
# Builds feishu-mock and benches/calls/{ureq,reqwest}.rs (the root package's
# `calls_ureq` and `calls_reqwest` bench targets) in release,
# starts feishu-mock in a separate process (so the server's instructions are
# not counted), then runs each side under `valgrind --tool=callgrind` twice,
# with N and with 2N cached-token `GET /open-apis/im/v1/chats` calls after the
# same warm-up, and takes (Ir(2N) - Ir(N)) / N: startup, warm-up and exit
# cancel out, and every thread is counted (ureq's resolver runs on threads of
# its own when a timeout is set, which a --toggle-collect region would miss).
#
# Sides: feishu-ureq vs plain ureq, feishu-reqwest vs plain reqwest (one
# current-thread tokio runtime, so hyper's connection task is counted too);
# a generated typed endpoint (feishu-api's ListChat) vs the same API declared
# by hand with feishu-core's endpoint! and the same fields (feishu-ureq);
# plus two attribution sides: plain ureq with feishu-ureq's agent config and
# per-request timeout, plain reqwest with feishu-reqwest's client timeout and
# per-request timeout. Then, per pair, the functions where the SDK spends the
# difference (self cost per call, SDK minus raw, from callgrind_annotate), and
# feishu-rs's own functions by inclusive cost.
#
# Environment: CALLS (N, default 500), REPEAT (runs of each side, the median
# reported, default 3), WARMUP (default 20), PORT (default 0:
# any free port), TOP (functions listed per pair, default 15), OUT (where the
# callgrind.out files stay, default target/callgrind). Installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

calls=${CALLS:-500}
repeat=${REPEAT:-3}
warmup=${WARMUP:-20}
port=${PORT:-0}
top=${TOP:-15}
out=${OUT:-target/callgrind}
target=${CARGO_TARGET_DIR:-target}

for tool in valgrind callgrind_annotate; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "callgrind.sh: $tool is missing (Debian: apt-get install valgrind); this script installs nothing" >&2
    exit 1
  fi
done

echo "== building (release)"
cargo build --release -p feishu-mock --bin feishu-mock
mkdir -p "$out/bin"
rm -f "$out"/*.out "$out"/*.txt "$out"/*.log
# A bench target's binary carries a hash in its name: cargo reports the path.
cargo build --release -p feishu-rs --bench calls_ureq --bench calls_reqwest \
  --message-format=json-render-diagnostics >"$out/build.json"
for program in calls_ureq calls_reqwest; do
  exe=$(grep "\"name\":\"$program\"" "$out/build.json" |
    grep -o '"executable":"[^"]*"' | sed 's/^"executable":"//; s/"$//' | tail -1)
  if [ -z "$exe" ]; then
    echo "callgrind.sh: cargo built no $program binary" >&2
    exit 1
  fi
  cp "$exe" "$out/bin/$program"
done

# A fresh log: a stale one could hand over the previous run's URL.
mock_log=$(mktemp "${TMPDIR:-/tmp}/feishu-mock.XXXXXX")
"$target/release/feishu-mock" --port "$port" >"$mock_log" 2>&1 &
mock_pid=$!
trap 'kill "$mock_pid" 2>/dev/null || true; rm -f "$mock_log"' EXIT
url=""
for _ in $(seq 100); do
  # The first URL of the banner: its control API line repeats it.
  url=$(grep -o -m1 'http://127\.0\.0\.1:[0-9]*' "$mock_log" || true)
  [ -n "$url" ] && break
  kill -0 "$mock_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "callgrind.sh: feishu-mock did not start:" >&2
  cat "$mock_log" >&2
  exit 1
fi
echo "== feishu-mock (pid $mock_pid) at $url; N=$calls, 2N=$((2 * calls)), warm-up $warmup"

# The total Ir of one callgrind output file.
total() {
  awk '/^(summary|totals):/ { print $2; exit }' "$1"
}

# run NAME PROGRAM MODE REP: both runs of one side; prints Ir per call.
run() {
  local name=$1 program=$2 mode=$3 rep=$4 n
  for n in "$calls" "$((2 * calls))"; do
    valgrind --tool=callgrind --callgrind-out-file="$out/$name.r$rep.$n.out" \
      "$out/bin/$program" "$mode" --url "$url" --calls "$n" --warmup "$warmup" \
      >"$out/$name.r$rep.$n.log" 2>&1 || {
      echo "callgrind.sh: $program $mode --calls $n failed:" >&2
      tail -20 "$out/$name.r$rep.$n.log" >&2
      exit 1
    }
  done
  local once twice
  once=$(total "$out/$name.r$rep.$calls.out")
  twice=$(total "$out/$name.r$rep.$((2 * calls)).out")
  echo $(((twice - once) / calls))
}

# Each side is measured REPEAT times: where a timeout makes ureq resolve on a
# thread of its own, the count varies by several percent from run to run with
# thread scheduling. The median is reported, with the range; the median run's
# profiles are kept as <side>.<N>.out for the annotations below.
declare -A ir spread
sides=(
  "feishu-ureq calls_ureq sdk"
  "feishu-ureq-token calls_ureq sdk-token"
  "ureq calls_ureq raw"
  "ureq+sdk-timeouts calls_ureq raw-sdk-agent"
  "feishu-ureq-generated calls_ureq sdk-generated"
  "feishu-ureq-handwritten calls_ureq sdk-handwritten"
  "feishu-reqwest calls_reqwest sdk"
  "feishu-reqwest-token calls_reqwest sdk-token"
  "reqwest calls_reqwest raw"
  "reqwest+sdk-timeouts calls_reqwest raw-timeout"
)
for side in "${sides[@]}"; do
  read -r name program mode <<<"$side"
  echo "   running $name ($program $mode) x$repeat"
  results=()
  for rep in $(seq "$repeat"); do
    results+=("$(run "$name" "$program" "$mode" "$rep") $rep")
  done
  sorted=$(printf '%s\n' "${results[@]}" | sort -n)
  read -r median median_rep <<<"$(sed -n "$(((repeat + 1) / 2))p" <<<"$sorted")"
  ir[$name]=$median
  spread[$name]="$(head -1 <<<"$sorted" | cut -d' ' -f1)-$(tail -1 <<<"$sorted" | cut -d' ' -f1)"
  for n in "$calls" "$((2 * calls))"; do
    cp "$out/$name.r$median_rep.$n.out" "$out/$name.$n.out"
  done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
verdict() { awk -v r="$1" 'BEGIN { print (r <= 1.05 ? "met" : "MISSED") }'; }

echo
echo "== instructions per call ((Ir(2N) - Ir(N)) / N, whole process, all threads; median of $repeat)"
printf '%-22s %10s %15s %8s   %s\n' "side" "Ir/call" "range" "vs raw" "target <= 1.05x raw"
for pair in "feishu-ureq ureq" "feishu-reqwest reqwest"; do
  read -r sdk raw <<<"$pair"
  r=$(ratio "${ir[$sdk]}" "${ir[$raw]}")
  printf '%-22s %10s %15s %7sx   %s\n' "$sdk" "${ir[$sdk]}" "${spread[$sdk]}" "$r" "$(verdict "$r")"
  r=$(ratio "${ir[$sdk-token]}" "${ir[$raw]}")
  printf '%-22s %10s %15s %7sx   %s\n' "$sdk-token" "${ir[$sdk-token]}" "${spread[$sdk-token]}" "$r" "$(verdict "$r") (send_with_token: no cache)"
  printf '%-22s %10s %15s %8s\n' "$raw" "${ir[$raw]}" "${spread[$raw]}" "1.000x"
  printf '%-22s %10s %15s %7sx   %s\n' "$raw+sdk-timeouts" "${ir[$raw+sdk-timeouts]}" \
    "${spread[$raw+sdk-timeouts]}" "$(ratio "${ir[$raw+sdk-timeouts]}" "${ir[$raw]}")" \
    "(attribution: raw set up with the adapter's timeouts)"
done

r=$(ratio "${ir[feishu-ureq-generated]}" "${ir[feishu-ureq-handwritten]}")
printf '%-22s %10s %15s %7sx   %s\n' "generated endpoint" "${ir[feishu-ureq-generated]}" \
  "${spread[feishu-ureq-generated]}" "$r" "$(verdict "$r") vs the same API declared by hand (${ir[feishu-ureq-handwritten]})"

echo
echo "== where the SDK spends the difference: self Ir per call, SDK minus raw (top $top)"
for pair in "feishu-ureq ureq" "feishu-reqwest reqwest"; do
  read -r sdk raw <<<"$pair"
  for name in "$sdk" "$raw"; do
    for n in "$calls" "$((2 * calls))"; do
      callgrind_annotate --inclusive=no --threshold=100 "$out/$name.$n.out" >"$out/$name.$n.self.txt"
    done
  done
  echo "-- $sdk vs $raw"
  printf '%10s %10s %10s  %s\n' "sdk" "raw" "sdk-raw" "function (* = not called by raw)"
  awk -v calls="$calls" -v twice="$((2 * calls))" -v top="$top" \
    -v sdk_once="$out/$sdk.$calls.self.txt" -v sdk_twice="$out/$sdk.$((2 * calls)).self.txt" \
    -v raw_once="$out/$raw.$calls.self.txt" -v raw_twice="$out/$raw.$((2 * calls)).self.txt" '
    function load(file, sign, side,    line, ir, fn) {
      while ((getline line < file) > 0) {
        if (!match(line, /^ *[0-9,]+ \( *[0-9.]+%\)  /)) continue
        ir = substr(line, 1, RLENGTH); sub(/\(.*/, "", ir); gsub(/[ ,]/, "", ir)
        fn = substr(line, RLENGTH + 1)
        if (fn ~ /PROGRAM TOTALS/) continue
        sub(/ \[[^]]*\]$/, "", fn)
        sub(/^\?\?\?:/, "", fn)
        cost[side, fn] += sign * ir
        seen[fn] = 1
      }
      close(file)
    }
    BEGIN {
      load(sdk_once, -1, "sdk"); load(sdk_twice, 1, "sdk")
      load(raw_once, -1, "raw"); load(raw_twice, 1, "raw")
      for (fn in seen) {
        s = cost["sdk", fn] / calls; r = cost["raw", fn] / calls
        if (s - r >= 1) printf "%.1f\t%.1f\t%.1f\t%s\n", s, r, s - r, fn
      }
    }
  ' | sort -t "$(printf '\t')" -k3,3 -g -r | { head -n "$top"; cat >/dev/null; } |
    awk -F '\t' '{ mark = ($2 < 1 ? "* " : "  "); printf "%10.0f %10.0f %10.0f  %s%s\n", $1, $2, $3, mark, substr($4, 1, 150) }'
done

echo
echo "== feishu-rs functions by inclusive Ir per call (top $top per SDK)"
for sdk in feishu-ureq feishu-reqwest; do
  for n in "$calls" "$((2 * calls))"; do
    callgrind_annotate --inclusive=yes --threshold=100 "$out/$sdk.$n.out" >"$out/$sdk.$n.incl.txt"
  done
  echo "-- $sdk"
  awk -v calls="$calls" -v once="$out/$sdk.$calls.incl.txt" -v twice="$out/$sdk.$((2 * calls)).incl.txt" '
    function load(file, sign,    line, ir, fn) {
      while ((getline line < file) > 0) {
        if (!match(line, /^ *[0-9,]+ \( *[0-9.]+%\)  /)) continue
        ir = substr(line, 1, RLENGTH); sub(/\(.*/, "", ir); gsub(/[ ,]/, "", ir)
        fn = substr(line, RLENGTH + 1)
        sub(/ \[[^]]*\]$/, "", fn)
        sub(/^\?\?\?:/, "", fn)
        if (fn !~ /feishu_(core|ureq|reqwest)/) continue
        cost[fn] += sign * ir
      }
      close(file)
    }
    BEGIN {
      load(once, -1); load(twice, 1)
      for (fn in cost) if (cost[fn] / calls >= 1) printf "%.1f\t%s\n", cost[fn] / calls, fn
    }
  ' | sort -t "$(printf '\t')" -k1,1 -g -r | { head -n "$top"; cat >/dev/null; } |
    awk -F '\t' '{ printf "%10.0f  %s\n", $1, substr($2, 1, 160) }'
done

echo
echo "callgrind outputs in $out/ (callgrind_annotate $out/<side>.<N>.out)"
