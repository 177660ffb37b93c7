# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_HOME ?= .demo
PYTEST_ARGS ?=

.PHONY: run test bench demo snapshots clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed (PYTHON=$(PYTHON))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/casebook demo --home $(DEMO_HOME)
	$(BIN)/casebook --home $(DEMO_HOME)

# The style first (seconds), then the suite on every core.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench.run

# After a deliberate change of looks: rewrite the snapshots, then open the report and look at each one.
snapshots: $(STAMP)
	$(BIN)/python -m pytest tests/snapshots --snapshot-update

clean:
	rm -rf $(VENV) $(DEMO_HOME) .pytest_cache snapshot_report.html
