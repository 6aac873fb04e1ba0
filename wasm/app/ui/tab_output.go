package ui

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"ormlab/runner/trace"
)

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
