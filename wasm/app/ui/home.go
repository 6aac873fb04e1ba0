package ui

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

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
