# PMO Lens: two commands for a newcomer (`make run`, `make test`), a few for daily work.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
DATA_DIR ?= data

.PHONY: run install install-dev browser axe demo test test-fast test-browser lint format bench clean-data screenshots

run: install ## Install, build the demo database if none exists, serve on http://127.0.0.1:8050
	@test -f $(DATA_DIR)/CURRENT || $(PY) -m loaders demo --data-dir $(DATA_DIR)
	$(PY) app.py --data-dir $(DATA_DIR)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(RUNTIME_STAMP)

install: $(RUNTIME_STAMP)

install-dev: $(DEV_STAMP)

# Debian's Chromium and its driver for the browser tests (dash[testing] drives them headless).
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium chromium-driver; \
	fi

# axe-core (MPL-2.0) from the npm registry for the accessibility browser test; never at run time.
AXE_VERSION := 4.14.1
AXE := tests/browser/vendor/node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE):
	npm install --no-save --no-audit --no-fund --prefix tests/browser/vendor axe-core@$(AXE_VERSION)

demo: install ## Rebuild the demo database (a new version) from freshly generated exports
	$(PY) -m loaders demo --data-dir $(DATA_DIR)

lint: install-dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: install-dev browser axe lint ## The whole suite: lint, unit, integration, storage faults, browser
	DASH_TEST_CHROMEPATH=$$(command -v chromium) $(PY) -m pytest --headless -q

test-fast: install-dev lint
	$(PY) -m pytest -m "not browser" -q

test-browser: install-dev browser axe
	DASH_TEST_CHROMEPATH=$$(command -v chromium) $(PY) -m pytest -m browser --headless -q

bench: install-dev ## Benchmarks (minutes; they print ratios and percentiles)
	$(PY) benchmarks/bench_loaders.py
	$(PY) benchmarks/bench_analytics.py
	$(PY) benchmarks/bench_dashboard.py
	$(PY) benchmarks/load_test.py

screenshots: install-dev browser axe ## Browser tests that also save docs/screenshots/*.png
	PMO_SCREENSHOTS=docs/screenshots DASH_TEST_CHROMEPATH=$$(command -v chromium) \
		$(PY) -m pytest -m browser --headless -q

clean-data:
	rm -f $(DATA_DIR)/CURRENT $(DATA_DIR)/pmo-*.duckdb* $(DATA_DIR)/loader.lock $(DATA_DIR)/loading.json
