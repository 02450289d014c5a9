# The two set-up commands: `make run` and `make test`. Everything else is a helper for them.
SHELL := /bin/bash
PYENV_PY := $(HOME)/.pyenv/versions/3.12.1/bin/python
PYTHON_SYS ?= $(shell if [ -x "$(PYENV_PY)" ]; then echo "$(PYENV_PY)"; \
	elif command -v python3.12 >/dev/null; then command -v python3.12; else echo python3; fi)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev migrate demo lint format bench mutate clean

$(PY):
	@$(PYTHON_SYS) -c 'import sys; assert sys.version_info[:2] == (3, 12), "Python 3.12 is required (found %s)" % sys.version.split()[0]'
	$(PYTHON_SYS) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: export DEBUG ?= 1
# Links in e-mails and QR codes on documents follow the address the server really listens on.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Cổng thi đua đang chạy tại http://$(HOST):$(PORT)/ (Ctrl+C để dừng)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: export DEBUG ?= 1
test: install-dev
	$(PY) -m pytest -n $${PYTEST_WORKERS:-2} $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/thidua_bench
# First the pages under gunicorn + wrk at 1× and 10× (tests/bench/web.py, its own databases
# BENCH_DATABASE_URL_w1 and _w10; BENCH_SCALES=1 for the province alone, BENCH_PAGES=queue,nomination
# for a few pages against the anchors; about 20 minutes for both worlds' pages), then a
# day's digests by 4 worker processes (tests/bench/digest_run.py, database _digests), two hosts'
# processes on one database and Redis (tests/bench/two_hosts.py, database _two_hosts), then the
# in-process sections (documents, digests; BENCH_ARGS picks sections, e.g. tests.bench.lists).
bench: install-dev
	@psql "$(BENCH_DATABASE_URL)" -qc "SELECT 1" >/dev/null 2>&1 || \
		psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $(notdir $(BENCH_DATABASE_URL))" postgres
	export DEBUG=0 SECRET_KEY=bench-only-not-secret-$$RANDOM SECURE_SSL_REDIRECT=0 \
		BENCH_DATABASE_URL="$(BENCH_DATABASE_URL)" DATABASE_URL="$(BENCH_DATABASE_URL)"; \
		$(PY) manage.py collectstatic --noinput -v0 && \
		$(if $(BENCH_ARGS),,$(PY) -m tests.bench.web && $(PY) -m tests.bench.digest_run && \
			$(PY) -m tests.bench.two_hosts &&) \
		$(PY) -m tests.bench.run $(BENCH_ARGS)

# A mutation score per core rule module against its focused tests, on PostgreSQL (tests/mutate.py;
# not part of CI: run on demand and before a release). MUTATE=money voting picks modules.
mutate: install-dev
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "make mutate needs DATABASE_URL=postgres://…"; exit 1;; esac
	DEBUG=1 $(PY) -m tests.mutate $(MUTATE)

clean:
	rm -rf $(VENV) staticfiles var/*.sqlite3
