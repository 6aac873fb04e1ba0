// Command app is ORM Lab's UI, built as the UI wasm (GOOS=js GOARCH=wasm)
// by cmd/build. Natively it does nothing: cmd/build prerenders the same
// components from package ui.
package main

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"ormlab/wasm/app/ui"
)

func main() {
	ui.Register()
	app.RunWhenOnBrowser()
}
