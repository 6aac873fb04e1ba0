// Package ui is ORM Lab's user interface: go-app components for the home
// page, the lesson pages and the playground. The same code prerenders every
// page natively (cmd/build) and runs in the browser as the UI wasm
// (wasm/app). It only renders runner traces; running programs is the runner
// worker's job (web/ormlab.js talks to it).
package ui

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// File is one source file of a program, as sent to the runner.
type File struct {
	Name    string `json:"name"`
	Content string `json:"content"`
}

// Lesson is a lesson as the UI needs it: its text already rendered to HTML
// at build time (goldmark + chroma), so the UI wasm carries no Markdown or
// highlighting code.
type Lesson struct {
	Slug        string `json:"slug"`
	Title       string `json:"title"`
	Summary     string `json:"summary"`
	Order       int    `json:"order"`
	HTML        string `json:"html"`                   // lesson text
	ProgramHTML string `json:"program_html,omitempty"` // main.go highlighted, shown before the editor loads (prerendering only)
	Files       []File `json:"files"`
	// Exercise is the lesson's task, checked after every run by Checks
	// (rules of package lessons/check).
	Exercise string   `json:"exercise,omitempty"`
	Checks   []string `json:"checks,omitempty"`
	Solution []File   `json:"solution,omitempty"` // one way to do the exercise
}

// Catalog is the course as shipped: every lesson, in order.
type Catalog struct {
	Lessons []Lesson `json:"lessons"`
}

// CatalogElementID is the id of the <script type="application/json"> element
// that carries the catalog in every page (see CatalogScript): the UI wasm
// reads it synchronously at start, so the lesson the prerendered page shows
// is on screen again at the first client render, with no fetch and no flash.
const CatalogElementID = "ormlab-catalog"

var (
	catMu   sync.RWMutex
	catalog Catalog
)

// SetCatalog installs the catalog (cmd/build does this before prerendering).
func SetCatalog(c Catalog) {
	catMu.Lock()
	defer catMu.Unlock()
	catalog = c
}

func currentCatalog() Catalog {
	catMu.RLock()
	defer catMu.RUnlock()
	return catalog
}

// CatalogScript is the raw <script> element embedding c in a page's head.
// encoding/json escapes <, > and &, so no lesson text can close the element.
// The highlighted programs are left out: only prerendering shows them (in
// the browser the editor shows the program), and they were half the
// catalog, repeated in every page.
func CatalogScript(c Catalog) (string, error) {
	slim := Catalog{Lessons: make([]Lesson, len(c.Lessons))}
	for i, l := range c.Lessons {
		l.ProgramHTML = ""
		slim.Lessons[i] = l
	}
	b, err := json.Marshal(slim)
	if err != nil {
		return "", err
	}
	return `<script type="application/json" id="` + CatalogElementID + `">` + string(b) + `</script>`, nil
}

// ErrNoCatalog means the page carried no catalog element.
var ErrNoCatalog = errors.New("ui: the page has no lesson catalog")

// loadCatalogFromPage reads the catalog element in the browser.
func loadCatalogFromPage() error {
	el := app.Window().Get("document").Call("getElementById", CatalogElementID)
	if !el.Truthy() {
		return ErrNoCatalog
	}
	var c Catalog
	if err := json.Unmarshal([]byte(el.Get("textContent").String()), &c); err != nil {
		return err
	}
	SetCatalog(c)
	return nil
}

// lessonBySlug returns the lesson and its index in the catalog.
func lessonBySlug(slug string) (Lesson, int, bool) {
	c := currentCatalog()
	for i, l := range c.Lessons {
		if l.Slug == slug {
			return l, i, true
		}
	}
	return Lesson{}, -1, false
}

// basePath is the sub-path the site is served under ("" at a host's root),
// from go-app's root prefix so that links work on any static host.
func basePath() string {
	return strings.TrimRight(app.Getenv("GOAPP_ROOT_PREFIX"), "/")
}

func link(p string) string { return basePath() + p }

func cloneFiles(fs []File) []File { return append([]File(nil), fs...) }
