package ui

import (
	"errors"
	"fmt"
	"go/format"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"ormlab/runner/trace"
)

// RunTimeoutMS is the time limit the runner enforces on a program; the page
// adds GraceMS (in web/ormlab.js) before it kills and restarts the worker.
const RunTimeoutMS = 5000

// Register sets up the routes. In the browser it first reads the catalog
// the page carries.
func Register() {
	if app.IsClient {
		loadCatalogFromPage() // without it the pages say "no lessons"; never fatal
		repairLocation()
	}
	app.Route("/", &Home{})
	app.Route("/play", &Lab{})
	app.RouteWithRegexp("^/lessons/[a-z0-9-]+/?$", &Lab{})
}

// Pages lists every route to prerender.
func Pages() []string {
	ps := []string{"/", "/play"}
	for _, l := range currentCatalog().Lessons {
		ps = append(ps, "/lessons/"+l.Slug)
	}
	return ps
}

func topBar(active string) app.UI {
	item := func(href, label, key string) app.UI {
		a := app.A().Href(link(href)).Text(label)
		if key == active {
			a = a.Class("active").Aria("current", "page")
		}
		return a
	}
	return app.Header().Class("topbar").Body(
		app.A().Class("brand").Href(link("/")).Body(
			app.Img().Src("/web/icon.svg").Alt("").Width(24).Height(24),
			app.Span().Text("ORM Lab"),
		),
		app.Nav().Body(
			item("/", "Lessons", "home"),
			item("/play", "Playground", "play"),
		),
	)
}

// Home is "/": what ORM Lab is and the lesson list.
type Home struct{ app.Compo }

func (h *Home) Render() app.UI {
	ls := currentCatalog().Lessons
	return app.Div().Class("page home").Body(
		topBar("home"),
		app.Main().Class("home-main").Body(
			app.H1().Text("ORM Lab"),
			app.P().Class("lead").Text("Learn how an ORM works by running one. Each lesson pairs a short text with a Go program: define models, run it, and see the SQL it sends — compiled for SQLite, PostgreSQL, MySQL and SQL Server side by side — and what ends up in the tables. Everything runs in your browser; nothing is sent to a server."),
			app.H2().Text("Lessons"),
			app.Ol().Class("lesson-list").Body(
				app.Range(ls).Slice(func(i int) app.UI {
					l := ls[i]
					return app.Li().Body(
						app.A().Href(link("/lessons/"+l.Slug)).Text(l.Title),
						app.P().Text(l.Summary),
					)
				}),
			),
			app.If(len(ls) == 0, app.P().Class("notice error").Text("No lessons were found in this build.")),
			app.P().Body(
				app.Text("Or go straight to the "),
				app.A().Href(link("/play")).Text("playground"),
				app.Text(" and write your own program."),
			),
		),
	)
}

// Lab is a lesson page (/lessons/<slug>) or the playground (/play): text
// beside an editor, Run/Format/Reset/Share, and the run's Output, SQL and
// Tables.
type Lab struct {
	app.Compo

	ctx app.Context

	path    string
	play    bool
	found   bool
	lesson  Lesson
	index   int
	example int // playground: which example is loaded

	files    []File
	original []File
	active   int

	tab     string
	dialect string

	notice      string // problems with what was opened (bad share link…)
	status      string // the last action's result ("Link copied")
	statusError bool
	shareLink   string

	ready      bool
	editorKind string
	running    bool
	runSeq     int
	tr         *trace.Trace
	runKind    string // "", "timeout", "error"
	runMsg     string
	formatLine int

	exKey    *exerciseKey // what exStatus was evaluated for (exercise.go)
	exStatus ExerciseStatus
}

const editorID = "editor"

func (c *Lab) OnInit() {
	if app.IsClient {
		c.load(app.Window().URL())
	}
}

func (c *Lab) OnPreRender(ctx app.Context) {
	if u := ctx.Page().URL(); u != nil && u.Path != "" {
		c.load(u)
	}
	ctx.Page().SetTitle(c.title())
}

func (c *Lab) title() string {
	switch {
	case c.play:
		return "Playground · ORM Lab"
	case c.found:
		return c.lesson.Title + " · ORM Lab"
	}
	return "ORM Lab"
}

func (c *Lab) OnMount(ctx app.Context) {
	c.ctx = ctx
	ctx.Defer(func(ctx app.Context) {
		c.editorKind = mountEditor(editorID, c.code(), c.onEdit)
		onShortcut(func(name string) {
			c.ctx.Dispatch(func(ctx app.Context) {
				switch name {
				case "run":
					c.doRun()
				case "share":
					c.doShare()
				}
			})
		})
		startRunner(basePath(), func() {
			c.ctx.Dispatch(func(ctx app.Context) { c.ready = true })
		})
	})
}

// OnNav reloads the page's state when go-app navigates between two pages
// of this type (lesson to lesson) without remounting it.
func (c *Lab) OnNav(ctx app.Context) {
	u := ctx.Page().URL()
	if u.Path == c.path && !IsShareFragment(u.Fragment) {
		ctx.Page().SetTitle(c.title())
		return
	}
	defer func() { ctx.Page().SetTitle(c.title()) }()
	c.load(u)
	setEditorCode(c.code())
	markErrorLine(0)
}

// load sets the page up for URL u: which lesson, and which program (a share
// link, else the learner's draft, else the original).
func (c *Lab) load(u *url.URL) {
	if u == nil {
		return
	}
	path := strings.TrimSuffix(strings.TrimPrefix(u.Path, basePath()), "/")
	*c = Lab{Compo: c.Compo, ctx: c.ctx, ready: c.ready, editorKind: c.editorKind, path: u.Path, tab: "output", dialect: "postgresql"}
	if path == "/play" {
		c.play = true
		c.found = true
		c.selectExample(0)
	} else {
		slug := strings.TrimPrefix(path, "/lessons/")
		c.lesson, c.index, c.found = lessonBySlug(slug)
		if !c.found {
			c.notice = fmt.Sprintf("There is no lesson called %q. Pick one from the list, or use the playground.", slug)
			c.files = []File{{Name: "main.go", Content: defaultProgram}}
			c.original = cloneFiles(c.files)
			return
		}
		c.original = cloneFiles(c.lesson.Files)
		c.files = cloneFiles(c.original)
		if d, ok := loadDraft(c.draftKey()); ok {
			c.files = d
		}
	}
	if IsShareFragment(u.Fragment) {
		s, err := DecodeShare(u.Fragment)
		switch {
		case err != nil && errors.Is(err, ErrShareVersion):
			c.notice = "This link was made by a different version of ORM Lab and cannot be opened here (" + err.Error() + "). Showing the original program instead."
			c.files = cloneFiles(c.original)
		case err != nil:
			c.notice = "This share link is damaged and cannot be opened: " + err.Error() + ". Showing the original program instead."
			c.files = cloneFiles(c.original)
		default:
			c.files = s.Files
			if s.Dialect != "" {
				c.dialect = s.Dialect
			}
			if sharedTab(s.Tab) {
				c.tab = s.Tab
			}
			c.status = "Opened a shared program. Reset brings back the original."
		}
	}
}

func (c *Lab) draftKey() string {
	if c.play {
		return fmt.Sprintf("play:%d", c.example)
	}
	return "lesson:" + c.lesson.Slug
}

func (c *Lab) code() string {
	if c.active < len(c.files) {
		return c.files[c.active].Content
	}
	return ""
}

// examples are the playground's menu: a blank program, then every
// lesson's program.
type example struct {
	Title string
	Files []File
}

const defaultProgram = `package main

import (
	"fmt"

	"ormlab/orm"
)

type Note struct {
	ID   int    ` + "`orm:\"primary_key\"`" + `
	Text string ` + "`orm:\"size:200\"`" + `
}

func main() {
	engine, err := orm.CreateEngine("sqlite://", orm.Echo(true))
	if err != nil {
		fmt.Println(err)
		return
	}
	base := orm.NewBase()
	base.Map(Note{}, "notes")
	base.CreateAll(engine)

	session := orm.NewSession(engine)
	defer session.Close()
	session.Add(&Note{Text: "hello"})
	session.Commit()
	fmt.Println("saved")
}
`

func examples() []example {
	ex := []example{{Title: "A blank model", Files: []File{{Name: "main.go", Content: defaultProgram}}}}
	for _, l := range currentCatalog().Lessons {
		ex = append(ex, example{Title: l.Title, Files: l.Files})
	}
	return ex
}

func (c *Lab) selectExample(i int) {
	ex := examples()
	if i < 0 || i >= len(ex) {
		i = 0
	}
	c.example = i
	c.original = cloneFiles(ex[i].Files)
	c.files = cloneFiles(c.original)
	if d, ok := loadDraft(c.draftKey()); ok {
		c.files = d
	}
	c.active = 0
}

func (c *Lab) onEdit(code string) {
	if c.active >= len(c.files) {
		return
	}
	// Called by the editor on every change: keep the state and the draft in
	// step without re-rendering the page for each keystroke.
	c.files[c.active].Content = code
	saveDraft(c.draftKey(), c.files)
}

func (c *Lab) doRun() {
	c.running = true
	c.runKind, c.runMsg = "", ""
	c.tr = nil
	c.formatLine = 0
	markErrorLine(0)
	seq := c.runSeq + 1
	c.runSeq = seq
	err := run(cloneFiles(c.files), RunTimeoutMS, func(kind, payload string) {
		c.ctx.Dispatch(func(ctx app.Context) { c.finishRun(seq, kind, payload) })
	})
	if err != nil {
		c.running = false
		c.runKind, c.runMsg = "error", "The runner is not available in this page: "+err.Error()
	}
}

func (c *Lab) finishRun(seq int, kind, payload string) {
	if seq != c.runSeq || kind == "cancelled" {
		return // an older run, replaced by a newer one
	}
	c.running = false
	switch kind {
	case "result":
		t, err := DecodeTrace(payload)
		if err != nil {
			c.runKind, c.runMsg = "error", err.Error()
			return
		}
		c.tr = t
		if line := ErrorLine(t, c.fileName()); line > 0 {
			markErrorLine(line)
		}
	case "timeout":
		c.runKind, c.runMsg = "timeout", payload
	default:
		c.runKind, c.runMsg = "error", payload
	}
	// Stay on the tab the learner is reading unless there is a failure to see.
	if c.runKind != "" || (c.tr != nil && c.tr.Error != nil) {
		c.tab = "output"
	}
}

func (c *Lab) fileName() string {
	if c.active < len(c.files) {
		return c.files[c.active].Name
	}
	return ""
}

var gofmtPos = regexp.MustCompile(`^(\d+):(\d+): `)

func (c *Lab) doFormat() {
	if c.active >= len(c.files) {
		return
	}
	out, err := format.Source([]byte(c.files[c.active].Content))
	if err != nil {
		msg := err.Error()
		c.status, c.statusError = "Format: "+c.fileName()+":"+msg, true
		if m := gofmtPos.FindStringSubmatch(msg); m != nil {
			c.formatLine, _ = strconv.Atoi(m[1])
			markErrorLine(c.formatLine)
		}
		return
	}
	c.files[c.active].Content = string(out)
	setEditorCode(string(out))
	markErrorLine(0)
	saveDraft(c.draftKey(), c.files)
	c.status, c.statusError = "Formatted with gofmt.", false
}

func (c *Lab) doReset() {
	c.files = cloneFiles(c.original)
	c.active = 0
	dropDraft(c.draftKey())
	setEditorCode(c.code())
	markErrorLine(0)
	c.tr, c.runKind, c.runMsg = nil, "", ""
	c.status, c.statusError = "Restored the original program.", false
}

func (c *Lab) doShare() {
	s := SharedState{Files: cloneFiles(c.files), Dialect: c.dialect, Tab: c.tab}
	if !c.play {
		s.Lesson = c.lesson.Slug
	}
	frag, err := EncodeShare(s)
	if err != nil {
		c.status, c.statusError = "Could not make a link: "+err.Error(), true
		return
	}
	c.shareLink = shareURL(frag)
	c.status, c.statusError = "Link copied to the clipboard (it is also in the address bar).", false
}

func (c *Lab) Render() app.UI {
	active := "play"
	if !c.play {
		active = ""
	}
	return app.Div().Class("page lab").Body(
		topBar(active),
		app.Main().Class("lab-main").Body(
			c.renderText(),
			c.renderWork(),
		),
	)
}

func (c *Lab) renderText() app.UI {
	if c.play {
		ex := examples()
		return app.Section().Class("text").ID("lesson-text").Body(
			app.H1().Text("Playground"),
			app.P().Text("Write any program against the ORM. Start from an example; your edits to each are kept in this browser."),
			app.Ul().Class("examples").Body(
				app.Range(ex).Slice(func(i int) app.UI {
					b := app.Button().Type("button").Text(ex[i].Title).OnClick(func(ctx app.Context, e app.Event) {
						c.selectExample(i)
						setEditorCode(c.code())
						markErrorLine(0)
						c.tr, c.runKind, c.runMsg = nil, "", ""
					})
					if i == c.example {
						b = b.Class("selected").Aria("pressed", "true")
					}
					return app.Li().Body(b)
				}),
			),
		)
	}
	if !c.found {
		ls := currentCatalog().Lessons
		return app.Section().Class("text").ID("lesson-text").Body(
			app.H1().Text("Lesson not found"),
			app.Ul().Body(app.Range(ls).Slice(func(i int) app.UI {
				return app.Li().Body(app.A().Href(link("/lessons/" + ls[i].Slug)).Text(ls[i].Title))
			})),
		)
	}
	ls := currentCatalog().Lessons
	var prev, next app.UI
	if c.index > 0 {
		p := ls[c.index-1]
		prev = app.A().Class("prev").Href(link("/lessons/" + p.Slug)).Rel("prev").Text("← " + p.Title)
	}
	if c.index+1 < len(ls) {
		n := ls[c.index+1]
		next = app.A().Class("next").Href(link("/lessons/" + n.Slug)).Rel("next").Text(n.Title + " →")
	}
	return app.Section().Class("text").ID("lesson-text").Body(
		app.P().Class("crumb").Text(fmt.Sprintf("Lesson %d of %d", c.index+1, len(ls))),
		app.Raw(`<div class="lesson-body">`+c.lesson.HTML+`</div>`),
		c.renderExercise(),
		app.Nav().Class("pager").Body(app.If(prev != nil, prev), app.If(next != nil, next)),
	)
}

func (c *Lab) renderWork() app.UI {
	runLabel := "Run"
	if !c.ready {
		runLabel = "Run (loading…)"
	}
	if c.running {
		runLabel = "Running…"
	}
	ready := "0"
	if c.ready {
		ready = "1"
	}
	return app.Section().Class("work").Body(
		app.If(c.notice != "", app.Div().ID("notice").Class("notice error").Role("alert").Text(c.notice)),
		app.Div().Class("toolbar").Body(
			app.Button().ID("run").Class("primary").Type("button").DataSet("ready", ready).
				Title("Run (Ctrl+Enter)").Text(runLabel).OnClick(func(ctx app.Context, e app.Event) { c.doRun() }),
			app.Button().ID("format").Type("button").Title("Format with gofmt").Text("Format").
				OnClick(func(ctx app.Context, e app.Event) { c.doFormat() }),
			app.Button().ID("reset").Type("button").Title("Restore the original program").Text("Reset").
				OnClick(func(ctx app.Context, e app.Event) { c.doReset() }),
			app.Button().ID("share").Type("button").Title("Copy a link to this program (Ctrl+S)").Text("Share").
				OnClick(func(ctx app.Context, e app.Event) { c.doShare() }),
			c.renderExerciseBadge(),
			app.Span().ID("status").Class(statusClass(c.statusError)).Aria("live", "polite").Text(c.status),
		),
		app.If(c.shareLink != "", app.Input().ID("share-url").Class("share-url").ReadOnly(true).Value(c.shareLink).Aria("label", "Share link")),
		app.If(len(c.files) > 1, app.Div().Class("file-tabs").Body(
			app.Range(c.files).Slice(func(i int) app.UI {
				b := app.Button().Type("button").Text(c.files[i].Name).OnClick(func(ctx app.Context, e app.Event) {
					c.active = i
					setEditorCode(c.code())
				})
				if i == c.active {
					b = b.Class("selected")
				}
				return b
			}),
		)),
		c.renderEditor(),
		c.renderTabs(),
	)
}

func statusClass(isErr bool) string {
	if isErr {
		return "status error"
	}
	return "status"
}

// renderEditor: in the browser an empty element that web/ormlab.js fills
// (go-app never touches its children); prerendered, the program itself as
// highlighted HTML, so the page is readable before any wasm loads.
func (c *Lab) renderEditor() app.UI {
	if app.IsClient {
		// data-kind (codemirror|textarea) is set by web/ormlab.js, not here:
		// a re-render must not overwrite it.
		return app.Div().ID(editorID).Class("editor")
	}
	if !c.play && c.found && c.lesson.ProgramHTML != "" {
		return app.Div().ID(editorID).Class("editor").Body(app.Raw(`<div class="static-code">` + c.lesson.ProgramHTML + `</div>`))
	}
	return app.Div().ID(editorID).Class("editor").Body(app.Pre().Class("static-code").Text(c.code()))
}

func (c *Lab) renderTabs() app.UI {
	nStmt, nTables, nSchema, nPool := 0, 0, 0, 0
	if c.tr != nil {
		nStmt, nTables = len(c.tr.Statements), len(c.tr.Tables)
		nSchema, nPool = len(c.tr.Schema.Tables), len(c.tr.Pool)
	}
	tab := func(key, label string) app.UI {
		b := app.Button().ID("tab-" + key).Type("button").Role("tab").Text(label).
			OnClick(func(ctx app.Context, e app.Event) { c.tab = key })
		if c.tab == key {
			b = b.Class("selected").Aria("selected", "true")
		}
		return b
	}
	var panel app.UI
	switch c.tab {
	case "sql":
		panel = c.renderSQL()
	case "tables":
		panel = c.renderTables()
	case "diagram":
		panel = c.renderDiagram()
	case "pool":
		panel = c.renderPool()
	default:
		panel = c.renderOutput()
	}
	return app.Div().Class("results").Body(
		app.Div().Class("tabs").Role("tablist").Body(
			tab("output", "Output"),
			tab("sql", fmt.Sprintf("SQL (%d)", nStmt)),
			tab("tables", fmt.Sprintf("Tables (%d)", nTables)),
			tab("diagram", fmt.Sprintf("Diagram (%d)", nSchema)),
			tab("pool", fmt.Sprintf("Pool (%d)", nPool)),
		),
		app.Div().ID("panel").Class("panel").Role("tabpanel").DataSet("run", c.runSeq).DataSet("done", !c.running).Body(panel),
	)
}

func (c *Lab) renderOutput() app.UI {
	if c.running {
		return app.P().Class("hint").Text("Running…")
	}
	if c.runKind != "" {
		return app.Div().ID("run-error").Class("run-error " + c.runKind).Role("alert").Text(c.runMsg)
	}
	if c.tr == nil {
		return app.P().Class("hint").Text("Press Run (Ctrl+Enter) to run the program.")
	}
	var errUI app.UI
	if e := c.tr.Error; e != nil {
		where := ""
		if e.Line > 0 {
			file := e.File
			if file == "" {
				file = c.fileName()
			}
			where = fmt.Sprintf(" at %s:%d", file, e.Line)
			if e.Col > 0 {
				where += fmt.Sprintf(":%d", e.Col)
			}
		}
		errUI = app.Div().ID("run-error").Class("run-error "+e.Kind).Role("alert").Body(
			app.Strong().Text(errorTitle(e.Kind)+where),
			app.Pre().Text(e.Message),
		)
	}
	return app.Div().Body(
		app.If(errUI != nil, errUI),
		app.If(c.tr.Stdout == "" && c.tr.Error == nil, app.P().Class("hint").Text("The program printed nothing.")),
		// Output is always text: a program printing HTML shows the characters.
		app.If(c.tr.Stdout != "", app.Pre().ID("output").Class("output").Text(c.tr.Stdout)),
	)
}

func errorTitle(kind string) string {
	switch kind {
	case trace.ErrCompile:
		return "Compile error"
	case trace.ErrRuntime:
		return "Runtime error"
	case trace.ErrTimeout:
		return "Stopped: time limit"
	case trace.ErrLimit:
		return "Stopped: resource limit"
	case trace.ErrDatabase:
		return "Database error"
	}
	return "Error"
}

func (c *Lab) renderSQL() app.UI {
	if c.tr == nil || len(c.tr.Statements) == 0 {
		return app.P().Class("hint").Text("No SQL yet: run the program to see every statement it sends.")
	}
	stmts := c.tr.Statements
	return app.Div().ID("sql").Class("sql-view").Body(
		app.Div().Class("dialect-picker").Role("group").Aria("label", "Dialect").Body(
			app.Range(dialects).Slice(func(i int) app.UI {
				d := dialects[i]
				b := app.Button().Type("button").DataSet("dialect", d.Key).Text(d.Label).
					OnClick(func(ctx app.Context, e app.Event) { c.dialect = d.Key })
				if d.Key == c.dialect {
					b = b.Class("selected").Aria("pressed", "true")
				}
				return b
			}),
		),
		app.P().Class("legend").Body(app.Mark().Text("marked"), app.Text(" = differs between dialects")),
		app.Range(stmts).Slice(func(i int) app.UI { return c.renderStatement(stmts[i]) }),
	)
}

func (c *Lab) renderStatement(st trace.Statement) app.UI {
	toks := MarkDifferences(st.SQL)
	head := fmt.Sprintf("#%d %s · conn %d", st.Seq, st.Kind, st.Conn)
	if st.RowsAffected > 0 {
		head += " · " + plural(int(st.RowsAffected), "row") + " affected"
	}
	if st.RowsReturned > 0 {
		head += " · " + plural(int(st.RowsReturned), "row") + " returned"
	}
	return app.Div().Class("stmt").DataSet("seq", st.Seq).Body(
		app.Div().Class("stmt-head").Text(head),
		app.Div().Class("sql-grid").Body(
			app.Range(dialects).Slice(func(i int) app.UI {
				d := dialects[i]
				cls := "sql-col"
				if d.Key == c.dialect {
					cls += " selected"
				}
				label := d.Label
				if d.Key == st.Executed {
					label += " (ran)"
				}
				ts, ok := toks[d.Key]
				return app.Div().Class(cls).DataSet("dialect", d.Key).Body(
					app.H4().Text(label),
					app.If(!ok, app.P().Class("hint").Text("not compiled for this dialect")),
					app.If(ok, app.Pre().Class("sql").Body(app.Range(ts).Slice(func(j int) app.UI {
						t := ts[j]
						if t.Class == tokSpace {
							return app.Text(t.Text)
						}
						cls := "t-" + t.Class
						if t.Diff {
							cls += " diff"
						}
						return app.Span().Class(cls).Text(t.Text)
					}))),
				)
			}),
		),
		app.If(len(st.Params) > 0, app.P().Class("params").Body(app.Span().Class("label").Text("params "), app.Code().Text(FormatParams(st.Params)))),
		app.If(st.Error != "", app.P().Class("run-error database").Text(st.Error)),
	)
}

func (c *Lab) renderTables() app.UI {
	if c.tr == nil || len(c.tr.Tables) == 0 {
		return app.P().Class("hint").Text("No tables yet: run the program to see what they hold at the end.")
	}
	names := TableOrder(c.tr)
	return app.Div().ID("tables").Body(app.Range(names).Slice(func(i int) app.UI {
		t := c.tr.Tables[names[i]]
		return app.Div().Class("table-wrap").Body(
			app.H4().Text(fmt.Sprintf("%s (%s)", names[i], plural(len(t.Rows), "row"))),
			app.Table().Class("data").Body(
				app.THead().Body(app.Tr().Body(app.Range(t.Columns).Slice(func(j int) app.UI {
					return app.Th().Text(t.Columns[j])
				}))),
				app.TBody().Body(app.Range(t.Rows).Slice(func(r int) app.UI {
					row := t.Rows[r]
					return app.Tr().Body(app.Range(row).Slice(func(j int) app.UI {
						if row[j] == nil {
							return app.Td().Class("null").Text("NULL")
						}
						return app.Td().Text(FormatValue(row[j]))
					}))
				})),
			),
		)
	}))
}

// repairLocation makes the address parseable before go-app reads it: a
// mangled share link ("#c=%%…") makes url.Parse fail, and go-app would then
// navigate to a nil URL and the page would never start. Stray '%' are
// escaped, so the link is still reported as damaged, with its message.
func repairLocation() {
	defer func() { recover() }()
	href := app.Window().Get("location").Get("href").String()
	if _, err := url.Parse(href); err == nil {
		return
	}
	fixed := RepairURL(href)
	app.Window().Get("history").Call("replaceState", nil, "", fixed)
}

// RepairURL escapes every '%' that does not start a %XX escape; if the
// result still does not parse, it drops the fragment.
func RepairURL(href string) string {
	var b strings.Builder
	for i := 0; i < len(href); i++ {
		if href[i] == '%' && !(i+2 < len(href) && isHex(href[i+1]) && isHex(href[i+2])) {
			b.WriteString("%25")
			continue
		}
		b.WriteByte(href[i])
	}
	out := b.String()
	if _, err := url.Parse(out); err != nil {
		out, _, _ = strings.Cut(out, "#")
	}
	return out
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
