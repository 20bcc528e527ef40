# Two commands do all the set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test fuzz bench lint template validator clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json
	npm install --ignore-scripts --no-audit --no-fund --silent
	touch $@

validator: node_modules/.installed

# Contents with page numbers where LibreOffice is installed; the build says what it did.
demo: $(STAMP)
	$(BIN)/concept-builder build inputs/goslar -o build

# The test files spread over the cores, each file's tests in one process (its documents built once).
test: $(STAMP) node_modules/.installed
	$(BIN)/python -m pytest -n auto --dist loadfile

# Thousands of generated texts through the real build (takes a while).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=thorough $(BIN)/python -m pytest tests/test_any_text.py

# Our build beside plain docxtpl, pandoc and the floor at 100, 1,000 and 4,000 measures, and the
# commands users wait for; JSON in build/bench.json. BENCH="--large" adds 16,000 measures.
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH)

lint: $(STAMP)
	$(BIN)/ruff check concept_builder tests templates bench
	$(BIN)/ruff format --check concept_builder tests templates bench
	$(BIN)/mypy

# Rebuild the default Word template from its generator script.
template: $(STAMP)
	$(BIN)/python templates/make_default.py templates

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
