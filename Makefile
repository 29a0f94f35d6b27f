# The two commands a newcomer needs: `make run` and `make test`.
# Everything else is a building block of those two.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install lint migrations-check pytest e2e schema messages clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

## make run: install, migrate, load the demo data once, serve at http://127.0.0.1:8000
run: $(STAMP)
	$(BIN)/python scripts/run.py

## make test: lint, migrations check, API schema check and the whole test suite
test: $(STAMP) lint migrations-check pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

migrations-check: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run

pytest: $(STAMP)
	$(BIN)/pytest

## Regenerate the committed OpenAPI schema after an API change.
schema: $(STAMP)
	$(BIN)/python manage.py spectacular --file docs/openapi.yaml --validate

## Refresh the English catalogue after changing user-facing text (needs GNU gettext)
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=tests --ignore=staticfiles
	$(BIN)/python manage.py compilemessages -l en --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
