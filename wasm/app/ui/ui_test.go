package ui

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"ormlab/runner/trace"
)

var testCatalog = Catalog{Lessons: []Lesson{
	{Slug: "first-run", Title: "Your first run", Summary: "s1", Order: 1, HTML: "<h1>Your first run</h1><p>Text one.</p>",
		ProgramHTML: "<pre>package main</pre>", Files: []File{{Name: "main.go", Content: "package main\n\nfunc main() {}\n"}}},
	{Slug: "one-to-many", Title: "Authors and books", Summary: "s2", Order: 2, HTML: "<h1>Authors</h1>",
		Files: []File{{Name: "main.go", Content: "package main\n"}}},
}}

// render mounts a component on go-app's server tester (what cmd/build's
// prerendering does) and returns the HTML.
func render(t *testing.T, c app.Composer) string {
	t.Helper()
	d := app.NewServerTester(c)
	defer d.Close()
	d.Consume()
	return app.HTMLString(c)
}

func TestHomeListsLessons(t *testing.T) {
	SetCatalog(testCatalog)
	h := &Home{}
	html := render(t, h)
	for _, want := range []string{`href="/lessons/first-run"`, "Your first run", `href="/lessons/one-to-many"`, `href="/play"`} {
		if !strings.Contains(html, want) {
			t.Errorf("home page lacks %s", want)
		}
	}
	// TestMatch walks the tree: the lesson list's first link.
	if err := app.TestMatch(h, app.TestUIDescriptor{
		Path:     app.TestPath(0, 1, 3, 0, 0, 0),
		Expected: app.Text("Your first run"),
	}); err != nil {
		t.Error(err)
	}
}

func labAt(t *testing.T, path string) (*Lab, string) {
	t.Helper()
	SetCatalog(testCatalog)
	c := &Lab{}
	c.load(mustURL(t, path))
	return c, render(t, c)
}

func TestLessonPagePrerendersTextProgramAndPager(t *testing.T) {
	c, html := labAt(t, "/lessons/first-run")
	if !c.found || c.index != 0 {
		t.Fatalf("lesson not found: %+v", c)
	}
	for _, want := range []string{"<p>Text one.</p>", "<pre>package main</pre>", `href="/lessons/one-to-many"`, "Lesson 1 of 2", `id="run"`, `id="tab-sql"`} {
		if !strings.Contains(html, want) {
			t.Errorf("lesson page lacks %s", want)
		}
	}
	if strings.Contains(html, `class="prev"`) {
		t.Error("the first lesson has a previous link")
	}
	_, html2 := labAt(t, "/lessons/one-to-many")
	if !strings.Contains(html2, `href="/lessons/first-run"`) || strings.Contains(html2, `class="next"`) {
		t.Error("the last lesson's pager is wrong")
	}
}

func TestUnknownLessonSaysSo(t *testing.T) {
	c, html := labAt(t, "/lessons/nope")
	if c.found || !strings.Contains(c.notice, `"nope"`) || !strings.Contains(html, "Lesson not found") {
		t.Errorf("unknown lesson: found=%v notice=%q", c.found, c.notice)
	}
}

func TestShareLinkOpensAndCorruptLinkFallsBack(t *testing.T) {
	frag, err := EncodeShare(SharedState{Lesson: "first-run", Files: []File{{Name: "main.go", Content: "package main // shared\n"}}, Dialect: "mysql", Tab: "sql"})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := labAt(t, "/lessons/first-run#"+frag)
	if c.files[0].Content != "package main // shared\n" || c.dialect != "mysql" || c.tab != "sql" || c.notice != "" {
		t.Errorf("shared state not restored: files=%q dialect=%q tab=%q notice=%q", c.files[0].Content, c.dialect, c.tab, c.notice)
	}
	c, html := labAt(t, "/lessons/first-run#c=AAAA")
	if !strings.Contains(c.notice, "damaged") || c.files[0].Content != testCatalog.Lessons[0].Files[0].Content {
		t.Errorf("corrupt link: notice=%q code=%q", c.notice, c.files[0].Content)
	}
	if !strings.Contains(html, `id="notice"`) {
		t.Error("the notice is not rendered")
	}
}

func TestOutputAndSQLAreText(t *testing.T) {
	evil := `<img src=x onerror=alert(1)>`
	c, _ := labAt(t, "/lessons/first-run")
	c.tr = &trace.Trace{
		Stdout: evil + "\n",
		Statements: []trace.Statement{{Seq: 1, Kind: "select", Executed: "sqlite",
			SQL:    map[string]string{"sqlite": "SELECT '" + evil + "' LIMIT ?", "postgresql": "SELECT 1", "mysql": "SELECT 1", "mssql": "SELECT TOP 1 1"},
			Params: []any{evil}}},
		Tables: map[string]trace.Table{"t": {Columns: []string{evil}, Rows: [][]any{{evil, nil}}}},
	}
	for _, tab := range []string{"output", "sql", "tables"} {
		c.tab = tab
		html := render(t, c)
		if strings.Contains(html, "<img src=x") {
			t.Errorf("%s tab: program text became HTML", tab)
		}
		if !strings.Contains(html, "&lt;img src=x onerror=alert(1)&gt;") {
			t.Errorf("%s tab: the text is missing", tab)
		}
	}
}

func TestRunResultRendering(t *testing.T) {
	c, _ := labAt(t, "/lessons/first-run")
	c.runSeq = 3
	c.running = true
	c.tab = "sql"
	tr := trace.Trace{Stdout: "", Error: &trace.Error{Kind: "compile", Message: "undefined: x", Line: 7, Col: 2}}
	b, _ := json.Marshal(tr)
	c.finishRun(2, "result", string(b)) // an older run: ignored
	if !c.running {
		t.Fatal("a stale result finished the current run")
	}
	c.finishRun(3, "result", string(b))
	if c.running || c.tab != "output" {
		t.Errorf("after a failed run: running=%v tab=%q", c.running, c.tab)
	}
	html := render(t, c)
	if !strings.Contains(html, "Compile error at main.go:7:2") {
		t.Errorf("the error position is not shown")
	}
	c.runSeq = 4
	c.running = true
	c.finishRun(4, "timeout", "ran longer than 5 s")
	if c.runKind != "timeout" || c.running {
		t.Errorf("timeout: kind=%q", c.runKind)
	}
	c.runSeq = 5
	c.finishRun(5, "result", "{not json")
	if c.runKind != "error" || !strings.Contains(c.runMsg, "cannot read") {
		t.Errorf("bad trace: %q %q", c.runKind, c.runMsg)
	}
}

func TestShareRoundTripAndErrors(t *testing.T) {
	big := strings.Repeat("// a line of a long program, with some variety 0123456789\n", 400) // > 20 KB
	in := SharedState{Lesson: "x", Files: []File{{Name: "main.go", Content: big}, {Name: "models.go", Content: "package main\n"}}, Dialect: "mssql"}
	frag, err := EncodeShare(in)
	if err != nil {
		t.Fatal(err)
	}
	if !IsShareFragment("#" + frag) {
		t.Error("not recognised as a share fragment")
	}
	out, err := DecodeShare("#" + frag)
	if err != nil {
		t.Fatal(err)
	}
	if out.Files[0].Content != big || out.Files[1].Name != "models.go" || out.Dialect != "mssql" || out.V != ShareVersion {
		t.Errorf("round trip lost data: %+v", out.Files[1])
	}
	bad := map[string]error{
		"c=***":                           ErrShareCorrupt,
		"c=" + frag[2:40]:                 ErrShareCorrupt,
		"x=abc":                           ErrShareCorrupt,
		mustFrag(t, `{"v":2,"files":[]}`): ErrShareVersion,
		mustFrag(t, `{"v":1,"files":[]}`): ErrShareCorrupt,
		mustFrag(t, `{"v":1,"files":[{"name":"../x.go","content":""}]}`): ErrShareCorrupt,
		mustFrag(t, `[1,2]`): ErrShareCorrupt,
	}
	for f, want := range bad {
		if _, err := DecodeShare(f); !errors.Is(err, want) {
			t.Errorf("DecodeShare(%.30q) = %v, want %v", f, err, want)
		}
	}
}

func TestSQLTokensRoundTripAndDifferences(t *testing.T) {
	sql := `SELECT "a", [b], ` + "`c`" + `, 'it''s' FROM t WHERE x = ? AND y = $1 AND z = %(name)s AND w = %s AND v = :p AND u = @p1 -- note`
	var b strings.Builder
	classes := map[string]int{}
	for _, tok := range TokenizeSQL(sql) {
		b.WriteString(tok.Text)
		classes[tok.Class]++
	}
	if b.String() != sql {
		t.Fatalf("tokens do not rebuild the statement:\n%s\n%s", b.String(), sql)
	}
	if classes[tokParam] != 6 || classes[tokQuoted] != 3 || classes[tokString] != 1 || classes[tokComment] != 1 {
		t.Errorf("token classes %v", classes)
	}
	marked := MarkDifferences(map[string]string{
		"sqlite":     "SELECT a FROM t LIMIT ?",
		"postgresql": "SELECT a FROM t LIMIT %(param_1)s",
		"mysql":      "SELECT a FROM t LIMIT %s",
		"mssql":      "SELECT TOP 5 a FROM t",
	})
	diff := func(d string) string {
		var parts []string
		for _, tok := range marked[d] {
			if tok.Diff {
				parts = append(parts, tok.Text)
			}
		}
		return strings.Join(parts, " ")
	}
	if got := diff("mssql"); got != "TOP 5" {
		t.Errorf("mssql differences %q", got)
	}
	if got := diff("postgresql"); got != "LIMIT %(param_1)s" {
		t.Errorf("postgresql differences %q", got)
	}
	same := MarkDifferences(map[string]string{"sqlite": "SELECT 1", "postgresql": "select 1"})
	for _, tok := range same["postgresql"] {
		if tok.Diff {
			t.Errorf("keywords differing only in case were marked: %q", tok.Text)
		}
	}
}

func TestTraceHelpers(t *testing.T) {
	tr, err := DecodeTrace(`{"stdout":"","error":{"kind":"runtime","message":"m","file":"models.go","line":3},"statements":[],"pool":[],"schema":{"tables":[{"name":"b"},{"name":"a"}]},"tables":{"a":{"columns":["x"],"rows":[[12345678901]]},"b":{"columns":[],"rows":[]},"z":{"columns":[],"rows":[]}}}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(TableOrder(tr), ","); got != "b,a,z" {
		t.Errorf("table order %s", got)
	}
	if got := FormatValue(tr.Tables["a"].Rows[0][0]); got != "12345678901" {
		t.Errorf("big integer printed as %s", got)
	}
	if ErrorLine(tr, "main.go") != 0 || ErrorLine(tr, "models.go") != 3 {
		t.Error("error line not tied to its file")
	}
	if got := FormatParams([]any{"a", nil, true, json.Number("1.5")}); got != `["a", NULL, true, 1.5]` {
		t.Errorf("params %s", got)
	}
}

func TestCatalogScriptCannotBeClosedByLessonText(t *testing.T) {
	s, err := CatalogScript(Catalog{Lessons: []Lesson{{Slug: "x", HTML: "</script><script>alert(1)</script>"}}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(s, "</script>") != 1 {
		t.Errorf("lesson text closes the catalog element: %s", s)
	}
	s, err = CatalogScript(Catalog{Lessons: []Lesson{{Slug: "x", HTML: "<p>text</p>", ProgramHTML: "<pre>highlighted</pre>",
		Files: []File{{Name: "main.go", Content: "package main"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(s, "highlighted") || strings.Contains(s, "program_html") || !strings.Contains(s, "package main") {
		t.Errorf("the page's catalog carries the highlighted program (prerendering only) or lacks the files: %s", s)
	}
}

func TestRepairURL(t *testing.T) {
	for in, want := range map[string]string{
		"http://h/lessons/a#c=%%%x!!": "http://h/lessons/a#c=%25%25%25x!!",
		"http://h/a#c=ab%2Fcd":        "http://h/a#c=ab%2Fcd",
		"http://h/a#c=%4":             "http://h/a#c=%254",
	} {
		got := RepairURL(in)
		if got != want {
			t.Errorf("RepairURL(%q) = %q, want %q", in, got, want)
		}
		if _, err := url.Parse(got); err != nil {
			t.Errorf("%q still does not parse: %v", got, err)
		}
	}
}
