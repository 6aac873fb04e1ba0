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
