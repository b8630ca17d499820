# Two entry points for a fresh clone: `make build` and `make test`. Each installs what it needs:
# the system packages, then exactly the versions in uv.lock into .venv (every extra, one sync).
VENV ?= .venv
PY := $(VENV)/bin/python
TOOLKIT := $(VENV)/bin/toolkit
TOOLS := .tools
UV := $(TOOLS)/uv/bin/uv

# uv uses the machine's python3 (never one it downloads), PyPI, and no pip configuration.
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON := python3
export UV_PYTHON_DOWNLOADS := never

.PHONY: install install-test compile build test lock upgrade lint bench clean

# uv itself: one exact version, checked by hash, in its own folder (a sync would remove it from .venv).
$(UV): scripts/uv-requirements.txt
	rm -rf $(TOOLS)/uv
	python3 -m venv $(TOOLS)/uv
	PIP_ROOT_USER_ACTION=ignore $(TOOLS)/uv/bin/python -m pip install -q --disable-pip-version-check \
		--require-hashes --only-binary :all: --no-deps -r scripts/uv-requirements.txt
	touch $@

# Exactly uv.lock, every extra; refused when the lock no longer matches pyproject.toml (then: make lock).
# Bytecode compiled at install: where PYTHONDONTWRITEBYTECODE is set, each toolkit process would
# otherwise compile its ~800 modules again (seconds per command).
$(VENV)/.installed: pyproject.toml uv.lock scripts/system-deps $(UV)
	scripts/system-deps
	$(UV) sync --locked --all-extras --compile-bytecode
	touch $@

# The toolkit's own modules byte-compiled too: an editable install is not, and where
# PYTHONDONTWRITEBYTECODE is set every command would compile them again (0.1 s each).
compile: $(VENV)/.installed
	$(PY) -m compileall -q toolkit

$(VENV)/.installed-test: $(VENV)/.installed
	scripts/system-deps --test
	touch $@

install: $(VENV)/.installed

build: install compile
	$(TOOLKIT) build

test: $(VENV)/.installed-test compile
	$(VENV)/bin/ruff check toolkit tests bench
	# The venv's own tools (pofilter, the peers' command lines) first on PATH, as when it is activated.
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(PY) -m pytest

# After a change of the dependencies in pyproject.toml: resolve them into uv.lock, every other pin kept.
lock: $(UV)
	$(UV) lock

# Refresh uv.lock on purpose: the newest versions within pyproject.toml's ranges. Review the diff, then
# commit it as a change of its own.
upgrade: $(UV)
	$(UV) lock --upgrade

# The peers the benchmarks compare against are not in the lock: install them for the run, and
# drop the stamp so that the next make syncs .venv back to exactly the lock.
bench: install compile
	rm -f $(VENV)/.installed
	$(UV) pip install -q --python $(PY) 'translate-toolkit[markdown,levenshtein]' mdpo
	$(PY) bench/bench_catalogs.py
	$(PY) bench/bench_build.py

clean:
	rm -rf $(VENV) $(TOOLS) output
