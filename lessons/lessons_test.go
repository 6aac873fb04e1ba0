package lessons

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

func TestAllLessonsLoad(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 2 {
		t.Fatalf("got %d lessons, want at least 2", len(all))
	}
	for i, l := range all {
		if i > 0 && all[i-1].Order >= l.Order {
			t.Errorf("lessons not in order: %s (%d) after %s (%d)", l.Slug, l.Order, all[i-1].Slug, all[i-1].Order)
		}
		if l.Files[0].Name != "main.go" || !strings.Contains(l.Files[0].Content, "package main") {
			t.Errorf("%s: first file %q is not a main.go program", l.Dir, l.Files[0].Name)
		}
		if strings.HasPrefix(l.Markdown, "---") {
			t.Errorf("%s: front matter leaked into the body", l.Dir)
		}
		if l.Exercise != "" && (len(l.Solution) == 0 || l.Solution[0].Name != "main.go" || l.Solution[0].Content == l.Files[0].Content) {
			t.Errorf("%s: the exercise's solution/main.go is missing or the same as the program", l.Dir)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := map[string]string{
		"no front matter": "# hi\n",
		"unclosed":        "---\ntitle: a\n",
		"no slug":         "---\ntitle: a\nsummary: b\n---\nbody\n",
		"bad order":       "---\ntitle: a\nslug: a\nsummary: b\norder: x\n---\n",
		"bad slug":        "---\ntitle: a\nslug: A B\nsummary: b\n---\n",
		"bad check":       "---\ntitle: a\nslug: a\nsummary: b\nexercise: do it\ncheck: table users rows lots\n---\n",
		"exercise alone":  "---\ntitle: a\nslug: a\nsummary: b\nexercise: do it\n---\n",
		"check alone":     "---\ntitle: a\nslug: a\nsummary: b\ncheck: no error\n---\n",
	}
	for name, md := range cases {
		_, err := Parse("99-x", md)
		if !errors.Is(err, ErrFrontMatter) {
			t.Errorf("%s: err = %v, want ErrFrontMatter", name, err)
		} else if !strings.Contains(err.Error(), "99-x") {
			t.Errorf("%s: error %q does not name the lesson", name, err)
		}
	}
}

func TestExerciseFrontMatter(t *testing.T) {
	l, err := Parse("99-x", "---\ntitle: a\nslug: a\nsummary: b\nexercise: Add Grace.\ncheck: no error\ncheck: table users contains \"Grace\"\n---\nbody\n")
	if err != nil {
		t.Fatal(err)
	}
	if l.Exercise != "Add Grace." || len(l.Checks) != 2 || l.Checks[1] != `table users contains "Grace"` {
		t.Fatalf("exercise %q checks %q", l.Exercise, l.Checks)
	}
}

func TestLoadOrdersAndRejectsDuplicates(t *testing.T) {
	fsys := fstest.MapFS{
		"b/lesson.md":  {Data: []byte("---\ntitle: B\nslug: b\norder: 1\nsummary: s\n---\ntext")},
		"b/main.go":    {Data: []byte("package main")},
		"b/helper.go":  {Data: []byte("package main")},
		"a/lesson.md":  {Data: []byte("---\ntitle: A\nslug: a\norder: 2\nsummary: s\n---\ntext")},
		"a/main.go":    {Data: []byte("package main")},
		"notes/README": {Data: []byte("not a lesson")},
	}
	got, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Slug != "b" || got[1].Slug != "a" {
		t.Fatalf("order wrong: %+v", got)
	}
	if got[0].Files[0].Name != "main.go" || len(got[0].Files) != 2 {
		t.Errorf("files of b: %+v", got[0].Files)
	}
	fsys["c/lesson.md"] = &fstest.MapFile{Data: []byte("---\ntitle: C\nslug: a\norder: 3\nsummary: s\n---\n")}
	fsys["c/main.go"] = &fstest.MapFile{Data: []byte("package main")}
	if _, err := Load(fsys); !errors.Is(err, ErrFrontMatter) {
		t.Errorf("duplicate slug: err = %v", err)
	}
}
