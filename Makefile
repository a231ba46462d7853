# mdrsd — build, run and test. Every target installs what it needs on a
# fresh Debian machine: libcurl headers from apt, the test SMTP server
# (aiosmtpd) in a virtualenv under .build/.

SHELL := /bin/bash
SWIFT ?= swift
PYTHON ?= python3
VENV := .build/pyenv
CONFIG ?= Config/mdrsd.toml
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libcurl4-openssl-dev libsqlite3-dev pkg-config systemd
PY_TEST_PACKAGES := aiosmtpd icalendar
# Headless Chromium lays the emails out at phone width (tests, screenshots);
# Dovecot is the IMAP server the bounce reader is tested against; PostgreSQL
# the second store backend (a throwaway cluster per run, Tests/Support/pg_cluster.sh).
TEST_APT_PACKAGES := chromium dovecot-imapd postgresql

.PHONY: all build run test screenshots bench bench-mail bench-plan bench-scale bench-pg fuzz deps testdeps clean install uninstall check-unit

PREFIX ?= /usr/local
DESTDIR ?=
CONFIGURATION ?= release
BINDIR := $(PREFIX)/bin
DATADIR := $(PREFIX)/share/mdrsd
DOCDIR := $(PREFIX)/share/doc/mdrsd
UNITDIR := $(PREFIX)/lib/systemd/system
SYSUSERSDIR := $(PREFIX)/lib/sysusers.d
TMPFILESDIR := $(PREFIX)/lib/tmpfiles.d
STAGE := $(abspath .build/stage)

all: build

## deps: install the system libraries the build links against, if missing.
deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

## testdeps: the Python test servers and parsers, in a virtualenv, and
## Chromium from Debian.
testdeps: $(VENV)/.installed
	@missing=""; \
	for p in $(TEST_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

$(VENV)/.installed:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet $(PY_TEST_PACKAGES)
	touch $@

build: deps
	$(SWIFT) build

## run: the daemon on the shipped config (SQLite, spool and outbox under var/).
run: build
	.build/debug/mdrsd --config $(CONFIG)

## test: a staged install whose unit must pass systemd-analyze, then every
## test against real SQLite, PostgreSQL, libcurl, aiosmtpd and Dovecot (its
## summary comes last). The PostgreSQL cluster lives in a temporary folder,
## on a Unix socket and a loopback port, for this run only.
test: deps testdeps
	$(MAKE) --no-print-directory check-unit
	@set -e; cluster=$$(mktemp -d /tmp/mdrsd-test-pg.XXXXXX); \
	trap 'Tests/Support/pg_cluster.sh stop '"$$cluster" EXIT; \
	eval "export $$(Tests/Support/pg_cluster.sh start $$cluster)"; \
	MDRSD_TEST_PYTHON=$(abspath $(VENV))/bin/python MDRSD_TEST_CHROMIUM=/usr/bin/chromium \
		$(SWIFT) test --parallel --num-workers 2

## screenshots: every email (each message to each role, mediation and
## disagreement resolution, English and Welsh) from `mdrsctl gallery`,
## photographed by headless Chromium at phone width (360 px) into
## var/screenshots/NAME.png beside NAME.html; fails if any scrolls sideways.
SCREENSHOTS := var/screenshots
screenshots: deps testdeps
	$(SWIFT) build --product mdrsctl
	rm -rf $(SCREENSHOTS) && mkdir -p $(SCREENSHOTS)
	.build/debug/mdrsctl --config $(CONFIG) gallery $(SCREENSHOTS)/eml
	$(VENV)/bin/python Tests/Support/phone_width.py /usr/bin/chromium $(SCREENSHOTS)/eml --width 360 --screenshots $(SCREENSHOTS)

## install: binaries, unit, sysusers/tmpfiles, templates, docs; an example
## config and the bank-holiday changes go to /etc/mdrsd only if absent.
install:
	$(SWIFT) build -c $(CONFIGURATION) --product mdrsd
	$(SWIFT) build -c $(CONFIGURATION) --product mdrsctl
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR) $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) $(DESTDIR)/etc/mdrsd
	install -m 0755 .build/$(CONFIGURATION)/mdrsd .build/$(CONFIGURATION)/mdrsctl $(DESTDIR)$(BINDIR)/
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DOCDIR@|$(DOCDIR)|g' systemd/mdrsd.service.in > $(DESTDIR)$(UNITDIR)/mdrsd.service
	install -m 0644 systemd/mdrsd.sysusers $(DESTDIR)$(SYSUSERSDIR)/mdrsd.conf
	install -m 0644 systemd/mdrsd.tmpfiles $(DESTDIR)$(TMPFILESDIR)/mdrsd.conf
	rm -rf $(DESTDIR)$(DATADIR)/templates && cp -R Config/templates $(DESTDIR)$(DATADIR)/templates
	sed -e 's|"\.\./var/mdrsd.sqlite"|"/var/lib/mdrsd/mdrsd.sqlite"|' -e 's|"\.\./var/spool"|"/var/spool/mdrsd"|' \
		-e 's|"\.\./var/outbox"|"/var/lib/mdrsd/outbox"|' -e 's|^templates = "templates"|templates = "$(DATADIR)/templates"|' \
		Config/mdrsd.toml > $(DESTDIR)$(DATADIR)/mdrsd.toml.example
	install -m 0644 Config/bank-holiday-changes.toml $(DESTDIR)$(DATADIR)/
	install -m 0644 README.md $(DESTDIR)$(DOCDIR)/
	@[ -e $(DESTDIR)/etc/mdrsd/mdrsd.toml ] && echo "kept existing /etc/mdrsd/mdrsd.toml" || \
		install -m 0640 $(DESTDIR)$(DATADIR)/mdrsd.toml.example $(DESTDIR)/etc/mdrsd/mdrsd.toml
	@[ -e $(DESTDIR)/etc/mdrsd/bank-holiday-changes.toml ] || \
		install -m 0644 Config/bank-holiday-changes.toml $(DESTDIR)/etc/mdrsd/bank-holiday-changes.toml
	@# LoadCredential= needs the file; empty when the relay takes no password.
	@[ -e $(DESTDIR)/etc/mdrsd/smtp-password ] || install -m 0600 /dev/null $(DESTDIR)/etc/mdrsd/smtp-password

## uninstall: removes what install put down; keeps /etc/mdrsd and the state.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/mdrsd $(DESTDIR)$(BINDIR)/mdrsctl $(DESTDIR)$(UNITDIR)/mdrsd.service \
		$(DESTDIR)$(SYSUSERSDIR)/mdrsd.conf $(DESTDIR)$(TMPFILESDIR)/mdrsd.conf
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR)

## check-unit: stage an install and require systemd-analyze verify to print
## nothing and the exposure score to be at most 1.5.
check-unit:
	rm -rf $(STAGE)
	$(MAKE) --no-print-directory install DESTDIR=$(STAGE) PREFIX=/usr/local CONFIGURATION=debug > /dev/null
	@# verify needs ExecStart to exist: the same unit, pointed at the staged binary.
	sed 's|^ExecStart=/usr/local/bin/|ExecStart=$(STAGE)/usr/local/bin/|' $(STAGE)/usr/local/lib/systemd/system/mdrsd.service \
		> $(STAGE)/mdrsd.service
	@out=$$(systemd-analyze verify $(STAGE)/mdrsd.service 2>&1); \
	if [ -n "$$out" ]; then echo "systemd-analyze verify:"; echo "$$out"; exit 1; fi; echo "systemd-analyze verify: clean"
	@score=$$(systemd-analyze security --offline=true $(STAGE)/mdrsd.service 2>&1 | awk '/Overall exposure level/ {print $$(NF-2)}'); \
	echo "systemd-analyze security: $$score"; awk -v s="$$score" 'BEGIN { exit !(s != "" && s <= 1.5) }'
	@# A reinstall keeps an administrator's config; uninstall keeps config and state.
	@echo "# edited by an administrator" >> $(STAGE)/etc/mdrsd/mdrsd.toml
	@$(MAKE) --no-print-directory install DESTDIR=$(STAGE) PREFIX=/usr/local CONFIGURATION=debug > /dev/null
	@grep -q "edited by an administrator" $(STAGE)/etc/mdrsd/mdrsd.toml || { echo "install overwrote /etc/mdrsd/mdrsd.toml"; exit 1; }
	@$(MAKE) --no-print-directory uninstall DESTDIR=$(STAGE) PREFIX=/usr/local > /dev/null
	@[ -e $(STAGE)/etc/mdrsd/mdrsd.toml ] && [ ! -e $(STAGE)/usr/local/bin/mdrsd ] || { echo "uninstall removed config or left binaries"; exit 1; }
	@echo "install keeps an existing config; uninstall keeps config: ok"

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

## bench-scale: issue 15's table at the scale of a large service — 100k
## bookings, 50 mediators, about a million jobs, fixed seed — against the
## release binaries, as whole processes; up to 20 minutes. Work files go to
## SCALE_WORK (default var/bench-scale); the last line is JSON.
SCALE_BOOKINGS ?= 100000
SCALE_WORK ?= var/bench-scale
bench-scale: deps testdeps
	$(SWIFT) build -c release --product mdrsd
	$(SWIFT) build -c release --product mdrsctl
	$(SWIFT) build -c release --product mail-bench
	$(SWIFT) build -c release --product scale-bench
	.build/release/scale-bench $(abspath .build/release) $(abspath $(VENV))/bin/python $(abspath $(SCALE_WORK)) \
		--bookings $(SCALE_BOOKINGS)

## bench-pg: several instances over one PostgreSQL (issue 16): emails a
## second with 1, 2 and 3 instances and the same run on SQLite, and the
## seconds from SIGKILLing an instance mid-send to its email being sent by
## another, against the release binaries, a loopback aiosmtpd relay and a
## durable throwaway cluster; the last line is JSON. Work files go to
## PG_WORK (default var/bench-pg).
PG_WORK ?= var/bench-pg
bench-pg: deps testdeps
	$(SWIFT) build -c release --product mdrsd
	$(SWIFT) build -c release --product mdrsctl
	$(SWIFT) build -c release --product pg-bench
	@set -e; cluster=$$(mktemp -d /tmp/mdrsd-bench-pg.XXXXXX); \
	trap 'Tests/Support/pg_cluster.sh stop '"$$cluster" EXIT; \
	eval "export $$(Tests/Support/pg_cluster.sh start $$cluster --durable)"; \
	MDRSD_TEST_PYTHON=$(abspath $(VENV))/bin/python .build/release/pg-bench $(abspath .build/release) $(abspath $(VENV))/bin/python \
		$(abspath $(PG_WORK))

## fuzz: libFuzzer on the JSON and CSV booking parsers for FUZZ_SECONDS
## (default 300), from the shipped examples; crashes land in var/fuzz/.
## Not part of `make test`. A crash file replays with a plain build:
## `swift build --product booking-fuzz && .build/debug/booking-fuzz FILE`.
FUZZ_SECONDS ?= 300
fuzz: deps
	$(SWIFT) build -c release --product booking-fuzz --scratch-path .build-fuzz \
		-Xswiftc -sanitize=fuzzer,address -Xswiftc -DMDRS_FUZZ -Xswiftc -use-ld=lld
	mkdir -p var/fuzz/corpus var/fuzz/crashes
	cp -n Config/examples/booking.json Config/examples/bookings.csv var/fuzz/corpus/
	.build-fuzz/release/booking-fuzz var/fuzz/corpus -max_total_time=$(FUZZ_SECONDS) -max_len=16384 \
		-artifact_prefix=var/fuzz/crashes/ -print_final_stats=1

clean:
	rm -rf .build .build-fuzz var
