# missiongraph — set-up, tests, benchmarks. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.installed-runtime
STAMP  := $(VENV)/.installed
DATA_DIR ?= var
export MISSIONGRAPH_DATA_DIR ?= $(DATA_DIR)

.PHONY: install install-runtime system-deps run build test test-fast bench eval lint clean

# the runtime only (what `make run` needs); the dev tools come with the targets that use them
$(RUNTIME_STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $(RUNTIME_STAMP)

# runtime + dev tools (pytest, ruff, mypy, playwright, schemathesis ...): tests, lint, benchmarks
$(STAMP): $(RUNTIME_STAMP)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install-runtime: $(RUNTIME_STAMP)

install: $(STAMP)

# Debian packages the tests need: Virtuoso (remote-store tests) and Chromium (page tests).
# Installed only when running as root; elsewhere those tests skip and say why (and fail under CI=true).
system-deps:
	@if [ "$$(id -u)" = "0" ]; then \
	  need=""; \
	  command -v virtuoso-t >/dev/null 2>&1 || need="$$need virtuoso-opensource"; \
	  [ -x /usr/bin/chromium ] || need="$$need chromium"; \
	  if [ -n "$$need" ]; then \
	    echo "installing Debian packages:$$need"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need >/dev/null; \
	  fi; \
	else echo "not root: skipping Debian packages (virtuoso-opensource, chromium)"; fi

build: install-runtime
	$(BIN)/missiongraph build --if-absent
	$(BIN)/missiongraph index --if-absent

run: build
	$(BIN)/missiongraph serve --host 127.0.0.1 --port 8000

test: install system-deps
	$(BIN)/lint-imports
	$(BIN)/pytest

test-fast: install
	$(BIN)/pytest -m "not slow and not browser and not virtuoso"

bench: install system-deps
	$(PY) tests/bench/run_all.py

eval: install
	$(PY) tests/bench/eval_search.py  # dev, validation and check queries (data/search_check_queries.json: not used for tuning)
	$(PY) tests/bench/eval_peers.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache test-artifacts
