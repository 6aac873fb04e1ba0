package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"ormlab/lessons"
	"ormlab/wasm/app/ui"
)

// Options configure Build.
type Options struct {
	Out  string // output directory, emptied first
	Base string // sub-path the site is served under; "" for a host's root
	Root string // repository root (default ".")
	Log  func(format string, args ...any)
	// SkipWasm leaves out both wasm builds (for fast tests of the rest).
	SkipWasm bool
	// RunnerWasm, when set, is a prebuilt runner.wasm to ship instead of
	// building ./wasm/runner (a cached build, or a known-good one while the
	// runner's dependencies are mid-change).
	RunnerWasm string
	// Fast compresses with quick settings (tests); sizes then overstate
	// what a release build ships.
	Fast bool
}

// ErrEditorBundle means the editor's npm packages are missing.
var ErrEditorBundle = errors.New("the editor bundle cannot be built")

// Build writes the whole site into o.Out.
func Build(o Options) error {
	if o.Root == "" {
		o.Root = "."
	}
	if o.Log == nil {
		o.Log = func(string, ...any) {}
	}
	if o.Base != "" {
		o.Base = "/" + strings.Trim(o.Base, "/")
	}
	start := time.Now()
	out := o.Out
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(out, "web"), 0o755); err != nil {
		return err
	}

	all, err := lessons.All()
	if err != nil {
		return err
	}
	cat, err := renderCatalog(all)
	if err != nil {
		return err
	}
	o.Log("%d lessons rendered", len(cat.Lessons))

	if !o.SkipWasm {
		if err := goBuildWasm(o.Root, "./wasm/app", filepath.Join(out, "web", "app.wasm")); err != nil {
			return fmt.Errorf("UI wasm: %w", err)
		}
		o.Log("UI wasm built")
		if o.RunnerWasm != "" {
			if err := copyFile(o.RunnerWasm, filepath.Join(out, "runner.wasm")); err != nil {
				return fmt.Errorf("runner wasm: %w", err)
			}
			o.Log("runner wasm copied from %s (not built)", o.RunnerWasm)
		} else if hasGoPackage(filepath.Join(o.Root, "wasm", "runner")) {
			if err := goBuildWasm(o.Root, "./wasm/runner", filepath.Join(out, "runner.wasm")); err != nil {
				return fmt.Errorf("runner wasm: %w", err)
			}
			o.Log("runner wasm built")
		} else {
			o.Log("SKIPPED runner.wasm: ./wasm/runner has no Go package yet; Run will fail in this build")
		}
	}
	if err := copyFile(filepath.Join(o.Root, "web", "runner-worker.js"), filepath.Join(out, "runner-worker.js")); err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			return err
		}
		o.Log("SKIPPED runner-worker.js: web/runner-worker.js does not exist yet")
	}
	for _, f := range []string{"style.css", "ormlab.js", "icon.svg"} {
		if err := copyFile(filepath.Join(o.Root, "web", f), filepath.Join(out, "web", f)); err != nil {
			return err
		}
	}
	css, err := chromaCSS()
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "web", "chroma.css"), []byte(css), 0o644); err != nil {
		return err
	}
	for _, size := range []int{192, 512} {
		if err := writeIcon(filepath.Join(out, "web", fmt.Sprintf("icon-%d.png", size)), size); err != nil {
			return err
		}
	}
	if err := buildEditor(o.Root, filepath.Join(out, "web", "editor.js")); err != nil {
		return err
	}
	o.Log("editor bundle built")

	if err := prerender(o, cat); err != nil {
		return err
	}
	// go-app writes its own copy of wasm_exec.js, which may be older than
	// the Go that built the wasm; both wasm need the toolchain's own.
	if err := copyFile(filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"), filepath.Join(out, "wasm_exec.js")); err != nil {
		return fmt.Errorf("wasm_exec.js from GOROOT: %w", err)
	}
	o.Log("%d pages prerendered", len(ui.Pages()))

	n, err := compressTree(out, o.Fast)
	if err != nil {
		return err
	}
	o.Log("%d files compressed (brotli, gzip)", n)
	if err := reportSizes(out, o.Fast, o.Log); err != nil {
		return err
	}
	o.Log("done in %s: %s", time.Since(start).Round(time.Millisecond), out)
	return nil
}

func prerender(o Options, cat ui.Catalog) error {
	ui.SetCatalog(cat)
	ui.Register()
	script, err := ui.CatalogScript(cat)
	if err != nil {
		return err
	}
	var res app.ResourceProvider = app.LocalDir("")
	if o.Base != "" {
		res = app.CustomProvider("", o.Base)
	}
	version, err := siteVersion(o.Out, script)
	if err != nil {
		return err
	}
	var cacheable []string
	for _, f := range []string{"runner.wasm", "runner-worker.js"} {
		if _, err := os.Stat(filepath.Join(o.Out, f)); err == nil {
			cacheable = append(cacheable, o.Base+"/"+f)
		}
	}
	h := &app.Handler{
		Name:        "ORM Lab",
		ShortName:   "ORM Lab",
		Title:       "ORM Lab",
		Description: "Learn how an ORM works by running one in your browser: Go programs, SQL in four dialects, no server.",
		Lang:        "en",
		Icon: app.Icon{
			Default:    "/web/icon-192.png",
			Large:      "/web/icon-512.png",
			SVG:        "/web/icon.svg",
			AppleTouch: "/web/icon-192.png",
		},
		BackgroundColor: "#fbfbfa",
		ThemeColor:      "#1f4e79",
		LoadingLabel:    "Loading…", // no {progress}: see plainWasmFetch
		Styles:          []string{"/web/chroma.css", "/web/style.css"},
		// ormlab.js is small and runs first, so the UI wasm always finds it
		// (drafts are read at start); the editor bundle is deferred so the
		// lesson text paints without waiting for it.
		Scripts:                 []string{"/web/ormlab.js", "/web/editor.js defer"},
		RawHeaders:              []string{script, noScript},
		CacheableResources:      cacheable,
		Resources:               res,
		Version:                 version,
		WasmContentLengthHeader: rawLengthHeader,
	}
	if err := app.GenerateStaticWebsite(o.Out, h, ui.Pages()...); err != nil {
		return err
	}
	if err := plainWasmFetch(o.Out); err != nil {
		return err
	}
	return stripBuildURLs(o.Out)
}

// wasmProgressFetch is go-app's loader handing the UI wasm to
// instantiateStreaming through fetchWithProgress, which re-wraps the body
// in a new Response around a ReadableStream to count bytes.
var wasmProgressFetch = regexp.MustCompile(`fetchWithProgress\(("[^"]*app\.wasm"), showProgress\)`)

// plainWasmFetch makes go-app's app.js instantiate the UI wasm from a plain
// fetch. A Response built from a stream has no URL and no cache entry
// behind it, so the browser can neither stream-compile it from its cache
// nor reuse the code it compiled on an earlier visit: every warm load
// compiled the UI wasm again. The percentage label goes (LoadingLabel has
// no {progress}); on a warm load the wasm arrives at once anyway.
func plainWasmFetch(out string) error {
	p := filepath.Join(out, "app.js")
	b, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	if !wasmProgressFetch.Match(b) {
		return fmt.Errorf("%s: go-app's wasm loader changed (no fetchWithProgress(…app.wasm…)); update plainWasmFetch", p)
	}
	return os.WriteFile(p, wasmProgressFetch.ReplaceAll(b, []byte("fetch($1)")), 0o644)
}

// ogURL matches the og:url meta tag go-app derives from the request URL;
// when prerendering, that is the throwaway local server's address, which
// must not ship. go-app writes the two attributes in either order.
var ogURL = regexp.MustCompile(`\s*<meta (?:property="og:url" content="http://127\.0\.0\.1:[0-9]+[^"]*"|content="http://127\.0\.0\.1:[0-9]+[^"]*" property="og:url")>`)

func stripBuildURLs(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".html" {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(p, ogURL.ReplaceAll(b, nil), 0o644)
	})
}

// noScript hides the wasm loading badge when scripts are off: the page is
// then only the prerendered text, and nothing is loading.
const noScript = `<noscript><style>#app-wasm-loader{display:none}</style></noscript>`

// siteVersion changes whenever what the pages load changes, so that go-app's
// service worker replaces its cached copy.
func siteVersion(out, catalog string) (string, error) {
	h := sha256.New()
	io.WriteString(h, catalog)
	for _, f := range []string{"web/app.wasm", "runner.wasm", "runner-worker.js", "web/editor.js", "web/ormlab.js", "web/style.css"} {
		b, err := os.ReadFile(filepath.Join(out, f))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

func goBuildWasm(root, pkg, out string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", mustAbs(out), pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s for js/wasm: %w", pkg, err)
	}
	return nil
}

func buildEditor(root, out string) error {
	dir := filepath.Join(root, "web", "editor")
	esbuild := filepath.Join(dir, "node_modules", ".bin", "esbuild")
	if _, err := os.Stat(esbuild); err != nil {
		return fmt.Errorf("%w: %s is missing; run scripts/deps.sh (npm ci in web/editor)", ErrEditorBundle, esbuild)
	}
	cmd := exec.Command(mustAbs(esbuild), "src/editor.js", "--bundle", "--minify", "--format=iife", "--log-level=warning", "--outfile="+mustAbs(out))
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%w: esbuild: %v", ErrEditorBundle, err)
	}
	return nil
}

// hasGoPackage reports whether dir holds a non-test Go file.
func hasGoPackage(dir string) bool {
	ms, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, m := range ms {
		if !strings.HasSuffix(m, "_test.go") {
			return true
		}
	}
	return false
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}

func mustAbs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

// writeIcon draws the app icon (a database cylinder on a blue tile, like
// web/icon.svg) as a PNG: go-app and browsers want bitmap icons, and
// drawing it keeps binary files out of the repository.
func writeIcon(path string, size int) error {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	bg := color.RGBA{0x1f, 0x4e, 0x79, 0xff}
	body := color.RGBA{0x5a, 0xa9, 0xe6, 0xff}
	top := color.RGBA{0x9f, 0xd3, 0xff, 0xff}
	s := float64(size) / 64
	r := 14 * s
	in := func(x, y float64) bool { // rounded square
		cx, cy := clamp(x, r, float64(size)-r), clamp(y, r, float64(size)-r)
		return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r
	}
	ell := func(x, y, cx, cy float64) bool { // the cylinder's ellipses
		dx, dy := (x-cx)/(17*s), (y-cy)/(6*s)
		return dx*dx+dy*dy <= 1
	}
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			x, y := float64(px)+0.5, float64(py)+0.5
			switch {
			case !in(x, y):
				continue
			case ell(x, y, 32*s, 17*s):
				img.Set(px, py, top)
			case x >= 15*s && x <= 49*s && y >= 17*s && y <= 47*s, ell(x, y, 32*s, 47*s):
				img.Set(px, py, body)
			default:
				img.Set(px, py, bg)
			}
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func clamp(v, lo, hi float64) float64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
