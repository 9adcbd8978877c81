# wxpay — every target installs what it needs itself.
#   make test   every test, every language
#   make lint   formatting and clippy only

CARGO ?= cargo

.PHONY: test lint test-rust vectors-check build

test: lint vectors-check test-rust
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
