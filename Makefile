# alaune's two commands: `make demo` and `make test`. Both install first (into .venv).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8000
HOST   ?= 127.0.0.1

.PHONY: install demo test lint browser bench docs clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "alaune needs Python 3.11 or newer: install it, or run make PYTHON=python3.11 …")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $(STAMP)
	@echo "Installed alaune into $(VENV). Next: make demo (the site) or make test."

demo: install
	$(BIN)/alaune demo --host $(HOST) --port $(PORT)

# The browser tests drive Debian's chromium; Playwright's own browser download fails here.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the browser tests…"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null \
		|| (apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null); \
	else \
		echo "The browser tests need Debian's chromium: run 'sudo apt-get install chromium', then make test again."; \
		exit 1; \
	fi

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: install browser lint
	$(BIN)/pytest

bench: install
	$(BIN)/python -m bench

docs: install
	$(BIN)/alaune config --doc > docs/config.md

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache alaune-demo.db*
