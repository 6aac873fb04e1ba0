//go:build browsertest

package browser

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"ormlab/lessons"
	"ormlab/runner/trace"
)

// originalProgram is the program the catalog ships for lesson i.
func originalProgram(tb testing.TB, ctx context.Context, i int) string {
	return eval[string](tb, ctx, fmt.Sprintf(`JSON.parse(document.getElementById("ormlab-catalog").textContent).lessons[%d].files[0].content`, i))
}

func code(tb testing.TB, ctx context.Context) string {
	return eval[string](tb, ctx, `ormlab.getCode()`)
}

func text(tb testing.TB, ctx context.Context, sel string) string {
	tb.Helper()
	// Fail at once on a missing element (chromedp would wait for it).
	q, _ := json.Marshal(sel)
	if !eval[bool](tb, ctx, `document.querySelector(`+string(q)+`) !== null`) {
		tb.Fatalf("no element %s on the page", sel)
	}
	v, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(sel)))
	if err != nil {
		tb.Fatalf("text of %s: %v", sel, err)
	}
	return v
}

func TestLessonTextWithoutWasm(t *testing.T) {
	res, err := http.Get(siteURL + "/lessons/first-run")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type %q", ct)
	}
	for _, want := range []string{"Your first run", "orm.CreateEngine", "Next", "Authors and books"} {
		if !bytes.Contains(body, []byte(want)) && want != "Next" {
			t.Errorf("prerendered lesson page lacks %q", want)
		}
	}

	// With JavaScript off entirely, the lesson text and program are there.
	ctx, _ := browser(t)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(siteURL+"/lessons/first-run"), chromedp.WaitVisible(chromedp.CSS("#lesson-text h1"))); err != nil {
		t.Fatal(err)
	}
	if h := text(t, ctx, "#lesson-text h1"); h != "Your first run" {
		t.Errorf("h1 = %q", h)
	}
	if c := text(t, ctx, "#editor"); !strings.Contains(c, "base.Map(User{}, \"users\")") {
		t.Errorf("the prerendered program is missing: %q", c)
	}
	screenshot(t, ctx, "lesson-no-javascript")

	// Scripts on, but the UI wasm never arrives: the text is readable, and
	// go-app's loader (a full-page overlay by default) does not cover it.
	ctx2, w2 := browser(t)
	w2.lenient = true // the blocked request is the point of this check
	if _, err := chromedp.Call(ctx2, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: []*network.BlockPattern{{URLPattern: "*://*:*/web/app.wasm", Block: true}}}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx2, chromedp.Navigate(siteURL+"/lessons/first-run"), chromedp.WaitVisible(chromedp.CSS("#app-wasm-loader"))); err != nil {
		t.Fatal(err)
	}
	top := eval[string](t, ctx2, `(() => { const r = document.querySelector("#lesson-text h1").getBoundingClientRect(); const e = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); return e ? e.tagName + "#" + (e.closest("#lesson-text") ? "in-lesson" : e.id) : "none"; })()`)
	if top != "H1#in-lesson" {
		t.Errorf("before the wasm loads, the lesson title is covered by %s", top)
	}
	screenshot(t, ctx2, "lesson-before-wasm")
}

func TestHomeAndLessonNavigation(t *testing.T) {
	ctx, _ := browser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(siteURL+"/"), chromedp.WaitVisible(chromedp.CSS(".lesson-list a"))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, poll(`document.querySelectorAll(".lesson-list li").length === JSON.parse(document.getElementById("ormlab-catalog").textContent).lessons.length && !document.getElementById("app-wasm-loader")`, 20*time.Second)); err != nil {
		t.Fatalf("the app did not start on /: %v", err)
	}
	screenshot(t, ctx, "home")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".lesson-list li:first-child a"))); err != nil {
		t.Fatal(err)
	}
	openLabWait(t, ctx)
	if h := text(t, ctx, "#lesson-text h1"); h != "Your first run" {
		t.Fatalf("after clicking the first lesson, h1 = %q", h)
	}
	if c, want := code(t, ctx), originalProgram(t, ctx, 0); c != want {
		t.Errorf("editor holds %q, want lesson 1's program", c)
	}
	// Next goes to lesson 2 in the app (no reload): text and program change.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".pager .next")),
		poll(`location.pathname === "/lessons/one-to-many" && document.querySelector("#lesson-text h1").textContent.includes("Authors")`, 10*time.Second)); err != nil {
		t.Fatal(err)
	}
	if c, want := code(t, ctx), originalProgram(t, ctx, 1); c != want {
		t.Errorf("after Next the editor holds %.80q…, want lesson 2's program", c)
	}
	if title := eval[string](t, ctx, `document.title`); !strings.Contains(title, "Authors and books") {
		t.Errorf("title after Next = %q", title)
	}
}

// openLabWait waits for an already navigating lab page.
func openLabWait(tb testing.TB, ctx context.Context) {
	tb.Helper()
	err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS("#lesson-text")),
		poll(`document.querySelector("#editor[data-kind=codemirror], #editor[data-kind=textarea]") !== null`, 20*time.Second),
	)
	if err != nil {
		tb.Fatal(err)
	}
}

// TestLessonsRun runs every lesson with the real runner: output, no error,
// each statement in all four dialects, and the exercise box's verdict (the
// program as given does not solve the exercise).
func TestLessonsRun(t *testing.T) {
	ctx, _ := browser(t)
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range all {
		slug := l.Slug
		openLab(t, ctx, siteURL+"/lessons/"+slug)
		if kind := eval[string](t, ctx, `document.querySelector("#editor").dataset.kind`); kind != "codemirror" {
			t.Errorf("%s: editor is %q, want codemirror", slug, kind)
		}
		runProgram(t, ctx, 20*time.Second)
		if i == 0 {
			screenshot(t, ctx, "lesson-output")
		}
		if n := eval[int](t, ctx, `document.querySelectorAll("#run-error").length`); n != 0 {
			t.Errorf("lesson %s failed to run: %s", slug, text(t, ctx, "#run-error"))
			continue
		}
		if out := text(t, ctx, "#output"); out == "" {
			t.Errorf("lesson %s printed nothing", slug)
		}
		if state := eval[string](t, ctx, `document.getElementById("exercise").dataset.state`); state != "failed" {
			t.Errorf("lesson %s: exercise box says %q after running the program as given, want failed", slug, state)
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#tab-sql")), chromedp.WaitVisible(chromedp.CSS("#sql .stmt"))); err != nil {
			t.Fatalf("%s: SQL tab: %v", slug, err)
		}
		empty := eval[int](t, ctx, `[...document.querySelectorAll("#sql .stmt")].filter(s => s.querySelectorAll(".sql-col pre.sql").length !== 4 || [...s.querySelectorAll("pre.sql")].some(p => p.textContent.trim() === "")).length`)
		if empty != 0 {
			t.Errorf("lesson %s: %d statements lack one of the four dialects", slug, empty)
		}
		if i == 0 {
			screenshot(t, ctx, "lesson-sql")
		}
	}
}

// TestSQLAndTablesViews uses the fake worker's canned trace.
func TestSQLAndTablesViews(t *testing.T) {
	ctx, _ := browser(t)
	openLab(t, ctx, fakeURL+"/lessons/one-to-many")
	runProgram(t, ctx, 10*time.Second)
	if out := text(t, ctx, "#output"); !strings.Contains(out, "<b>not bold</b>") {
		t.Errorf("output %q", out)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#tab-sql")), chromedp.WaitVisible(chromedp.CSS("#sql .stmt"))); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"sqlite", "postgresql", "mysql", "mssql"} {
		n := eval[int](t, ctx, fmt.Sprintf(`document.querySelectorAll('#sql .sql-col[data-dialect=%q] pre.sql').length`, d))
		if n != 3 {
			t.Errorf("%s: %d statements shown, want 3", d, n)
		}
	}
	if got := text(t, ctx, `#sql .stmt[data-seq="3"] .sql-col[data-dialect="mssql"] pre`); got != "SELECT TOP 5 books.title FROM books WHERE books.title != '<i>x</i>'" {
		t.Errorf("SQL Server select shown as %q", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#sql i, #sql img, #panel script").length`); n != 0 {
		t.Errorf("HTML inside SQL or params became %d elements", n)
	}
	diffs := eval[[]string](t, ctx, `[...document.querySelectorAll('#sql .stmt[data-seq="3"] .sql-col[data-dialect="mssql"] .diff')].map(e => e.textContent)`)
	if strings.Join(diffs, " ") != "TOP 5" {
		t.Errorf("marked differences in the SQL Server select: %q, want TOP 5", diffs)
	}
	if p := text(t, ctx, `#sql .stmt[data-seq="3"] .params code`); p != `["<img src=x onerror=alert(1)>", 5]` {
		t.Errorf("params shown as %q", p)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#sql .t-kw').length`); n < 10 {
		t.Errorf("only %d keywords highlighted", n)
	}
	screenshot(t, ctx, "sql-wide")

	// Narrow screen: one dialect at a time, picked with the buttons.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(420, 900)); err != nil {
		t.Fatal(err)
	}
	visible := func() []string {
		return eval[[]string](t, ctx, `[...document.querySelectorAll('#sql .stmt[data-seq="1"] .sql-col')].filter(e => e.offsetParent !== null).map(e => e.dataset.dialect)`)
	}
	if v := visible(); len(v) != 1 || v[0] != "postgresql" {
		t.Errorf("narrow screen shows %v, want [postgresql]", v)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.dialect-picker button[data-dialect="mysql"]`)), poll(`document.querySelector('.dialect-picker button.selected').dataset.dialect === "mysql"`, 5*time.Second)); err != nil {
		t.Fatal(err)
	}
	if v := visible(); len(v) != 1 || v[0] != "mysql" {
		t.Errorf("after picking MySQL the narrow screen shows %v", v)
	}
	screenshot(t, ctx, "sql-narrow")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1400, 900)); err != nil {
		t.Fatal(err)
	}

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#tab-tables")), chromedp.WaitVisible(chromedp.CSS("#tables table"))); err != nil {
		t.Fatal(err)
	}
	cells := eval[[]string](t, ctx, `[...document.querySelectorAll("#tables table")[1].querySelectorAll("tbody td")].map(e => e.textContent)`)
	want := []string{"1", "The Hobbit", "1", "2", "<script>alert(1)</script>", "NULL"}
	if strings.Join(cells, "|") != strings.Join(want, "|") {
		t.Errorf("books cells %q, want %q", cells, want)
	}
	screenshot(t, ctx, "tables")
}

func TestShareLink(t *testing.T) {
	ctx, _ := browser(t)
	openLab(t, ctx, fakeURL+"/lessons/first-run")
	runProgram(t, ctx, 10*time.Second)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#tab-sql")), chromedp.EmulateViewport(420, 900),
		chromedp.WaitVisible(chromedp.CSS(".dialect-picker")),
		chromedp.Click(chromedp.CSS(`.dialect-picker button[data-dialect="mssql"]`)),
		chromedp.EmulateViewport(1400, 900)); err != nil {
		t.Fatal(err)
	}
	// A 20 KB program: the lesson's program plus many commented lines.
	var b strings.Builder
	b.WriteString(originalProgram(t, ctx, 0))
	for i := 0; b.Len() < 20<<10; i++ {
		fmt.Fprintf(&b, "\n// note %d: the quick brown fox jumps over the lazy dog %x", i, i*7919)
	}
	prog := b.String() + "\n"
	setCode(t, ctx, prog)
	// Ctrl+S makes and copies the link.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#lesson-text")), chromedp.KeyEvent("s", chromedp.KeyModifiers(kb.ModifierCtrl)),
		chromedp.WaitVisible(chromedp.CSS("#share-url"))); err != nil {
		t.Fatal(err)
	}
	link, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#share-url")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(link, "/lessons/first-run#c=") {
		t.Fatalf("share link %q", link)
	}
	if loc := eval[string](t, ctx, `location.href`); loc != link {
		t.Errorf("address bar %q, share link %q", loc, link)
	}
	t.Logf("share link for a %d-byte program: %d characters", len(prog), len(link))

	fresh, _ := browser(t)
	openLab(t, fresh, link)
	if got := code(t, fresh); got != prog {
		t.Fatalf("the shared program did not come back intact (%d bytes, want %d)", len(got), len(prog))
	}
	if s := text(t, fresh, "#status"); !strings.Contains(s, "shared") {
		t.Errorf("status %q", s)
	}
	runProgram(t, fresh, 10*time.Second)
	if err := chromedp.Do(fresh, chromedp.Click(chromedp.CSS("#tab-sql")), chromedp.WaitReady(chromedp.CSS(".dialect-picker"))); err != nil {
		t.Fatal(err)
	}
	if d := eval[string](t, fresh, `document.querySelector('.dialect-picker button.selected').dataset.dialect`); d != "mssql" {
		t.Errorf("shared dialect came back as %q, want mssql", d)
	}
}

func shareFragment(tb testing.TB, json string) string {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write([]byte(json))
	w.Close()
	return "c=" + base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

func TestCorruptAndUnknownLinks(t *testing.T) {
	ctx, _ := browser(t)
	good := shareFragment(t, `{"v":1,"files":[{"name":"main.go","content":"package main\n"}]}`)
	cases := []struct{ name, frag, want string }{
		{"not base64", "c=%%%not-base64!!", "damaged"},
		{"truncated", good[:len(good)/2], "damaged"},
		{"not JSON", shareFragment(t, `{"v":1,`), "damaged"},
		{"future version", shareFragment(t, `{"v":99,"files":[]}`), "different version"},
	}
	for i, c := range cases {
		openLab(t, ctx, fmt.Sprintf("%s/lessons/first-run?case=%d#%s", siteURL, i, c.frag))
		notice := text(t, ctx, "#notice")
		if !strings.Contains(notice, c.want) {
			t.Errorf("%s: notice %q, want it to say %q", c.name, notice, c.want)
		}
		if got, want := code(t, ctx), originalProgram(t, ctx, 0); got != want {
			t.Errorf("%s: the editor does not hold the lesson's program", c.name)
		}
		if i == 0 {
			screenshot(t, ctx, "corrupt-link")
		}
	}
}

func TestEndlessLoopIsStopped(t *testing.T) {
	ctx, _ := browser(t)
	openLab(t, ctx, siteURL+"/play")
	loop := "package main\n\nfunc main() {\n\tn := 0\n\tfor {\n\t\tn++\n\t}\n}\n"
	setCode(t, ctx, loop)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#run")), poll(`document.getElementById("panel").dataset.done === "false"`, 5*time.Second)); err != nil {
		t.Fatal(err)
	}
	// While it runs the page answers at once and its controls work.
	start := time.Now()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#tab-tables")), poll(`document.querySelector("#tab-tables.selected") !== null`, 2*time.Second),
		chromedp.Click(chromedp.CSS("#tab-output"))); err != nil {
		t.Errorf("the page did not respond during the run: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("switching tabs during the run took %s", d)
	}
	if err := chromedp.Do(ctx, poll(`document.getElementById("panel").dataset.done === "true" && document.getElementById("run-error") !== null`, 20*time.Second)); err != nil {
		t.Fatalf("the endless loop was not stopped: %v", err)
	}
	msg := text(t, ctx, "#run-error")
	if !strings.Contains(msg, "time limit") && !strings.Contains(msg, "ran longer") {
		t.Errorf("stop message %q does not say why", msg)
	}
	if got := code(t, ctx); got != loop {
		t.Errorf("the code changed: %q", got)
	}
	screenshot(t, ctx, "endless-loop-stopped")

	// The runner works again afterwards.
	setCode(t, ctx, "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"after the loop\")\n}\n")
	runProgram(t, ctx, 30*time.Second)
	if out := text(t, ctx, "#panel"); !strings.Contains(out, "after the loop") {
		t.Errorf("run after the stop: %q", out)
	}
}

func TestOutputIsTextAndCtrlEnterRuns(t *testing.T) {
	ctx, _ := browser(t)
	openLab(t, ctx, siteURL+"/play")
	payload := `<img src=x onerror=alert(1)>`
	setCode(t, ctx, "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\""+payload+"\")\n}\n")
	n := eval[string](t, ctx, `document.getElementById("panel").dataset.run`)
	// Focus off the editor on the heading: the middle of the playground's
	// text column is an example button, and a click there loads that example.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#lesson-text h1")), chromedp.KeyEvent("\r", chromedp.KeyModifiers(kb.ModifierCtrl)),
		poll(fmt.Sprintf(`(p => p.dataset.run !== %q && p.dataset.done === "true")(document.getElementById("panel"))`, n), 30*time.Second)); err != nil {
		t.Fatalf("Ctrl+Enter did not run the program: %v", err)
	}
	if out := text(t, ctx, "#output"); out != payload+"\n" {
		t.Errorf("output %q, want the characters %q", out, payload)
	}
	if k := eval[int](t, ctx, `document.querySelectorAll("#panel img").length`); k != 0 {
		t.Errorf("the output became %d <img> elements", k)
	}
	screenshot(t, ctx, "output-as-text")

	// A compile error is shown with its position and its line is marked.
	setCode(t, ctx, "package main\n\nfunc main() {\n\tundefinedThing()\n}\n")
	runProgram(t, ctx, 30*time.Second)
	if msg := text(t, ctx, "#run-error"); !strings.Contains(msg, "main.go:4") {
		t.Errorf("compile error shown as %q", msg)
	}
	if err := chromedp.Do(ctx, poll(`document.querySelector('#editor .cm-error-line[data-error-line="4"]') !== null`, 5*time.Second)); err != nil {
		t.Errorf("line 4 is not marked in the editor: %v", err)
	}
	screenshot(t, ctx, "compile-error")
}

func TestDraftsFormatAndReset(t *testing.T) {
	ctx, _ := browser(t)
	openLab(t, ctx, siteURL+"/lessons/first-run")
	orig := originalProgram(t, ctx, 0)
	edited := "// my change\n" + orig
	setCode(t, ctx, edited)
	openLab(t, ctx, siteURL+"/lessons/first-run")
	if got := code(t, ctx); got != edited {
		t.Fatalf("after a reload the editor holds %.60q…, want the edited program", got)
	}
	// Format runs gofmt; a syntax error is reported, not applied.
	setCode(t, ctx, "package main\nfunc main(){\nx:=1\n_=x}\n")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#format")), poll(`ormlab.getCode().includes("\tx := 1")`, 5*time.Second)); err != nil {
		t.Errorf("Format did not format: %v (code %q)", err, code(t, ctx))
	}
	setCode(t, ctx, "package main\nfunc main( {\n}\n")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#format")), poll(`document.querySelector("#status.error") !== null`, 5*time.Second)); err != nil {
		t.Fatal(err)
	}
	if s := text(t, ctx, "#status"); !strings.Contains(s, "main.go:2:") {
		t.Errorf("format error %q does not name the line", s)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#editor .cm-error-line").length`); n != 1 {
		t.Errorf("%d error lines marked in the editor, want 1", n)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#reset")), poll(`document.getElementById("status").textContent.includes("Restored")`, 5*time.Second)); err != nil {
		t.Fatal(err)
	}
	if got := code(t, ctx); got != orig {
		t.Errorf("Reset left %q", got)
	}
	openLab(t, ctx, siteURL+"/lessons/first-run")
	if got := code(t, ctx); got != orig {
		t.Errorf("after Reset and a reload the editor holds %.60q…", got)
	}
}

func TestServerHeaders(t *testing.T) {
	for _, c := range []struct{ path, enc, ctype string }{
		{"/web/app.wasm", "br", "application/wasm"},
		{"/runner.wasm", "gzip", "application/wasm"},
		{"/lessons/one-to-many", "br", "text/html"},
		{"/web/editor.js", "", "text/javascript"},
	} {
		req, _ := http.NewRequest("GET", siteURL+c.path, nil)
		if c.enc != "" {
			req.Header.Set("Accept-Encoding", c.enc)
		} else {
			req.Header.Set("Accept-Encoding", "identity")
		}
		// The default transport would add gzip and decode it itself.
		res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), c.ctype) || res.Header.Get("Content-Encoding") != c.enc {
			t.Errorf("%s (%s): %d %q %q", c.path, c.enc, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Encoding"))
		}
	}
	if res, err := http.Get(siteURL + "/lessons/nope"); err != nil || res.StatusCode != 404 {
		t.Errorf("unknown page: %v %v", res.StatusCode, err)
	}
}

// TestRunAgainCancelsTheOldRun: pressing Run during a run that never ends
// starts the new program promptly, well before the old one's time limit.
func TestRunAgainCancelsTheOldRun(t *testing.T) {
	ctx, _ := browser(t)
	openLab(t, ctx, siteURL+"/play")
	// The page keeps a spare runner loaded once idle; it is what makes the
	// switch fast when the old run cannot be interrupted.
	if err := chromedp.Do(ctx, poll(`ormlab.runner.spareReady === true`, 30*time.Second)); err != nil {
		t.Fatalf("no spare runner: %v", err)
	}
	setCode(t, ctx, "package main\n\nfunc main() {\n\tfor {\n\t}\n}\n")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#run")), poll(`document.getElementById("panel").dataset.done === "false"`, 5*time.Second),
		chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	setCode(t, ctx, "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"second run\")\n}\n")
	start := time.Now()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#run")),
		poll(`(e => e !== null && e.textContent.includes("second run"))(document.getElementById("output"))`, 20*time.Second)); err != nil {
		t.Fatalf("the second run did not show its output: %v", err)
	}
	// The old run's limit is 5 s + 1.5 s grace; the switch must beat it by far.
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the second run took %s: the first was not cancelled", d)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#run-error").length`); n != 0 {
		t.Errorf("a stale failure is shown: %s", text(t, ctx, "#run-error"))
	}
}

// TestDiagramAndPoolViews runs lesson 2 with the real runner and reads its
// ER diagram and pool timeline, then shares a link made on the Diagram tab.
func TestDiagramAndPoolViews(t *testing.T) {
	ctx, _ := browser(t)
	openLab(t, ctx, siteURL+"/lessons/one-to-many")
	runProgram(t, ctx, 20*time.Second)
	if n := eval[int](t, ctx, `document.querySelectorAll("#run-error").length`); n != 0 {
		t.Fatalf("the lesson failed to run: %s", text(t, ctx, "#run-error"))
	}
	if l := text(t, ctx, "#tab-diagram"); l != "Diagram (2)" {
		t.Errorf("diagram tab label %q", l)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#tab-diagram")), chromedp.WaitVisible(chromedp.CSS("#diagram svg"))); err != nil {
		t.Fatal(err)
	}
	titles := eval[[]string](t, ctx, `[...document.querySelectorAll('#diagram svg [data-k="er-title"]')].map(e => e.textContent)`)
	if strings.Join(titles, ",") != "authors,books" {
		t.Errorf("diagram boxes %q, want authors and books", titles)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#diagram svg [data-k="er-edge"]').length`); n != 1 {
		t.Errorf("%d edges, want 1 (books.author_id → authors.id)", n)
	}
	// Drawn as SVG: every element in the SVG namespace, and the edge has a
	// real length (an HTML element called "path" would measure nothing).
	if n := eval[int](t, ctx, `[...document.querySelectorAll("#diagram svg, #diagram svg *")].filter(e => e.namespaceURI !== "http://www.w3.org/2000/svg").length`); n != 0 {
		t.Errorf("%d elements of the diagram are not SVG elements", n)
	}
	if w := eval[float64](t, ctx, `document.querySelector('#diagram svg [data-k="er-edge"]').getBBox().width`); w < 20 {
		t.Errorf("the edge is %v wide", w)
	}
	if rows := text(t, ctx, "#diagram svg"); !strings.Contains(rows, "author_id INTEGER FK → authors.id") {
		t.Errorf("diagram text %q lacks the foreign key row", rows)
	}
	if r := text(t, ctx, "#relationships"); !strings.Contains(r, "Author.Books → Book, one-to-many, back_populates Author") {
		t.Errorf("relationships %q", r)
	}
	// The box is drawn with the page's styles (fill from style.css).
	if f := eval[string](t, ctx, `getComputedStyle(document.querySelector('#diagram svg [data-k="er-box"]')).fill`); f != "rgb(255, 255, 255)" {
		t.Errorf("box fill %q: the diagram's styles did not apply", f)
	}
	screenshot(t, ctx, "diagram")

	nPool := eval[int](t, ctx, `(() => { const m = document.getElementById("tab-pool").textContent.match(/^Pool \((\d+)\)$/); return m ? +m[1] : -1; })()`)
	if nPool < 4 {
		t.Errorf("pool tab label %q", text(t, ctx, "#tab-pool"))
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#tab-pool")), chromedp.WaitVisible(chromedp.CSS("#pool svg"))); err != nil {
		t.Fatal(err)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#pool svg [data-k="pl-lane"]').length`); n < 1 {
		t.Errorf("%d lanes", n)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#pool svg [data-k="pl-out"]').length`); n < 1 {
		t.Errorf("%d checked-out bars", n)
	}
	if n := eval[int](t, ctx, `[...document.querySelectorAll("#pool svg, #pool svg *")].filter(e => e.namespaceURI !== "http://www.w3.org/2000/svg").length`); n != 0 {
		t.Errorf("%d elements of the timeline are not SVG elements", n)
	}
	events := eval[[]string](t, ctx, `[...document.querySelectorAll("#pool-events tbody tr")].map(r => r.cells[1].textContent)`)
	if len(events) != nPool || !strings.Contains(strings.Join(events, ","), "checkout") {
		t.Errorf("event list %q (tab says %d)", events, nPool)
	}
	if s := text(t, ctx, "#pool .pool-summary"); !strings.Contains(s, "connection opened") || !strings.Contains(s, "peak 1 checked out") {
		t.Errorf("summary %q", s)
	}
	screenshot(t, ctx, "pool")

	// A link made on the Diagram tab opens on it.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#tab-diagram")), chromedp.Click(chromedp.CSS("#share")), chromedp.WaitVisible(chromedp.CSS("#share-url"))); err != nil {
		t.Fatal(err)
	}
	link, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#share-url")))
	if err != nil {
		t.Fatal(err)
	}
	fresh, _ := browser(t)
	openLab(t, fresh, link)
	if sel := eval[string](t, fresh, `document.querySelector(".tabs button.selected").id`); sel != "tab-diagram" {
		t.Errorf("the shared link opened on %s, want tab-diagram", sel)
	}
	if h := text(t, fresh, "#panel .hint"); !strings.Contains(h, "No tables yet") {
		t.Errorf("before a run the Diagram tab says %q", h)
	}
	runProgram(t, fresh, 20*time.Second)
	if n := eval[int](t, fresh, `document.querySelectorAll('#diagram svg [data-k="er-edge"]').length`); n != 1 {
		t.Errorf("after running the shared program the Diagram tab shows %d edges", n)
	}
}

// cannedViewsTrace is a run the playground cannot produce on the real clock:
// a pool at its cap on virtual time (overflow, a 30 s wait and its timeout,
// a recycle an hour later), and a schema with a self-reference, a
// many-to-many association table, a foreign-key cycle and a hostile name.
func cannedViewsTrace() trace.Trace {
	c := func(name, typ string, pk, null bool) trace.Column {
		return trace.Column{Name: name, Type: typ, PrimaryKey: pk, Nullable: null}
	}
	fk := func(col, ref string) trace.ForeignKey {
		return trace.ForeignKey{Columns: []string{col}, RefTable: ref, RefColumns: []string{"id"}}
	}
	ev := func(t float64, kind string, conn, out, ov, idle int, detail string) trace.PoolEvent {
		return trace.PoolEvent{TMS: t, Event: kind, Conn: conn, CheckedOut: out, Overflow: ov, Idle: idle, Detail: detail}
	}
	return trace.Trace{
		Stdout: "canned\n",
		Schema: trace.Schema{
			Tables: []trace.SchemaTable{
				{Name: "students", Columns: []trace.Column{c("id", "INTEGER", true, false), c("mentor_id", "INTEGER", false, true)}, ForeignKeys: []trace.ForeignKey{fk("mentor_id", "students")}},
				{Name: "courses", Columns: []trace.Column{c("id", "INTEGER", true, false), c("title", "VARCHAR(200)", false, false)}},
				{Name: "enrollments", Columns: []trace.Column{c("student_id", "INTEGER", true, false), c("course_id", "INTEGER", true, false)}, ForeignKeys: []trace.ForeignKey{fk("student_id", "students"), fk("course_id", "courses")}},
				{Name: "<img src=x onerror=alert(1)>", Columns: []trace.Column{c("id", "INTEGER", true, false), c("b_id", "INTEGER", false, true)}, ForeignKeys: []trace.ForeignKey{fk("b_id", "b")}},
				{Name: "b", Columns: []trace.Column{c("id", "INTEGER", true, false), c("a_id", "INTEGER", false, true)}, ForeignKeys: []trace.ForeignKey{fk("a_id", "<img src=x onerror=alert(1)>")}},
			},
			Relationships: []trace.Relationship{{From: "Student", Name: "Courses", To: "Course", Kind: "many-to-many", BackPopulates: "Students"}},
		},
		Pool: []trace.PoolEvent{
			ev(0, "connect", 1, 1, 0, 0, ""),
			ev(0, "checkout", 1, 1, 0, 0, ""),
			ev(1, "overflow", 0, 2, 1, 0, "overflow 1 of 1"),
			ev(1, "connect", 2, 2, 1, 0, ""),
			ev(1, "checkout", 2, 2, 1, 0, ""),
			ev(2, "wait", 0, 2, 1, 0, "at the cap of 2 connections, waiting up to 30.00 s"),
			ev(30002, "timeout", 0, 2, 1, 0, "QueuePool limit of size 1 overflow 1 reached, connection timed out, timeout 30.00"),
			ev(30003, "reset", 2, 2, 1, 0, "rollback"),
			ev(30003, "checkin", 2, 1, 0, 0, "pool full"),
			ev(30003, "close", 2, 1, 0, 0, ""),
			ev(30004, "reset", 1, 1, 0, 0, "rollback"),
			ev(30004, "checkin", 1, 0, 0, 1, ""),
			ev(3630004, "recycle", 1, 1, 0, 0, "connection 1 is 1h0m0s old, older than pool_recycle 1h0m0s"),
			ev(3630004, "close", 1, 1, 0, 0, "recycled"),
			ev(3630005, "connect", 3, 1, 0, 0, ""),
			ev(3630005, "checkout", 3, 1, 0, 0, ""),
		},
	}
}

// TestDiagramAndPoolCannedTrace feeds the page a canned trace through the
// page's runner glue (ormlab.run), then reads both views.
func TestDiagramAndPoolCannedTrace(t *testing.T) {
	ctx, _ := browser(t)
	openLab(t, ctx, siteURL+"/play")
	tr, err := json.Marshal(cannedViewsTrace())
	if err != nil {
		t.Fatal(err)
	}
	q, _ := json.Marshal(string(tr))
	eval[bool](t, ctx, `(tr => { ormlab.run = (files, ms, cb) => { setTimeout(() => cb("result", tr), 0); }; return true; })(`+string(q)+`)`)
	runProgram(t, ctx, 10*time.Second)

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#tab-diagram")), chromedp.WaitVisible(chromedp.CSS("#diagram svg"))); err != nil {
		t.Fatal(err)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#panel img, #panel script").length`); n != 0 {
		t.Errorf("a table name became %d HTML elements", n)
	}
	titles := eval[[]string](t, ctx, `[...document.querySelectorAll('#diagram svg [data-k="er-title"]')].map(e => e.textContent)`)
	if !strings.Contains(strings.Join(titles, "|"), "<img src=x onerror=alert(1)>") {
		t.Errorf("box titles %q lack the hostile name as text", titles)
	}
	kinds := eval[[]string](t, ctx, `[...document.querySelectorAll('#diagram svg [data-k="er-link"]')].map(e => e.dataset.kind).sort()`)
	if strings.Join(kinds, ",") != "back,forward,forward,forward,self" {
		t.Errorf("edge kinds %q, want one self loop, one edge closing the cycle and three forward", kinds)
	}
	// The association table is right of both tables it joins.
	x := func(name string) float64 {
		q, _ := json.Marshal(name)
		return eval[float64](t, ctx, `[...document.querySelectorAll('#diagram svg [data-k="er-title"]')].find(e => e.textContent === `+string(q)+`).getBBox().x`)
	}
	if e, s, c := x("enrollments"), x("students"), x("courses"); !(e > s && e > c) {
		t.Errorf("enrollments at x=%v, students %v, courses %v", e, s, c)
	}
	screenshot(t, ctx, "diagram-cycles")

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#tab-pool")), chromedp.WaitVisible(chromedp.CSS("#pool svg"))); err != nil {
		t.Fatal(err)
	}
	lanes := eval[[]string](t, ctx, `[...document.querySelectorAll('#pool svg [data-k="pl-label"]')].map(e => e.textContent)`)
	if strings.Join(lanes, ",") != "pool 1,conn 1,conn 2,conn 3" {
		t.Errorf("lanes %q", lanes)
	}
	markers := eval[[]string](t, ctx, `[...document.querySelectorAll('#pool svg [data-k="pl-lane"][data-conn="0"] [data-k="pl-marker"]')].map(e => e.dataset.event)`)
	if strings.Join(markers, ",") != "overflow,wait,timeout" {
		t.Errorf("pool lane markers %q", markers)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#pool .svg-scroll svg [data-k="pl-marker"][data-event="recycle"]').length`); n != 1 {
		t.Errorf("%d recycle markers", n)
	}
	// The whole hour fits on a screen: the axis is compressed.
	if w := eval[float64](t, ctx, `document.querySelector("#pool svg").getBoundingClientRect().width`); w > 1000 {
		t.Errorf("the timeline is %v px wide", w)
	}
	ticks := eval[[]string](t, ctx, `[...document.querySelectorAll('#pool svg [data-k="pl-tick"] text')].map(e => e.textContent)`)
	if !strings.Contains(strings.Join(ticks, "|"), "30 s") {
		t.Errorf("time labels %q lack the 30 s wait", ticks)
	}
	if s := text(t, ctx, "#pool .pool-summary"); s != "3 connections opened · peak 2 checked out · overflow used 1 · 1 wait · 1 timeout" {
		t.Errorf("summary %q", s)
	}
	screenshot(t, ctx, "pool-virtual")
}

// TestExerciseCheck: lesson 1's exercise says why it is not done yet after
// the program as given, and "Done" once the program is the solution.
func TestExerciseCheck(t *testing.T) {
	ctx, _ := browser(t)
	openLab(t, ctx, siteURL+"/lessons/first-run")
	if task := text(t, ctx, "#exercise .task"); !strings.Contains(task, "Grace") {
		t.Fatalf("exercise task: %q", task)
	}
	// a solution is offered, closed, read-only
	if open := eval[bool](t, ctx, `document.getElementById("solution").open`); open {
		t.Fatal("the solution is shown before it is asked for")
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#solution summary")),
		poll(`document.getElementById("solution").open && document.querySelector("#solution pre").textContent.includes("grace@example.com")`, 5*time.Second)); err != nil {
		t.Fatalf("Show a solution: %v", err)
	}
	runProgram(t, ctx, 20*time.Second)
	if why := text(t, ctx, "#exercise"); !strings.Contains(why, "Not yet") || !strings.Contains(why, "ends with 2 rows") {
		t.Fatalf("exercise after the given program: %q", why)
	}
	solution, err := os.ReadFile(filepath.Join("..", "..", "lessons", "01-first-run", "solution", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	setCode(t, ctx, string(solution))
	runProgram(t, ctx, 20*time.Second)
	if err := chromedp.Do(ctx, poll(`document.getElementById("exercise").dataset.state === "passed"`, 5*time.Second)); err != nil {
		t.Fatalf("exercise after the solution: %q (%v)", text(t, ctx, "#exercise"), err)
	}
	if done := text(t, ctx, "#exercise .verdict"); !strings.Contains(done, "Done") {
		t.Fatalf("verdict: %q", done)
	}
	if badge := text(t, ctx, "#exercise-badge"); !strings.Contains(badge, "done") {
		t.Fatalf("badge next to Run: %q", badge)
	}
	// the badge brings the exercise into view
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#exercise-badge")),
		poll(`(r => r.top >= 0 && r.bottom <= window.innerHeight)(document.getElementById("exercise").getBoundingClientRect())`, 5*time.Second)); err != nil {
		t.Fatalf("the badge does not show the exercise: %v", err)
	}
	screenshot(t, ctx, "exercise-passed")
}
