package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"ormlab/lessons"
)

func TestRenderLessons(t *testing.T) {
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := renderCatalog(all)
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Lessons) != len(all) {
		t.Fatalf("%d lessons rendered of %d", len(cat.Lessons), len(all))
	}
	l := cat.Lessons[0]
	if !strings.Contains(l.HTML, "<h1 id=") || !strings.Contains(l.HTML, "<code>orm.CreateEngine(&quot;sqlite://&quot;)</code>") {
		t.Errorf("lesson HTML: %.300s", l.HTML)
	}
	if !strings.Contains(l.ProgramHTML, `class="chroma"`) || !strings.Contains(l.ProgramHTML, "CreateEngine") {
		t.Errorf("program not highlighted: %.200s", l.ProgramHTML)
	}
	var b bytes.Buffer
	if err := highlight(&b, "SELECT 1 -- <b>", "sql"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "<b>") {
		t.Error("highlighted code is not escaped")
	}
}

// TestBuildUnderSubPath builds everything but the wasm for /sub/lab and
// checks that pages only point inside it.
func TestBuildUnderSubPath(t *testing.T) {
	out := t.TempDir()
	if err := Build(Options{Out: out, Base: "/sub/lab", Root: "../..", SkipWasm: true, Fast: true}); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(out, "lessons", "first-run.html"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	for _, want := range []string{`href="/sub/lab/web/style.css"`, `src="/sub/lab/web/ormlab.js"`, `href="/sub/lab/lessons/one-to-many"`, `id="ormlab-catalog"`, "Your first run"} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	for _, bad := range []string{`href="/web/`, `src="/web/`, "https://", "http://"} {
		if strings.Contains(html, bad) {
			i := strings.Index(html, bad)
			t.Errorf("page has %q: …%s…", bad, html[max(0, i-80):min(len(html), i+80)])
		}
	}
	for _, f := range []string{"index.html", "play.html", "web/editor.js", "web/editor.js.br", "web/icon-192.png", "wasm_exec.js", "manifest.webmanifest"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	// The UI wasm is instantiated from a plain fetch of its own URL (so the
	// browser can reuse its compiled code on the next visit), not from
	// go-app's progress-counting stream.
	appJS, err := os.ReadFile(filepath.Join(out, "app.js"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(appJS, []byte(`instantiateStreaming(
      fetch("/sub/lab/web/app.wasm")`)) || bytes.Contains(appJS, []byte(`fetchWithProgress("`)) {
		i := bytes.Index(appJS, []byte("instantiateStreaming("))
		t.Errorf("app.js does not instantiate the UI wasm from a plain fetch: …%s…", appJS[max(0, i):min(len(appJS), i+200)])
	}
	manifest, _ := os.ReadFile(filepath.Join(out, "manifest.webmanifest"))
	if bytes.Contains(manifest, []byte("githubusercontent")) || !bytes.Contains(manifest, []byte("/sub/lab/web/icon-512.png")) {
		t.Errorf("manifest icons: %s", manifest)
	}

	// Served under the sub-path.
	srv := httptest.NewServer(&Site{Dir: out, Base: "/sub/lab"})
	defer srv.Close()
	res, err := http.Get(srv.URL + "/sub/lab/lessons/first-run")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("sub-path page: %d", res.StatusCode)
	}
	if res, _ := http.Get(srv.URL + "/lessons/first-run"); res.StatusCode != 404 {
		t.Errorf("outside the sub-path: %d, want 404", res.StatusCode)
	}
}

func TestSiteServesPrecompressed(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	wasm := bytes.Repeat([]byte("\x00asm fake module "), 1000)
	must(os.MkdirAll(filepath.Join(dir, "web"), 0o755))
	must(os.MkdirAll(filepath.Join(dir, "lessons"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "web", "app.wasm"), wasm, 0o644))
	must(os.WriteFile(filepath.Join(dir, "index.html"), []byte("<h1>home</h1>"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "lessons", "a.html"), []byte("<h1>a</h1>"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "web", "icon-192.png"), []byte("\x89PNG"), 0o644))
	n, err := compressTree(dir, true)
	must(err)
	if n != 3 {
		t.Errorf("%d files compressed, want 3 (not the png)", n)
	}
	srv := httptest.NewServer(&Site{Dir: dir})
	defer srv.Close()
	get := func(path, accept string) (*http.Response, []byte) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Accept-Encoding", accept)
		res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		must(err)
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}
	res, body := get("/web/app.wasm", "gzip, deflate, br")
	if res.Header.Get("Content-Type") != "application/wasm" || res.Header.Get("Content-Encoding") != "br" {
		t.Errorf("wasm: %q %q", res.Header.Get("Content-Type"), res.Header.Get("Content-Encoding"))
	}
	if raw, _ := io.ReadAll(brotli.NewReader(bytes.NewReader(body))); !bytes.Equal(raw, wasm) {
		t.Error("brotli body does not decode to the file")
	}
	if res.Header.Get(rawLengthHeader) != "17000" {
		t.Errorf("raw length header %q", res.Header.Get(rawLengthHeader))
	}
	res, body = get("/web/app.wasm", "gzip;q=1, br;q=0")
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("br;q=0 still got %q", res.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	must(err)
	if raw, _ := io.ReadAll(zr); !bytes.Equal(raw, wasm) {
		t.Error("gzip body does not decode to the file")
	}
	res, body = get("/lessons/a", "identity")
	if res.Header.Get("Content-Encoding") != "" || string(body) != "<h1>a</h1>" || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Errorf("plain page: %q %q", res.Header.Get("Content-Encoding"), body)
	}
	if res, body = get("/", ""); string(body) != "<h1>home</h1>" {
		t.Errorf("/ gave %d %q", res.StatusCode, body)
	}
	for _, p := range []string{"/nope", "/../etc/passwd", "/lessons/"} {
		if res, _ := get(p, ""); res.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", p, res.StatusCode)
		}
	}
}

func TestAcceptsEncoding(t *testing.T) {
	for h, want := range map[string]bool{"br": true, "gzip, br": true, "BR;q=0.5": true, "br;q=0": false, "gzip": false, "": false, "brotli": false} {
		if got := acceptsEncoding(h, "br"); got != want {
			t.Errorf("acceptsEncoding(%q, br) = %v", h, got)
		}
	}
}
