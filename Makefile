# SPDX-License-Identifier: GPL-3.0-or-later
# Thin wrapper over CMake for the README's commands.  CMake is the only build
# system; this file only names the common tasks.
#   make demo     install what building needs (if missing), build, compare the
#                 2025 deal options (no Node.js, no browser)
#   make check    also install the test tools (chromium, Node.js/npm, npm ci),
#                 build, run the tests (also ASan+UBSan)
#   make bench    benchmark figures (not a test)
#   make bench-serve  load bench of `legation serve` with wrk (installs wrk):
#                 10^5 API requests at concurrency 64, memory, 8 jobs' fairness
#   make web      rebuild web/dist/ (the report's charts and the workbench,
#                 committed) from web/src with esbuild
#   make fuzz     libFuzzer runs of the scenario loader and serve's requests (clang)
#   make soak     the results store under repeated kill -9 and resume,
#                 concurrent writers and (as root) a small full file system
#   make install  PREFIX=/usr/local
PREFIX ?= /usr/local
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps deps-test build demo check test test-asan bench bench-serve fuzz install clean web soak

all: build

deps:
	./scripts/install-deps.sh

deps-test:
	./scripts/install-deps.sh --test

build:
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

demo: deps build
	./$(BUILD)/legation compare --uncertain --report legation-report.html

test: build
	cd $(BUILD) && ctest --output-on-failure --no-tests=error -j $(JOBS)

# -LE heavy: the guide's staleness checks that rerun whole studies
# (tests/cli/guide-{sensitivity,discover,decide}.t) would take many minutes
# under ASan and exercise no code the other tests do not; `make test` runs
# them (the label is set in CMakeLists.txt).
test-asan:
	cmake -S . -B $(BUILD)-asan -DLEGATION_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	cmake --build $(BUILD)-asan -j $(JOBS)
	cd $(BUILD)-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure --no-tests=error -j $(JOBS) -LE heavy

check: deps-test build test test-asan
	./$(BUILD)/legation run --reps 200 --quiet >/dev/null

web: deps-test
	node web/build.mjs

bench: build
	./$(BUILD)/legation_bench

bench-serve: build
	./scripts/install-deps.sh --bench
	sh bench/serve_bench.sh $(BUILD)/legation

soak: build
	sh scripts/soak.sh $(BUILD)/legation

fuzz:
	LEGATION_WITH_CLANG=1 ./scripts/install-deps.sh
	CC=clang cmake -S . -B $(BUILD)-fuzz -DLEGATION_FUZZ=ON >/dev/null
	cmake --build $(BUILD)-fuzz -j $(JOBS) --target fuzz_scenario fuzz_serve
	mkdir -p $(BUILD)-fuzz/corpus $(BUILD)-fuzz/corpus-serve
	cp scenarios/*.yaml tests/scenarios/*.yaml $(BUILD)-fuzz/corpus/ 2>/dev/null || true
	cp fuzz/serve/*.json $(BUILD)-fuzz/corpus-serve/
	./$(BUILD)-fuzz/fuzz_scenario -max_total_time=$${FUZZ_SECONDS:-60} $(BUILD)-fuzz/corpus
	./$(BUILD)-fuzz/fuzz_serve -max_total_time=$${FUZZ_SECONDS:-60} $(BUILD)-fuzz/corpus-serve

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(BUILD)-asan $(BUILD)-fuzz
