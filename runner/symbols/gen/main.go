// Command gen writes the yaegi symbol tables of the packages a playground
// program may import: a curated standard-library subset and ORM Lab's own
// learner-facing packages. Run it with `go generate ./runner/symbols` (from
// anywhere in the module). The runner's tests fail when the committed files
// differ from what this command would write now (see symbols_test.go), so a
// change to the exposed API cannot silently go stale.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"ormlab/runner/symbols/spec"
)

func main() {
	dir := flag.String("dir", ".", "directory to write the generated files into")
	flag.Parse()
	files, err := spec.Generate()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	// Remove generated files that are no longer produced (a package dropped
	// from the subset) so the table never keeps a stale package.
	old, _ := filepath.Glob(filepath.Join(*dir, "zz_*.go"))
	for _, f := range old {
		if _, ok := files[filepath.Base(f)]; !ok {
			os.Remove(f)
		}
	}
	for name, content := range files {
		path := filepath.Join(*dir, name)
		if cur, err := os.ReadFile(path); err == nil && bytes.Equal(cur, content) {
			continue
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
}
