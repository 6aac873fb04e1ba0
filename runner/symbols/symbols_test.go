package symbols_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"ormlab/runner/symbols"
	"ormlab/runner/symbols/spec"
)

// TestGeneratedSymbolsAreFresh fails when the committed symbol tables differ
// from what `go generate ./runner/symbols` would write now: an API change in
// an exposed package, or a package added to or removed from spec.go.
func TestGeneratedSymbolsAreFresh(t *testing.T) {
	want, err := spec.Generate()
	if err != nil {
		t.Fatal(err)
	}
	have, _ := filepath.Glob("zz_*.go")
	for _, f := range have {
		if _, ok := want[f]; !ok {
			t.Errorf("%s is no longer generated: run go generate ./runner/symbols", f)
		}
	}
	for name, content := range want {
		cur, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("%s missing: run go generate ./runner/symbols", name)
			continue
		}
		if !bytes.Equal(cur, content) {
			t.Errorf("%s is stale: run go generate ./runner/symbols", name)
		}
	}
}

// forbidden are packages whose types would hand a program a way out of the
// sandbox (files, processes, network, raw memory, reflection).
var forbidden = []string{"os", "os/exec", "syscall", "syscall/js", "net", "net/http", "unsafe", "reflect", "io/fs", "plugin", "runtime", "runtime/debug", "database/sql", "github.com/traefik/yaegi/interp"}

// TestNoHostEscapeReachable walks the type of every exposed symbol
// (function signatures, struct fields, methods, element types…) and fails
// if any mentions a forbidden package: a value of such a type would be a
// door to the host even though the package itself cannot be imported.
func TestNoHostEscapeReachable(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var bad []string
	var walk func(tp reflect.Type, path string)
	walk = func(tp reflect.Type, path string) {
		if tp == nil || seen[tp] {
			return
		}
		seen[tp] = true
		for _, f := range forbidden {
			if tp.PkgPath() == f {
				bad = append(bad, path+" ("+tp.String()+")")
				return
			}
		}
		for i := 0; i < tp.NumMethod(); i++ {
			m := tp.Method(i)
			if m.IsExported() {
				walk(m.Type, path+"."+m.Name)
			}
		}
		switch tp.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Chan:
			walk(tp.Elem(), path)
		case reflect.Map:
			walk(tp.Key(), path)
			walk(tp.Elem(), path)
		case reflect.Func:
			for i := 0; i < tp.NumIn(); i++ {
				walk(tp.In(i), path+"(in)")
			}
			for i := 0; i < tp.NumOut(); i++ {
				walk(tp.Out(i), path+"(out)")
			}
		case reflect.Struct:
			for i := 0; i < tp.NumField(); i++ {
				if f := tp.Field(i); f.IsExported() {
					walk(f.Type, path+"."+f.Name)
				}
			}
		}
		if tp.Kind() != reflect.Pointer && tp.Kind() != reflect.Interface && tp.Name() != "" {
			walk(reflect.PointerTo(tp), path)
		}
	}
	if len(symbols.Symbols) == 0 {
		t.Fatal("no symbols registered")
	}
	for pkg, syms := range symbols.Symbols {
		for _, f := range forbidden {
			if strings.TrimSuffix(pkg, "/"+filepath.Base(pkg)) == f {
				t.Errorf("forbidden package %s is exposed", f)
			}
		}
		for name, v := range syms {
			walk(v.Type(), pkg+"."+name)
		}
	}
	for _, b := range bad {
		t.Errorf("host escape reachable through %s", b)
	}
}
