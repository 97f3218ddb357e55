.PHONY: help install check test schemas fixtures lint bench bench-1m bench-native bench-site screenshots

VENV ?= .venv
PY := $(VENV)/bin/python

help:  ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' Makefile | sed 's/:.*## /\t/'

install:  ## create .venv with the library, test and dev tools
	python3 -m venv $(VENV) && $(VENV)/bin/pip install -q -e ".[dev]"

check: lint test  ## everything CI checks, but the wheel
	$(VENV)/bin/iran-syria schemas --check
	$(VENV)/bin/iran-syria validate

test:  ## the test suite
	$(PY) -m pytest

schemas:  ## regenerate datapackage.json (hashes), schemas/ and CODEBOOK.md from the models
	$(VENV)/bin/iran-syria schemas

fixtures:  ## rebuild the broken test packages from tests/fixtures/valid
	$(PY) tests/fixtures/build_invalid.py

lint:  ## ruff and mypy
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/ruff format --check src tests
	$(VENV)/bin/mypy

.PHONY: plots
plots:  ## draw docs/timeline.png and docs/network.png (relations active on 2024-12-01) from the shipped package
	$(VENV)/bin/iran-syria plot timeline --out docs/timeline.png
	$(VENV)/bin/iran-syria plot network --as-of 2024-12-01 --out docs/network.png

bench:  ## fast-start figures, then iran-syria validate against frictionless at 10k and 100k events
	$(PY) benchmarks/run.py --sizes 10000 100000

bench-1m:  ## the same at 1M events, frictionless once, iran-syria and the parse 5 times (minutes)
	$(PY) benchmarks/run.py --sizes 1000000 --repeat 1

bench-native:  ## a compiled probe of the events screens beside pyarrow at 1M events (needs gcc; not the library)
	$(PY) benchmarks/native_probe.py

bench-site:  ## build the web site of the shipped package 5 times; wall and CPU seconds, largest page
	$(PY) benchmarks/site_build.py

screenshots:  ## docs/site-home.png and docs/site-record.png of the web site (needs /usr/bin/chromium)
	$(PY) scripts/screenshots.py
