# Velkommen: the two commands are `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Test workers: one per core (pytest-xdist). JOBS=1 runs in one process.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# Python may cache compiled modules (some machines turn that off): every test
# worker and command imports the whole project, and compiling it again costs seconds.
export PYTHONDONTWRITEBYTECODE :=
# What CI runs again on PostgreSQL and Redis (see the README, "Tests").
STACK_MARKERS := (postgres or redis or stack) and not bench

# The first Python >= 3.12 found: python3.13, python3.12, python3, then any
# interpreter a version manager (pyenv) has installed but not put on PATH.
define FIND_PYTHON
for c in python3.14 python3.13 python3.12 python3 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	if command -v "$$c" >/dev/null 2>&1 && "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
		echo "$$c"; exit 0; \
	fi; \
done; exit 1
endef
export FIND_PYTHON

.PHONY: run test test-stack lint format bench clean setup messages browser-deps prod prod-stop

$(PY):
	@py=$$(bash -c "$$FIND_PYTHON") || { echo "Velkommen needs Python 3.12 or newer; none was found (tried python3.13, python3.12, python3)." >&2; exit 1; }; \
	echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV)

# Reinstalls only when pyproject.toml changes, so a second `make run` is quick.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

# migrate, update_translation_fields and seed_demo, in one process.
setup: $(VENV)/.installed
	$(PY) manage.py setup_demo

run: setup
	$(VENV)/bin/uvicorn onboarding.asgi:application --host $(HOST) --port $(PORT) --reload \
		--reload-include '*.html' --reload-include '*.py'

# The same setup as `make run`, beside the test databases' templates (tests/prepare.py):
# one process each, so a fresh clone builds both on two cores in the time of one.
# The suite checks that models and migrations agree (tests/onboarding/test_settings.py).
# --dist loadgroup: one worker runs the browser tests (their xdist group, one Chromium), the
# others share the rest (docs/performance.md).
test: $(VENV)/.installed
	@$(PY) -m tests.prepare & prepare=$$!; \
	$(PY) manage.py setup_demo; setup=$$?; \
	wait $$prepare && exit $$setup
	$(PY) -m pytest -n $(JOBS) --dist loadgroup $(PYTEST_ARGS)

# The tests whose behaviour depends on the database, cache or channel layer,
# for a run with DATABASE_URL and REDIS_URL set (CI's second pass).
test-stack: $(VENV)/.installed
	$(PY) -m tests.prepare --without-demo
	$(PY) -m pytest -n $(JOBS) --dist worksteal -m "$(STACK_MARKERS)" $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The load generator is wrk (Debian's package), one thread per run (tests/perf/loadgen.py).
bench: $(VENV)/.installed
	@command -v wrk >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then apt-get update -qq && apt-get install -y -qq wrk; \
		else echo "make bench needs wrk: run 'sudo apt-get install wrk' (or your system's package) first." >&2; exit 1; fi; }
	$(PY) -m pytest tests/perf -m bench -s -p no:randomly $(PYTEST_ARGS)

# The production topology on this machine (docs/deploy.md, "One command on one machine"):
# nginx on http://127.0.0.1:8080 in front of gunicorn, uvicorn and the task worker, on
# PostgreSQL (DATABASE_URL) and Redis (REDIS_URL). Logs and state in .prod/.
prod: $(VENV)/.installed
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nginx-light; \
		else echo "make prod needs nginx: run 'sudo apt-get install nginx-light' first." >&2; exit 1; fi; }
	$(PY) -m onboarding.deploy start

prod-stop:
	$(PY) -m onboarding.deploy stop

# Regenerates the catalogues from the sources (needs GNU gettext), fills the
# English one and compiles both .mo files, which are committed.
messages: $(VENV)/.installed
	$(PY) manage.py makemessages --locale nb --locale en --no-obsolete --no-location \
		--ignore '.venv/*' --ignore 'tests/*' --ignore 'build/*'
	$(PY) manage.py catalogues_compile

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* media private-media .prod staticfiles *.egg-info .pytest_cache .ruff_cache .mypy_cache .test-db*
