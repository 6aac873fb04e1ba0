// Package lessons holds the course: one directory per lesson,
// "<nn>-<slug>/lesson.md" (front matter, then Markdown) beside the lesson's
// program as real Go files. The files are embedded so that cmd/build, the
// tests and any tool can load the course from any working directory.
package lessons

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"ormlab/lessons/check"
)

//go:embed */lesson.md */*.go */solution/*.go
var files embed.FS

// Lesson is one lesson as written: metadata from the front matter, the
// Markdown body, and the program's files.
type Lesson struct {
	Title    string
	Slug     string
	Order    int
	Summary  string
	Dir      string // e.g. "01-first-run"
	Markdown string // the body after the front matter
	Files    []File // the program, main.go first
	// Exercise is the task the page checks after each run ("exercise:"
	// in the front matter), Checks its rules ("check:" lines, see package
	// check). A lesson with an exercise ships a solution in solution/
	// that passes every check (tested).
	Exercise string
	Checks   []string
	Solution []File // solution/*.go, main.go first
}

// File is one source file of a lesson's program.
type File struct {
	Name    string `json:"name"`
	Content string `json:"content"`
}

// ErrFrontMatter reports a lesson.md whose front matter is missing or
// incomplete; the message names the lesson directory and the field.
var ErrFrontMatter = errors.New("lesson front matter")

// All returns every lesson, ordered by their "order" field.
func All() ([]Lesson, error) { return Load(files) }

// Load reads lessons from fsys laid out like this directory (used by tests
// with a synthetic fs.FS).
func Load(fsys fs.FS) ([]Lesson, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var out []Lesson
	seen := map[string]string{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		md, err := fs.ReadFile(fsys, path.Join(e.Name(), "lesson.md"))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return nil, err
		}
		l, err := Parse(e.Name(), string(md))
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[l.Slug]; dup {
			return nil, fmt.Errorf("%w: lessons %s and %s both have slug %q", ErrFrontMatter, prev, e.Name(), l.Slug)
		}
		seen[l.Slug] = e.Name()
		if l.Files, err = goFiles(fsys, e.Name()); err != nil {
			return nil, err
		}
		if l.Solution, err = goFiles(fsys, path.Join(e.Name(), "solution")); err != nil {
			return nil, err
		}
		if len(l.Files) == 0 {
			return nil, fmt.Errorf("%w: lesson %s has no Go program", ErrFrontMatter, e.Name())
		}
		out = append(out, l)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return out, nil
}

// goFiles reads the .go files of dir (tests excluded), main.go first: it
// is the file the editor opens.
func goFiles(fsys fs.FS, dir string) ([]File, error) {
	srcs, err := fs.Glob(fsys, path.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	sort.Slice(srcs, func(i, j int) bool {
		mi, mj := path.Base(srcs[i]) == "main.go", path.Base(srcs[j]) == "main.go"
		if mi != mj {
			return mi
		}
		return srcs[i] < srcs[j]
	})
	var out []File
	for _, s := range srcs {
		if strings.HasSuffix(s, "_test.go") {
			continue
		}
		b, err := fs.ReadFile(fsys, s)
		if err != nil {
			return nil, err
		}
		out = append(out, File{Name: path.Base(s), Content: string(b)})
	}
	return out, nil
}

// Parse splits lesson.md into front matter ("key: value" lines between two
// "---" lines) and Markdown body. dir names the lesson in errors.
func Parse(dir, md string) (Lesson, error) {
	l := Lesson{Dir: dir}
	md = strings.ReplaceAll(md, "\r\n", "\n")
	if !strings.HasPrefix(md, "---\n") {
		return l, fmt.Errorf("%w: %s/lesson.md must start with a --- line", ErrFrontMatter, dir)
	}
	head, body, ok := strings.Cut(md[4:], "\n---\n")
	if !ok {
		return l, fmt.Errorf("%w: %s/lesson.md has no closing --- line", ErrFrontMatter, dir)
	}
	for _, line := range strings.Split(head, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return l, fmt.Errorf("%w: %s/lesson.md: line %q is not key: value", ErrFrontMatter, dir, line)
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "title":
			l.Title = v
		case "slug":
			l.Slug = v
		case "summary":
			l.Summary = v
		case "exercise":
			l.Exercise = v
		case "check":
			if _, err := check.Parse(v); err != nil {
				return l, fmt.Errorf("%w: %s/lesson.md: %w", ErrFrontMatter, dir, err)
			}
			l.Checks = append(l.Checks, v)
		case "order":
			n, err := strconv.Atoi(v)
			if err != nil {
				return l, fmt.Errorf("%w: %s/lesson.md: order %q is not a number", ErrFrontMatter, dir, v)
			}
			l.Order = n
		}
	}
	for _, f := range []struct{ name, v string }{{"title", l.Title}, {"slug", l.Slug}, {"summary", l.Summary}} {
		if f.v == "" {
			return l, fmt.Errorf("%w: %s/lesson.md has no %s", ErrFrontMatter, dir, f.name)
		}
	}
	if (l.Exercise == "") != (len(l.Checks) == 0) {
		return l, fmt.Errorf("%w: %s/lesson.md: an exercise needs at least one check line, and check lines need an exercise", ErrFrontMatter, dir)
	}
	for _, r := range l.Slug {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return l, fmt.Errorf("%w: %s/lesson.md: slug %q may only hold a-z, 0-9 and -", ErrFrontMatter, dir, l.Slug)
		}
	}
	l.Markdown = strings.TrimLeft(body, "\n")
	return l, nil
}
