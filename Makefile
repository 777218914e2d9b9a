# The two commands: `make run` and `make test`. Each creates .venv and installs what it needs.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint format load clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

DEMO_DEBTORS := instance/demo-debtors.csv
DEMO_VICTIMS := instance/demo-victims.csv

run: $(VENV)/.installed
	$(BIN)/portal db upgrade
	$(BIN)/portal load
	$(BIN)/portal index
	@# 1,000 fictional debtors, so that the lookup can be tried; the page says they are fictional.
	$(BIN)/portal demo-debtors --count 1000 --seed 1 --out $(DEMO_DEBTORS) --show-example
	$(BIN)/portal import-debtors --demo $(DEMO_DEBTORS)
	@# 1,000 fictional victims of the demonstration case (loaded with the content above).
	$(BIN)/portal demo-victims --count 1000 --seed 1 --out $(DEMO_VICTIMS) --show-example
	$(BIN)/portal import-victims --demo $(DEMO_VICTIMS)
	@# Absolute links (canonical, feeds, sitemap, API) follow HOST and PORT unless PORTAL_SITE_URL is set.
	PORTAL_SITE_URL="$${PORTAL_SITE_URL:-http://$(HOST):$(PORT)}" $(BIN)/portal run --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Re-extract UI strings and update the catalogues after changing templates or code.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F portal/babel.cfg -k _l --no-location --sort-output -o portal/translations/messages.pot portal
	$(BIN)/pybabel update --ignore-obsolete --no-fuzzy-matching --width 100 -i portal/translations/messages.pot -d portal/translations
	$(BIN)/pybabel compile -d portal/translations

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
