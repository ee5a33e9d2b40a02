# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench install install-dev messages translations lint format clean

# Installing is skipped when pyproject.toml has not changed since the last time.
$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

translations: | $(VENV)/bin/python
	$(MANAGE) compilemessages --ignore=$(VENV) --verbosity=0

run: install translations
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@echo "Journeymap runs at http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	$(VENV)/bin/uvicorn journeymap.asgi:application --host $(HOST) --port $(PORT) --timeout-graceful-shutdown 2

test: install-dev translations
	$(PY) -m pytest $(PYTEST_ARGS)

# Canvas timings and query counts in a scratch database; prints one JSON line.
bench: install-dev translations
	$(PY) -m bench.canvas

# Refresh the Dutch catalogue after changing user-facing text.
messages: install-dev
	$(MANAGE) makemessages --locale=nl --ignore=$(VENV) --ignore=tests --ignore=bench --no-obsolete

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
