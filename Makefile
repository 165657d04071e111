# tei-cable: two commands on a fresh machine.
#   make demo   create .venv, install, build the bundled data/ into out/: TEI, text, HTML, JSON per document,
#               plus index.html, the corpus register, a CMIF file and report.json (the validation report)
#   make test   create .venv, install, lint and run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out

.PHONY: demo test lint accept fuzz bench clean install

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/tei-cable build data --out $(OUT)
	@echo "Open $(OUT)/index.html; the validation report is $(OUT)/report.json"

lint: $(STAMP)
	$(BIN)/ruff check tei_cable tests $(wildcard benchmarks)

test: $(STAMP) lint
	$(BIN)/python -m pytest -q

# Regenerate the golden files after a reviewed change (then read `git diff tests/cases`).
accept: $(STAMP)
	TEI_CABLE_ACCEPT=1 $(BIN)/python -m pytest -q

# Long property-based runs, beyond CI (100,000 examples per target).
fuzz: $(STAMP)
	TEI_CABLE_FUZZ=100000 $(BIN)/python -m pytest -q -m fuzz --durations=0 --hypothesis-show-statistics tests/test_properties.py

bench: $(STAMP)
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache
