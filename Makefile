# wxpay — every target installs what it needs itself.
#   make test   every test, every language
#   make lint   formatting and clippy only

SHELL := /bin/bash
CARGO ?= cargo
VENV := .venv
PYTHON := $(VENV)/bin/python
WHEELS := target/wheels

FUZZ_SECONDS ?= 60
FUZZ_TARGETS := xml payment_notify refund_notify replies requests

.PHONY: msrv dist install test-install c-lib-release composer-deps versions-check fuzz fuzz-smoke redis-deps test demo lint test-rust vectors-check build sim-bin python-wheel test-python browser-deps test-browser \
	c-lib c-deps test-c headers jvm-deps jvm test-jvm node-addon node-testing-addon test-node bench node-types python-testing-wheel

test: lint vectors-check versions-check test-rust test-c test-node test-python test-jvm test-browser fuzz-smoke test-install
	@echo "make test: all suites passed"

# The main job: a whole JSAPI checkout against the simulator (SERVE=1 keeps
# the simulator and the shop running for a browser).
demo: python-wheel sim-bin
	cd examples/demo && ../../$(PYTHON) demo.py $(if $(SERVE),--serve)

build:
	$(CARGO) build --workspace --all-targets

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	# The pure protocol layer must build without the network layer.
	$(CARGO) build -p wxpay --no-default-features --quiet

# The shared vectors must be exactly what the independent generator writes,
# and the host types what packaging/gen_hosts.py makes of the core's schema
# (cli/tests/cli.rs keeps bindings/results.schema.json current).
vectors-check:
	python3 tests/vectors/generate.py --check
	python3 packaging/gen_hosts.py --check

# redis-server for the fleet tests (each test starts its own on a free port).
redis-deps:
	@if ! command -v redis-server >/dev/null 2>&1; then \
		echo "installing redis-server with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
	fi
	@command -v redis-server >/dev/null 2>&1 || { echo "redis-server is missing and could not be installed: the fleet tests cannot run"; exit 1; }

test-rust: redis-deps
	$(CARGO) test --workspace

sim-bin:
	$(CARGO) build --quiet -p wxpay-sim

# A virtualenv inside the repository with the pinned build and test tools.
$(VENV)/.ready: bindings/python/requirements-dev.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r bindings/python/requirements-dev.txt
	touch $@

# The same wheels a user installs: built by maturin, installed with pip.
# wxpay carries no server; wxpay-testing (the simulator, for tests) is the opt-in.
python-wheel: $(VENV)/.ready
	rm -f $(WHEELS)/wxpay-0*.whl
	$(VENV)/bin/maturin build --release --quiet -m bindings/python/Cargo.toml -o $(WHEELS) -i $(PYTHON)
	$(PYTHON) -m pip install --quiet --force-reinstall --no-deps $(WHEELS)/wxpay-0*.whl

python-testing-wheel: $(VENV)/.ready
	rm -f $(WHEELS)/wxpay_testing-*.whl
	$(VENV)/bin/maturin build --release --quiet -m bindings/python/testing/Cargo.toml -o $(WHEELS) -i $(PYTHON)
	$(PYTHON) -m pip install --quiet --force-reinstall --no-deps $(WHEELS)/wxpay_testing-*.whl

test-python: python-wheel python-testing-wheel
	cd bindings/python && ../../$(PYTHON) -m pytest -q -p no:cacheprovider tests
	cd examples/django && ../../$(PYTHON) -m pytest -q -p no:cacheprovider

# Debian's Chromium (and a CJK font for the screenshots) when missing.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "wenquanyi"; then \
		echo "installing chromium and fonts-wqy-zenhei with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null; \
	fi

# Playwright drives the example shop in headless Chromium; screenshots go to out/browser/.
test-browser: python-wheel python-testing-wheel sim-bin browser-deps
	cd examples/demo && ../../$(PYTHON) -m pytest -q -p no:cacheprovider test_browser.py

# libwxpay.so / libwxpay.a and a wxpay.pc pointing at this checkout.
c-lib:
	$(CARGO) build --quiet -p wxpay-c
	mkdir -p target/pkgconfig
	sed -e "s|@LIBDIR@|$(CURDIR)/target/debug|" -e "s|@INCLUDEDIR@|$(CURDIR)/include|" \
	    -e "s|@VERSION@|$$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)|" \
	    bindings/c/wxpay.pc.in > target/pkgconfig/wxpay.pc

# A C compiler, valgrind, cJSON (for the C test's vector reading) and php-cli with FFI.
c-deps:
	@missing=""; \
	command -v valgrind >/dev/null 2>&1 || missing="$$missing valgrind"; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	test -f /usr/include/cjson/cJSON.h || missing="$$missing libcjson-dev"; \
	command -v php >/dev/null 2>&1 || missing="$$missing php-cli"; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# The C tests (shared under valgrind, static), the C examples and the PHP tests.
test-c: c-lib sim-bin c-deps redis-deps
	bindings/c/tests/run.sh

# Regenerates include/wxpay.h and include/wxpay_ffi.h (the tests fail while they are stale).
headers:
	WXPAY_UPDATE_HEADERS=1 $(CARGO) test --quiet -p wxpay-c --test headers

# The JVM binding (bindings/jvm): a JDK and Maven from Debian when missing.
# Maven's downloads stay inside the checkout (.tools/m2).
MVN := mvn -q -B -Dmaven.repo.local=$(CURDIR)/.tools/m2
JVM_GEN := bindings/jvm/target/generated-sources/uniffi
JVM_NATIVE := bindings/jvm/target/native/linux-x86-64

jvm-deps:
	@if ! command -v javac >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then \
		echo "installing openjdk-17-jdk-headless and maven with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null; \
	fi
	@command -v javac >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1 || { echo "a JDK and Maven are missing and could not be installed: the JVM binding cannot be built"; exit 1; }

# libwxpay_uniffi.so, the Kotlin uniffi-bindgen writes from it (with the
# generator built from the same pinned uniffi), then the jar with the
# library inside, installed into .tools/m2 for the Spring example.
jvm: jvm-deps
	$(CARGO) build --quiet --release -p wxpay-uniffi
	$(CARGO) build --quiet -p wxpay-uniffi --features bindgen --bin uniffi-bindgen
	rm -rf $(JVM_GEN) && mkdir -p $(JVM_GEN) $(JVM_NATIVE)
	target/debug/uniffi-bindgen generate --library target/release/libwxpay_uniffi.so \
		--language kotlin --out-dir $(JVM_GEN) --no-format
	cp target/release/libwxpay_uniffi.so $(JVM_NATIVE)/
	cd bindings/jvm && $(MVN) install -DskipTests

# JUnit in Java and Kotlin (vectors, the JSAPI flow against wxpay-sim, notify,
# errors, threads), a plain Java program compiled against the jar, and the
# Spring example's notify endpoint.
test-jvm: jvm sim-bin redis-deps
	cd bindings/jvm && $(MVN) test
	bindings/jvm/tests/plain_java.sh
	cd examples/spring && $(MVN) test

# The Node addon: built by cargo, placed where the package loads it.
node-addon:
	$(CARGO) build --quiet --release -p wxpay-node
	cp target/release/libwxpay_node.so bindings/node/wxpay.node

# The simulator addon for wxpay/testing, separate so the addon above carries no server.
node-testing-addon:
	$(CARGO) build --quiet --release -p wxpay-node-testing
	cp target/release/libwxpay_node_testing.so bindings/node/wxpay-testing.node

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
bench: node-addon python-wheel python-testing-wheel $(VENV_BENCH)/.ready jvm
	$(CARGO) bench --quiet -p wxpay --bench speed
	$(CARGO) bench --quiet -p wxpay --bench constant_time
	$(CARGO) build --quiet --release -p wxpay-c
	mkdir -p target/bench
	$(CC) -O2 -Wall -Wextra -Werror -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude bench/c/bench.c \
	    -Ltarget/release -lwxpay -Wl,-rpath,$(CURDIR)/target/release -o target/bench/c-bench
	python3 bench/c/run.py target/bench/c-bench
	cd bench/node && npm ci --no-audit --no-fund --silent && node bench.js
	$(VENV_BENCH)/bin/python -m pip install --quiet --force-reinstall --no-deps $(WHEELS)/wxpay-0*.whl $(WHEELS)/wxpay_testing-*.whl
	$(VENV_BENCH)/bin/python bench/python/bench.py
	cd bench/jvm && $(MVN) compile exec:java -Dwxpay.root=$(CURDIR)
	@echo
	python3 bench/report.py

# cargo fuzz, built into .tools/ inside the repository (nothing cached outside it).
.tools/bin/cargo-fuzz:
	$(CARGO) install --quiet --locked --root .tools cargo-fuzz

# Coverage-guided fuzzing of every parser and verifier (fuzz/fuzz_targets/),
# each target for FUZZ_SECONDS, seeded from tests/vectors/ and replaying
# fuzz/regressions/. A crash stops here with the input in fuzz/artifacts/:
# add it to fuzz/regressions/<target>/ and as a vector case, then fix it.
fuzz: .tools/bin/cargo-fuzz
	@rustup run nightly rustc --version >/dev/null 2>&1 || { \
		echo "make fuzz: cargo fuzz needs the nightly toolchain; installing it with rustup"; \
		rustup toolchain install nightly --profile minimal || { echo "make fuzz: no nightly toolchain, so no fuzzing"; exit 1; }; }
	python3 fuzz/seed.py
	for target in $(FUZZ_TARGETS); do \
		PATH="$(CURDIR)/.tools/bin:$$PATH" $(CARGO) +nightly fuzz run --fuzz-dir fuzz $$target \
			fuzz/corpus/$$target fuzz/regressions/$$target -- \
			-max_total_time=$(FUZZ_SECONDS) -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 2>&1 \
			| grep -E "^(stat::number_of_executed_units|stat::new_units_added|SUMMARY|thread|Done)|^==[0-9]+==|panicked" ; \
		test $${PIPESTATUS[0]} -eq 0 || { echo "make fuzz: $$target found a failure (input in fuzz/artifacts/$$target/)"; exit 1; }; \
	done

# The short run make test does: every target for a few seconds.
fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=10

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

c-lib-release:
	$(CARGO) build --quiet --release -p wxpay-c

# Every artifact of a release in dist/ (packaging/dist.py lists them).
dist: python-wheel python-testing-wheel node-addon node-testing-addon c-lib-release
	python3 packaging/dist.py

# libwxpay, its headers and a wxpay.pc for PREFIX (default /usr/local).
PREFIX ?= /usr/local
install: c-lib-release
	python3 packaging/dist.py --install $(PREFIX)

# Composer for the PHP install test (php-cli comes with c-deps).
composer-deps: c-deps
	@command -v composer >/dev/null 2>&1 || { \
		echo "installing composer with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq composer >/dev/null; }

# The artifacts installed as a user would, each in a fresh temporary place
# with nothing from the checkout on its path.
test-install: dist composer-deps
	packaging/install_test.sh
