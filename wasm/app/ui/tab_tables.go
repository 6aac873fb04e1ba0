package ui

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

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
