// Command build writes ORM Lab's static site into dist/ and can serve it.
//
//	go run ./cmd/build [-out dist] [-base /sub/path]   build the site
//	go run ./cmd/build serve [-dir dist] [-addr :8080] [-base /sub/path]
//
// The site is plain files: the UI wasm (wasm/app) and the runner wasm
// (wasm/runner), one prerendered HTML page per route (lesson text readable
// with no wasm at all), the editor bundle, styles and icons, each text and
// wasm file also as .br and .gz. Any static host can serve it; -base builds
// it for a sub-path (e.g. https://example.org/ormlab/).
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("build: ")
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		fs := flag.NewFlagSet("serve", flag.ExitOnError)
		dir := fs.String("dir", "dist", "directory to serve")
		addr := fs.String("addr", ":8080", "address to listen on")
		base := fs.String("base", "", "sub-path the site was built for (the -base of the build)")
		fs.Parse(os.Args[2:])
		if err := Serve(*dir, *addr, *base); err != nil {
			log.Fatal(err)
		}
		return
	}
	fs := flag.NewFlagSet("build", flag.ExitOnError)
	out := fs.String("out", "dist", "output directory (emptied first)")
	base := fs.String("base", "", "sub-path the site will be served under, e.g. /ormlab (empty: the host's root)")
	fast := fs.Bool("fast", false, "quick compression (for tests); sizes are then not the release sizes")
	runnerWasm := fs.String("runner-wasm", "", "ship this prebuilt runner.wasm instead of building ./wasm/runner")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: go run ./cmd/build [-out dist] [-base /path]\n       go run ./cmd/build serve [-dir dist] [-addr :8080] [-base /path]")
		fs.PrintDefaults()
	}
	fs.Parse(os.Args[1:])
	if err := Build(Options{Out: *out, Base: *base, RunnerWasm: *runnerWasm, Fast: *fast, Log: log.Printf}); err != nil {
		log.Fatal(err)
	}
}
