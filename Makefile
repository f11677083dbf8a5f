# ZI Public — `make run` serves the app on http://127.0.0.1:5000, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed-stamp
TRANSLATIONS := zi_public/translations
CATALOGUES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

.PHONY: run test install translations db seed lint messages bench clean

# The mail worker delivers the outbox beside the development server and stops with it.
run: install translations db
	$(FLASK) user ensure-admin
	$(FLASK) mail send --loop & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

# One pytest-xdist worker per core; a worker takes tests from the other's queue when its own runs dry.
test: install translations
	$(BIN)/pytest -n auto --dist worksteal

install: $(STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

translations: install $(COMPILED)

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po
	$(BIN)/pybabel compile -d $(TRANSLATIONS) -l $*

db: install
	$(FLASK) db upgrade
	$(FLASK) seed

# Extract user-facing strings and merge them into the English catalogue (then translate it). The Indonesian
# catalogue holds only the English messages of the form library (WTForms), in Indonesian: it is edited by hand.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -l en --no-fuzzy-matching

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python -m tests.bench
	$(BIN)/python -m tests.bench.pengaduan_api
	$(BIN)/python -m tests.bench.api_ratio
	$(BIN)/python -m tests.bench.reports
	$(BIN)/python -m tests.bench.statistik
	$(BIN)/python -m tests.bench.uploads
	$(BIN)/python -m tests.bench.staff_concurrency
	$(BIN)/python -m tests.bench.skm
	$(BIN)/python -m tests.bench.gratifikasi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
