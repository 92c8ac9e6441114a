#!/usr/bin/env bash
# Fuzz the whole API (schemathesis over /api/v1/openapi.json) against a small demo district served by gunicorn:
# once with a district admin's bearer token, once without. Fails on any 5xx and on any response that breaks the
# published schema. Bounded in time: FUZZ_SECONDS per pass (default 150).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
work=$(mktemp -d)
port=${FUZZ_PORT:-8766}
seconds=${FUZZ_SECONDS:-150}
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
export DEBUG=0 ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0 HUEY_IMMEDIATE=1
export SECRET_KEY=$($PY -c "import secrets;print('fuzz-' + secrets.token_urlsafe(48))")
export FIELD_ENCRYPTION_KEY=$($PY -c 'import base64,os;print(base64.urlsafe_b64encode(os.urandom(32)).decode())')
export DATABASE_URL="sqlite:///$work/fuzz.sqlite3" MEDIA_ROOT="$work/media" HUEY_FILE="$work/huey.sqlite3"
export AXES_ENABLED=0
echo "== fuzz: a small demo district"
$PY manage.py migrate --noinput -v 0
$PY manage.py demo_district --residents 150 --seed 7 --if-empty >/dev/null
[ -d staticfiles ] || $PY manage.py collectstatic --noinput -v 0
.venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:$port" --workers 2 --threads 4 --log-level error \
  --timeout 60 &
pid=$!
for _ in $(seq 1 50); do curl -fsS -o /dev/null "http://127.0.0.1:$port/api/v1/openapi.json" 2>/dev/null && break; sleep 0.2; done
token=$(curl -fsS -X POST -H 'Content-Type: application/json' \
  -d '{"phone": "13900000008", "password": "Jishiyu@2024"}' \
  "http://127.0.0.1:$port/api/v1/auth/token" | $PY -c 'import json,sys; print(json.load(sys.stdin)["token"])')
[ -n "$token" ] || { echo "!! no token for the district admin"; exit 1; }
spec="http://127.0.0.1:$port/api/v1/openapi.json"
common=(--checks not_a_server_error,response_schema_conformance --max-time "$seconds" --request-timeout 30
  --seed 7 --suppress-health-check all --phases examples,coverage,fuzzing -n 10)
echo "== fuzz: with a district admin's token (${seconds}s at most)"
# schemathesis prints every operation; the log keeps it all, the terminal its summary
.venv/bin/schemathesis run "$spec" "${common[@]}" -H "Authorization: Bearer $token" > "$work/with-token.log" 2>&1 \
  || { tail -150 "$work/with-token.log"; exit 1; }
tail -14 "$work/with-token.log"
echo "== fuzz: without a token (${seconds}s at most)"
.venv/bin/schemathesis run "$spec" "${common[@]}" > "$work/anonymous.log" 2>&1 \
  || { tail -150 "$work/anonymous.log"; exit 1; }
tail -14 "$work/anonymous.log"
