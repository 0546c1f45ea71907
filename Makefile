# Two commands for a fresh machine: `make run` and `make test`. Everything else is a step they use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test lint typecheck layers pytest debian-packages bench clean translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

## Install, migrate the embedded database (SQLite under instance/), load the demo council on the first start
## (README: "Try it") and serve on http://127.0.0.1:5000
run: $(VENV)/.installed
	$(BIN)/radaflow db upgrade
	$(BIN)/radaflow seed demo --if-empty
	$(BIN)/radaflow run --host $(HOST) --port $(PORT) $(if $(REDIS_URL),--with-worker)

## Install the test extras and run every check: lint, types, layering, the whole suite
test: $(VENV)/.installed-test lint typecheck layers pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

layers: $(VENV)/.installed-test
	$(BIN)/lint-imports

## The suite across the machine's cores (pytest-xdist): one worker per core, each with its own databases; tests
## marked with the same xdist_group share one worker: "browser" (Chromium on `radaflow run`), "processes" (Celery
## workers, Redis, `radaflow run` alone)
pytest: $(VENV)/.installed-test debian-packages
	$(BIN)/pytest -n auto --dist loadgroup

## Debian packages the tests use, installed when missing, each on its own (one that cannot be installed does not
## keep the other out): LibreOffice headless (the DOCX tests convert every rendered file to PDF with it) and
## Chromium at /usr/bin/chromium (the browser tests drive it with Playwright). Without root or sudo they are only
## reported: their tests then skip, or fail with CI set.
MISSING_APT = $(if $(shell command -v soffice),,libreoffice-writer-nogui) $(if $(wildcard /usr/bin/chromium),,chromium)
AS_ROOT = $(if $(filter 0,$(shell id -u)),sh -c,$(if $(shell command -v sudo),sudo sh -c,))
debian-packages:
	@$(if $(strip $(MISSING_APT)),$(if $(AS_ROOT),$(AS_ROOT) 'apt-get update -qq',true))
	@$(foreach package,$(MISSING_APT),\
	  $(if $(AS_ROOT),\
	    $(AS_ROOT) 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(package)' \
	      || echo "could not install $(package): its tests will skip (or fail with CI set)" >&2;,\
	    echo "$(package) is missing and there is no root or sudo to install it: its tests will skip" >&2;))

## After changing words in the code or the templates: extract them, merge them into workflow/translations/{uk,en}
## (then translate what is new: the tests fail while a msgid has no msgstr) and compile the .mo files, which are
## committed so that a clean clone runs as it is.
CATALOGS := workflow/translations
translations: $(VENV)/.installed-test
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -k counted:2,3 --no-location --sort-output \
	  -o $(CATALOGS)/messages.pot .
	$(BIN)/pybabel update -i $(CATALOGS)/messages.pot -d $(CATALOGS) --no-fuzzy-matching --width=120
	$(BIN)/pybabel compile -d $(CATALOGS) --statistics
	rm $(CATALOGS)/messages.pot

bench: $(VENV)/.installed-test
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/docx.py
	$(BIN)/python bench/effects.py
	$(BIN)/python bench/web.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
