# Two entry points for a fresh clone: `make build` and `make test`. Each installs what it needs.
VENV ?= .venv
PY := $(VENV)/bin/python
TOOLKIT := $(VENV)/bin/toolkit

.PHONY: install install-test build test lint bench clean

$(VENV)/.installed: pyproject.toml scripts/system-deps
	scripts/system-deps
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	scripts/system-deps --test
	touch $@

install: $(VENV)/.installed

build: install
	$(TOOLKIT) build

test: $(VENV)/.installed-test
	$(VENV)/bin/ruff check toolkit tests bench
	$(PY) -m pytest

bench: install
	$(PY) bench/bench_catalogs.py
	$(PY) bench/bench_build.py

clean:
	rm -rf $(VENV) output
