# mdrsd — build, run and test. Every target installs what it needs on a
# fresh Debian machine: libcurl headers from apt, the test SMTP server
# (aiosmtpd) in a virtualenv under .build/.

SHELL := /bin/bash
SWIFT ?= swift
PYTHON ?= python3
VENV := .build/pyenv
CONFIG ?= Config/mdrsd.toml
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libcurl4-openssl-dev libsqlite3-dev pkg-config
PY_TEST_PACKAGES := aiosmtpd icalendar

.PHONY: all build run test bench bench-mail bench-plan deps testdeps clean

all: build

## deps: install the system libraries the build links against, if missing.
deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

## testdeps: the Python test servers and parsers, in a virtualenv.
testdeps: $(VENV)/.installed

$(VENV)/.installed:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet $(PY_TEST_PACKAGES)
	touch $@

build: deps
	$(SWIFT) build

## run: the daemon on the shipped config (SQLite, spool and outbox under var/).
run: build
	.build/debug/mdrsd --config $(CONFIG)

## test: every test, against real SQLite, libcurl and aiosmtpd.
test: deps testdeps
	MDRSD_TEST_PYTHON=$(abspath $(VENV))/bin/python $(SWIFT) test --parallel --num-workers 2

## bench: the timer-wheel benchmark, release build; last line is JSON.
bench: deps
	$(SWIFT) build -c release --product wheel-bench
	.build/release/wheel-bench

## bench-mail: libcurl transport vs smtplib vs the curl command, against a
## loopback aiosmtpd sink started here; last line is JSON.
bench-mail: deps testdeps
	$(SWIFT) build -c release --product mail-bench
	@dpkg -s curl >/dev/null 2>&1 || $(SUDO) apt-get install -y -qq curl
	@set -e; out=$$(mktemp -d); \
	exec 3> >($(VENV)/bin/python Tests/Support/smtp_sink.py --mode discard $$out/sink > $$out/port); \
	for i in $$(seq 50); do grep -q PORT $$out/port 2>/dev/null && break; sleep 0.1; done; \
	port=$$(awk '/PORT/ {print $$2}' $$out/port); \
	.build/release/mail-bench smtp://127.0.0.1:$$port $(abspath $(VENV))/bin/python; \
	exec 3>&-

## bench-plan: planning 10,000 bookings across 50 mediators; last line is JSON.
bench-plan: deps
	$(SWIFT) build -c release --product plan-bench
	.build/release/plan-bench

clean:
	rm -rf .build var
