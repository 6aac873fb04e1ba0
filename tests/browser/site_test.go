//go:build browsertest

// Package browser drives the built site in headless Chromium (Debian's
// chromium, installed by scripts/deps.sh): the tests of issue 7's
// end-to-end behaviour, and the load/run timing benchmarks. Run with
// `make test-browser` / `make bench`.
package browser

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

// tabTimeout bounds each tab's whole life.
const tabTimeout = 2 * time.Minute

var (
	repoRoot  string
	siteDir   string
	siteURL   string // the real site, served by `cmd/build serve`
	fakeURL   string // the same site with a fake runner worker (canned traces)
	artifacts string
)

func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "browser tests:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	if _, err := os.Stat(chromiumPath); err != nil {
		return 0, fmt.Errorf("%s is missing: install it with `apt-get install chromium` (scripts/deps.sh does)", chromiumPath)
	}
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return 0, err
	}
	repoRoot = filepath.Dir(strings.TrimSpace(string(out)))
	artifacts = filepath.Join(repoRoot, "tests", "artifacts")
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		return 0, err
	}
	tmp, err := os.MkdirTemp("", "ormlab-browser-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)

	tool := filepath.Join(tmp, "buildtool")
	if err := run(repoRoot, "go", "build", "-o", tool, "./cmd/build"); err != nil {
		return 0, err
	}
	siteDir = filepath.Join(tmp, "site")
	args := []string{"-out", siteDir, "-fast"}
	if w := os.Getenv("ORMLAB_RUNNER_WASM"); w != "" {
		// A prebuilt runner.wasm (see cmd/build -runner-wasm).
		args = append(args, "-runner-wasm", w)
	}
	if err := run(repoRoot, tool, args...); err != nil {
		return 0, fmt.Errorf("building the site: %w", err)
	}
	port, err := freePort()
	if err != nil {
		return 0, err
	}
	srv := exec.Command(tool, "serve", "-dir", siteDir, "-addr", fmt.Sprintf("127.0.0.1:%d", port))
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		return 0, err
	}
	defer func() { srv.Process.Kill(); srv.Wait() }()
	siteURL = fmt.Sprintf("http://127.0.0.1:%d", port)
	if err := waitHTTP(siteURL + "/"); err != nil {
		return 0, err
	}

	// The fake site proxies to the real one but answers /runner-worker.js
	// with a worker that returns a canned trace: it shows the SQL and Tables
	// views with four dialects whatever state the ORM is in.
	target, _ := url.Parse(siteURL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/runner-worker.js" {
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, fakeWorkerJS)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer fake.Close()
	fakeURL = fake.URL

	return m.Run(), nil
}

func run(dir, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, buf.String())
	}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func waitHTTP(u string) error {
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(u); err == nil {
			res.Body.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("the site server did not answer at %s", u)
}

var (
	rootOnce sync.Once
	rootCtx  context.Context
	rootErr  error
)

// browser returns a tab in a fresh browser context (no cache, no storage)
// of the shared headless Chromium, plus the tab's watcher.
func browser(tb testing.TB) (context.Context, *watcher) {
	tb.Helper()
	rootOnce.Do(func() {
		actx, _ := chromedp.NewExecAllocator(context.Background(),
			chromedp.ExecPath(chromiumPath),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.NoDefaultBrowserCheck,
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-default-apps", true),
			chromedp.Flag("disable-extensions", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-dev-shm-usage", true),
			chromedp.Flag("metrics-recording-only", true),
			chromedp.Flag("no-pings", true),
			chromedp.WindowSize(1400, 900),
		)
		rootCtx, _ = chromedp.NewContext(actx)
		// The first run starts the browser; it lives until the test binary exits.
		rootErr = chromedp.Do(rootCtx)
	})
	if rootErr != nil {
		tb.Fatalf("starting %s: %v", chromiumPath, rootErr)
	}
	return newTab(tb, rootCtx)
}

// newTab opens a tab in a new browser context of the same browser (a
// "fresh browser": separate cache, storage and clipboard state).
func newTab(tb testing.TB, parent context.Context) (context.Context, *watcher) {
	tb.Helper()
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	tb.Cleanup(cancel)
	// Opens the tab; then bound everything it does, so that a wait for
	// something that never happens fails the test instead of hanging it.
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatal(err)
	}
	ctx, cancelT := context.WithTimeout(ctx, tabTimeout)
	tb.Cleanup(cancelT)
	w := &watcher{}
	if err := chromedp.Listen(ctx, w.on); err != nil {
		tb.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		tb.Fatal(err)
	}
	watchConsole(tb, ctx, w)
	tb.Cleanup(func() { w.check(tb) })
	return ctx, w
}

// watcher records what a page does that it must not: console errors,
// exceptions, requests to other origins, dialogs (alert).
type watcher struct {
	mu       sync.Mutex
	problems []string
	lenient  bool // a test that breaks the page on purpose sets it
}

func (w *watcher) add(s string) {
	w.mu.Lock()
	w.problems = append(w.problems, s)
	w.mu.Unlock()
}

func (w *watcher) on(ev any) {
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		if e.Request != nil && !localURL(e.Request.URL) {
			w.add("request to another origin: " + e.Request.URL)
		}
	case *network.EventLoadingFailed:
		if !e.Canceled {
			w.add("a request failed: " + e.ErrorText)
		}
	case *page.EventJavascriptDialogOpening:
		w.add("a dialog opened: " + e.Message)
	}
}

func localURL(u string) bool {
	if strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "blob:") {
		return true
	}
	p, err := url.Parse(u)
	return err == nil && (p.Hostname() == "127.0.0.1" || p.Hostname() == "localhost")
}

// check fails the test for anything the watcher or the console saw.
func (w *watcher) check(tb testing.TB) {
	tb.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.lenient {
		return
	}
	for _, p := range w.problems {
		tb.Error(p)
	}
}

// console collects the tab's console errors until the test ends and then
// fails the test for each.
func watchConsole(tb testing.TB, ctx context.Context, w *watcher) {
	msgs := chromedp.Console(ctx)
	var (
		mu   sync.Mutex
		bad  []string
		done = make(chan struct{})
	)
	go func() {
		defer close(done)
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == "error" || m.IsException() {
				mu.Lock()
				bad = append(bad, m.String())
				mu.Unlock()
			}
		}
	}()
	tb.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		w.mu.Lock()
		lenient := w.lenient
		w.mu.Unlock()
		if lenient {
			return
		}
		for _, b := range bad {
			tb.Errorf("console error: %s", b)
		}
	})
}

func screenshot(tb testing.TB, ctx context.Context, name string) {
	tb.Helper()
	img, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.Errorf("screenshot %s: %v", name, err)
		return
	}
	p := filepath.Join(artifacts, name+".png") // quality 100: PNG
	if err := os.WriteFile(p, img, 0o644); err != nil {
		tb.Error(err)
	}
}

func poll(expr string, timeout time.Duration) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(timeout))
}

func eval[T any](tb testing.TB, ctx context.Context, expr string) T {
	tb.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// openLab opens a lab page and waits until the editor is mounted and the
// runner is ready.
func openLab(tb testing.TB, ctx context.Context, u string) {
	tb.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(u),
		chromedp.WaitVisible(chromedp.CSS("#lesson-text")),
		poll(`document.querySelector("#editor[data-kind=codemirror], #editor[data-kind=textarea]") !== null`, 20*time.Second),
		poll(`document.querySelector("#run[data-ready='1']") !== null`, 30*time.Second),
	)
	if err != nil {
		tb.Fatalf("opening %s: %v", u, err)
	}
}

// runProgram clicks Run and waits for the run to be rendered.
func runProgram(tb testing.TB, ctx context.Context, timeout time.Duration) {
	tb.Helper()
	n := eval[string](tb, ctx, `document.getElementById("panel").dataset.run`)
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#run")),
		poll(fmt.Sprintf(`(p => p.dataset.run !== %q && p.dataset.done === "true")(document.getElementById("panel"))`, n), timeout),
	)
	if err != nil {
		tb.Fatalf("running: %v", err)
	}
}

func setCode(tb testing.TB, ctx context.Context, code string) {
	tb.Helper()
	q, _ := json.Marshal(code) // a JSON string is a JavaScript string literal
	eval[bool](tb, ctx, `ormlab.setCode(`+string(q)+`, true), true`)
}

// contextT is the context type the helpers take.
type contextT = context.Context

func evalAwait[T any](tb testing.TB, ctx context.Context, expr string) T {
	tb.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.Fatalf("evaluating: %v", err)
	}
	return v
}
