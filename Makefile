# The two commands of the README: `make run` and `make test`. Everything else builds on them.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= eventscope.db

.PHONY: run test lint typecheck pytest bench bench-geo bench-api bench-watch install gazetteer clean vendor-web

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

gazetteer: $(STAMP)
	$(BIN)/eventscope gazetteer build --if-missing

# The main job on the embedded defaults: our example articles into SQLite, then a table.
run: gazetteer
	$(BIN)/eventscope ingest examples/ --db $(DB)
	$(BIN)/eventscope events --db $(DB) --limit 50

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: gazetteer
	$(BIN)/pytest -q

test: lint typecheck pytest

bench: gazetteer
	$(BIN)/python benchmarks/bench_pipeline.py

bench-geo: gazetteer
	$(BIN)/python benchmarks/bench_geo.py

bench-api: gazetteer
	$(BIN)/python benchmarks/bench_api.py

bench-watch: gazetteer
	$(BIN)/python benchmarks/bench_watch.py

# Re-fetch the page's libraries and basemap from npm (the results are committed).
vendor-web:
	./scripts/vendor_web.sh

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info $(DB)
