// Package spec lists the packages a playground program may import and
// generates their yaegi symbol tables. It is used by the generator
// (runner/symbols/gen) and by the staleness test; it is not linked into the
// runner itself.
package spec

import (
	"bytes"
	"fmt"
	"go/format"
	"regexp"
	"strings"

	"github.com/traefik/yaegi/extract"
)

// Package is one importable package and the symbols withheld from it.
type Package struct {
	Path    string
	Exclude []string // regexps of exported names not to expose, with why in Stdlib
	Include []string // if set, only names matching one of these regexps
}

// Stdlib is the curated standard-library subset. Small on purpose: every
// package here is linked into runner.wasm. Nothing in it reaches the host
// (no files, processes, network, environment or reflection).
var Stdlib = []Package{
	{Path: "bytes"},
	{Path: "context"},
	// These error types carry reflect.Type / reflect.Value fields: a door
	// into reflection (see symbols_test.go). Their messages still show.
	{Path: "encoding/json", Exclude: []string{"^UnmarshalTypeError$", "^UnsupportedValueError$", "^UnmarshalFieldError$", "^InvalidUnmarshalError$", "^UnsupportedTypeError$", "^MarshalerError$"}},
	{Path: "errors"},
	// Fprint*/Sprint* and friends only reach writers the program already
	// holds; Print* are rebound per run to the program's own output.
	{Path: "fmt"},
	{Path: "io"},
	{Path: "math"},
	{Path: "math/rand"},
	{Path: "sort"},
	{Path: "strconv"},
	{Path: "strings"},
	{Path: "sync"},
	// The *Pointer functions take unsafe.Pointer.
	{Path: "sync/atomic", Exclude: []string{"Pointer$"}},
	// AfterFunc runs its callback on a goroutine the runner cannot guard: a
	// panic there would take the whole worker down. Sleep is replaced per run
	// by one that stops with the run (see runner/sandbox.go). LoadLocation
	// reads the host's zoneinfo files.
	{Path: "time", Exclude: []string{"^AfterFunc$", "^LoadLocation$"}},
	// Functions, constants and the common classes only: each exported
	// table (unicode.Cherokee, unicode.Sc…) would be linked into the wasm.
	{Path: "unicode", Include: []string{"^(Is|In|To|Simple)", "^(Max|Upper|Lower|Title|Replacement|Version)", "^(Letter|Digit|Number|Upper|Lower|Title|Punct|Space|Symbol|Mark|Control|Latin|Greek|Cyrillic|Han|L|N|P|S|Z)$", "^(RangeTable|Range16|Range32|CaseRange|SpecialCase|TurkishCase)$"}},
	{Path: "unicode/utf8"},
}

// ORM is ORM Lab's learner-facing packages, exposed whole.
// ormlab/orm is the learner-facing API; core (tables, expressions) and
// engine (URLs, connections, pool options) are exposed too for the Core
// lessons. The runner wraps CreateEngine, NewBase and NewMetaData per run.
var ORM = []Package{
	// NewSessionDB takes a *sql.DB: database/sql is no part of the playground.
	{Path: "ormlab/orm", Exclude: []string{"^NewSessionDB$"}},
	// The SQLite executor is the core's test helper over a *sql.DB.
	{Path: "ormlab/orm/core", Exclude: []string{"SQLiteExecutor$"}},
	{Path: "ormlab/orm/engine"},
}

// Generate returns the generated files, keyed by file name.
func Generate() (map[string][]byte, error) {
	return GenerateFor(append(append([]Package{}, Stdlib...), ORM...))
}

// FileName is the generated file of a package.
func FileName(p Package) string {
	return "zz_" + strings.NewReplacer("/", "_", ".", "_").Replace(p.Path) + ".go"
}

// GenerateFor generates the files of some packages only.
func GenerateFor(pkgs []Package) (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, p := range pkgs {
		ex := extract.Extractor{Dest: "symbols", Exclude: p.Exclude, Include: p.Include}
		var buf bytes.Buffer
		if _, err := ex.Extract(p.Path, "", &buf); err != nil {
			return nil, fmt.Errorf("extract %s: %w", p.Path, err)
		}
		src := normalise(buf.Bytes())
		src, err := format.Source(src)
		if err != nil {
			return nil, fmt.Errorf("format %s: %w", p.Path, err)
		}
		out[FileName(p)] = src
	}
	return out, nil
}

// buildLine matches the version constraint yaegi's extractor writes
// (`// +build go1.26`): it pins the Go release that generated the file, so a
// toolchain upgrade would silently drop the whole table. The go.mod
// directive already fixes the minimum version, so the constraint goes.
var buildLine = regexp.MustCompile(`(?m)^//(go:build| \+build) .*\n`)

func normalise(src []byte) []byte {
	return buildLine.ReplaceAll(src, nil)
}
