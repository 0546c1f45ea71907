# Two commands for a fresh machine: `make run` and `make test`. Everything else is a step they use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test lint typecheck layers pytest debian-packages bench clean

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

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

layers: $(VENV)/.installed-test
	$(BIN)/lint-imports

pytest: $(VENV)/.installed-test debian-packages
	$(BIN)/pytest

## Debian packages the tests use, installed when missing: LibreOffice headless (the DOCX tests convert every
## rendered file to PDF with it) and Chromium (the browser tests drive it with Playwright)
MISSING_APT = $(if $(shell command -v soffice),,libreoffice-writer-nogui) $(if $(shell command -v chromium),,chromium)
APT_INSTALL = apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends
debian-packages:
	@if [ -n "$(strip $(MISSING_APT))" ]; then \
	  if [ "$$(id -u)" = 0 ]; then sh -c '$(APT_INSTALL) $(MISSING_APT)'; \
	  elif command -v sudo >/dev/null; then sudo sh -c '$(APT_INSTALL) $(MISSING_APT)'; \
	  else echo "missing Debian packages ($(strip $(MISSING_APT))): run as root or install sudo, or install them" >&2; \
	       exit 1; fi; fi

bench: $(VENV)/.installed-test
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/docx.py
	$(BIN)/python bench/effects.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
