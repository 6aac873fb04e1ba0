package ui

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"
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
