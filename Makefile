# dokku-prodserver. `make demo` shows it working; `make test` proves it.
SHELL := /bin/bash
export PATH := /usr/local/go/bin:$(PATH)
GO_TEST_FLAGS ?= -count=1 -timeout 30m -parallel 4

.PHONY: all build deps lint test test-docker demo release bench fuzz clean

all: build

## build: Dokku's Go plugin layout (commands, subcommands/, triggers + symlinks)
build:
	scripts/build

## deps: Debian packages and Go modules the tests need (installed when missing)
deps:
	scripts/deps

## lint: gofmt and go vet
lint:
	@unformatted="$$(gofmt -l src tests)"; if [[ -n "$$unformatted" ]]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	go vet ./...

## test: everything, from a fresh machine (the Docker tier last)
test: deps lint build
	go test $(GO_TEST_FLAGS) $$(go list ./... | grep -v '/tests/docker$$')
	@$(MAKE) --no-print-directory test-docker

## test-docker: the rendered processes in a real Docker engine (tests/docker);
## scripts/docker-setup first. When Docker cannot run here, the tests skip
## and say why (-v, so the reason is printed, not hidden behind an "ok").
test-docker: build
	@scripts/docker-setup || echo " !     scripts/docker-setup failed (see above): the Docker tier's tests will skip, saying why"
	PRODSERVER_DOCKER=1 go test -count=1 -timeout 30m -v ./tests/docker/...

## demo: deploy the example Django app in a throwaway Dokku layout and request a page
demo: deps build
	scripts/demo

## release: dist/prodserver-VERSION-linux-{amd64,arm64}.tar.gz
release:
	scripts/release

## bench: trigger cost, detection scale and served throughput, direct and through
## Dokku's nginx (not part of test); the report goes to $TMPDIR unless
## REPORT=docs/benchmarks.md (or BENCH_OUT=...); BENCH_FLAGS=-short for a quick check
bench: deps build
	scripts/bench $(BENCH_FLAGS) $(if $(or $(REPORT),$(BENCH_OUT)),--out $(or $(REPORT),$(BENCH_OUT)))

## fuzz: every fuzz target for FUZZTIME each (default 60s)
fuzz:
	scripts/fuzz $(FUZZTIME)

clean:
	rm -rf dist commands triggers subcommands
	find . -maxdepth 1 -type l -lname triggers -delete
