# The README's two commands: `make run` serves the portal on demo data, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PORT ?= 8501
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test bench lint format chromium pdftoppm lock

# Create the environment from the locked versions (again whenever the lock changes).
$(INSTALLED): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(INSTALLED)

run: $(INSTALLED)
	$(BIN)/portal demo --if-empty
	$(BIN)/portal serve --port $(PORT)

test: $(INSTALLED) chromium pdftoppm
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

# Timing checks (marked perf), their figures printed at the end; kept out of `make test`, because CI machines
# are shared and a wall-clock threshold there fails for reasons the code does not have.
# The first run builds the store of 1,000 models and 10 million KPI rows that tests/perf measures
# (tests/perf/bench_store.py; 10 to 25 minutes on 2 cores), kept in data/bench-cache/.
bench: $(INSTALLED) chromium pdftoppm
	$(BIN)/python -m pytest -m perf -q -p no:cacheprovider

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Browser tests drive Debian's Chromium (Playwright cannot download its own browsers here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }

# PDF tests render report pages to images with poppler's pdftoppm.
pdftoppm:
	@command -v pdftoppm >/dev/null 2>&1 || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q poppler-utils; }

# Rewrite the lock from the current environment after changing dependencies in pyproject.toml.
lock:
	$(BIN)/python -m pip freeze --all --exclude-editable > requirements.lock
