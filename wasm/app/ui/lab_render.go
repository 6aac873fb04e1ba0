package ui

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

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
