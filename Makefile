# Conseil ESS — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
PORT   ?= 8000
HOST   ?= 127.0.0.1
# The address links in e-mails and notifications point to: the one the demo is served on.
SITE_URL ?= http://$(HOST):$(PORT)
export SITE_URL

# Test processes (pytest-xdist): one per core by default; WORKERS=0 runs the suite in one process.
WORKERS ?= auto
# The dates `make test-dates` moves the clock to (tests/horloge.py); the browser journeys marked `dates`
# run at DATES_NAVIGATEUR only (they are most of the cost), the other date-sensitive tests at every date.
DATES_TEST ?= 2027-06-30 2028-02-29 2031-12-31
DATES_NAVIGATEUR ?= 2028-02-29
# make test-dates TESTS=tests/evenements: only the date-sensitive tests under these paths.
TESTS ?=

.PHONY: demo production production-stop serve test test-rapide test-dates lint format install install-test outils-test migrate clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.requirements: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.requirements-test: requirements.txt requirements-test.txt | $(PY)
	$(PIP) install --quiet -r requirements-test.txt
	touch $@ $(VENV)/.requirements

install: $(VENV)/.requirements
install-test: $(VENV)/.requirements-test

migrate: install
	$(PY) manage.py migrate --noinput

## make demo: install, migrate SQLite, load the demo data, serve HTTP + WebSockets on $(HOST):$(PORT)
demo: migrate
	$(PY) manage.py charger_demo
	@echo "Conseil ESS : http://$(HOST):$(PORT)/  (administration : http://$(HOST):$(PORT)/admin/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

## make production: the production stack on this machine (deploy/production.sh): nginx on https://127.0.0.1:8443
## (self-signed certificate), gunicorn (3 workers), two daphne, on DATABASE_URL and REDIS_URL (defaults: the local
## PostgreSQL database conseil_ess and Redis DB 1); DEMO=1 loads the demo data. make production-stop ends it.
production: install
	deploy/production.sh start

production-stop:
	deploy/production.sh stop

serve: migrate
	$(PY) manage.py runserver $(HOST):$(PORT)

## make test: install what the tests need (Debian's chromium, khal and libical included) and run the whole suite
test: install-test outils-test
	$(VENV)/bin/pytest -n $(WORKERS) --dist loadgroup

test-rapide: install-test
	$(VENV)/bin/pytest -n $(WORKERS) --dist loadgroup -m "not navigateur"

## make test-dates: the date-sensitive tests (marker `dates`) with the clock moved to each of DATES_TEST
## (browser journeys at DATES_NAVIGATEUR). The clock is moved per process: each date is one pytest process
## (and the browser journeys one more), all started at once; their outputs are printed in turn at the end.
test-dates: install-test outils-test
	@journaux=$$(mktemp -d); pids=""; \
	for jour in $(DATES_TEST); do \
	  DATE_SIMULEE=$$jour $(VENV)/bin/pytest -n 0 -m "dates and not navigateur" -q $(TESTS) \
	    > $$journaux/$$jour.log 2>&1 & pids="$$pids $$!:$$jour"; \
	  if echo " $(DATES_NAVIGATEUR) " | grep -q " $$jour "; then \
	    DATE_SIMULEE=$$jour $(VENV)/bin/pytest -n 0 -m "dates and navigateur" -q $(TESTS) \
	      > $$journaux/$$jour-navigateur.log 2>&1 & pids="$$pids $$!:$$jour-navigateur"; \
	  fi; \
	done; \
	echec=0; for p in $$pids; do \
	  wait $${p%%:*} || echec=1; \
	  echo "=== Tests sensibles à la date, horloge au $${p#*:} ==="; cat $$journaux/$${p#*:}.log; \
	done; \
	rm -rf $$journaux; exit $$echec

# Debian packages the tests drive: chromium (browser journeys), khal and libical (real iCal clients), nginx and
# redis-server (the production stack's tests start a Redis of their own).
PAQUETS_TEST := chromium khal python3-gi gir1.2-ical-3.0 nginx redis-server
outils-test:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v khal >/dev/null 2>&1 || [ ! -x /usr/sbin/nginx ] \
	   || ! command -v redis-server >/dev/null 2>&1 \
	   || ! /usr/bin/python3 -c "import gi; gi.require_version('ICalGLib', '3.0')" >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installation des paquets Debian des tests : $(PAQUETS_TEST)…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PAQUETS_TEST) >/dev/null; \
	  else \
	    echo "Les tests ont besoin des paquets Debian $(PAQUETS_TEST) : installez-les (sudo apt-get install $(PAQUETS_TEST)) puis relancez make test." >&2; \
	    exit 1; \
	  fi; \
	fi

## make lint: ruff, the layers of the apps (import-linter, contract in pyproject.toml), no missing migration
lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

format: install-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) .production db.sqlite3 .test-db-*.sqlite3* staticfiles .pytest_cache .import_linter_cache
