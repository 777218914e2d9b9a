#!/usr/bin/env bash
# Load benchmark of the live portal: gunicorn (2 workers) on SQLite and on PostgreSQL, with the
# generated site (10,000 cases, 10,000 press releases) and 100,000 fictional debtors; wrk for
# 30 s at 32 connections against a case page, a search and the debtor lookup (its rate limit
# raised for the test), then the case page again through nginx running the configuration of
# docs/deployment.md (docs/nginx-portal.conf, with loopback ports, a self-signed certificate and
# paths in the work folder put in). Reports requests/s, p50 and p99 latency, errors (any
# answer other than 2xx or 429, and socket errors) and the CPU the server's processes spent a
# request. Only ever targets 127.0.0.1. Not part of `make test`.
#
#   bench/load.sh [--frozen DIR | --no-frozen] [--databases "sqlite postgresql"]
#                 [--duration SECONDS] [--connections N] [--page-cache] [--keep]
#
#   --frozen DIR   serve this frozen site (the output of `portal freeze`) as the reference;
#                  by default the SQLite site is frozen into the work folder in the same run.
#                  The reference is served by nginx (2 workers) when it is installed, otherwise
#                  by `python -m http.server`.
#   --no-frozen    skip the frozen reference (and the freeze it needs).
#   --databases    which databases to measure on (default both).
#   --page-cache   also the case page through gunicorn alone with the page cache in Redis
#                  (PORTAL_PAGE_CACHE_URL = PORTAL_BENCH_REDIS_URL, default redis://127.0.0.1:6379/1).
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
NO_FROZEN=0
DATABASES="sqlite postgresql"
KEEP=0
PAGE_CACHE=0
while (($#)); do
  case $1 in
    --frozen) FROZEN=$(realpath "$2"); shift 2 ;;
    --no-frozen) NO_FROZEN=1; shift ;;
    --databases) DATABASES=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --page-cache) PAGE_CACHE=1; shift ;;
    --keep) KEEP=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
PG_ADMIN=${PORTAL_BENCH_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}
PG_DB="portal_load_$$"
PAGE_CACHE_URL=${PORTAL_BENCH_REDIS_URL:-redis://127.0.0.1:6379/1}
HOST=127.0.0.1
PORT=${PORT:-18080}
STATIC_PORT=${STATIC_PORT:-18081}
PROXY_PORT=${PROXY_PORT:-18443}
# The size of the generated site (smaller only to try the script out).
CASES=${CASES:-10000} PRESS=${PRESS:-10000} DEBTORS=${DEBTORS:-100000}
REDIRECT_PORT=${REDIRECT_PORT:-18082}

if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx wrk </dev/null
fi

WORK=$(mktemp -d /tmp/portal-load.XXXXXX)
RESULTS=$WORK/results.jsonl
SERVER_PID=""
PROXY_PID=""
cleanup() {
  [[ -n $PROXY_PID ]] && kill "$PROXY_PID" 2>/dev/null && wait "$PROXY_PID" 2>/dev/null
  [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  "$PY" bench/load_helper.py drop-db "$PG_ADMIN" "$PG_DB" 2>/dev/null || true
  if ((KEEP)); then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

step() { printf '\n== %s (%s)\n' "$*" "$(date +%T)"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

export PORTAL_SECRET_KEY=load-benchmark-secret-key-0123456789abcdef

step "generating the site ($CASES cases, $PRESS releases) and $DEBTORS fictional debtors in $WORK"
"$PY" bench/make_site.py --cases "$CASES" --press "$PRESS" --out "$WORK/site" | tail -1
example=$("$PORTAL" demo-debtors --count "$DEBTORS" --seed 1 --out "$WORK/debtors.csv" --show-example)
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
# As docs/deployment.md sets it: nginx is the one proxy in front (gunicorn alone sends no
# X-Forwarded-* headers, so the same setting serves both runs).
export PORTAL_TRUSTED_PROXIES=1
# The static check's derivation at import is measured by bench/static_lookup.py; here it would
# only make the set-up minutes longer, so each record costs 1,000 iterations instead of 20,000.
export PORTAL_STATIC_LOOKUP_ITERATIONS=1000

cpu_ticks() {  # user and system CPU of the server (SERVER_PID) and its workers, in clock ticks
  local pid total=0 fields
  for pid in $SERVER_PID $(pgrep -P "$SERVER_PID"); do
    # The fields after the command's name, which is in parentheses: utime and stime are the
    # 12th and 13th of them.
    read -ra fields <<<"$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null)" || continue
    total=$((total + fields[11] + fields[12]))
  done
  echo "$total"
}

run_wrk() {  # DATABASE TARGET URL [BODY]
  local out before after
  before=$(cpu_ticks)
  out=$(LOAD_BODY=${4:-} wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency \
    -s bench/wrk_report.lua "$3")
  after=$(cpu_ticks)
  echo "$out" | grep -E 'Requests/sec|Latency|Non-2xx|Socket errors' | sed 's/^/    /'
  sed -n 's/^RESULT //p' <<<"$out" |
    "$PY" -c 'import json, sys; r = json.load(sys.stdin); r.update(database=sys.argv[1], target=sys.argv[2], cpu_ms=int(sys.argv[3]) * 1000 / int(sys.argv[4]) / max(r["requests"], 1)); print(json.dumps(r))' \
      "$1" "$2" "$((after - before))" "$(getconf CLK_TCK)" >>"$RESULTS"
  echo "    load average: $(loadavg)"
  drain "$3"
}

# nginx with docs/nginx-portal.conf, only its ports, certificate and paths replaced; each
# replacement must match, so that the benchmark cannot drift from the documented file.
start_nginx() {
  local conf=$WORK/nginx-portal.conf
  mkdir -p "$WORK/nginx-cache" "$WORK/nginx-temp"
  # nginx's workers run as an unprivileged user: let them into the work folder's cache.
  chmod a+x "$WORK"
  chmod a+rwx "$WORK/nginx-cache" "$WORK/nginx-temp"
  if [[ ! -f $WORK/cert.pem ]]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
      -subj "/CN=$HOST" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
  fi
  cp docs/nginx-portal.conf "$conf"
  replace() {  # FROM TO
    grep -qF -- "$1" "$conf" || { echo "docs/nginx-portal.conf has no '$1'" >&2; exit 1; }
    FROM=$1 TO=$2 "$PY" -c 'import os, sys; p = sys.argv[1]; s = open(p).read()
open(p, "w").write(s.replace(os.environ["FROM"], os.environ["TO"]))' "$conf"
  }
  replace "server 127.0.0.1:8000;" "server $HOST:$PORT;"
  replace "listen 80;" "listen $HOST:$REDIRECT_PORT;"
  replace "listen 443 ssl http2;" "listen $HOST:$PROXY_PORT ssl http2;"
  replace "/var/cache/nginx/portal" "$WORK/nginx-cache"
  replace "/var/log/nginx/portal-access.log" "$WORK/nginx-access.log"
  replace "/etc/ssl/portal/fullchain.pem" "$WORK/cert.pem"
  replace "/etc/ssl/portal/privkey.pem" "$WORK/key.pem"
  cat >"$WORK/nginx-proxy.conf" <<CONF
worker_processes 2;
daemon off;
pid $WORK/nginx-proxy.pid;
error_log $WORK/nginx-proxy-error.log;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  client_body_temp_path $WORK/nginx-temp/body;
  proxy_temp_path $WORK/nginx-temp/proxy;
  include $conf;
}
CONF
  nginx -t -q -c "$WORK/nginx-proxy.conf" -p "$WORK"
  nginx -c "$WORK/nginx-proxy.conf" -p "$WORK" &
  PROXY_PID=$!
  for _ in $(seq 50); do curl -fsk -o /dev/null "https://$HOST:$PROXY_PORT/robots.txt" && break; sleep 0.2; done
}

start_gunicorn() {  # with the environment as it is; waits until it answers
  "$GUNICORN" --workers 2 --bind "$HOST:$PORT" --log-level warning 'portal.web:create_app()' &
  SERVER_PID=$!
  for _ in $(seq 100); do curl -fs "http://$HOST:$PORT/en/" >/dev/null && break; sleep 0.2; done
}

stop_gunicorn() {
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
}

stop_nginx() {
  kill "$PROXY_PID"; wait "$PROXY_PID" 2>/dev/null || true; PROXY_PID=""
}

cache_status() {  # URL [curl options]: nginx's X-Cache-Status of one answer
  curl -sk -o /dev/null -D - "${@:2}" "$1" | tr -d '\r' | sed -n 's/^x-cache-status: //Ip'
}

drain() {  # wait until the server has worked off what wrk left queued (slow searches)
  local base=${1%%/en/*} took
  for _ in $(seq 120); do
    took=$(curl -sk -o /dev/null -w '%{time_total}' "$base/robots.txt" || echo 9)
    awk -v t="$took" 'BEGIN { exit !(t < 0.1) }' && return
    sleep 1
  done
}

for database in $DATABASES; do
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
  start_gunicorn
  CASE=$("$PY" bench/load_helper.py case-url "http://$HOST:$PORT")
  SEARCH=${SEARCH:-/en/search/?q=detained}   # a common word: matches a large part of the site
  echo "case page $CASE; search $SEARCH; lookup POST /en/debtors/ (name and number)"
  curl -fs -o /dev/null "http://$HOST:$PORT$CASE"
  curl -fs -o /dev/null "http://$HOST:$PORT$SEARCH"
  echo "    load average before: $(loadavg)"
  step "$database: case page"; run_wrk "$database" "case page" "http://$HOST:$PORT$CASE"
  if ((PAGE_CACHE)); then
    step "$database: case page, gunicorn alone with the page cache in $PAGE_CACHE_URL"
    stop_gunicorn
    # Started empty: the command clears the page cache, as after any change.
    PORTAL_PAGE_CACHE_URL=$PAGE_CACHE_URL "$PORTAL" index 2>&1 | tail -1
    PORTAL_PAGE_CACHE_URL=$PAGE_CACHE_URL start_gunicorn
    curl -fs -o /dev/null "http://$HOST:$PORT$CASE"
    "$PY" bench/load_helper.py page-kept "$PAGE_CACHE_URL" "$CASE" ||
      { echo "the page cache did not keep $CASE" >&2; exit 1; }
    run_wrk "$database" "case page (page cache)" "http://$HOST:$PORT$CASE"
    stop_gunicorn
    start_gunicorn
  fi
  step "$database: search"; run_wrk "$database" "search" "http://$HOST:$PORT$SEARCH"
  step "$database: lookup"
  run_wrk "$database" "lookup" "http://$HOST:$PORT/en/debtors/" "$LOOKUP_BODY"

  step "$database: case page through nginx (docs/nginx-portal.conf) on $HOST:$PROXY_PORT"
  start_nginx
  PROXIED=https://$HOST:$PROXY_PORT$CASE
  first=$(cache_status "$PROXIED"); second=$(cache_status "$PROXIED")
  lookup=$(cache_status "https://$HOST:$PROXY_PORT/en/debtors/" --data "$LOOKUP_BODY")
  lookup_again=$(cache_status "https://$HOST:$PROXY_PORT/en/debtors/" --data "$LOOKUP_BODY")
  echo "    X-Cache-Status: case page $first then $second; lookup POST '$lookup' then '$lookup_again'"
  [[ $second == HIT && $lookup_again != HIT ]] || { echo "nginx did not cache as documented" >&2; exit 1; }
  run_wrk "$database" "case page (nginx cache)" "$PROXIED"
  stop_nginx
  stop_gunicorn
done

# --- Reference: the same case page from the frozen site, served as static files. ---
export PORTAL_DATABASE_URL="sqlite:///$WORK/portal.sqlite3" PORTAL_INDEX_DIR=$WORK/index-sqlite
if ((NO_FROZEN)); then
  step "results ($(nproc) cores, load average $(loadavg))"
  "$PY" bench/load_helper.py report "$RESULTS"
  exit 0
fi
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
