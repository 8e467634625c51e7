# civgraph: `make run` serves the API on an embedded Neo4j; `make test` runs everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SERVER := civgraph/graph/server
LAUNCHER := $(SERVER)/target/.built
GRAPHIQL := civgraph/static/graphiql/.vendored

.PHONY: setup browser run stop test lint typecheck pytest schema bench-startup bench-read bench-ingest bench-deltas bench-feed bench-mutations bench-rules bench-dashboard fuzz clean

setup: $(BIN)/.installed $(LAUNCHER) $(GRAPHIQL)

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "civgraph needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --editable '.[dev]'
	touch $@

# The embedded Neo4j launcher and its jars (Maven downloads land in ~/.m2 and are reused).
$(LAUNCHER): $(SERVER)/pom.xml $(shell find $(SERVER)/src -name '*.java')
	@command -v java >/dev/null || { echo "error: Java 17+ is needed (java not on PATH)"; exit 1; }
	@command -v mvn >/dev/null || { echo "error: Maven is needed (mvn not on PATH)"; exit 1; }
	mvn --batch-mode --quiet package -f $(SERVER)/pom.xml
	touch $@

# GraphiQL's scripts and styles, from the npm registry, served by civgraph itself.
$(GRAPHIQL): scripts/vendor-graphiql.sh
	scripts/vendor-graphiql.sh civgraph/static/graphiql
	touch $@

browser:
	scripts/ensure-chromium.sh

run: setup
	$(BIN)/civgraph run

stop:
	$(BIN)/civgraph stop

test: setup browser lint typecheck pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy

# The test session starts a throwaway Neo4j (temporary folder, free port) and stops it.
pytest:
	$(BIN)/pytest

# Generated queries for a region-bound viewer (tests/e2e/test_fuzz_access.py), many more
# than `make test` sends; prints how many and how they ended.
FUZZ ?= 2000
fuzz: setup
	CIVGRAPH_FUZZ_EXAMPLES=$(FUZZ) $(BIN)/pytest -s -q tests/e2e/test_fuzz_access.py

# Benchmarks print figures; they are never timed assertions.
bench-startup: setup
	$(BIN)/python -m bench.startup

# Our GraphQL against hand-written Cypher and the Neo4j GraphQL Library (bench/peer, installed
# with npm ci) on a synthetic graph of $(PEOPLE) people (kept in var/bench); docs/benchmarks.md.
PEOPLE ?= 100000
# STORE=PATH: an existing Neo4j store folder instead of the generated one; READ_ARGS: more
# options (at 10M: --pagecache 8g --tx-memory 1500m and fewer requests; docs/scale.md).
bench-read: setup
	$(BIN)/python -m bench.read_api --people $(PEOPLE) $(if $(STORE),--store $(STORE)) $(READ_ARGS)

# The synthetic province of $(PEOPLE) people: its first load (`civgraph load --initial`,
# files to a serving API, by phase), online deltas on the store it leaves (change feed on),
# then today's online path for the whole province and the naive loader on a subset.
bench-ingest: setup
	$(BIN)/python -m bench.first_load --people $(PEOPLE)
	$(BIN)/python -m bench.ingest --people $(PEOPLE) --delta-rows 20000 --delta-batches 2000 \
		--heap 2g --pagecache 6g --store var/bench/first-$(PEOPLE)-1/neo4j
	$(BIN)/python -m bench.ingest --people $(PEOPLE) --rerun

# Online deltas (20,000 rows of two registries, change feed on, at three batch sizes) on a
# copy of the store the first load of `make bench-ingest` leaves (or STORE=PATH).
bench-deltas: setup
	$(BIN)/python -m bench.ingest --people $(PEOPLE) --delta-rows 20000 --heap 2g \
		--pagecache 6g --store $(or $(STORE),var/bench/first-$(PEOPLE)-1/neo4j)

# The change feed: commit-to-client latency for 1, 100 and 1,000 subscribers on one server,
# and events a second while the registration of $(PEOPLE) people is ingested.
bench-feed: setup
	$(BIN)/python -m bench.feed --ingest-people $(PEOPLE)

bench-mutations: setup
	$(BIN)/python -m bench.mutations

# Every investigation rule over the province of PEOPLE (1000000 here by default): seconds
# to the first page and to all findings, province and one county, PROFILE db hits;
# STORE=PATH: an existing store of that province (a first load's, say); RULES_ARGS: more
# options (at 10M: --pagecache 8g --no-province-pages; docs/scale.md).
RULES_PEOPLE ?= 1000000
bench-rules: setup
	$(BIN)/python -m bench.rules --people $(RULES_PEOPLE) $(if $(STORE),--store $(STORE)) \
		$(RULES_ARGS)

# The provincial dashboard on the same province: linkageCoverage and planIndicators for the
# province, a city and a county, cold and warm, and each indicator's time.
bench-dashboard: setup
	$(BIN)/python -m bench.dashboard --people $(RULES_PEOPLE)

schema: setup
	$(BIN)/civgraph export-schema > schema.graphql

clean:
	rm -rf $(VENV) $(SERVER)/target civgraph/static/graphiql
