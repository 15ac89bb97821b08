#!/usr/bin/env bash
# ICAP load harness (issue 7): ICAP REQMOD through Squid under load, on
# loopback only, bounded in time. It builds leakguard and
# scripts/icapbench, starts the icapbench origin, `leakguard serve --icap`
# with a temporary state directory, and two private Squids: one with
# leakguard as its reqmod_precache ICAP service (bypass=0: a failing service
# is an error, never a silent pass), one without ICAP for comparison. Then,
# at each number of connections:
#   - wrk through Squid alone, clean 10 KB bodies (the cost of the proxy);
#   - wrk through Squid + leakguard, clean bodies;
#   - wrk through Squid + leakguard, every 10th body with a (test) card number;
#   - icapbench load through Squid + leakguard, the same mix, which waits for
#     every request it started and so accounts for each one exactly;
#   - icapbench icap straight to leakguard's ICAP port, the same mix, on that
#     many ICAP connections all held open at once (what leakguard can do
#     without the proxy in front).
# Every answer is checked: a clean body must reach the origin intact (the
# origin compares it with the digest sent in a header) and come back 200; a
# carded one must come back as leakguard's 403 page and never reach the
# origin. wrk abandons the requests in flight when its time is up, so its
# counts may differ from the origin's by at most the connections open; the
# icapbench runs must match exactly. Every block must also be an event in
# leakguard's inventory, and leakguard must log no event as not recorded
# (unless --serve-args has --no-store). leakguard's peak RSS (VmHWM, reset
# before each level), its and Squid's CPU time per request and the
# connections held are measured during the runs. Exits non-zero on any lost
# or wrong answer, socket error, missing event or crash.
#
# Carded requests say "Connection: close": Squid 5.7 closes the client
# connection after a request with a body that the ICAP service answered with
# its own response (our 403), although that 403 says "Connection: keep-alive",
# so a POST a client sends next on that connection fails unanswered (browsers
# generally resend a request that failed on a reused connection; wrk and Go's
# client do not resend a POST). --keep-alive-after-block drops the header to
# show that behaviour: expect socket errors and a failing exit then.
#
# Usage: scripts/bench-icap.sh [--duration 20s] [--exact-duration 15s]
#                              [--conns "8 1000"] [--card-every 10] [--threads 2]
#                              [--keep-alive-after-block] [--serve-args "ARGS"] [--rev REV]
#   --serve-args "ARGS"  more arguments for leakguard serve (e.g. "--no-store")
#   --rev REV   build leakguard from commit REV (git archive) instead of the
#               working tree, e.g. to measure HEAD while files are mid-edit
# Needs: go, squid, wrk, curl, ss (Debian: squid wrk curl iproute2).
set -euo pipefail

duration=20s
exact_duration=15s
conns_list="8 1000"
card_every=10
threads=2
close_carded=1
rev=""
serve_args=""
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --exact-duration) exact_duration=$2; shift 2 ;;
    --conns) conns_list=$2; shift 2 ;;
    --card-every) card_every=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --keep-alive-after-block) close_carded=0; shift ;;
    --rev) rev=$2; shift 2 ;;
    --serve-args) serve_args=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-icap.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $duration =~ ^[1-9][0-9]*s$ && $exact_duration =~ ^[1-9][0-9]*s$ && $card_every =~ ^[1-9][0-9]*$ && $threads =~ ^[1-9][0-9]*$ ]] &&
  [ "${duration%s}" -le 300 ] && [ "${exact_duration%s}" -le 300 ] ||
  { echo "bench-icap.sh: durations are 1s..300s, --card-every and --threads positive numbers" >&2; exit 2; }
for c in $conns_list; do
  [[ $c =~ ^[0-9]+$ ]] && [ "$c" -ge "$threads" ] && [ "$c" -le 5000 ] ||
    { echo "bench-icap.sh: each of --conns is $threads..5000" >&2; exit 2; }
done
squid=$(command -v squid || echo /usr/sbin/squid)
for tool in "$squid" wrk curl ss go; do
  command -v "$tool" >/dev/null || { echo "bench-icap.sh: needs $tool (apt-get install -y squid wrk curl iproute2)" >&2; exit 2; }
done

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
# Squid started as root drops to its own user, which must write its logs
# here: hence a world-writable directory.
tmp=$(mktemp -d /tmp/leakguard-bench-icap.XXXXXX)
chmod 777 "$tmp"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
# More file descriptors than the default 1024: 1,000 client connections
# through Squid hold about three each (client, origin, ICAP).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

if [ -n "$rev" ]; then
  echo "== build leakguard at $rev ($(git rev-parse --short "$rev^{commit}"))"
  mkdir "$tmp/src"
  git archive "$rev" | tar -x -C "$tmp/src"
  (cd "$tmp/src" && CGO_ENABLED=0 go build -o "$tmp/leakguard" ./cmd/leakguard)
else
  echo "== build leakguard from the working tree"
  CGO_ENABLED=0 go build -o "$tmp/leakguard" ./cmd/leakguard
fi
go build -o "$tmp/icapbench" ./scripts/icapbench
mkdir "$tmp/bodies"
eval "$("$tmp/icapbench" bodies "$tmp/bodies")" # sets LG_CLEAN_SHA and LG_CARD_SHA
export LG_CLEAN=$tmp/bodies/clean.txt LG_CARD=$tmp/bodies/card.txt LG_CLEAN_SHA LG_CARD_SHA
export LEAKGUARD_HOME=$tmp/state
mkdir -p "$LEAKGUARD_HOME"
# The bodies are what they claim: nothing in the clean one, the card in the other.
"$tmp/leakguard" scan --no-store "$LG_CLEAN" >/dev/null || { echo "bench-icap.sh: the clean body has findings" >&2; exit 1; }
rc=0; "$tmp/leakguard" scan --no-store "$LG_CARD" >/dev/null || rc=$?
[ $rc -eq 1 ] || { echo "bench-icap.sh: the carded body is not found (exit $rc)" >&2; exit 1; }

port() { "$tmp/icapbench" port; }
wait_port() { # wait_port PORT NAME PID
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { echo "bench-icap.sh: $2 exited" >&2; return 1; }
    sleep 0.1
  done
  echo "bench-icap.sh: $2 did not listen on 127.0.0.1:$1 within 30 s" >&2; return 1
}

echo "== origin, leakguard serve, Squid with and without ICAP"
origin_port=$(port)
"$tmp/icapbench" origin "127.0.0.1:$origin_port" 2>"$tmp/origin.log" &
origin_pid=$!; pids+=("$origin_pid")
wait_port "$origin_port" origin "$origin_pid"
export LG_URL=http://127.0.0.1:$origin_port/upload
stats_url=http://127.0.0.1:$origin_port/stats

icap_port=$(port)
# shellcheck disable=SC2086 # serve_args is split into arguments on purpose
"$tmp/leakguard" serve --http off --milter off --icap "127.0.0.1:$icap_port" $serve_args 2>"$tmp/serve.log" &
lg_pid=$!; pids+=("$lg_pid")
wait_port "$icap_port" "leakguard serve" "$lg_pid"

# start_squid NAME PORT ICAP(on|off): a private Squid on loopback that caches
# nothing; with ICAP it sends every request to leakguard's REQMOD service,
# with preview and persistent ICAP connections.
start_squid() {
  local name=$1 port=$2 dir=$tmp/$1
  mkdir -p "$dir"; chmod 777 "$dir"
  cat > "$dir/squid.conf" <<EOF
http_port 127.0.0.1:$port
pid_filename $dir/squid.pid
access_log none
cache_log $dir/cache.log
cache_store_log none
coredump_dir $dir
netdb_filename none
pinger_enable off
cache deny all
cache_mem 8 MB
max_filedescriptors 16384
shutdown_lifetime 1 seconds
visible_hostname leakguard-bench
http_access allow localhost
http_access deny all
EOF
  if [ "$3" = on ]; then
    cat >> "$dir/squid.conf" <<EOF
icap_enable on
icap_preview_enable on
icap_send_client_ip on
icap_persistent_connections on
icap_service lg_req reqmod_precache bypass=0 icap://127.0.0.1:$icap_port/reqmod
adaptation_access lg_req allow all
EOF
  fi
  "$squid" -k parse -f "$dir/squid.conf" >"$dir/parse.log" 2>&1 || { cat "$dir/parse.log" >&2; return 1; }
  "$squid" -N -f "$dir/squid.conf" >"$dir/squid.out" 2>&1 &
  local pid=$!; pids+=("$pid")
  eval "${name}_pid=$pid"
  wait_port "$port" "squid ($name)" "$pid"
}
plain_port=$(port)
start_squid plain "$plain_port" off
icap_squid_port=$(port)
start_squid icap "$icap_squid_port" on

# A first request each way, so that start-up costs (rule compilation is
# done, but Squid's OPTIONS to leakguard is not) stay out of the timings.
warm() { curl -sS --noproxy '' -x "http://127.0.0.1:$1" -o "$tmp/warm" -w '%{http_code}' \
  -H "X-Body-Kind: $2" -H "X-Body-SHA256: $3" -H 'Content-Type: text/plain' --data-binary "@$4" "$LG_URL"; }
[ "$(warm "$plain_port" clean "$LG_CLEAN_SHA" "$LG_CLEAN")" = 200 ] || { echo "bench-icap.sh: warm-up through plain Squid failed" >&2; cat "$tmp/warm" >&2; exit 1; }
[ "$(warm "$icap_squid_port" clean "$LG_CLEAN_SHA" "$LG_CLEAN")" = 200 ] || { echo "bench-icap.sh: warm-up through Squid + leakguard failed" >&2; cat "$tmp/warm" >&2; exit 1; }
[ "$(warm "$icap_squid_port" card "$LG_CARD_SHA" "$LG_CARD")" = 403 ] || { echo "bench-icap.sh: a carded upload through Squid + leakguard was not blocked" >&2; exit 1; }

# ---------------------------------------------------------------- runs
field() { sed -n "s/.*[ ]$1=\([^ ]*\).*/\1/p" <<<"$2" | head -1; }
origin_stats() { curl -sS --noproxy '*' "$stats_url"; }
json_field() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" <<<"$2"; }
# not_recorded: events leakguard has logged as not recorded so far.
not_recorded() { grep -c 'event not recorded' "$tmp/serve.log" || true; }
# cpu_ms PID: user + system CPU time the process has used, in milliseconds.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.0f", ($14 + $15) * 1000 / hz}' "/proc/$1/stat"; }
lg_hwm() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$lg_pid/status"; }
# established PORT [PROCESS]: connections open to PORT (from PROCESS only).
established() { ss -Htnp state established "( dport = :$1 )" | grep -c "${2:-.}" || true; }
alive() {
  local p name
  for p in "$lg_pid:leakguard" "$plain_pid:squid" "$icap_pid:squid+icap" "$origin_pid:origin"; do
    name=${p#*:}
    kill -0 "${p%%:*}" 2>/dev/null || {
      echo "bench-icap.sh: $name died during the runs; leakguard's log ends:" >&2
      { grep -m1 -A16 -E '^(panic|fatal error)' "$tmp/serve.log" || tail -20 "$tmp/serve.log"; } >&2
      return 1
    }
  done
}
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
rows=()
held=()
costs=()
last_rps=""
blocks_seen=1 # the warm-up's

# wrk_run LABEL PROXY-PORT CONNS CARD-EVERY: one wrk run, checked.
wrk_run() {
  local label=$1 pport=$2 conns=$3 every=$4 before after out line
  local secs=${duration%s}
  local squid_pid=$plain_pid
  [ "$pport" = "$icap_squid_port" ] && squid_pid=$icap_pid
  local lg_cpu0 sq_cpu0
  lg_cpu0=$(cpu_ms "$lg_pid"); sq_cpu0=$(cpu_ms "$squid_pid")
  local nr0; nr0=$(not_recorded)
  before=$(origin_stats)
  echo "== $label, $conns connections, $duration: wrk -t$threads -c$conns -d$duration --timeout 30s -s scripts/bench-icap.lua http://127.0.0.1:$pport/"
  LG_CARD_EVERY=$every LG_CLOSE_CARDED=$close_carded wrk -t"$threads" -c"$conns" -d"$duration" --timeout 30s --latency -s scripts/bench-icap.lua \
    "http://127.0.0.1:$pport/" >"$tmp/wrk.out" 2>&1 &
  local wrk_pid=$!; pids+=("$wrk_pid")
  # Connections held half-way through: clients to Squid, Squid to leakguard.
  sleep $((secs / 2))
  local c_proxy c_icap
  c_proxy=$(established "$pport")
  c_icap=$(established "$icap_port")
  wait "$wrk_pid" || { fail "$label: wrk failed"; cat "$tmp/wrk.out" >&2; return 0; }
  sleep 2 # Squid finishes what wrk abandoned
  after=$(origin_stats)
  local lg_cpu sq_cpu
  lg_cpu=$(( $(cpu_ms "$lg_pid") - lg_cpu0 )); sq_cpu=$(( $(cpu_ms "$squid_pid") - sq_cpu0 ))
  out=$(cat "$tmp/wrk.out")
  line=$(grep '^LGWRK requests=' <<<"$out" || true)
  grep -E 'Requests/sec|Socket errors|Non-2xx|LGWRK first' <<<"$out" | sed 's/^/   /' || true
  [ -n "$line" ] || { fail "$label: no LGWRK line from wrk"; echo "$out" >&2; return 0; }
  local sc ok sk bl wr o_clean o_leak o_dmg serr
  sc=$(field sent_clean "$line"); ok=$(field ok "$line"); sk=$(field sent_card "$line"); bl=$(field blocked "$line"); wr=$(field wrong "$line")
  serr=$(( $(field connect "$line") + $(field read "$line") + $(field write "$line") + $(field timeout "$line") ))
  o_clean=$(( $(json_field clean "$after") - $(json_field clean "$before") ))
  o_leak=$(( $(json_field leaked "$after") - $(json_field leaked "$before") ))
  o_dmg=$(( $(json_field damaged "$after") - $(json_field damaged "$before") ))
  echo "   sent $sc clean, $sk carded; answered $ok x 200 intact, $bl x 403, $wr wrong; socket errors $serr;" \
    "origin got $o_clean clean intact, $o_leak carded, $o_dmg changed; held: $c_proxy client conns, $c_icap ICAP conns;" \
    "CPU: leakguard ${lg_cpu} ms, Squid ${sq_cpu} ms; events not recorded: $(( $(not_recorded) - nr0 ))"
  [ "$wr" -eq 0 ] || fail "$label: $wr answers wrong"
  [ "$serr" -eq 0 ] || fail "$label: $serr socket errors"
  [ "$o_leak" -eq 0 ] || fail "$label: $o_leak carded bodies reached the origin"
  [ "$o_dmg" -eq 0 ] || fail "$label: $o_dmg bodies reached the origin changed"
  # In flight when wrk stopped: at most one request per connection, plus
  # the one request() wrk calls in its first thread to check the script.
  local unanswered=$(( sc - ok + sk - bl ))
  [ "$ok" -le "$sc" ] && [ "$bl" -le "$sk" ] && [ "$unanswered" -le $(( conns + 1 )) ] ||
    fail "$label: $unanswered requests unanswered with $conns connections ($sc/$ok clean, $sk/$bl carded)"
  [ "$o_clean" -ge "$ok" ] && [ $(( o_clean - ok )) -le "$conns" ] ||
    fail "$label: the origin got $o_clean clean bodies, wrk saw $ok answered"
  [ "$every" -eq 0 ] || [ "$bl" -gt 0 ] || fail "$label: no carded body was blocked"
  blocks_seen=$(( blocks_seen + bl ))
  local answers="$ok × 200"
  [ "$every" -eq 0 ] || answers="$answers, $bl × 403"
  # CPU per request counts every request the servers handled (the origin's
  # count, which includes the ones wrk abandoned) and the blocked ones.
  local handled=$(( o_clean + bl )) lg_per="–"
  [ "$pport" = "$icap_squid_port" ] && lg_per=$(awk -v c="$lg_cpu" -v n="$handled" 'BEGIN {printf "%.2f ms", c / n}')
  rows+=("$(printf '| %s | %d | %s | %s ms | %s ms | %s; %d wrong, %d socket errors | %s | %s |' "$label (wrk)" "$conns" \
    "$(field rps "$line")" "$(field p50_ms "$line")" "$(field p99_ms "$line")" "$answers" "$wr" "$serr" \
    "$lg_per" "$(awk -v c="$sq_cpu" -v n="$handled" 'BEGIN {printf "%.2f ms", c / n}')")")
  last_rps=$(field rps "$line")
  if [ "$pport" = "$icap_squid_port" ]; then held+=("$label, $conns: $c_proxy client connections to Squid, $c_icap ICAP connections to leakguard"); fi
}

# exact_run CONNS: icapbench load, every request accounted for.
exact_run() {
  local conns=$1 out line rc=0 lg_cpu0 sq_cpu0 lg_cpu sq_cpu
  local close_flag=-close-carded=true
  [ "$close_carded" = 1 ] || close_flag=-close-carded=false
  echo "== exact accounting, $conns connections, $exact_duration: icapbench load -proxy 127.0.0.1:$icap_squid_port -url $LG_URL -c $conns -d $exact_duration -card-every $card_every $close_flag"
  lg_cpu0=$(cpu_ms "$lg_pid"); sq_cpu0=$(cpu_ms "$icap_pid")
  local nr0; nr0=$(not_recorded)
  "$tmp/icapbench" load -proxy "127.0.0.1:$icap_squid_port" -url "$LG_URL" -c "$conns" -d "$exact_duration" \
    -card-every "$card_every" "$close_flag" >"$tmp/load.out" 2>&1 || rc=$?
  lg_cpu=$(( $(cpu_ms "$lg_pid") - lg_cpu0 )); sq_cpu=$(( $(cpu_ms "$icap_pid") - sq_cpu0 ))
  out=$(cat "$tmp/load.out")
  grep -v '^LGLOAD' <<<"$out" | sed 's/^/   /'
  echo "   events not recorded: $(( $(not_recorded) - nr0 ))"
  [ $rc -eq 0 ] || fail "icapbench load at $conns connections: requests lost or answered wrongly (exit $rc)"
  line=$(grep '^LGLOAD' <<<"$out" || true)
  [ -n "$line" ] || return 0
  blocks_seen=$(( blocks_seen + $(field blocked "$line") ))
  local n
  n=$(field requests "$line")
  rows+=("$(printf '| %s | %d | %s | %s ms | %s ms | %s × 200, %s × 403 of %s sent; %s wrong, %s unanswered; origin: %s intact, %s carded | %s | %s |' \
    "Squid + leakguard, 1 in $card_every carded (icapbench, exact)" "$conns" "$(field rps "$line")" "$(field p50_ms "$line")" "$(field p99_ms "$line")" \
    "$(field ok "$line")" "$(field blocked "$line")" "$(field requests "$line")" "$(field wrong "$line")" "$(field errors "$line")" \
    "$(field origin_clean "$line")" "$(field origin_leaked "$line")" \
    "$(awk -v c="$lg_cpu" -v n="$n" 'BEGIN {printf "%.2f ms", c / n}')" "$(awk -v c="$sq_cpu" -v n="$n" 'BEGIN {printf "%.2f ms", c / n}')")")
}

# direct_run CONNS: icapbench icap straight to leakguard, without Squid:
# CONNS ICAP connections all open at once, REQMODs back to back on each.
direct_run() {
  local conns=$1 out line rc=0 lg_cpu0 lg_cpu n c_icap
  echo "== leakguard alone, $conns ICAP connections, $exact_duration: icapbench icap -addr 127.0.0.1:$icap_port -c $conns -d $exact_duration -card-every $card_every"
  lg_cpu0=$(cpu_ms "$lg_pid")
  local nr0; nr0=$(not_recorded)
  "$tmp/icapbench" icap -addr "127.0.0.1:$icap_port" -c "$conns" -d "$exact_duration" -card-every "$card_every" >"$tmp/icap.out" 2>&1 &
  local pid=$!; pids+=("$pid")
  sleep $(( ${exact_duration%s} / 2 + 1 ))
  c_icap=$(established "$icap_port" '"icapbench"')
  wait "$pid" || rc=$?
  lg_cpu=$(( $(cpu_ms "$lg_pid") - lg_cpu0 ))
  out=$(cat "$tmp/icap.out")
  grep -v '^LGLOAD' <<<"$out" | sed 's/^/   /'
  echo "   events not recorded: $(( $(not_recorded) - nr0 ))"
  [ $rc -eq 0 ] || fail "icapbench icap at $conns connections: requests lost or answered wrongly (exit $rc)"
  line=$(grep '^LGLOAD' <<<"$out" || true)
  [ -n "$line" ] || return 0
  blocks_seen=$(( blocks_seen + $(field blocked "$line") ))
  n=$(field requests "$line")
  held+=("leakguard alone, $conns: $c_icap ICAP connections open")
  rows+=("$(printf '| %s | %d | %s | %s ms | %s ms | %s × 204, %s × 403 page of %s sent; %s wrong, %s unanswered | %s | – |' \
    "leakguard alone, ICAP REQMOD without Squid, 1 in $card_every carded (icapbench, exact)" "$conns" "$(field rps "$line")" \
    "$(field p50_ms "$line")" "$(field p99_ms "$line")" "$(field ok "$line")" "$(field blocked "$line")" "$n" \
    "$(field wrong "$line")" "$(field errors "$line")" "$(awk -v c="$lg_cpu" -v n="$n" 'BEGIN {printf "%.2f ms", c / n}')")")
}

# count_events: the events in leakguard's inventory, page by page.
count_events() {
  local after="" n=0 page next
  while :; do
    page=$("$tmp/leakguard" events list --format json --limit 5000 ${after:+--after "$after"})
    n=$(( n + $(grep -c '"channel"' <<<"$page" || true) ))
    next=$(sed -n 's/^  "next": *"\([^"]*\)".*/\1/p' <<<"$page" | tail -1)
    [ -n "$next" ] || break
    after=$next
  done
  echo "$n"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rss=()
for conns in $conns_list; do
  last_rps=""
  wrk_run "Squid alone, clean" "$plain_port" "$conns" 0
  plain_rps=$last_rps; last_rps=""
  # leakguard's peak from here on is this level's.
  echo 5 >"/proc/$lg_pid/clear_refs" 2>/dev/null || echo "   (VmHWM not reset: this level's peak includes the previous ones)"
  wrk_run "Squid + leakguard, clean" "$icap_squid_port" "$conns" 0
  [ -n "$plain_rps" ] && [ -n "$last_rps" ] && costs+=("$(awk -v p="$plain_rps" -v c="$last_rps" -v n="$conns" \
    'BEGIN {printf "cost of the check at %d connections (clean bodies): %.0f%% of the requests/s of Squid alone kept", n, 100 * c / p}')")
  wrk_run "Squid + leakguard, 1 in $card_every carded" "$icap_squid_port" "$conns" "$card_every"
  exact_run "$conns"
  direct_run "$conns"
  alive
  rss+=("$conns connections: peak $(lg_hwm) MiB (VmHWM), $(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$lg_pid/status") MiB after")
  echo "   leakguard ${rss[-1]}"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
# Every block is an event in the inventory: at least one per 403 a client
# saw (more where wrk left before the answer came).
not_recorded=$(not_recorded)
case " $serve_args " in
  *" --no-store "*) events="none (--no-store)" ;;
  *) events=$(count_events)
     [ "$events" -ge "$blocks_seen" ] || fail "$blocks_seen blocks answered, $events events in the inventory" ;;
esac
[ "$not_recorded" -eq 0 ] || fail "leakguard logged $not_recorded events as not recorded in the inventory"
other_errors=$(grep '"level":"ERROR"' "$tmp/serve.log" | grep -v 'event not recorded' || true)
[ -z "$other_errors" ] || { head -5 <<<"$other_errors" >&2; fail "leakguard logged errors (above)"; }

# ---------------------------------------------------------------- report
echo
echo "## ICAP REQMOD through Squid under load $(date -u +%Y-%m-%d)"
echo
echo "- command: scripts/bench-icap.sh --duration $duration --exact-duration $exact_duration --conns '$conns_list' --card-every $card_every --threads $threads$([ $close_carded = 1 ] || echo ' --keep-alive-after-block')${rev:+ --rev $rev}${serve_args:+ --serve-args '$serve_args'}"
echo "- leakguard: $("$tmp/leakguard" --version 2>&1 | head -1)${rev:+, built from $rev ($(git rev-parse --short "$rev^{commit}"))}"
echo "- $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), $("$squid" -v | head -1), leakguard serve --icap${serve_args:+ $serve_args} (every built-in rule, default policy$(case " $serve_args " in *" --no-store "*) echo ", events not recorded" ;; *) echo ", events recorded in SQLite" ;; esac)), all on loopback"
echo "- bodies: 10,240 bytes of memo text; carded ones hold one (test) card number; wrk $threads threads, --timeout 30s"
echo "- machine: $(nproc) CPUs, $(lscpu 2>/dev/null | awk -F': +' '/Model name/ {print $2; exit}'), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); load average before $load_before, after $load_after; client, Squid, leakguard and origin share the CPUs"
echo
echo "| path | connections | requests/s | p50 | p99 | answers | leakguard CPU / request | Squid CPU / request |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
printf '%s\n' "${costs[@]}"
echo "events: $events in the inventory for $blocks_seen blocks answered; $not_recorded logged as not recorded"
echo "leakguard memory:"
printf -- '- %s\n' "${rss[@]}"
echo "connections held half-way through the runs:"
printf -- '- %s\n' "${held[@]}"
echo
if [ "$failures" -gt 0 ]; then
  echo "bench-icap.sh: $failures check(s) failed" >&2
  exit 1
fi
echo "bench-icap.sh: no request lost or answered wrongly"
