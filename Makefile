# Hanna: the two commands a newcomer needs are `make run` and `make test` (see README.md).

BUILD      ?= build
ASAN_BUILD ?= build-asan
HANNA      := $(BUILD)/hanna
DB         ?= sqlite:hanna.db
LISTEN     ?= 127.0.0.1:8080
FUZZ_SECONDS ?= 30

.PHONY: run test deps build asan-build unit http-sqlite http-pg browser crash fuzz asan format-check clean

## run: install what is missing, build, create hanna.db with the demo municipality, serve
run: deps build
	@if [ ! -f hanna.db ]; then \
	  umask 077; ./$(HANNA) demo --db $(DB) --cases 150 > .demo-logins || { rm -f hanna.db .demo-logins; exit 1; }; \
	fi
	@echo; echo "Hanna serves on http://$(LISTEN)  (stop with Ctrl-C)"; echo
	@if [ -f .demo-logins ]; then cat .demo-logins; else echo "(logins: see the output of 'hanna demo' when hanna.db was made)"; fi
	@echo
	./$(HANNA) serve --db $(DB) --listen $(LISTEN)

## test: every suite, each printing its closing line
test: deps format-check build unit http-sqlite http-pg browser crash fuzz asan
	@echo "make test: all suites passed"

deps:
	@bash scripts/deps

build:
	@[ -f $(BUILD)/build.ninja ] || meson setup $(BUILD) --buildtype=debugoptimized >/dev/null
	@ninja -C $(BUILD) >/dev/null

unit: build
	@bash scripts/unit $(BUILD) unit

http-sqlite: build
	@HANNA_BIN=$(HANNA) bash tests/http/run sqlite

http-pg: build
	@HANNA_BIN=$(HANNA) bash tests/http/run pg

browser: build
	@HANNA_BIN=$(HANNA) bash tests/browser/run

## crash: 32 clients send visit reports while the server is SIGKILLed and restarted; every 201
## is stored exactly once (tests/crash, about a minute)
crash: build
	@bash tests/crash/run $(HANNA)

fuzz:
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz

asan-build:
	@[ -f $(ASAN_BUILD)/build.ninja ] || meson setup $(ASAN_BUILD) --buildtype=debug \
	  -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
	@ninja -C $(ASAN_BUILD) >/dev/null

## asan: the unit and HTTP suites again, on a build with AddressSanitizer and UBSan
asan: export LSAN_OPTIONS = suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
asan: asan-build
	@bash scripts/unit $(ASAN_BUILD) asan-unit
	@HANNA_BIN=$(ASAN_BUILD)/hanna HANNA_SUITE_PREFIX=asan- bash tests/http/run sqlite
	@HANNA_BIN=$(ASAN_BUILD)/hanna HANNA_SUITE_PREFIX=asan- bash tests/http/run pg

## format-check: the C sources are as clang-format (.clang-format) writes them (STYLE rule 19),
## and docs/openapi.yaml is valid YAML
format-check:
	@clang-format --dry-run --Werror $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c')
	@python3 -c "import yaml; yaml.safe_load(open('docs/openapi.yaml', encoding='utf-8'))"
	@echo "format-check: $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' | wc -l) files formatted, docs/openapi.yaml parses"

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
