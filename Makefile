# liangji — the commands of the README. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export LIANGJI_DATA_DIR ?= $(CURDIR)/var

.PHONY: help install lock demo serve test test-sqlite bench lint format clean

help:
	@echo "make demo     install, create the SQLite database, load the demo town, serve on 127.0.0.1:8000"
	@echo "make test     install and run the whole suite on SQLite and PostgreSQL"
	@echo "make install  install Python packages into .venv and front-end assets from npm"
	@echo "make bench    county-scale benchmarks (medians, ratios to floors)"
	@echo "make lint     ruff and mypy"
	@echo "make lock     write requirements.lock again after a dependency changed in pyproject.toml"

# Re-runs only when pyproject.toml or package.json changed since the last install.
install: $(VENV)/.installed node_modules/.installed

# Reproducible: every Python package at the version and hash of requirements.lock, then liangji
# itself (editable) without resolving anything again.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# After changing a dependency in pyproject.toml: write requirements.lock again (pip-tools).
lock:
	test -x $(VENV)-tools/bin/pip-compile || ($(PYTHON) -m venv $(VENV)-tools && $(VENV)-tools/bin/pip install --quiet pip-tools==7.6.2)
	$(VENV)-tools/bin/pip-compile --quiet --generate-hashes --extra dev --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

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
	rm -rf $(VENV) $(VENV)-tools node_modules var .pytest_cache .mypy_cache .ruff_cache
