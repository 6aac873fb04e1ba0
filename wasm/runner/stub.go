//go:build !(js && wasm)

// Command runner is built for the browser only: GOOS=js GOARCH=wasm go build
// -o runner.wasm ./wasm/runner. Natively use cmd/ormlab, which runs the same
// runner.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "wasm/runner: build with GOOS=js GOARCH=wasm (natively, use `go run ./cmd/ormlab run FILE.go`)")
	os.Exit(2)
}
