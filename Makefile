# Two commands matter: `make run` and `make test`. Both create .venv on first use, with the
# development extras (pytest, selenium, opencv, aiogram ...). A production server runs
# `make install` instead: the package and its runtime dependencies only, not editable.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint format locales soak bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet .
	rm -f $(STAMP)

# With no token set, the offline demonstration; a service runs `cumthidua run`, which refuses.
run: $(STAMP)
	$(BIN)/cumthidua run --demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	./scripts/ensure-chromium.sh
	./scripts/ensure-libreoffice.sh
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-extract user-facing strings and merge them into locales/*/LC_MESSAGES/messages.po.
locales: $(STAMP)
	$(BIN)/pybabel extract --no-location --omit-header -F babel.cfg -k N_ -o locales/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --omit-header -i locales/messages.pot -d locales

# The long crash, fault and fuzz runs (minutes); `make test` runs them in a quick mode.
soak: $(STAMP)
	FUZZ_EXAMPLES=3000 CRASH_CYCLES=8 FAULT_RATE=0.4 FAULT_MESSAGES=300 $(BIN)/pytest \
		tests/handlers/test_fuzz.py tests/e2e/test_crash_suite.py tests/e2e/test_fault_suite.py

bench: $(STAMP)
	@for script in bench/[!_]*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
