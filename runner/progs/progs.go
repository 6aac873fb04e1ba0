// Package progs finds the programs the runner's tests and benchmarks run:
// every lesson program (lessons/**, one program per directory of .go files)
// and the runner's own test programs (runner/testdata/progs/*).
package progs

import (
	"errors"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"ormlab/runner"
)

// BuildTags are the tags `go build` needs for the lesson programs (they are
// kept out of `go build ./...` until the ORM they use exists).
var BuildTags = "lesson"

// Program is one program: the .go files of one directory.
type Program struct {
	Name  string // path of the directory relative to the module root
	Dir   string // absolute directory
	Files []runner.File
}

// ModuleRoot walks up from the working directory to the directory holding
// go.mod.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("progs: go.mod not found above the working directory")
		}
		dir = parent
	}
}

// All returns the lesson programs followed by the runner's test programs.
func All() ([]Program, error) {
	root, err := ModuleRoot()
	if err != nil {
		return nil, err
	}
	lessons, err := Find(root, "lessons")
	if err != nil {
		return nil, err
	}
	own, err := Find(root, filepath.Join("runner", "testdata", "progs"))
	if err != nil {
		return nil, err
	}
	return append(lessons, own...), nil
}

// Lessons returns the lesson programs only.
func Lessons() ([]Program, error) {
	root, err := ModuleRoot()
	if err != nil {
		return nil, err
	}
	return Find(root, "lessons")
}

// Find returns one Program per directory under root/sub holding .go files
// (tests excluded), sorted by name. A missing directory gives none.
func Find(root, sub string) ([]Program, error) {
	base := filepath.Join(root, sub)
	byDir := map[string]*Program{}
	err := filepath.WalkDir(base, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && path == base {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		// Only programs: a package of the course itself (lessons/lessons.go)
		// is not one.
		if f, err := parser.ParseFile(token.NewFileSet(), path, b, parser.PackageClauseOnly); err != nil || f.Name.Name != "main" {
			return nil
		}
		dir := filepath.Dir(path)
		p := byDir[dir]
		if p == nil {
			rel, _ := filepath.Rel(root, dir)
			p = &Program{Name: filepath.ToSlash(rel), Dir: dir}
			byDir[dir] = p
		}
		p.Files = append(p.Files, runner.File{Name: filepath.Base(path), Content: string(b)})
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var out []Program
	for _, p := range byDir {
		sort.Slice(p.Files, func(i, j int) bool { return p.Files[i].Name < p.Files[j].Name })
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
