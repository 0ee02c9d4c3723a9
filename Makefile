# liangji — the commands of the README. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export LIANGJI_DATA_DIR ?= $(CURDIR)/var

.PHONY: help install demo serve test test-sqlite bench lint format clean

help:
	@echo "make demo     install, create the SQLite database, load the demo town, serve on 127.0.0.1:8000"
	@echo "make test     install and run the whole suite on SQLite and PostgreSQL"
	@echo "make install  install Python packages into .venv and front-end assets from npm"
	@echo "make bench    county-scale benchmarks (medians, ratios to floors)"
	@echo "make lint     ruff and mypy"

# Re-runs only when pyproject.toml or package.json changed since the last install.
install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: install
	$(BIN)/liangji init
	$(BIN)/liangji demo
	$(BIN)/liangji collectstatic --noinput --verbosity 0
	$(BIN)/liangji serve

serve: install
	$(BIN)/liangji serve

# The whole suite, skipping nothing: the Debian packages it needs are installed first (as root)
# or named in one command to run (otherwise).
test: install
	scripts/system-deps
	scripts/run-tests

test-sqlite: install
	$(BIN)/pytest

bench: install
	$(BIN)/python -m bench

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy liangji bench

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache
