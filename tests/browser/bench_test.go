//go:build browsertest

package browser

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/chromedp/chromedp"

	"ormlab/lessons"
)

// BenchmarkWasmSizes reports each wasm's size raw and with brotli at its
// best level (budgets: UI ≤ 2 MB, runner ≤ 6 MB brotli).
func BenchmarkWasmSizes(b *testing.B) {
	for _, w := range []struct{ name, path string }{{"ui", "web/app.wasm"}, {"runner", "runner.wasm"}} {
		raw, err := os.ReadFile(filepath.Join(siteDir, w.path))
		if err != nil {
			b.Fatalf("%s: %v", w.name, err)
		}
		b.ReportMetric(float64(len(raw))/(1<<20), w.name+"_raw_MiB")
		b.ReportMetric(float64(brotliSize(b, raw))/(1<<20), w.name+"_brotli_MiB")
	}
	for i := 0; i < b.N; i++ {
	}
}

// pageTimes opens a lesson and returns, on the page's clock (ms since
// navigation start): first contentful paint (the prerendered lesson text)
// and the moment Run is ready (UI wasm started, runner worker ready).
func pageTimes(b *testing.B, ctx contextT, u string) (textMS, readyMS float64) {
	b.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(u),
		poll(`document.querySelector("#run[data-ready='1']") !== null`, 60*time.Second),
	)
	if err != nil {
		b.Fatal(err)
	}
	readyMS = eval[float64](b, ctx, `performance.now()`)
	textMS = eval[float64](b, ctx, `(performance.getEntriesByName("first-contentful-paint")[0] || {startTime: -1}).startTime`)
	return textMS, readyMS
}

// startMarks returns, on the page's clock, when the runner worker was
// created, when the UI wasm had started (it asks for the runner) and when
// the runner first reported ready: web/ormlab.js's performance marks, the
// split of "Run ready" between the two wasm.
func startMarks(b *testing.B, ctx contextT) (runnerStartMS, uiMS, runnerMS float64) {
	b.Helper()
	at := func(name string) float64 {
		return eval[float64](b, ctx, `(performance.getEntriesByName("`+name+`")[0] || {startTime: -1}).startTime`)
	}
	return at("ormlab:runner-start"), at("ormlab:ui-up"), at("ormlab:runner-ready")
}

// BenchmarkLoad: cold (fresh browser context: empty cache, no service
// worker) and warm (a new tab in that context afterwards) loads of a lesson.
func BenchmarkLoad(b *testing.B) {
	var coldText, coldReady, warmText, warmReady []float64
	var coldStart, coldUI, coldRunner, warmStart, warmUI, warmRunner []float64 // runner worker created; UI wasm up; runner ready
	for i := 0; i < 3*b.N; i++ {
		ctx, _ := browser(b)
		u := siteURL + "/lessons/first-run"
		t, r := pageTimes(b, ctx, u)
		coldText, coldReady = append(coldText, t), append(coldReady, r)
		st, ui, rn := startMarks(b, ctx)
		coldStart, coldUI, coldRunner = append(coldStart, st), append(coldUI, ui), append(coldRunner, rn)
		// Warm means cached: wait until go-app's service worker is active,
		// i.e. it has finished putting the site (both wasm) in its cache.
		evalAwait[bool](b, ctx, `navigator.serviceWorker.ready.then(() => true)`)
		// Close the page (and its runner workers): the learner comes back later.
		if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
			b.Fatal(err)
		}
		// A new tab of the same browser context: the learner coming back
		// later (HTTP cache, service worker and compiled-code cache warm).
		tab, cancel := chromedp.NewContext(ctx)
		t, r = pageTimes(b, tab, u)
		st, ui, rn = startMarks(b, tab)
		cancel()
		warmText, warmReady = append(warmText, t), append(warmReady, r)
		warmStart, warmUI, warmRunner = append(warmStart, st), append(warmUI, ui), append(warmRunner, rn)
	}
	b.ReportMetric(median(coldText), "cold_text_ms")
	b.ReportMetric(median(coldReady), "cold_run_ready_ms")
	b.ReportMetric(median(warmText), "warm_text_ms")
	b.ReportMetric(median(warmReady), "warm_run_ready_ms")
	b.ReportMetric(median(coldStart), "cold_runner_start_ms")
	b.ReportMetric(median(coldUI), "cold_ui_up_ms")
	b.ReportMetric(median(coldRunner), "cold_runner_ready_ms")
	b.ReportMetric(median(warmStart), "warm_runner_start_ms")
	b.ReportMetric(median(warmUI), "warm_ui_up_ms")
	b.ReportMetric(median(warmRunner), "warm_runner_ready_ms")
}

// BenchmarkRunLatency: click on Run → trace rendered, measured in the page,
// median of 9 runs of every lesson after one warm-up run (the budget:
// ≤ 150 ms for every lesson).
func BenchmarkRunLatency(b *testing.B) {
	ctx, _ := browser(b)
	all, err := lessons.All()
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range all {
		slug := l.Slug
		openLab(b, ctx, siteURL+"/lessons/"+slug)
		// Steady state: the spare runner has finished loading.
		if err := chromedp.Do(ctx, poll(`ormlab.runner.spareReady === true`, 60*time.Second)); err != nil {
			b.Fatal(err)
		}
		runProgram(b, ctx, 30*time.Second) // warm-up
		var ms []float64
		for i := 0; i < 9*b.N; i++ {
			v := evalAwait[float64](b, ctx, `new Promise((resolve) => {
				const p = document.getElementById("panel");
				const want = String(Number(p.dataset.run) + 1);
				const t0 = performance.now();
				const obs = new MutationObserver(() => {
					if (p.dataset.run === want && p.dataset.done === "true") {
						obs.disconnect();
						requestAnimationFrame(() => resolve(performance.now() - t0));
					}
				});
				obs.observe(p, {attributes: true});
				document.getElementById("run").click();
			})`)
			ms = append(ms, v)
		}
		b.ReportMetric(median(ms), slug+"_run_median_ms")
		fmt.Fprintf(os.Stderr, "run latency %s: %v\n", slug, ms)
	}
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// brotliSize compresses at quality 11 with the brotli command (C, many
// times faster on a 30 MB wasm) when installed, else with the Go package
// cmd/build uses; both write the same format at the same quality.
func brotliSize(b *testing.B, raw []byte) int {
	if path, err := exec.LookPath("brotli"); err == nil {
		cmd := exec.Command(path, "-q", "11", "-c")
		cmd.Stdin = bytes.NewReader(raw)
		out, err := cmd.Output()
		if err == nil {
			return len(out)
		}
		b.Logf("brotli command failed (%v); using the Go encoder", err)
	}
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
	bw.Write(raw)
	bw.Close()
	return br.Len()
}
