# Velkommen: the two commands are `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

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

.PHONY: run test lint format bench clean setup messages browser-deps

$(PY):
	@py=$$(bash -c "$$FIND_PYTHON") || { echo "Velkommen needs Python 3.12 or newer; none was found (tried python3.13, python3.12, python3)." >&2; exit 1; }; \
	echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV)

# Reinstalls only when pyproject.toml changes, so a second `make run` is quick.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

setup: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py update_translation_fields
	$(PY) manage.py seed_demo

run: setup
	$(VENV)/bin/uvicorn onboarding.asgi:application --host $(HOST) --port $(PORT) --reload \
		--reload-include '*.html' --reload-include '*.py'

test: setup
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run --noinput
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(VENV)/.installed
	$(PY) -m pytest tests/perf -m bench -s -p no:randomly $(PYTEST_ARGS)

# Regenerates the catalogues from the sources (needs GNU gettext), fills the
# English one and compiles both .mo files, which are committed.
messages: $(VENV)/.installed
	$(PY) manage.py makemessages --locale nb --locale en --no-obsolete --no-location \
		--ignore '.venv/*' --ignore 'tests/*' --ignore 'build/*'
	$(PY) manage.py catalogues_compile

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* media staticfiles *.egg-info .pytest_cache .ruff_cache
