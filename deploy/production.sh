#!/usr/bin/env bash
# `make production` / `make production-stop`: the whole production stack on this machine, for trying and
# testing it — nginx (TLS, self-signed certificate) in front of gunicorn (pages, 3 workers) and TWO daphne
# processes (/ws/), on PostgreSQL (DATABASE_URL) and Redis (REDIS_URL), with conseil_ess.settings.production.
# Everything it makes lives in $RUN (default .production/): nginx.conf generated from deploy/nginx/, the
# certificate, PID files, logs, the secret key. It never edits /etc; `stop` ends exactly the PIDs it wrote;
# `manage ARGS…` runs manage.py with the stack's environment.
set -euo pipefail
cd "$(dirname "$0")/.."
RACINE=$PWD
RUN=${RUN:-$RACINE/.production}
PY=${PY:-$RACINE/.venv/bin/python}
PORT_HTTPS=${PORT_HTTPS:-8443}
PORT_HTTP=${PORT_HTTP:-8080}
PORT_GUNICORN=${PORT_GUNICORN:-8001}
PORTS_DAPHNE=${PORTS_DAPHNE:-"8101 8102"}
WORKERS_GUNICORN=${WORKERS_GUNICORN:-3}

arreter() {
  local fichier pid
  for fichier in "$RUN"/nginx.pid "$RUN"/gunicorn.pid "$RUN"/daphne-*.pid; do
    [ -f "$fichier" ] || continue
    pid=$(cat "$fichier")
    if kill -0 "$pid" 2>/dev/null; then
      echo "Arrêt de $(basename "$fichier" .pid) (PID $pid)"
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$fichier"
  done
}

mkdir -p "$RUN"/logs "$RUN"/nginx-temp
# Documented local defaults: the machine's PostgreSQL and Redis.
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/conseil_ess}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/1}
export DJANGO_SETTINGS_MODULE=conseil_ess.settings.production
[ -s "$RUN/secret_key" ] || "$PY" -c "import secrets; print(secrets.token_urlsafe(50))" > "$RUN/secret_key"
export SECRET_KEY=${SECRET_KEY:-$(cat "$RUN/secret_key")}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
export CSRF_TRUSTED_ORIGINS=${CSRF_TRUSTED_ORIGINS:-https://127.0.0.1:$PORT_HTTPS,https://localhost:$PORT_HTTPS}
export SITE_URL=${SITE_URL:-https://127.0.0.1:$PORT_HTTPS}
export EMAIL_HOST=${EMAIL_HOST:-127.0.0.1}
export EMAIL_PORT=${EMAIL_PORT:-25}
export EMAIL_USE_TLS=${EMAIL_USE_TLS:-0}
export MEDIA_ROOT=${MEDIA_ROOT:-$RUN/media}
export FICHIERS_PRIVES_ROOT=${FICHIERS_PRIVES_ROOT:-$RUN/fichiers-prives}
mkdir -p "$MEDIA_ROOT" "$FICHIERS_PRIVES_ROOT"

case "${1:-start}" in
  stop) arreter; exit 0 ;;
  # `deploy/production.sh manage createsuperuser`: a command of manage.py with the stack's settings and data.
  manage) shift; exec "$PY" manage.py "$@" ;;
esac

# Debian's nginx when missing (as root only).
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "Installation du paquet Debian nginx…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  else
    echo "nginx manque : installez-le (sudo apt-get install nginx) puis relancez make production." >&2
    exit 1
  fi
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# A self-signed certificate for 127.0.0.1 and localhost (browsers will warn: it is a trial stack).
if [ ! -s "$RUN/certificat.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$RUN/cle.pem" -out "$RUN/certificat.pem" 2>/dev/null
fi

arreter  # a previous run of this stack, if any
"$PY" manage.py migrate --noinput
"$PY" manage.py collectstatic --noinput -v 0
"$PY" manage.py check --deploy --fail-level WARNING
if [ "${DEMO:-0}" = "1" ]; then "$PY" manage.py charger_demo; fi

"$RACINE/.venv/bin/gunicorn" conseil_ess.wsgi:application --workers "$WORKERS_GUNICORN" \
  --bind "127.0.0.1:$PORT_GUNICORN" --pid "$RUN/gunicorn.pid" --daemon --timeout 60 --no-control-socket \
  --access-logfile "$RUN/logs/gunicorn-acces.log" --error-logfile "$RUN/logs/gunicorn.log" \
  --access-logformat '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms pid=%(p)s' 
UPSTREAM_DAPHNE=""
i=0
for port in $PORTS_DAPHNE; do
  i=$((i + 1))
  setsid "$PY" -m daphne -b 127.0.0.1 -p "$port" --proxy-headers conseil_ess.asgi:application \
    >"$RUN/logs/daphne-$i.log" 2>&1 </dev/null &
  echo $! > "$RUN/daphne-$i.pid"
  UPSTREAM_DAPHNE="$UPSTREAM_DAPHNE server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"
done

# nginx: a main configuration of its own (pid, logs, temp files in $RUN) around the site of deploy/nginx/.
export NOM_HOTE="127.0.0.1 localhost" PORT_HTTP PORT_HTTPS
export CERTIFICAT_TLS="$RUN/certificat.pem" CLE_TLS="$RUN/cle.pem"
export UPSTREAM_GUNICORN="server 127.0.0.1:$PORT_GUNICORN max_fails=0;" UPSTREAM_DAPHNE
export STATIC_ROOT="$RACINE/staticfiles"
envsubst "$(printf '$%s ' NOM_HOTE PORT_HTTP PORT_HTTPS CERTIFICAT_TLS CLE_TLS UPSTREAM_GUNICORN UPSTREAM_DAPHNE \
  STATIC_ROOT FICHIERS_PRIVES_ROOT)" \
  < deploy/nginx/conseil-ess.conf > "$RUN/conseil-ess.conf"
UTILISATEUR=""
[ "$(id -u)" = "0" ] && UTILISATEUR="user root;"
cat > "$RUN/nginx.conf" <<CONF
# Generated by deploy/production.sh: do not edit (edit deploy/nginx/conseil-ess.conf).
$UTILISATEUR
worker_processes 2;
pid $RUN/nginx.pid;
error_log $RUN/logs/nginx-erreurs.log warn;
events { worker_connections 4096; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    # The request's time and the upstream's (which daphne or gunicorn answered, in how long): where a slow
    # request waited.
    log_format temps '\$remote_addr [\$time_local] "\$request" \$status \$body_bytes_sent '
                     '\$request_time \$upstream_addr \$upstream_response_time "\$http_user_agent"';
    access_log $RUN/logs/nginx-acces.log temps;
    client_body_temp_path $RUN/nginx-temp/body;
    proxy_temp_path $RUN/nginx-temp/proxy;
    fastcgi_temp_path $RUN/nginx-temp/fastcgi;
    uwsgi_temp_path $RUN/nginx-temp/uwsgi;
    scgi_temp_path $RUN/nginx-temp/scgi;
    include $RUN/conseil-ess.conf;
}
CONF
"$NGINX" -t -q -c "$RUN/nginx.conf" -e "$RUN/logs/nginx-erreurs.log"
"$NGINX" -c "$RUN/nginx.conf" -e "$RUN/logs/nginx-erreurs.log"

for _ in $(seq 1 150); do
  if curl -ksf "https://127.0.0.1:$PORT_HTTPS/sante/" >/dev/null 2>&1; then
    echo "Conseil ESS (production) : https://127.0.0.1:$PORT_HTTPS/  (certificat auto-signé ; journaux : $RUN/logs/)"
    echo "Arrêt : make production-stop"
    exit 0
  fi
  sleep 0.2
done
echo "La pile ne répond pas sur https://127.0.0.1:$PORT_HTTPS/sante/ : voir $RUN/logs/." >&2
exit 1
