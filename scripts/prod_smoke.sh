#!/usr/bin/env bash
# The production path, as docs/deploy.md gives it: static files built with DEBUG off (hashed, compressed), the
# database migrated, pages served by gunicorn with DEBUG off. Fails on any step, and on any page but 200/302.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
work=$(mktemp -d)
port=${SMOKE_PORT:-8765}
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
export DEBUG=0 CI_SMOKE=1 ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0
export SECRET_KEY=$($PY -c "import secrets;print('smoke-' + secrets.token_urlsafe(48))")
export FIELD_ENCRYPTION_KEY=$($PY -c 'import base64,os;print(base64.urlsafe_b64encode(os.urandom(32)).decode())')
export DATABASE_URL="sqlite:///$work/smoke.sqlite3" MEDIA_ROOT="$work/media"
echo "== production static files (collectstatic, DEBUG off)"
rm -rf staticfiles
$PY manage.py collectstatic --noinput -v 0
echo "== migrate a fresh database"
$PY manage.py migrate --noinput -v 0
echo "== gunicorn on 127.0.0.1:$port, DEBUG off"
.venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:$port" --workers 2 --log-level warning &
pid=$!
for _ in $(seq 1 50); do curl -fsS -o /dev/null "http://127.0.0.1:$port/accounts/login/" 2>/dev/null && break; sleep 0.2; done
fail=0
check() {  # path, expected status codes
  local code
  code=$(curl -s -o "$work/body" -w '%{http_code}' "http://127.0.0.1:$port$1")
  if [[ " $2 " == *" $code "* ]]; then echo "   $code $1"; else echo "!! $code $1 (expected $2)"; head -c 400 "$work/body"; echo; fail=1; fi
}
check / "200 302"
check /accounts/login/ "200"
check /charity/ "200"
check /api/v1/openapi.json "200"
check /no-such-page/ "404"
curl -s -o "$work/body" "http://127.0.0.1:$port/accounts/login/"
asset=$(grep -o '/static/[^"]*\.css' "$work/body" | head -1)
[ -n "$asset" ] || { echo "!! no stylesheet linked from the sign-in page"; fail=1; }
[ -z "$asset" ] || check "$asset" "200"
[[ "$asset" =~ \.[0-9a-f]{12}\.css$ ]] || { echo "!! the stylesheet is not a hashed manifest name: $asset"; fail=1; }
exit $fail
