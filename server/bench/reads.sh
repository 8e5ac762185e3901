#!/usr/bin/env bash
# Reads under load, measured with wrk against a bare axum handler in the same run (issue 15's
# yardstick): GET /api/loans as a logged-in citizen on SQLite and, with PG_URL set to a
# PostgreSQL database, on PostgreSQL. Prints req/s of each and the ratio to the bare handler.
# Only 200s count: a run with any other answer (a lost session, a 500 under load) fails.
#
#   server/bench/reads.sh                      # SQLite (a fresh file), wrk -t2 -c32 -d10s
#   PG_URL=postgres://…/db server/bench/reads.sh   # SQLite and that (empty or hall) PostgreSQL
#
# Needs wrk (Debian package), a release build (cargo build --release -p server --bin hpf
# --example bare) and dist/ (./hall run or ./hall test builds it).
set -euo pipefail
cd "$(dirname "$0")/../.."
THREADS=${THREADS:-2} CONNECTIONS=${CONNECTIONS:-32} DURATION=${DURATION:-10s}
HPF=target/release/hpf BARE=target/release/examples/bare
[ -x "$HPF" ] && [ -x "$BARE" ] || { echo "build first: cargo build --release -p server --bin hpf --example bare" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
work=$(mktemp -d /tmp/hpf-reads.XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

rate() { # URL [cookie] -> requests/s
  local args=(-t"$THREADS" -c"$CONNECTIONS" -d"$DURATION") out r
  [ -n "${2:-}" ] && args+=(-H "Cookie: $2")
  out=$(wrk "${args[@]}" "$1")
  if grep -q "Non-2xx\|Socket errors" <<<"$out"; then echo "$1 answered other than 200:" >&2; echo "$out" >&2; exit 1; fi
  r=$(awk '/Requests\/sec/ {print int($2)}' <<<"$out")
  [ -n "$r" ] && [ "$r" -gt 0 ] || { echo "no rate from wrk for $1" >&2; echo "$out" >&2; exit 1; }
  echo "$r"
}

# A logged-in session of 周九 (a demo member with loans): the captcha through the test hook.
login() { # base URL -> cookie
  local base=$1 captcha id answer
  captcha=$(curl -fsS -X POST -H 'x-hpf-csrf: 1' "$base/api/account/captcha")
  id=$(printf '%s' "$captcha" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  answer=$(printf '%s' "$captcha" | python3 -c 'import json,sys; print(json.load(sys.stdin)["answer"])')
  curl -fsS -o /dev/null -D - -X POST -H 'x-hpf-csrf: 1' -H 'content-type: application/json' \
    -d "{\"username\":\"13904310008\",\"password\":\"Demo2018!\",\"captcha_id\":\"$id\",\"captcha\":\"$answer\"}" \
    "$base/api/account/login" | sed -n 's/^set-cookie: \([^;]*\);.*/\1/Ip' | head -n 1
}

serve() { # database URL -> $base (hpf with the demo, logging as in production: info)
  local p; p=$(port)
  "$HPF" serve --demo --insecure-test-hooks --clock 2018-01-05T10:00:00+08:00 --addr "127.0.0.1:$p" \
    --database-url "$1" --data-key-file "$work/data.key" --log-level info >>"$work/hpf.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$p/api/health/ready" >/dev/null && break; sleep 0.1; done
  base="http://127.0.0.1:$p"
}

openssl rand -hex 32 >"$work/data.key"
bare_port=$(port)
"$BARE" "127.0.0.1:$bare_port" & pids+=($!)
sleep 0.5
# The bare handler's rate swings ±15 % from one run to the next on this machine: it is measured
# before and after the hall, and each ratio is to the mean of the two.
bare_before=$(rate "http://127.0.0.1:$bare_port/")
serve "sqlite://$work/hpf.db?mode=rwc"
cookie=$(login "$base")
[ -n "$cookie" ] || { echo "no session cookie from $base" >&2; exit 1; }
sqlite=$(rate "$base/api/loans" "$cookie")
# One hall at a time: the SQLite one stops before the next measurement.
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
if [ -n "${PG_URL:-}" ]; then
  serve "$PG_URL"
  cookie=$(login "$base")
  [ -n "$cookie" ] || { echo "no session cookie from $base" >&2; exit 1; }
  postgres=$(rate "$base/api/loans" "$cookie")
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
fi
bare_after=$(rate "http://127.0.0.1:$bare_port/")
bare=$(( (bare_before + bare_after) / 2 ))
echo "bare axum handler: $bare req/s (before $bare_before, after $bare_after)"
report() { # name rate
  awk -v n="$1" -v r="$2" -v b="$bare" 'BEGIN { printf "%s: %d req/s = %.1f %% of the bare handler\n", n, r, 100 * r / b }'
}
report "GET /api/loans, SQLite" "$sqlite"
[ -z "${postgres:-}" ] || report "GET /api/loans, PostgreSQL" "$postgres"
