# posplus — the two commands a newcomer needs are `make test` and `make demo`.
#
#   make deps    install what a fresh Debian 12 machine lacks (idempotent; sudo only if not root)
#   make build   debug build of every target
#   make demo    the terminal, Jobber and payment-link flows, each against its simulator
#   make test    deps + the USB suite under umockdev + the whole test suite (what CI runs)
#   make test-usb  only the USB suite, with libusb seeing an emulated PAX terminal
#   make fuzz    libFuzzer on the POSLink frame decoder (FUZZ_SECONDS=60)
#   make lint    swift format lint, strict
#   make format  rewrite sources with swift format
#   make bench   package-benchmark suites in Benchmarks/ (not part of `make test`)

SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libsqlite3-dev libusb-1.0-0-dev libcurl4-openssl-dev sqlite3 umockdev python3 python3-pip
# Test tools from PyPI: localstripe (a stateful Stripe fake), the stripe SDK (its parameter
# types are the contract the Stripe client's requests are checked against), aiosmtpd (SMTP).
PIP_PACKAGES := localstripe==1.15.10 stripe~=16.1 aiosmtpd==1.4.6
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build test test-usb demo fuzz lint format bench clean

deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	    echo "Installing:$$missing"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	else \
	    echo "System packages present: $(APT_PACKAGES)"; \
	fi
	@if python3 -c 'import localstripe, stripe, aiosmtpd; assert stripe.VERSION.startswith("16.")' 2>/dev/null; then \
	    echo "Python test tools present: $(PIP_PACKAGES)"; \
	else \
	    echo "Installing from PyPI: $(PIP_PACKAGES)"; \
	    python3 -m pip install --quiet --disable-pip-version-check $(PIP_PACKAGES) \
	        || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages $(PIP_PACKAGES); \
	fi

build: deps
	$(SWIFT) build

# The USB suite runs real libusb against a terminal emulated by umockdev (LD_PRELOAD), as
# its own serial step; then the whole suite, whose summary line is the last thing printed.
# The terminal suites time real links (ACK windows, retries): they run on their own first, so
# the Python servers and SIGKILL crash test of the main run cannot stall them.
test: deps
	$(SWIFT) build --build-tests
	timeout 300 umockdev-run -d Tests/Fixtures/pax-ch340.umockdev -- \
	    $(SWIFT) test --skip-build --no-parallel --filter 'USBUnderUmockdev|USBDiscovery'
	$(SWIFT) test --skip-build --filter '^(PAXTests|TerminalTests)\.'
	$(SWIFT) test --skip-build --skip '^(PAXTests|TerminalTests)\.'

test-usb: deps
	$(SWIFT) build --build-tests
	timeout 300 umockdev-run -d Tests/Fixtures/pax-ch340.umockdev -- \
	    $(SWIFT) test --skip-build --no-parallel --filter 'USBUnderUmockdev|USBDiscovery'

# The main job on simulators: terminal transactions over a pty, Jobber look-ups, a payment link.
demo: build
	./scripts/demo.sh

# libFuzzer on the POSLink frame decoder. FUZZ_SECONDS bounds the run (CI uses a short one).
FUZZ_SECONDS ?= 60
fuzz:
	mkdir -p .build/fuzz
	swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name POSLinkFuzz \
	    Devices/PAX/POSLinkFrame.swift Devices/PAX/POSLinkDecoder.swift Fuzz/POSLinkDecoderFuzz.swift \
	    -o .build/fuzz/poslink-decoder
	./Fuzz/corpus-seed.sh .build/fuzz/corpus
	.build/fuzz/poslink-decoder -max_total_time=$(FUZZ_SECONDS) -max_len=1024 .build/fuzz/corpus

lint:
	$(SWIFT) format lint --strict --recursive Sources Devices Simulators Tests Benchmarks Fuzz Package.swift

format:
	$(SWIFT) format --in-place --recursive Sources Devices Simulators Tests Benchmarks Fuzz Package.swift

bench: deps
	$(SWIFT) package --allow-writing-to-package-directory benchmark

clean:
	rm -rf .build Benchmarks/.build
