# Transfigure — the two commands that do all the set-up are `make report` and `make test`.
SWIFT ?= swift
BIN := .build/debug/transfigure

.PHONY: setup setup-test build report test bench fuzz fixtures clean

# Installs missing Debian packages (quiet when nothing is missing).
setup:
	@bash scripts/setup.sh build

setup-test:
	@bash scripts/setup.sh test

build: setup
	$(SWIFT) build

# Writes the built-in study report to Output/study-report/index.html and index.md.
report: build
	$(BIN) report
	@echo "report: Output/study-report/index.html"

# Every test: unit tests of each layer, end-to-end checks of real output files and of the
# reports (Nu HTML checker, pandoc, headless Chromium), --dump output against an independent
# NumPy implementation of CONTRACT.md §3, and byte-identical reruns of every command from another
# folder under another locale, time zone and clock.
test: setup-test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	bash scripts/acceptance.sh $(BIN)
	bash scripts/check_reports.sh $(BIN)
	python3 scripts/check_dumps.py $(BIN)
	bash scripts/check_reproducible.sh $(BIN)

# Speed and memory of the figures, release build, side by side with the matplotlib/seaborn
# scripts in PEER_BENCH (pip install matplotlib seaborn to include them).
PEER_BENCH ?= ../shared/bench
bench: setup
	$(SWIFT) build -c release --product transfigure
	$(SWIFT) build -c release --product transfigure-bench
	.build/release/transfigure-bench .build/release/transfigure $(PEER_BENCH)

# Every reader, the notes and the TeX converter under libFuzzer with AddressSanitizer, built into
# .build/fuzz (not the normal build), FUZZ_SECONDS each (default 60); FUZZ_TARGETS picks some.
fuzz: setup
	bash scripts/fuzz.sh

# Re-creates the NumPy-written reader fixtures (needs python3 with numpy).
fixtures:
	cd Tests/TransformerMathTests/Fixtures && python3 make_fixtures.py

clean:
	rm -rf .build
