# nagviz developer and reader entry points (GNU make).
#
#   make lab    set up .venv if needed and open JupyterLab on the first notebook
#   make test   set up .venv if needed and run the whole test suite
#
# Every target works from a clean clone: the virtual environment in .venv is
# created on first use. Each target installs only the extras it needs (see
# pyproject.toml), and again only when pyproject.toml changes.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Where we are, so the targets also work with `make -C path/to/nagviz`.
ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))

# The interpreter used once, to create .venv (override: make lab PYTHON3=python3.12).
PYTHON3 ?= python3
VENV    := $(ROOT)/.venv
PYTHON  := $(VENV)/bin/python
# extras per target: `make lab` installs what the notebooks need and nothing else
LAB_EXTRAS     := lab
TEST_EXTRAS    := lab,present,book,test
BOOK_EXTRAS    := lab,book
PRESENT_EXTRAS := lab,present
stamp = $(VENV)/.installed-$(subst $(comma),-,$(1))
comma := ,

# Knobs for the individual targets.
START_NOTEBOOK := notebooks/00_start_here.ipynb
LAB_ARGS     ?=
PYTEST_ARGS  ?=
# `make test` runs the non-browser tests in this many processes (pytest-xdist), then the
# browser tests one at a time; with PYTEST_ARGS set it runs `pytest $(PYTEST_ARGS)` instead.
TEST_JOBS    ?= 2
NB           ?= $(START_NOTEBOOK)
PRESENT_PORT ?= 8866
VOILA_ARGS   ?=
ARTIFACTS    := $(ROOT)/test-artifacts

# Jupyter refuses to run as root unless told (containers, CI machines).
ROOT_ARGS := $(if $(filter 0,$(shell id -u)),--allow-root)

# Run tools from the environment without asking anybody to activate it.
RUN := cd "$(ROOT)" && PATH="$(VENV)/bin:$$PATH"

.PHONY: help venv lab test test-harness bench book present clean-notebooks

help: ## list the targets (this is the default)
	@echo "nagviz: make targets"
	@grep -E '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  make %-16s %s\n", $$1, $$2}'
	@echo
	@echo "Options: LAB_ARGS=--no-browser, PYTEST_ARGS='-m \"not browser\" -n 2', TEST_JOBS=2,"
	@echo "         NB=notebooks/<name>.ipynb PRESENT_PORT=$(PRESENT_PORT), PYTHON3=python3.12"

venv: $(call stamp,$(TEST_EXTRAS)) ## create .venv and install nagviz with every extra (only if needed)

$(PYTHON):
	@$(PYTHON3) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "nagviz needs Python 3.11 or newer, but '$(PYTHON3)' is not." >&2; \
	  echo "Install one, then run e.g.: make $(or $(MAKECMDGOALS),lab) PYTHON3=python3.12" >&2; \
	  exit 1; }
	$(PYTHON3) -m venv "$(VENV)"

# A stamp records a successful install of one set of extras; it is redone only when
# pyproject.toml is newer than it, so repeated runs do not reinstall anything.
$(VENV)/.installed-%: $(ROOT)/pyproject.toml | $(PYTHON)
	cd "$(ROOT)" && "$(PYTHON)" -m pip install --disable-pip-version-check -e ".[$(subst -,$(comma),$*)]"
	@touch "$@"

# JupyterLab reads overrides.json from the environment: no news, no extension manager
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
$(LAB_SETTINGS): $(ROOT)/tools/jupyterlab/overrides.json | $(PYTHON)
	@mkdir -p "$(dir $@)"
	cp "$<" "$@"

# The server compresses what it sends (tools/jupyterlab/config/jupyter_server_config.json,
# read besides the user's own configuration): gzip responses (jupyterlab-plotly's 4.8 MB
# chunk travels as 1.45 MB) and permessage-deflate on the kernel WebSocket (widget states).
LAB_CONFIG_PATH := $(ROOT)/tools/jupyterlab/config$(if $(JUPYTER_CONFIG_PATH),:$(JUPYTER_CONFIG_PATH))

lab: $(call stamp,$(LAB_EXTRAS)) $(LAB_SETTINGS) ## open JupyterLab on notebooks/00_start_here.ipynb
	$(RUN) JUPYTER_CONFIG_PATH="$(LAB_CONFIG_PATH)" "$(PYTHON)" -m jupyter lab \
	  $(if $(wildcard $(ROOT)/$(START_NOTEBOOK)),"$(START_NOTEBOOK)") \
	  --ServerApp.root_dir="$(ROOT)" $(ROOT_ARGS) $(LAB_ARGS)

test: $(call stamp,$(TEST_EXTRAS)) $(LAB_SETTINGS) ## run unit tests, doctests, notebooks and browser tests
	@mkdir -p "$(ARTIFACTS)"
	@cd "$(ROOT)" && export PATH="$(VENV)/bin:$$PATH" && if [ -n "$(PYTEST_ARGS)" ]; then \
	  "$(PYTHON)" -m pytest $(PYTEST_ARGS); status=$$?; \
	else \
	  echo "== unit tests, doctests and notebooks ($(TEST_JOBS) processes)"; \
	  "$(PYTHON)" -m pytest -n $(TEST_JOBS) --dist loadfile -m "not browser"; status=$$?; \
	  echo "== browser tests (one at a time: two Chromiums on two cores starve each other's pages)"; \
	  "$(PYTHON)" -m pytest -p no:xdist -m "browser and not harness_selftest"; browser=$$?; \
	  [ $$status -eq 0 ] && status=$$browser; \
	fi; \
	  shots=$$(find "$(ARTIFACTS)" -name '*.png' 2>/dev/null | wc -l); \
	  echo; echo "Browser screenshots ($$shots PNG files): $(ARTIFACTS)/"; \
	  exit $$status

test-harness: $(call stamp,$(TEST_EXTRAS)) $(LAB_SETTINGS) ## the browser harness's self-tests on fixture notebooks (about a minute)
	@mkdir -p "$(ARTIFACTS)"
	@$(RUN) "$(PYTHON)" -m pytest -p no:xdist -m "browser and harness_selftest"

bench: $(call stamp,$(TEST_EXTRAS)) ## run every benchmarks/*.py
	@$(RUN) shopt -s nullglob; files=(benchmarks/*.py); \
	  if [ $${#files[@]} -eq 0 ]; then echo "no benchmarks/*.py yet"; exit 0; fi; \
	  failed=(); for f in "$${files[@]}"; do \
	    case "$$(basename "$$f")" in _*) continue;; esac; \
	    echo "== $$f"; "$(PYTHON)" "$$f" || failed+=("$$f"); echo; \
	  done; \
	  if [ $${#failed[@]} -gt 0 ]; then echo "failed: $${failed[*]}" >&2; exit 1; fi

book: $(call stamp,$(BOOK_EXTRAS)) ## build the course website into build/site/ (open build/site/index.html)
	$(RUN) "$(PYTHON)" tools/build_book.py

present: $(call stamp,$(PRESENT_EXTRAS)) ## serve a notebook as a lecture with Voila: no code, large type (NB=notebooks/...)
	@test -f "$(ROOT)/$(NB)" || { echo "no such notebook: $(NB) (use NB=notebooks/<name>.ipynb)" >&2; exit 1; }
	$(RUN) "$(PYTHON)" tools/present.py "$(NB)" --port=$(PRESENT_PORT) $(VOILA_ARGS)

clean-notebooks: $(call stamp,$(LAB_EXTRAS)) ## strip outputs and execution counts from all notebooks
	$(RUN) "$(PYTHON)" tools/strip_notebooks.py notebooks exercises
