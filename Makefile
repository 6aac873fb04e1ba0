# ORM Lab. `make serve` builds the site and serves it on :8080; `make test`
# installs what the tests need (on a fresh Debian machine, as root) and runs
# every test. `make bench` runs the benchmarks.
SHELL := /bin/bash
GO ?= go
# Packages that ship to the browser must build for GOOS=js.
WASM_PKGS := ./dialect/... ./orm/... ./runner/... ./wasm/... ./driver/...

.PHONY: all deps build serve test test-go test-wasm test-browser bench vet

all: build

deps:
	./scripts/deps.sh

build: deps
	$(GO) run ./cmd/build

serve: build
	$(GO) run ./cmd/build serve

vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet $(WASM_PKGS)

# Every test. The browser-bound packages must also build for GOOS=js.
test: deps
	GOOS=js GOARCH=wasm $(GO) build $(WASM_PKGS)
	$(GO) vet ./...
	cd bench/gorm && $(GO) vet .   # the ORM comparison module keeps compiling
	$(GO) test -timeout 12m ./...
	$(MAKE) test-wasm test-browser

# Runs the runner's wasm build under Node (see tests/wasm).
test-wasm:
	@if [ -d tests/wasm ]; then $(GO) test -timeout 10m -count=1 -tags wasmtest ./tests/wasm/...; fi

# Drives the built site in headless Chromium (see tests/browser).
test-browser:
	@if [ -d tests/browser ]; then $(GO) test -timeout 10m -count=1 -tags browsertest ./tests/browser/...; fi

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./dialect/... ./orm/... ./runner/...
	cd bench/gorm && $(GO) test -run '^$$' -bench . -benchmem -count 3
	$(GO) test -run '^$$' -bench Wasm -count=1 -timeout 15m -tags wasmtest ./tests/wasm/...
	$(GO) test -run '^$$' -bench . -benchtime 1x -count=1 -timeout 15m -tags browsertest ./tests/browser/...
