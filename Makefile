# The README's two commands: `make demo` and `make test`. Each builds .venv on first use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
LINT_DIR := tools/cypher-lint

.PHONY: demo test lint typecheck imports unit integration ui e2e bench clean cypher-lint-deps

$(PY):
	$(PYTHON) -c 'import sys; sys.exit("bgtui needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[parquet]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[test]'
	touch $@

# Neo4j's own Cypher parser, used by tests/unit/test_cypher_catalogue_parses.py (skipped without Node).
cypher-lint-deps:
	@if command -v npm >/dev/null 2>&1; then \
		if [ ! -d $(LINT_DIR)/node_modules ]; then \
			(cd $(LINT_DIR) && npm ci --silent --no-audit --no-fund) || echo "cypher lint: npm install failed, the parser test will say so"; \
		fi; \
	else echo "cypher lint: Node.js/npm not found; the Cypher parser test will be skipped"; fi

demo: $(VENV)/.installed-app
	$(VENV)/bin/bgtui demo $(DEMO_ARGS)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks

typecheck: $(VENV)/.installed-test
	$(VENV)/bin/mypy

# The layering contracts in pyproject.toml [tool.importlinter]; module cycles are
# tests/unit/test_import_cycles.py.
imports: $(VENV)/.installed-test
	$(VENV)/bin/lint-imports

test: $(VENV)/.installed-test cypher-lint-deps lint typecheck imports
	$(VENV)/bin/pytest -q $(PYTEST_ARGS)

bench: $(VENV)/.installed-test
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(LINT_DIR)/node_modules .pytest_cache .mypy_cache .ruff_cache
