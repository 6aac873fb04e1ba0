package ui

import (
	"encoding/json"
	"fmt"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The bridge to web/ormlab.js: the editor (CodeMirror, or a textarea when
// the bundle did not load), the runner worker, the clipboard and the
// keyboard shortcuts live in JavaScript; the UI wasm calls them through the
// global "ormlab" object. Every call is a no-op outside the browser, and a
// JavaScript exception never escapes as a Go panic.

func glue() (v app.Value, ok bool) {
	if !app.IsClient {
		return nil, false
	}
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	v = app.Window().Get("ormlab")
	return v, v.Truthy()
}

func glueCall(method string, args ...any) (res app.Value, err error) {
	g, ok := glue()
	if !ok {
		return nil, fmt.Errorf("ui: web/ormlab.js is not loaded (calling %s)", method)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("ui: ormlab.%s failed: %v", method, r)
		}
	}()
	return g.Call(method, args...), nil
}

// mountEditor puts the editor into the element with the given id and returns
// "codemirror" or "textarea".
func mountEditor(id, doc string, onChange func(string)) string {
	cb := app.FuncOf(func(this app.Value, args []app.Value) any {
		if len(args) > 0 {
			onChange(args[0].String())
		}
		return nil
	})
	v, err := glueCall("mountEditor", id, doc, cb)
	if err != nil || v == nil {
		return ""
	}
	return v.String()
}

func setEditorCode(doc string) { glueCall("setCode", doc) }
func markErrorLine(line int)   { glueCall("markError", line) }

// startRunner spawns the runner worker (once per page) and reports when it
// is ready to run.
func startRunner(base string, onReady func()) {
	cb := app.FuncOf(func(this app.Value, args []app.Value) any {
		onReady()
		return nil
	})
	glueCall("startRunner", base, cb)
}

// run sends files to the runner; done gets kind "result" (payload: trace
// JSON), "error", "timeout" (payload: message) or "cancelled".
func run(files []File, timeoutMS int, done func(kind, payload string)) error {
	b, err := json.Marshal(files)
	if err != nil {
		return err
	}
	cb := app.FuncOf(func(this app.Value, args []app.Value) any {
		kind, payload := "", ""
		if len(args) > 0 {
			kind = args[0].String()
		}
		if len(args) > 1 {
			payload = args[1].String()
		}
		done(kind, payload)
		return nil
	})
	_, err = glueCall("run", string(b), timeoutMS, cb)
	return err
}

// onShortcut registers the page's keyboard shortcuts: "run" for
// Ctrl/Cmd+Enter and "share" for Ctrl/Cmd+S.
func onShortcut(fn func(name string)) {
	cb := app.FuncOf(func(this app.Value, args []app.Value) any {
		if len(args) > 0 {
			fn(args[0].String())
		}
		return nil
	})
	glueCall("onShortcut", cb)
}

// shareURL puts fragment into the address bar (without a history entry) and
// copies the full URL; it returns the URL.
func shareURL(fragment string) string {
	v, err := glueCall("share", fragment)
	if err != nil || v == nil {
		return ""
	}
	return v.String()
}

func currentFragment() string {
	if !app.IsClient {
		return ""
	}
	return app.Window().URL().Fragment
}

// Drafts live in localStorage as JSON under "ormlab:draft:<key>". Storage
// can be unavailable (private mode, quota): then drafts are simply not kept.
func loadDraft(key string) ([]File, bool) {
	v, err := glueCall("loadDraft", key)
	if err != nil || v == nil || v.IsNull() || v.IsUndefined() {
		return nil, false
	}
	var fs []File
	if json.Unmarshal([]byte(v.String()), &fs) != nil || len(fs) == 0 {
		return nil, false
	}
	return fs, true
}

func saveDraft(key string, fs []File) {
	b, _ := json.Marshal(fs)
	glueCall("saveDraft", key, string(b))
}

func dropDraft(key string) { glueCall("dropDraft", key) }
