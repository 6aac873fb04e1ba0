package ui

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"ormlab/runner/trace"
)

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
