# wxpay — every target installs what it needs itself.
#   make test   every test, every language
#   make lint   formatting and clippy only

CARGO ?= cargo
VENV := .venv
PYTHON := $(VENV)/bin/python
WHEELS := target/wheels

.PHONY: test lint test-rust vectors-check build python-wheel test-python

test: lint vectors-check test-rust test-python
	@echo "make test: all suites passed"

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
