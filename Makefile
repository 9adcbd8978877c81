# wxpay — every target installs what it needs itself.
#   make test   every test, every language (its suites run side by side)
#   make demo   the main job: a complete JSAPI checkout against the simulator
#   make lint   formatting and clippy only

SHELL := /bin/bash
CARGO ?= cargo
VENV := .venv
PYTHON := $(VENV)/bin/python
WHEELS := target/wheels

FUZZ_SECONDS ?= 60
FUZZ_TARGETS := xml payment_notify refund_notify replies requests v3_notify v3_answers
# The nightly cargo fuzz needs, pinned in fuzz/rust-toolchain.toml.
FUZZ_TOOLCHAIN := $(shell sed -n 's/^channel = "\(.*\)"/\1/p' fuzz/rust-toolchain.toml)

# One cargo profile per run. Release artifacts (make dist, install, bench)
# are built with the release profile; everything else, make test included,
# with the dev profile, so one compilation of the workspace serves every
# suite and the packages its install test installs.
RELEASE_GOALS := dist install bench c-lib-release
PROFILE ?= $(if $(filter $(RELEASE_GOALS),$(MAKECMDGOALS)),release,dev)
OUT := target/$(if $(filter dev,$(PROFILE)),debug,$(PROFILE))

# Every dev build compiles the workspace the same way, so cargo compiles each
# crate once for all of them: the same features (the JVM's Kotlin generator
# included), and clippy as the compiler of the workspace's own crates, which
# is how `cargo clippy` lints, here while building rather than in a second
# pass. A lint is an error (-D warnings), so nothing builds with a warning.
CLIPPY_DRIVER := $(shell rustup which clippy-driver 2>/dev/null)
FEATURES := --features wxpay-uniffi/bindgen
ifeq ($(PROFILE),dev)
RUST_ENV := env RUSTC_WORKSPACE_WRAPPER=$(CLIPPY_DRIVER) CLIPPY_ARGS=-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__
else
RUST_ENV := env
endif
# Jobs of make test: its suites spend much of their time waiting on loopback
# servers, so two more than the cores keep them busy.
TEST_JOBS ?= $(shell echo $$(( $$(nproc) + 2 )))

.PHONY: generate test-php-fpm test-jvm-junit test-jvm-plain test-spring test-python-package test-django msrv dist install test-install c-lib-release composer-deps fmt-check versions-check fuzz fuzz-smoke fuzz-deps redis-deps test test-suites demo lint fmt-check test-rust vectors-check build rust-build sim-bin python-wheel test-python browser-deps test-browser \
	c-lib c-deps test-c headers jvm-deps jvm test-jvm node-addon node-testing-addon test-node bench node-types python-testing-wheel deps

# Every suite, side by side, over one compilation (ONE_BUILD); the system
# packages (one apt-get) install while the workspace compiles. --output-sync
# prints each step's output whole when it ends.
test:
	@$(MAKE) --no-print-directory -j$(TEST_JOBS) --output-sync=target ONE_BUILD=1 test-suites
	@echo "make test: all suites passed"

# The longest first: make starts them in this order as jobs free up.
test-suites: deps vectors-check versions-check lint test-rust test-jvm test-python test-node test-c test-php-fpm test-install test-browser fuzz-smoke

# The main job: a whole JSAPI checkout against the simulator (SERVE=1 keeps
# the simulator and the shop running for a browser).
demo: python-wheel sim-bin
	cd examples/demo && ../../$(PYTHON) demo.py $(if $(SERVE),--serve) $(if $(V3),--v3)

# Every Debian package a suite needs, in one apt-get when any is missing.
deps:
	@packaging/deps.sh
redis-deps c-deps browser-deps jvm-deps composer-deps: deps

# The one compilation of the workspace: every crate and target (tests,
# benches, examples, the simulator, every binding's library), linted by
# clippy as it compiles. The Python extensions are left to maturin, which
# compiles them anyway for the wheels, with the same lints.
rust-build:
	@test -n "$(CLIPPY_DRIVER)" || { echo "clippy is missing: rustup component add clippy"; exit 1; }
	$(RUST_ENV) $(CARGO) build --workspace --all-targets $(FEATURES) --exclude wxpay-python --exclude wxpay-python-testing
build: rust-build

# make test sets ONE_BUILD=1: each library then comes from that one
# compilation. Alone (make demo, make test-node, make dist), a target builds
# just the packages it needs.
ifeq ($(ONE_BUILD),1)
LIB_BUILD := rust-build
cargo-libs = @true
else
LIB_BUILD :=
cargo-libs = $(RUST_ENV) $(CARGO) build --quiet --profile $(PROFILE) $(addprefix -p ,$(1))
endif

fmt-check:
	$(CARGO) fmt --all --check

# Formatting, clippy over every crate and target (the build above), and the
# pure protocol layer built without the network layer, warnings denied. In
# make test the fuzz build is that build (the fuzz crate takes the core
# without its network layer, with -D warnings), so it is not compiled twice
# nor holds cargo's lock while the suites start.
lint: fmt-check rust-build
	$(if $(ONE_BUILD),@true,$(RUST_ENV) $(CARGO) build -p wxpaykit --no-default-features --quiet)

# The shared vectors must be exactly what the independent generators write
# (the v3 one with Python `cryptography`, from .venv),
# and the host types what packaging/gen_hosts.py makes of the core's schema
# (cli/tests/cli.rs keeps bindings/results.schema.json current).
vectors-check: $(VENV)/.ready
	python3 tests/vectors/generate.py --check
	$(PYTHON) tests/vectors/v3/generate.py --check
	python3 packaging/gen_hosts.py --check

# Every Rust test, in one cargo invocation: the same selection as the build
# above, so cargo reuses every test binary it compiled (a narrower selection
# resolves features anew and compiles again).
test-rust: rust-build deps
	$(RUST_ENV) $(CARGO) test --workspace $(FEATURES) --exclude wxpay-python --exclude wxpay-python-testing

# The simulator the tests and the demo start (always the dev build's).
sim-bin: $(LIB_BUILD)
	$(if $(LIB_BUILD),@true,$(RUST_ENV) $(CARGO) build --quiet -p wxpay-sim)

# A virtualenv inside the repository with the pinned build and test tools.
$(VENV)/.ready: bindings/python/requirements-dev.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r bindings/python/requirements-dev.txt
	touch $@

# The same wheels a user installs: built by maturin (with the run's
# profile), installed with pip. wxpay carries no server; wxpay-testing (the
# simulator, for tests) is the opt-in.
MATURIN = $(RUST_ENV) $(VENV)/bin/maturin build --quiet --profile $(PROFILE) -o $(WHEELS) -i $(PYTHON)
python-wheel: $(VENV)/.ready $(LIB_BUILD)
	rm -f $(WHEELS)/wxpaykit-0*.whl
	$(MATURIN) -m bindings/python/Cargo.toml
	$(PYTHON) -m pip install --quiet --force-reinstall --no-deps $(WHEELS)/wxpaykit-0*.whl

# After python-wheel: the two share cargo's build lock, and the testing
# wheel needs nothing the other has not built.
python-testing-wheel: $(VENV)/.ready python-wheel
	rm -f $(WHEELS)/wxpaykit_testing-*.whl
	$(MATURIN) -m bindings/python/testing/Cargo.toml
	$(PYTHON) -m pip install --quiet --force-reinstall --no-deps $(WHEELS)/wxpaykit_testing-*.whl

# The package's tests and the Django shop's, side by side.
test-python: test-python-package test-django
test-python-package: python-wheel python-testing-wheel deps
	cd bindings/python && ../../$(PYTHON) -m pytest -q -p no:cacheprovider tests
test-django: python-wheel python-testing-wheel deps
	cd examples/django && ../../$(PYTHON) -m pytest -q -p no:cacheprovider

# Playwright drives the example shop in headless Chromium; screenshots go to out/browser/.
test-browser: python-wheel python-testing-wheel sim-bin deps
	cd examples/demo && ../../$(PYTHON) -m pytest -q -p no:cacheprovider test_browser.py test_demo.py

# libwxpay.so / libwxpay.a and a wxpay.pc pointing at this checkout.
c-lib: $(LIB_BUILD)
	$(call cargo-libs,wxpay-c)
	mkdir -p target/pkgconfig
	sed -e "s|@LIBDIR@|$(CURDIR)/$(OUT)|" -e "s|@INCLUDEDIR@|$(CURDIR)/include|" \
	    -e "s|@VERSION@|$$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)|" \
	    bindings/c/wxpay.pc.in > target/pkgconfig/wxpay.pc.new
	mv target/pkgconfig/wxpay.pc.new target/pkgconfig/wxpay.pc

# The C tests (shared under valgrind, static), the C examples and the PHP
# tests, over the dev build.
test-c: c-lib sim-bin deps
	bindings/c/tests/run.sh

# The PHP shop (examples/php) under php-fpm behind nginx, FFI at php-fpm's
# default ffi.enable=preload and wxpay preloaded: checkout, payment, one
# token fetch across the workers, concurrent notifications, a store down.
test-php-fpm: c-lib sim-bin deps
	python3 examples/php/tests/test_fpm.py

# Regenerates include/wxpay.h and include/wxpay_ffi.h (the tests fail while they are stale).
headers:
	WXPAY_UPDATE_HEADERS=1 $(CARGO) test --quiet -p wxpay-c --test headers -- headers_are_current

# Everything written from the core's tables after an operation, a result
# type or an option changes there (docs/bindings.md, "Adding an operation"):
# the schema, the host layers, the C header and Node's declarations.
generate:
	$(CARGO) run --quiet -p wxpay-cli -- schema > bindings/results.schema.json
	python3 packaging/gen_hosts.py
	$(MAKE) --no-print-directory headers node-types

# The JVM binding (bindings/jvm). Maven's downloads stay inside the checkout (.tools/m2).
MVN := mvn -q -B -Dmaven.repo.local=$(CURDIR)/.tools/m2
JVM_GEN := bindings/jvm/target/generated-sources/uniffi
JVM_NATIVE := bindings/jvm/target/native/linux-x86-64

# Maven's plugins and the binding's dependencies (the Kotlin compiler among
# them), fetched while the workspace compiles.
.tools/m2/.jvm-fetched: bindings/jvm/pom.xml | deps
	cd bindings/jvm && $(MVN) dependency:go-offline
	touch $@

# libwxpay_uniffi.so, the Kotlin uniffi-bindgen writes from it (with the
# generator built from the same pinned uniffi), then the jar with the
# library inside, installed into .tools/m2 for the Spring example.
jvm: deps .tools/m2/.jvm-fetched $(LIB_BUILD)
	$(if $(LIB_BUILD),@true,$(RUST_ENV) $(CARGO) build --quiet --profile $(PROFILE) -p wxpay-uniffi $(FEATURES))
	rm -rf $(JVM_GEN) && mkdir -p $(JVM_GEN) $(JVM_NATIVE)
	$(OUT)/uniffi-bindgen generate --library $(OUT)/libwxpay_uniffi.so \
		--language kotlin --out-dir $(JVM_GEN) --no-format
	cp $(OUT)/libwxpay_uniffi.so $(JVM_NATIVE)/
	cd bindings/jvm && $(MVN) install -DskipTests

# JUnit in Java and Kotlin (vectors, the JSAPI flow against wxpay-sim, notify,
# errors, threads), a plain Java program compiled against the jar, and the
# Spring example's notify endpoint: three suites over one jar, side by side.
test-jvm: test-jvm-junit test-jvm-plain test-spring
test-jvm-junit: jvm sim-bin deps
	cd bindings/jvm && $(MVN) surefire:test
test-jvm-plain: jvm sim-bin deps
	bindings/jvm/tests/plain_java.sh
test-spring: jvm sim-bin deps
	cd examples/spring && $(MVN) test

# The Node addon: built by cargo, placed where the package loads it.
node-addon: $(LIB_BUILD)
	$(call cargo-libs,wxpay-node)
	cp $(OUT)/libwxpay_node.so bindings/node/wxpay.node

# The simulator addon for wxpay/testing, separate so the addon above carries no server.
node-testing-addon: $(LIB_BUILD) node-addon
	$(call cargo-libs,wxpay-node-testing)
	cp $(OUT)/libwxpay_node_testing.so bindings/node/wxpay-testing.node

bindings/node/node_modules/.package-lock.json: bindings/node/package-lock.json
	cd bindings/node && npm ci --no-audit --no-fund --silent

examples/express/node_modules/.package-lock.json: examples/express/package-lock.json
	cd examples/express && npm ci --no-audit --no-fund --silent

# node --test over the package (vectors, flow, event loop, bad input, types) and the Express example.
test-node: node-addon node-testing-addon bindings/node/node_modules/.package-lock.json examples/express/node_modules/.package-lock.json
	cd bindings/node && node --test test/
	cd examples/express && node --test test/

# index.d.ts and testing.d.ts from the JSDoc in index.js and testing.js.
node-types: bindings/node/node_modules/.package-lock.json
	cd bindings/node && node scripts/types.js

# A throw-away virtualenv with the Python peer (wechatpy) and the wxpay wheel.
VENV_BENCH := .venv-bench
$(VENV_BENCH)/.ready: bench/python/requirements.txt
	python3 -m venv $(VENV_BENCH)
	$(VENV_BENCH)/bin/python -m pip install --quiet -r bench/python/requirements.txt
	touch $@

# Speed of every language on bench/workload.json (BENCHMARKS.md): plain Rust
# with criterion, the C ABI, Python against wechatpy (and both against the
# simulator), Node against tenpay and wechatpay-axios-plugin; a dudect-style
# check that a signature takes as long to refuse wherever it is wrong; then
# one table.
bench: node-addon python-wheel python-testing-wheel $(VENV_BENCH)/.ready jvm c-lib
	$(CARGO) bench --quiet -p wxpaykit --bench speed
	$(CARGO) bench --quiet -p wxpaykit --bench constant_time
	mkdir -p target/bench
	$(CC) -O2 -Wall -Wextra -Werror -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude bench/c/bench.c \
	    -L$(OUT) -lwxpay -Wl,-rpath,$(CURDIR)/$(OUT) -o target/bench/c-bench
	python3 bench/c/run.py target/bench/c-bench
	cd bench/node && npm ci --no-audit --no-fund --silent && node bench.js
	$(VENV_BENCH)/bin/python -m pip install --quiet --force-reinstall --no-deps $(WHEELS)/wxpaykit-0*.whl $(WHEELS)/wxpaykit_testing-*.whl
	$(VENV_BENCH)/bin/python bench/python/bench.py
	$(VENV_BENCH)/bin/python bench/v3/openssl.py
	cd bench/jvm && $(MVN) compile exec:java -Dwxpay.root=$(CURDIR)
	$(CARGO) build --quiet --release -p wxpay-cli
	$(VENV_BENCH)/bin/python bench/reconcile/day.py --wxpay target/release/wxpay --orders 1000000 --python
	@echo
	python3 bench/report.py

# cargo fuzz 0.13.2, prebuilt and pinned by its hash (fuzz/requirements.txt),
# into .venv; and the nightly it needs, pinned in fuzz/rust-toolchain.toml.
$(VENV)/.fuzz-ready: fuzz/requirements.txt $(VENV)/.ready
	$(PYTHON) -m pip install --quiet --require-hashes -r fuzz/requirements.txt
	touch $@

fuzz-deps: $(VENV)/.fuzz-ready
	@rustup run $(FUZZ_TOOLCHAIN) rustc --version >/dev/null 2>&1 || { \
		echo "make fuzz: installing Rust $(FUZZ_TOOLCHAIN) (fuzz/rust-toolchain.toml) with rustup"; \
		rustup toolchain install $(FUZZ_TOOLCHAIN) --profile minimal >/dev/null || { echo "make fuzz: cannot install $(FUZZ_TOOLCHAIN), so no fuzzing"; exit 1; }; }

# Coverage-guided fuzzing of every parser and verifier (fuzz/fuzz_targets/),
# built with warnings denied (cargo fuzz adds RUSTFLAGS to its own; crates
# from crates.io have their lints capped), each target for FUZZ_SECONDS, seeded from tests/vectors/ and replaying
# fuzz/regressions/. A crash stops here with the input in fuzz/artifacts/:
# add it to fuzz/regressions/<target>/ and as a vector case, then fix it.
# The fuzz crate builds the core without its network layer.
# The smoke run builds unoptimized (FUZZ_BUILD=--dev): its ten seconds a
# target replay the regressions and seeds and explore a little, for a build
# that costs a fraction of the optimized one `make fuzz` uses.
FUZZ_BUILD ?=
CARGO_FUZZ := env -u MAKEFLAGS -u MFLAGS RUSTFLAGS="-D warnings" PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(CARGO) +$(FUZZ_TOOLCHAIN) fuzz
fuzz: fuzz-deps
	python3 fuzz/seed.py
	$(CARGO_FUZZ) build $(FUZZ_BUILD) --fuzz-dir fuzz
	for target in $(FUZZ_TARGETS); do \
		$(CARGO_FUZZ) run $(FUZZ_BUILD) --fuzz-dir fuzz $$target \
			fuzz/corpus/$$target fuzz/regressions/$$target -- \
			-max_total_time=$(FUZZ_SECONDS) -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 2>&1 \
			| grep -E "^(stat::number_of_executed_units|stat::new_units_added|SUMMARY|thread|Done)|^==[0-9]+==|panicked" ; \
		test $${PIPESTATUS[0]} -eq 0 || { echo "make fuzz: $$target found a failure (input in fuzz/artifacts/$$target/)"; exit 1; }; \
	done

# The short run make test does: every target for a few seconds. In make
# test it waits for the workspace build, which every other suite waits on.
fuzz-smoke: fuzz-deps | $(LIB_BUILD)
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=10 FUZZ_BUILD=--dev

# Builds every crate with the declared minimum Rust (rustup installs it);
# `make test` checks the declaration itself (versions-check) and clippy the
# standard-library items our code uses against it.
msrv:
	@v=$$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml | head -1); \
	rustup run $$v rustc --version >/dev/null 2>&1 || rustup toolchain install $$v --profile minimal || { echo "make msrv: cannot install Rust $$v"; exit 1; }; \
	$(CARGO) +$$v check --workspace --all-targets --quiet && echo "every crate builds with Rust $$v"

# Every package says the workspace version (Cargo.toml), the one place it
# lives; the declared minimum Rust version is true of every crate and dependency.
versions-check:
	python3 packaging/check_versions.py
	python3 packaging/check_msrv.py
	python3 packaging/check_names.py

c-lib-release: c-lib

# Every artifact of a release in dist/ (packaging/dist.py lists them).
dist: python-wheel python-testing-wheel node-addon node-testing-addon c-lib
	python3 packaging/dist.py --out $(OUT)

# libwxpay, its headers and a wxpay.pc for PREFIX (default /usr/local).
PREFIX ?= /usr/local
install: c-lib
	python3 packaging/dist.py --out $(OUT) --install $(PREFIX)

# The artifacts installed as a user would, each in a fresh temporary place
# with nothing from the checkout on its path.
test-install: dist deps
	WXPAY_PROFILE=$(PROFILE) packaging/install_test.sh
