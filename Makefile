# wxpay — every target installs what it needs itself.
#   make test   every test, every language
#   make lint   formatting and clippy only

CARGO ?= cargo
VENV := .venv
PYTHON := $(VENV)/bin/python
WHEELS := target/wheels

.PHONY: test demo lint test-rust vectors-check build sim-bin python-wheel test-python browser-deps test-browser

test: lint vectors-check test-rust test-python test-browser
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

# The shared vectors must be exactly what the independent generator writes.
vectors-check:
	python3 tests/vectors/generate.py --check

test-rust:
	$(CARGO) test --workspace

sim-bin:
	$(CARGO) build --quiet -p wxpay-sim

# A virtualenv inside the repository with the pinned build and test tools.
$(VENV)/.ready: bindings/python/requirements-dev.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r bindings/python/requirements-dev.txt
	touch $@

# The same wheel a user installs: built by maturin, installed with pip.
python-wheel: $(VENV)/.ready
	rm -f $(WHEELS)/wxpay-*.whl
	$(VENV)/bin/maturin build --release --quiet -m bindings/python/Cargo.toml -o $(WHEELS) -i $(PYTHON)
	$(PYTHON) -m pip install --quiet --force-reinstall --no-deps $(WHEELS)/wxpay-*.whl

test-python: python-wheel
	cd bindings/python && ../../$(PYTHON) -m pytest -q -p no:cacheprovider tests
	cd examples/django && ../../$(PYTHON) -m pytest -q -p no:cacheprovider

# Debian's Chromium (and a CJK font for the screenshots) when missing.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "wenquanyi"; then \
		echo "installing chromium and fonts-wqy-zenhei with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null; \
	fi

# Playwright drives the example shop in headless Chromium; screenshots go to out/browser/.
test-browser: python-wheel sim-bin browser-deps
	cd examples/demo && ../../$(PYTHON) -m pytest -q -p no:cacheprovider test_browser.py
