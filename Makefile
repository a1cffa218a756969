# posplus — the two commands a newcomer needs are `make test` and `make demo`.
#
#   make deps    install what a fresh Debian 12 machine lacks (idempotent; sudo only if not root)
#   make build   debug build of every target
#   make demo    the terminal, Jobber and payment-link flows, each against its simulator
#   make test    deps + the USB suite under umockdev + the whole test suite (what CI runs)
#   make test-usb  only the USB suite, with libusb seeing an emulated PAX terminal
#   make fuzz    libFuzzer on the POSLink decoder and the webhook checks (FUZZ_SECONDS=60 each)
#   make lint    swift format lint, strict
#   make format  rewrite sources with swift format
#   make bench   package-benchmark suites in Benchmarks/ (not part of `make test`)

SHELL := /bin/bash
SWIFT ?= swift
# chromium: Debian's browser, which the console's browser tests drive (no browser download).
# librsvg2-bin: rsvg-convert, which `posplus forecast --png` draws the chart's SVG with; and
# fonts-dejavu-core, the sans-serif fontconfig gives it, so the PNG's text is drawn at all.
APT_PACKAGES := libsqlite3-dev libusb-1.0-0-dev libcurl4-openssl-dev sqlite3 umockdev python3 python3-pip chromium \
	librsvg2-bin fonts-dejavu-core
# Test tools from PyPI: localstripe (a stateful Stripe fake), the stripe SDK (its parameter
# types are the contract the Stripe client's requests are checked against), aiosmtpd (SMTP),
# playwright (drives /usr/bin/chromium in the console tests; its own driver, no browser download).
PIP_PACKAGES := localstripe==1.15.10 stripe~=16.1 aiosmtpd==1.4.6 playwright==1.65.2
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build test test-usb demo console fuzz fuzz-poslink fuzz-json-modules fuzz-stripe-webhook fuzz-jobber-webhook lint format bench clean

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
	@if python3 -c 'import localstripe, stripe, aiosmtpd, playwright; from importlib.metadata import version; assert stripe.VERSION.startswith("16."); assert version("playwright") == "1.65.2"' 2>/dev/null; then \
	    echo "Python test tools present: $(PIP_PACKAGES)"; \
	else \
	    echo "Installing from PyPI: $(PIP_PACKAGES)"; \
	    python3 -m pip install --quiet --disable-pip-version-check $(PIP_PACKAGES) \
	        || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages $(PIP_PACKAGES); \
	fi
	@python3 -c 'import playwright' || { echo "playwright did not install: the console's browser tests need it"; exit 1; }

build: deps
	$(SWIFT) build

# The USB suite runs real libusb against a terminal emulated by umockdev (LD_PRELOAD), as
# its own serial step; then the whole suite in one run (the terminal suites' protocol timeouts
# run on test clocks now), whose summary line is the last thing printed.
#
# At most TEST_WIDTH tests run at once. Unbounded, Swift Testing starts every test together and
# the simulators, servers and clients they hold reach ~1,400 descriptors in one process, past
# which Foundation's Process.run crashes (a report that takes the CI machine an hour to print).
# Eight keeps the peak near 300 and is no slower on two cores. TEST_TIMEOUT turns a hang into a
# failure with every thread's backtrace (SIGQUIT) instead of a silent stall.
TEST_WIDTH ?= 8
TEST_TIMEOUT ?= 900
SWIFT_TEST := SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=$(TEST_WIDTH) timeout -s QUIT -k 120 $(TEST_TIMEOUT) $(SWIFT) test --skip-build
test: deps
	$(SWIFT) build --build-tests
	timeout 300 umockdev-run -d Tests/Fixtures/pax-ch340.umockdev -- \
	    $(SWIFT) test --skip-build --no-parallel --filter 'USBUnderUmockdev|USBDiscovery'
	$(SWIFT_TEST)

test-usb: deps
	$(SWIFT) build --build-tests
	timeout 300 umockdev-run -d Tests/Fixtures/pax-ch340.umockdev -- \
	    $(SWIFT) test --skip-build --no-parallel --filter 'USBUnderUmockdev|USBDiscovery'

# The main job on simulators: terminal transactions over a pty, Jobber look-ups, a payment link.
demo: build
	./scripts/demo.sh

# The front-desk console on simulators, until Ctrl-C: open the URL it prints.
console: build
	./scripts/console.sh

# libFuzzer on what reads untrusted bytes: the POSLink frame decoder and the Stripe and Jobber
# webhook checks. Each target is compiled straight from a few source files (no package build);
# the webhook ones get the JSON reader as two one-file modules. FUZZ_SECONDS bounds each run
# (CI uses a short one).
FUZZ_SECONDS ?= 60
FUZZ := swiftc -O -sanitize=fuzzer,address -parse-as-library
FUZZ_DIR := .build/fuzz
fuzz: fuzz-poslink fuzz-stripe-webhook fuzz-jobber-webhook

fuzz-poslink:
	mkdir -p $(FUZZ_DIR)
	$(FUZZ) -module-name POSLinkFuzz \
	    Devices/PAX/POSLinkFrame.swift Devices/PAX/POSLinkDecoder.swift Fuzz/POSLinkDecoderFuzz.swift \
	    -o $(FUZZ_DIR)/poslink-decoder
	./Fuzz/corpus-seed.sh $(FUZZ_DIR)/corpus
	$(FUZZ_DIR)/poslink-decoder -max_total_time=$(FUZZ_SECONDS) -max_len=1024 $(FUZZ_DIR)/corpus

# JSONValue (HTTPClient) and the JSONText it uses (PosPlusCore), as modules of those names.
fuzz-json-modules:
	mkdir -p $(FUZZ_DIR)/modules
	$(FUZZ) -module-name PosPlusCore -emit-module -emit-module-path $(FUZZ_DIR)/modules/PosPlusCore.swiftmodule \
	    -c Sources/PosPlusCore/Support/JSONText.swift -o $(FUZZ_DIR)/PosPlusCore.o
	$(FUZZ) -module-name HTTPClient -I $(FUZZ_DIR)/modules -emit-module -emit-module-path $(FUZZ_DIR)/modules/HTTPClient.swiftmodule \
	    -c Sources/HTTPClient/ExactJSON.swift -o $(FUZZ_DIR)/HTTPClient.o

fuzz-stripe-webhook: fuzz-json-modules
	$(FUZZ) -module-name StripeWebhookFuzz -I $(FUZZ_DIR)/modules \
	    Sources/Gateway/Stripe/StripeWebhookError.swift Sources/Gateway/Stripe/StripeSignatureHeader.swift \
	    Sources/Gateway/Stripe/StripeEvent.swift Fuzz/StripeWebhookFuzz.swift $(FUZZ_DIR)/PosPlusCore.o $(FUZZ_DIR)/HTTPClient.o \
	    -o $(FUZZ_DIR)/stripe-webhook
	./Fuzz/corpus-seed.sh $(FUZZ_DIR)/stripe-corpus stripe
	$(FUZZ_DIR)/stripe-webhook -max_total_time=$(FUZZ_SECONDS) -max_len=2048 $(FUZZ_DIR)/stripe-corpus

fuzz-jobber-webhook: fuzz-json-modules
	$(FUZZ) -module-name JobberWebhookFuzz -I $(FUZZ_DIR)/modules \
	    Sources/Jobber/JobberWebhookProblem.swift Sources/Jobber/JobberWebhookEvent.swift Fuzz/JobberWebhookFuzz.swift \
	    $(FUZZ_DIR)/PosPlusCore.o $(FUZZ_DIR)/HTTPClient.o -o $(FUZZ_DIR)/jobber-webhook
	./Fuzz/corpus-seed.sh $(FUZZ_DIR)/jobber-corpus jobber
	$(FUZZ_DIR)/jobber-webhook -max_total_time=$(FUZZ_SECONDS) -max_len=2048 $(FUZZ_DIR)/jobber-corpus

lint:
	$(SWIFT) format lint --strict --recursive Sources Devices Simulators Tests Benchmarks Fuzz Package.swift

format:
	$(SWIFT) format --in-place --recursive Sources Devices Simulators Tests Benchmarks Fuzz Package.swift

# The serve load benchmark starts the release `posplus serve` beside it, so that is built first.
bench: deps
	$(SWIFT) build -c release --product posplus
	$(SWIFT) package --allow-writing-to-package-directory benchmark

clean:
	rm -rf .build Benchmarks/.build
