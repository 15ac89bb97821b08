#!/usr/bin/env bash
# Benchmark harness (issue 4): builds leakguard, lays out a deterministic
# corpus (the Go standard library's source plus generated "corporate" data
# with planted credentials and personal data), times leakguard with 1 and 2
# workers against gitleaks, trufflehog and ripgrep on it, and leakguard with
# 1 and 2 workers on one long file (the generated logs joined), and the
# default scan that records into the inventory, first and unchanged again;
# prints a table and how this run stands against issue 4's targets, and
# checks that leakguard finds every planted value. The runs of the ratios
# that issue 4 sets targets for (1 and 2 workers; first scan and unchanged
# rescan) alternate, and each ratio is the median of the runs' ratios.
# Exits non-zero when the planted-value recall is below 100%, the long
# file's findings differ between 1 and 2 workers, the inventory's scans
# report other findings than --no-store, or a tool fails.
#
# Usage: scripts/bench.sh [--size MB] [--runs N] [--dir DIR] [--seed N]
#                         [--goroot-dirs "net/http fmt" | all] [--peers all|installed|none]
# The same settings can come from the environment: LG_BENCH_SIZE (300),
# LG_BENCH_RUNS (3), LG_BENCH_DIR (/tmp/leakguard-bench), LG_BENCH_SEED (1),
# LG_BENCH_GOROOT_DIRS (all), LG_BENCH_PEERS (all).
#   --peers all        install gitleaks v8.30.1 (go install) and ripgrep (apt-get) if
#                      missing; use trufflehog if on PATH
#   --peers installed  use only the peers already installed (no network)
#   --peers none       time leakguard alone
#   --peers rg,gitleaks   only these, where installed
# ripgrep runs the 53 patterns of scripts/bench-patterns.txt (one regex a line,
# no comments: rg would take a comment as a pattern), written for this harness
# to stand for the common secret and PII rules; word boundaries are ASCII
# ((?-u:\b)), since a Unicode \b makes rg's DFA give up on non-ASCII text.
# The corpus is kept in DIR and reused while the settings and the generator
# are unchanged; reports of the last run stay in DIR/results.
set -euo pipefail

# A fixed installation key for the benchmark's scans: the recall check
# matches values found inside extracted files (mail, documents) by their
# keyed fingerprint, and a private state directory keeps the user's own key
# out of it.
export LEAKGUARD_KEY=${LEAKGUARD_KEY:-$(printf '6c65616b67756172642062656e63686d61726b206b657920666f72207265636c')}
export LEAKGUARD_HOME=${LEAKGUARD_HOME:-$(mktemp -d)}

size=${LG_BENCH_SIZE:-300}
runs=${LG_BENCH_RUNS:-3}
work=${LG_BENCH_DIR:-/tmp/leakguard-bench}
seed=${LG_BENCH_SEED:-1}
goroot_dirs=${LG_BENCH_GOROOT_DIRS:-all}
peers=${LG_BENCH_PEERS:-all}
gitleaks_version=v8.30.1

while [ $# -gt 0 ]; do
  case $1 in
    --size) size=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --dir) work=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --goroot-dirs) goroot_dirs=$2; shift 2 ;;
    --peers) peers=$2; shift 2 ;;
    --skip-peers) peers=none; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
# wants NAME: whether the --peers setting asks for this peer.
wants() { case $peers in all|installed) return 0 ;; none) return 1 ;; *) [[ ,$peers, == *,$1,* ]] ;; esac; }
[[ $size =~ ^[0-9]+$ && $runs =~ ^[1-9][0-9]*$ && $seed =~ ^[0-9]+$ ]] || { echo "bench.sh: size, runs and seed are numbers" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench.sh: needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

work=$(realpath -m "$work")
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
export PATH="$PATH:$(go env GOPATH)/bin"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== build"
CGO_ENABLED=0 go build -o "$tmp/leakguard" ./cmd/leakguard
go build -o "$tmp/lgcorpus" ./cmd/lgcorpus

# ---------------------------------------------------------------- corpus
corpus=$work/corpus
manifest=$work/generated.manifest.json
marker=$work/.leakguard-bench
stamp="size=$size seed=$seed goroot=$goroot_dirs $(go version) generator=$(ls cmd/lgcorpus/*.go | grep -v _test.go | xargs cat | sha256sum | cut -c1-16)"
if [ -f "$marker" ] && [ "$(cat "$marker")" = "$stamp" ]; then
  echo "== corpus: reusing $corpus"
else
  if [ -e "$work" ] && [ ! -f "$marker" ] && [ -n "$(ls -A "$work")" ]; then
    echo "bench.sh: $work is not empty and not a benchmark folder; choose another --dir" >&2; exit 2
  fi
  echo "== corpus: building $corpus"
  mkdir -p "$work"
  echo incomplete > "$marker" # claims the folder, so that an interrupted build is redone
  rm -rf "$corpus" "$manifest" "$work/results"
  mkdir -p "$corpus/goroot"
  src=$(go env GOROOT)/src
  if [ "$goroot_dirs" = all ]; then
    cp -R "$src/." "$corpus/goroot/"
  else
    for d in $goroot_dirs; do
      mkdir -p "$corpus/goroot/$d"
      cp -R "$src/$d/." "$corpus/goroot/$d/"
    done
  fi
  find "$corpus/goroot" -type l -delete # a plain tree: no tool follows a link the others do not
  "$tmp/lgcorpus" -out "$corpus/generated" -manifest "$manifest" -size "$size" -seed "$seed"
  echo "$stamp" > "$marker"
fi
results=$work/results
rm -rf "$results"
mkdir -p "$results"

bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
files=$(find "$corpus" -type f | wc -l)
gen_bytes=$(find "$corpus/generated" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
echo "== warming the page cache and leakguard's rule analysis"
find "$corpus" -type f -print0 | xargs -0 cat > /dev/null
# The first run with a new LEAKGUARD_HOME analyses the rules and keeps the
# result there (0.6 s here, once per installation): it is not the scan's.
mkdir -p "$tmp/empty"
"$tmp/leakguard" scan --no-store --no-progress "$tmp/empty" > /dev/null

# ---------------------------------------------------------------- peers
gitleaks=""; trufflehog=""; rg=""
if wants gitleaks; then
  gitleaks=$(command -v gitleaks || true)
  if [ -z "$gitleaks" ] && [ "$peers" = all ]; then
    echo "== installing gitleaks $gitleaks_version"
    go install "github.com/zricethezav/gitleaks/v8@$gitleaks_version"
    gitleaks=$(command -v gitleaks || true)
  fi
  [ -n "$gitleaks" ] || echo "gitleaks: not installed, skipped"
  if [ -n "$gitleaks" ]; then
    have=$(go version -m "$gitleaks" 2>/dev/null | awk '$1 == "mod" {print $3}')
    [ "$have" = "$gitleaks_version" ] || echo "gitleaks: $gitleaks is ${have:-of unknown version}, not $gitleaks_version"
  fi
fi
if wants trufflehog; then
  trufflehog=$(command -v trufflehog || true)
  [ -n "$trufflehog" ] || echo "trufflehog: not on PATH, skipped (unavailable here)"
fi
if wants rg; then
  rg=$(command -v rg || true)
  if [ -z "$rg" ] && [ "$peers" = all ] && command -v apt-get >/dev/null; then
    echo "== installing ripgrep (Debian package)"
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    { $sudo apt-get install -y -qq ripgrep || { $sudo apt-get update -qq && $sudo apt-get install -y -qq ripgrep; }; } >/dev/null 2>&1 || true
    rg=$(command -v rg || true)
  fi
  [ -n "$rg" ] || echo "ripgrep: not on PATH, skipped"
fi

# ---------------------------------------------------------------- timing
# seconds converts /usr/bin/time's "h:mm:ss" or "m:ss.cc" to seconds.
seconds() { awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }' <<<"$1"; }
# median of the numbers on standard input.
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

rows=()
# key NAME: NAME as a shell variable's suffix.
key() { tr -c 'a-z0-9\n' _ <<<"$1" | head -c 40; }
# run_once NAME OUT COMMAND...: one timed run of COMMAND under
# /usr/bin/time -v (exit status 0 or 1 accepted: 1 means "found
# something"), its wall and CPU time and peak RSS kept under NAME.
# OUT, the report of the run before (which every tool writes), is deleted
# before the run, untimed: replacing a 100 MB file made the filesystem
# free its blocks inside the timed run (0.17 s of a 1.8 s rescan here).
# Then sync, untimed too: the run before's report was still being written
# back to disk during the next run, which made a rescan's second run of a
# pair 0.15 s slower than its first.
run_once() {
  local name=$1 out=$2 k t rc=0; shift 2
  k=$(key "$name")
  rm -f "$out"
  sync
  (cd "$tmp" && /usr/bin/time -v -o "$tmp/time" "$@" > "$tmp/stdout" 2> "$tmp/stderr") || rc=$?
  if [ $rc -gt 1 ]; then
    echo "$name failed (exit $rc):" >&2; tail -5 "$tmp/stderr" >&2; tail -3 "$tmp/time" >&2
    exit 1
  fi
  t=$(seconds "$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$tmp/time")")
  eval "walls_$k+=(\"\$t\")"
  eval "cpus_$k+=(\"\$(awk -F': ' '/User time/ {u = \$2} /System time/ {s = \$2} END {print u + s}' \"\$tmp/time\")\")"
  eval "rsss_$k+=(\"\$(awk -F': ' '/Maximum resident set size/ {print \$2 / 1024}' \"\$tmp/time\")\")"
  echo "   $name, run $(eval "echo \${#walls_$k[@]}"): ${t}s"
}
# summarize NAME COUNT-COMMAND: the table's row for NAME's runs (medians),
# with the findings COUNT-COMMAND counts; sets wall_KEY, fastest_KEY and
# last_wall.
summarize() {
  local name=$1 count=$2 k wall cpu rss found
  k=$(key "$name")
  wall=$(eval "printf '%s\n' \"\${walls_$k[@]}\"" | median)
  cpu=$(eval "printf '%s\n' \"\${cpus_$k[@]}\"" | median)
  rss=$(eval "printf '%s\n' \"\${rsss_$k[@]}\"" | median)
  found=$(eval "$count")
  rows+=("$(awk -v n="$name" -v b="${measure_bytes:-$bytes}" -v w="$wall" -v c="$cpu" -v r="$rss" -v f="$found" \
    'BEGIN {printf "| %-24s | %8.1f | %7.2f | %7.2f | %8.0f | %9s |", n, b/1e6/w, w, c, r, f}')")
  last_wall=$wall
  case $name in gitleaks*|trufflehog*|ripgrep*) ;; *) lg_rss_max=$(awk -v a="${lg_rss_max:-0}" -v b="$rss" 'BEGIN {print (b > a) ? b : a}') ;; esac
  eval "wall_$k=$wall"
  eval "fastest_$k=$(eval "printf '%s\n' \"\${walls_$k[@]}\"" | sort -g | head -1)"
}
# measure NAME COUNT-COMMAND -- COMMAND...: runs COMMAND $runs times
# (run_once, writing $out) and adds its row (summarize).
measure() {
  local name=$1 count=$2 i; shift 3
  echo "== $name ($runs run(s))"
  for i in $(seq 1 "$runs"); do
    run_once "$name" "$out" "$@"
  done
  summarize "$name" "$count"
}
# paired A B: the median of the runs' ratios A/B, run i of A against run i
# of B. The two of a ratio the issue sets a target for are run in turn (A,
# B, A, B, …): this host's speed drifts by a fifth within the hour, and
# runs of one taken minutes after the other's carried that drift into
# their ratio.
paired() {
  local a b i n
  a=$(key "$1"); b=$(key "$2")
  n=$(eval "echo \${#walls_$a[@]}")
  for i in $(seq 0 $((n - 1))); do
    eval "awk -v x=\"\${walls_$a[$i]}\" -v y=\"\${walls_$b[$i]}\" 'BEGIN {print x/y}'"
  done | median
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# --no-store: every run reads the whole corpus. Recording into the inventory
# (the default) would make each run after the first a rescan that replays
# unchanged files from the cache, and would time SQLite, not the scan.
# workers_in_turn TITLE ROW REPORTS TARGET: $runs --no-store scans of
# TARGET with 1 worker and $runs with 2, in turn (paired), and their rows;
# ROW names a row with %s for the number of workers, REPORTS-wN.jsonl are
# the reports.
workers_in_turn() {
  local title=$1 row=$2 reports=$3 target=$4 i w
  echo "== $title, 1 and 2 workers, in turn ($runs run(s) each)"
  for i in $(seq 1 "$runs"); do
    for w in 1 2; do
      # shellcheck disable=SC2059 # the row's format is ours
      run_once "$(printf "$row" "$w")" "$reports-w$w.jsonl" \
        "$tmp/leakguard" scan --no-store --no-progress --workers "$w" --format jsonl -o "$reports-w$w.jsonl" "$target"
    done
  done
  for w in 1 2; do
    # shellcheck disable=SC2059
    summarize "$(printf "$row" "$w")" "wc -l < '$reports-w$w.jsonl'"
  done
}
workers_in_turn "the corpus" "leakguard --workers %s" "$results/leakguard" "$corpus"
# One long file, where a worker alone would hold up the scan: the generated
# logs joined, in name order. Its stretches are spread over the free
# workers; the findings must be those of one worker, line for line.
single=$work/single/logs-joined.log
if [ ! -f "$single" ] || [ "$single" -ot "$marker" ]; then
  mkdir -p "$work/single"
  find "$corpus/generated/logs" -type f -print0 | LC_ALL=C sort -z | xargs -0 cat > "$single"
fi
single_bytes=$(stat -c %s "$single")
single_mb=$(awk -v b="$single_bytes" 'BEGIN {printf "%.0f", b/1e6}')
measure_bytes=$single_bytes workers_in_turn "one $single_mb MB file" "one $single_mb MB file, %sw" "$results/single" "$single"
# What a user gets by default: the scan recorded in the inventory (SQLite
# in a state directory), first into a fresh one, then again over the
# unchanged tree, which replays the files from the inventory's cache. Each
# first-scan run gets a new state directory (mktemp, inside the timing).
# The first scans and the rescans alternate (paired), the rescans over a
# state directory seeded before, untimed.
state=$tmp/state-rescan
"$tmp/leakguard" scan --state "$state" --no-progress --format jsonl -o "$tmp/default-seed.jsonl" "$corpus" > /dev/null || [ $? -eq 1 ]
echo "== default, first scan and unchanged rescan, in turn ($runs run(s) each)"
for i in $(seq 1 "$runs"); do
  out=$results/default-first.jsonl
  run_once "default, first scan" "$out" \
    sh -c "exec '$tmp/leakguard' scan --state \"\$(mktemp -d -p '$tmp')\" --no-progress --format jsonl -o '$out' '$corpus'"
  out=$results/default-rescan.jsonl
  run_once "default, unchanged rescan" "$out" \
    "$tmp/leakguard" scan --state "$state" --no-progress --format jsonl -o "$out" "$corpus"
done
summarize "default, first scan" "wc -l < '$results/default-first.jsonl'"
wall_default_first=$last_wall
summarize "default, unchanged rescan" "wc -l < '$results/default-rescan.jsonl'"
wall_default_rescan=$last_wall
if [ -n "$gitleaks" ]; then
  out=$results/gitleaks.json
  measure "gitleaks dir" "grep -c '\"RuleID\"' '$out' || true" -- \
    "$gitleaks" dir --no-banner --log-level error --exit-code 0 --report-format json --report-path "$out" "$corpus"
fi
if [ -n "$trufflehog" ]; then
  out=$results/trufflehog.jsonl
  measure "trufflehog filesystem" "grep -c '\"DetectorName\"' '$out' || true" -- \
    sh -c "'$trufflehog' filesystem --no-verification --no-update --json '$corpus' > '$out'"
fi
if [ -n "$rg" ]; then
  out=$results/rg-counts.txt
  npat=$(grep -c . scripts/bench-patterns.txt)
  measure "ripgrep, $npat patterns" "awk -F: '{s += \$NF} END {print s + 0}' '$out'" -- \
    sh -c "'$rg' --no-ignore --hidden --no-messages --count-matches -f '$repo/scripts/bench-patterns.txt' '$corpus' > '$out'"
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- report
echo
echo "## leakguard benchmark $(date -u +%Y-%m-%d)"
echo
echo "- command: scripts/bench.sh --size $size --runs $runs --seed $seed --goroot-dirs '$goroot_dirs' --peers $peers"
echo "- corpus: $files files, $(awk -v b="$bytes" 'BEGIN {printf "%.1f", b/1e6}') MB ($(awk -v b="$gen_bytes" 'BEGIN {printf "%.1f", b/1e6}') MB generated with seed $seed, the rest \$(go env GOROOT)/src of $(go version | cut -d' ' -f3)), warm page cache"
echo "- machine: $(nproc) CPUs, $(lscpu 2>/dev/null | awk -F': +' '/Model name/ {print $2; exit}'), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), Linux $(uname -r); load average before $load_before, after $load_after"
echo "- median of $runs run(s); MB/s = corpus bytes / wall time; CPU = user + system; findings as each tool counts them"
echo
echo "| tool                     |     MB/s |  wall s |   CPU s | RSS MiB |  findings |"
echo "|--------------------------|---------:|--------:|--------:|---------:|----------:|"
printf '%s\n' "${rows[@]}"
echo
# ratio A B: A/B, for the lines below and the targets' summary.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {print a/b}'; }
scaling=$(paired "leakguard --workers 1" "leakguard --workers 2")
rescan_gain=$(paired "default, first scan" "default, unchanged rescan")
printf 'leakguard 2 workers vs 1: %.2fx (median of the %d paired runs; %.2fx median against median)\n' \
  "$scaling" "$runs" "$(ratio "$wall_leakguard___workers_1" "$wall_leakguard___workers_2")"
if [ -n "${wall_gitleaks_dir:-}" ]; then
  over_gitleaks=$(ratio "$wall_gitleaks_dir" "$wall_leakguard___workers_2")
  # A busy host slows a two-minute gitleaks run more often than a
  # six-second one: its fastest run against our median is the ratio
  # that noise cannot flatter.
  printf "leakguard 2 workers vs gitleaks: %.1fx (median against median; %.1fx against gitleaks' fastest run)\n" \
    "$over_gitleaks" "$(ratio "$fastest_gitleaks_dir" "$wall_leakguard___workers_2")"
fi
if cmp -s <(sort "$results/leakguard-w1.jsonl") <(sort "$results/leakguard-w2.jsonl"); then
  echo "leakguard findings with 1 and 2 workers: identical"
else
  echo "leakguard findings with 1 and 2 workers: DIFFERENT (see $results)"
fi
printf 'default (inventory): unchanged rescan vs first scan: %.1fx (median of the %d paired runs; %.1fx median against median)\n' \
  "$rescan_gain" "$runs" "$(ratio "$wall_default_first" "$wall_default_rescan")"
for f in default-first default-rescan; do
  if cmp -s "$results/leakguard-w2.jsonl" "$results/$f.jsonl"; then
    echo "findings of $f and of --no-store: identical"
  else
    echo "findings of $f and of --no-store: DIFFERENT (see $results)"
    default_differs=1
  fi
done
printf 'one %s MB file, 2 workers vs 1: %.2fx (median of the %d paired runs)\n' \
  "$single_mb" "$(paired "one $single_mb MB file, 1w" "one $single_mb MB file, 2w")" "$runs"
if cmp -s "$results/single-w1.jsonl" "$results/single-w2.jsonl"; then
  echo "one file's findings with 1 and 2 workers: identical, in the same order"
else
  echo "one file's findings with 1 and 2 workers: DIFFERENT (see $results)"
  single_differs=1
fi
# Issue 4's targets, judged on this run's medians (the planted-value
# recall is checked below). The host's speed moves them from run to run.
# Three decimals: a ratio of 1.7987 printed as 1.80 read as the 1.8 it
# misses.
verdict() { awk -v v="$2" -v t="$3" -v dir="$4" -v what="$1" -v unit="$5" \
  'BEGIN {ok = (dir == "min") ? v >= t : v <= t; printf "  %-40s %9.3f%s  %s\n", what, v, unit, ok ? "met" : "NOT MET"}'; }
echo
if [ "$size" -lt 300 ] || [ "$goroot_dirs" != all ]; then
  echo "issue 4 targets on this run (a smaller corpus than the issue's 300 MB and Go tree: a guide only):"
else
  echo "issue 4 targets on this run:"
fi
verdict "2 workers, MB/s (>= 150)" "$(awk -v b="$bytes" -v w="$wall_leakguard___workers_2" 'BEGIN {print b/1e6/w}')" 150 min ""
verdict "2 workers against 1 (>= 1.8x)" "$scaling" 1.8 min x
if [ -n "${over_gitleaks:-}" ]; then
  verdict "against gitleaks (>= 20x)" "$over_gitleaks" 20 min x
else
  printf '  %-40s %9s\n' "against gitleaks (>= 20x)" "not run"
fi
if [ -n "${wall_trufflehog_filesystem:-}" ]; then
  verdict "against trufflehog (>= 8x)" "$(ratio "$wall_trufflehog_filesystem" "$wall_leakguard___workers_2")" 8 min x
else
  printf '  %-40s %9s\n' "against trufflehog (>= 8x)" "not run"
fi
verdict "peak RSS of leakguard's runs (<= 256 MiB)" "$lg_rss_max" 256 max " MiB"
verdict "unchanged rescan against first (>= 20x)" "$rescan_gain" 20 min x
echo
"$tmp/lgcorpus" -out "$corpus/generated" -manifest "$manifest" -check "$results/leakguard-w2.jsonl"
if [ -n "${default_differs:-}" ]; then
  echo "bench.sh: the inventory's scans report other findings than --no-store" >&2
  exit 1
fi
if [ -n "${single_differs:-}" ]; then
  echo "bench.sh: one file's findings differ between 1 and 2 workers" >&2
  exit 1
fi
