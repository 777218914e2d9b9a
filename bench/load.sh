#!/usr/bin/env bash
# Load benchmark of the live portal: gunicorn (2 workers) on SQLite and on PostgreSQL, with the
# generated site (10,000 cases, 10,000 press releases) and 100,000 fictional debtors; wrk for
# 30 s at 32 connections against a case page, a search and the debtor lookup (its rate limit
# raised for the test). Reports requests/s, p50 and p99 latency and errors (any answer other
# than 2xx or 429, and socket errors). Only ever targets 127.0.0.1. Not part of `make test`.
#
#   bench/load.sh [--frozen DIR] [--duration SECONDS] [--connections N] [--keep]
#
#   --frozen DIR   serve this frozen site (the output of `portal freeze`) as the reference;
#                  by default the SQLite site is frozen into the work folder in the same run.
#                  The reference is served by nginx (2 workers) when it is installed, otherwise
#                  by `python -m http.server`.
#   --keep         keep the work folder (site, SQLite database, index, debtor file).
#
# PostgreSQL: PORTAL_BENCH_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test);
# the benchmark creates a database of its own there and drops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-$ROOT/.venv/bin/python}
PORTAL=${PORTAL:-$ROOT/.venv/bin/portal}
GUNICORN=${GUNICORN:-$ROOT/.venv/bin/gunicorn}
DURATION=30
CONNECTIONS=32
FROZEN=""
KEEP=0
while (($#)); do
  case $1 in
    --frozen) FROZEN=$(realpath "$2"); shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
PG_ADMIN=${PORTAL_BENCH_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}
PG_DB="portal_load_$$"
HOST=127.0.0.1
PORT=${PORT:-18080}
STATIC_PORT=${STATIC_PORT:-18081}

if ! command -v wrk >/dev/null; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk </dev/null
fi

WORK=$(mktemp -d /tmp/portal-load.XXXXXX)
RESULTS=$WORK/results.jsonl
SERVER_PID=""
cleanup() {
  [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  "$PY" bench/load_helper.py drop-db "$PG_ADMIN" "$PG_DB" 2>/dev/null || true
  if ((KEEP)); then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

step() { printf '\n== %s (%s)\n' "$*" "$(date +%T)"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

export PORTAL_SECRET_KEY=load-benchmark-secret-key-0123456789abcdef

step "generating the site and 100,000 fictional debtors in $WORK"
"$PY" bench/make_site.py --cases 10000 --press 10000 --out "$WORK/site" | tail -1
example=$("$PORTAL" demo-debtors --count 100000 --seed 1 --out "$WORK/debtors.csv" --show-example)
echo "$example"
# "Try the lookup with the name NAME and the ID number NUMBER"
NAME=$(sed -n 's/.*with the name \(.*\) and the ID number.*/\1/p' <<<"$example")
NUMBER=$(sed -n 's/.*and the ID number \([0-9X]*\).*/\1/p' <<<"$example")
urlencode() { "$PY" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
LOOKUP_BODY="name=$(urlencode "$NAME")&number=$NUMBER"

export PORTAL_CONTENT_DIR=$WORK/site/content PORTAL_CASES_DIR=$WORK/site/cases
export PORTAL_SITE_URL=http://$HOST:$PORT
export PORTAL_DEBTOR_LOOKUP_LIMITS="100000000 per minute"   # raised for the benchmark
export PORTAL_RATELIMIT_STORAGE=memory://
# The static check's derivation at import is measured by bench/static_lookup.py; here it would
# only make the set-up minutes longer, so each record costs 1,000 iterations instead of 20,000.
export PORTAL_STATIC_LOOKUP_ITERATIONS=1000

run_wrk() {  # DATABASE TARGET URL [BODY]
  local out
  out=$(LOAD_BODY=${4:-} wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency \
    -s bench/wrk_report.lua "$3")
  echo "$out" | grep -E 'Requests/sec|Latency|Non-2xx|Socket errors' | sed 's/^/    /'
  sed -n 's/^RESULT //p' <<<"$out" |
    "$PY" -c 'import json, sys; r = json.load(sys.stdin); r.update(database=sys.argv[1], target=sys.argv[2]); print(json.dumps(r))' "$1" "$2" \
    >>"$RESULTS"
  echo "    load average: $(loadavg)"
  drain "$3"
}

drain() {  # wait until the server has worked off what wrk left queued (slow searches)
  local base=${1%%/en/*} took
  for _ in $(seq 120); do
    took=$(curl -s -o /dev/null -w '%{time_total}' "$base/robots.txt" || echo 9)
    awk -v t="$took" 'BEGIN { exit !(t < 0.1) }' && return
    sleep 1
  done
}

for database in sqlite postgresql; do
  if [[ $database == sqlite ]]; then
    export PORTAL_DATABASE_URL="sqlite:///$WORK/portal.sqlite3"
  else
    export PORTAL_DATABASE_URL=$("$PY" bench/load_helper.py create-db "$PG_ADMIN" "$PG_DB")
  fi
  export PORTAL_INDEX_DIR=$WORK/index-$database
  step "$database: migrate, load (which builds the search index), import the debtors"
  "$PORTAL" db upgrade 2>&1 | tail -1
  "$PORTAL" load 2>&1 | tail -1
  "$PORTAL" import-debtors --demo "$WORK/debtors.csv" 2>&1 | tail -1

  step "$database: gunicorn, 2 workers, on $HOST:$PORT"
  "$GUNICORN" --workers 2 --bind "$HOST:$PORT" --log-level warning 'portal.web:create_app()' &
  SERVER_PID=$!
  for _ in $(seq 100); do curl -fs "http://$HOST:$PORT/en/" >/dev/null && break; sleep 0.2; done
  CASE=$("$PY" bench/load_helper.py case-url "http://$HOST:$PORT")
  SEARCH=${SEARCH:-/en/search/?q=detained}   # a common word: matches a large part of the site
  echo "case page $CASE; search $SEARCH; lookup POST /en/debtors/ (name and number)"
  curl -fs -o /dev/null "http://$HOST:$PORT$CASE"
  curl -fs -o /dev/null "http://$HOST:$PORT$SEARCH"
  echo "    load average before: $(loadavg)"
  step "$database: case page"; run_wrk "$database" "case page" "http://$HOST:$PORT$CASE"
  step "$database: search"; run_wrk "$database" "search" "http://$HOST:$PORT$SEARCH"
  step "$database: lookup"
  run_wrk "$database" "lookup" "http://$HOST:$PORT/en/debtors/" "$LOOKUP_BODY"
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
done

# --- Reference: the same case page from the frozen site, served as static files. ---
export PORTAL_DATABASE_URL="sqlite:///$WORK/portal.sqlite3" PORTAL_INDEX_DIR=$WORK/index-sqlite
if [[ -z $FROZEN ]]; then
  FROZEN=$WORK/frozen
  step "freezing the SQLite site into $FROZEN (the in-browser search index is not needed here)"
  "$PORTAL" freeze --no-pagefind "$FROZEN" 2>&1 | tail -3
fi
# The web server's workers run as an unprivileged user: let them read the copy.
chmod a+x "$WORK"
chmod -R a+rX "$FROZEN"
if command -v nginx >/dev/null; then
  step "frozen reference: nginx (2 workers) over $FROZEN"
  cat >"$WORK/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  server { listen $HOST:$STATIC_PORT; root $FROZEN; }
}
CONF
  nginx -c "$WORK/nginx.conf" -p "$WORK" &
else
  step "frozen reference: python -m http.server over $FROZEN (install nginx for a fairer one)"
  "$PY" -m http.server --bind "$HOST" --directory "$FROZEN" "$STATIC_PORT" >/dev/null 2>&1 &
fi
SERVER_PID=$!
for _ in $(seq 50); do curl -fs -o /dev/null "http://$HOST:$STATIC_PORT$CASE" && break; sleep 0.2; done
run_wrk static "case page (frozen)" "http://$HOST:$STATIC_PORT$CASE"
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""

step "results ($(nproc) cores, load average $(loadavg))"
"$PY" bench/load_helper.py report "$RESULTS"
