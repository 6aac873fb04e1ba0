package ui

import (
	"encoding/json"
	"strings"
	"testing"

	"ormlab/runner/trace"
)

// The exercise box: the task before any run (prerendered, readable without
// wasm), the failing checks' reasons after a run that misses, "Done" after
// one that passes, and a clear word when the run gave no trace.
func TestExerciseBox(t *testing.T) {
	cat := Catalog{Lessons: append([]Lesson(nil), testCatalog.Lessons...)}
	cat.Lessons[0].Exercise = "Add a third user, Grace."
	cat.Lessons[0].Checks = []string{"no error", "table users rows = 3", `table users contains "Grace"`}
	cat.Lessons[0].Solution = []File{{Name: "main.go", Content: "package main // <solved>\n"}}
	SetCatalog(cat)
	defer SetCatalog(testCatalog)
	c := &Lab{}
	c.load(mustURL(t, "/lessons/first-run"))
	html := render(t, c)
	if !strings.Contains(html, `id="exercise"`) || !strings.Contains(html, "Add a third user, Grace.") || !strings.Contains(html, `data-state="idle"`) {
		t.Fatalf("prerendered page lacks the exercise:\n%s", html)
	}
	if !strings.Contains(html, `id="solution"`) || !strings.Contains(html, "package main // &lt;solved&gt;") {
		t.Fatalf("the solution is not offered (as text):\n%s", html)
	}
	finish := func(tr trace.Trace) string {
		t.Helper()
		b, _ := json.Marshal(tr)
		c.runSeq++
		c.running = true
		c.finishRun(c.runSeq, "result", string(b))
		return render(t, c)
	}
	two := trace.Trace{Tables: map[string]trace.Table{"users": {Columns: []string{"id", "name"}, Rows: [][]any{{1, "Ada"}, {2, "Linus"}}}}}
	html = finish(two)
	for _, want := range []string{`data-state="failed"`, "Not yet", "table users ends with 2 rows (wanted = 3)", `no row of users holds &#34;Grace&#34;`, "✓ no error"} {
		if !strings.Contains(html, want) {
			t.Errorf("after a run that misses, the box lacks %s:\n%s", want, html)
		}
	}
	three := two
	three.Tables = map[string]trace.Table{"users": {Columns: []string{"id", "name"}, Rows: [][]any{{1, "Ada"}, {2, "Linus"}, {3, "Grace"}}}}
	if !strings.Contains(html, `id="exercise-badge"`) || !strings.Contains(html, "Exercise: not yet") {
		t.Errorf("the badge next to Run does not say not yet:\n%s", html)
	}
	if html = finish(three); !strings.Contains(html, `data-state="passed"`) || !strings.Contains(html, "Done") || !strings.Contains(html, "Exercise ✓ done") {
		t.Errorf("after a run that passes:\n%s", html)
	}
	c.runSeq++
	c.running = true
	c.finishRun(c.runSeq, "timeout", "ran longer than 5 s")
	if html = render(t, c); !strings.Contains(html, "did not finish: ran longer than 5 s") {
		t.Errorf("after a timeout:\n%s", html)
	}
	if st := EvaluateExercise(Lesson{Checks: []string{"bogus rule"}}, nil, false, ""); st.State != "broken" {
		t.Errorf("a bad rule: %+v", st)
	}
}
