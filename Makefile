# The two commands a fresh Debian 12 machine with Swift needs:
#   make run    install what is missing, build, open the dashboard on the bundled example
#   make test   install what is missing, run every test
SWIFT ?= swift
# Tests run optimised: reconstruction on real models is 10-50x slower in debug.
TEST_FLAGS = -c release -Xswiftc -enable-testing

.PHONY: run test build setup bench fuzz
run:
	@scripts/setup.sh
	@$(SWIFT) build -c release --product brecq
	@.build/release/brecq $(ARGS)

test:
	@scripts/setup.sh --test
	@$(SWIFT) build $(TEST_FLAGS) --build-tests
	@$(SWIFT) test $(TEST_FLAGS) --skip-build

build:
	@$(SWIFT) build -c release --product brecq

# The fuzz targets for a fixed number of seeded cases (docs/fuzzing.md).
fuzz:
	@$(SWIFT) build $(TEST_FLAGS) --build-tests
	@$(SWIFT) test $(TEST_FLAGS) --skip-build --filter FuzzTests

bench: build
	@.build/release/brecq bench kernels
