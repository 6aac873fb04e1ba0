package ui

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"ormlab/runner/trace"
)

func pev(t float64, ev string, conn, out, ov, idle int, detail string) trace.PoolEvent {
	return trace.PoolEvent{TMS: t, Event: ev, Conn: conn, CheckedOut: out, Overflow: ov, Idle: idle, Detail: detail}
}

// samplePool is lesson 2's pool on the real clock: one connection, checked
// out twice, everything within 2 ms.
func samplePool() []trace.PoolEvent {
	return []trace.PoolEvent{
		pev(0.342, "connect", 1, 1, -4, 0, ""),
		pev(0.344, "checkout", 1, 1, -4, 0, ""),
		pev(0.953, "reset", 1, 1, -4, 0, "rollback"),
		pev(0.958, "checkin", 1, 0, -4, 1, ""),
		pev(1.030, "checkout", 1, 1, -4, 0, ""),
		pev(1.265, "reset", 1, 1, -4, 0, "rollback"),
		pev(1.266, "checkin", 1, 0, -4, 1, ""),
	}
}

// capPool is a virtual-clock demo: pool_size 1, max_overflow 1, timeout
// 30 s. Two connections, a third checkout waits and times out, then the
// first connection is recycled.
func capPool() []trace.PoolEvent {
	return []trace.PoolEvent{
		pev(0, "connect", 1, 1, -0, 0, ""),
		pev(0, "checkout", 1, 1, 0, 0, ""),
		pev(1, "overflow", 0, 2, 1, 0, "overflow 1 of 1"),
		pev(1, "connect", 2, 2, 1, 0, ""),
		pev(1, "checkout", 2, 2, 1, 0, ""),
		pev(2, "wait", 0, 2, 1, 0, "at the cap of 2 connections, waiting up to 30.00 s"),
		pev(30002, "timeout", 0, 2, 1, 0, "QueuePool limit of size 1 overflow 1 reached"),
		pev(30003, "checkin", 2, 1, 0, 0, "pool full"),
		pev(30003, "close", 2, 1, 0, 0, ""),
		pev(30004, "checkin", 1, 0, 0, 1, ""),
		pev(3630004, "recycle", 1, 1, 0, 0, "connection 1 is 1h0m0s old, older than pool_recycle 1h0m0s"),
		pev(3630004, "close", 1, 1, 0, 0, "recycled"),
		pev(3630005, "connect", 3, 1, 0, 0, ""),
		pev(3630005, "checkout", 3, 1, 0, 0, ""),
	}
}

func spans(l PoolLane, kind string) []PoolSpan {
	var out []PoolSpan
	for _, s := range l.Spans {
		if s.Kind == kind {
			out = append(out, s)
		}
	}
	return out
}

func markerEvents(l PoolLane) string {
	var ev []string
	for _, m := range l.Markers {
		ev = append(ev, m.Event)
	}
	return strings.Join(ev, ",")
}

func TestLayoutPoolEmpty(t *testing.T) {
	if l := LayoutPool(nil); len(l.Lanes) != 0 || len(l.X) != 0 || l.Width != 0 || len(l.Summaries) != 0 {
		t.Errorf("no events gave %+v", l)
	}
}

func TestLayoutPoolRealClock(t *testing.T) {
	evs := samplePool()
	l := LayoutPool(evs)
	if len(l.Lanes) != 1 || l.Lanes[0].Conn != 1 || l.Lanes[0].Label != "conn 1" {
		t.Fatalf("lanes %+v", l.Lanes)
	}
	lane := l.Lanes[0]
	out := spans(lane, SpanOut)
	if len(out) != 2 || out[0].From != 1 || out[0].To != 3 || out[1].From != 4 || out[1].To != 6 {
		t.Errorf("checked-out spans %+v, want events 1→3 and 4→6", out)
	}
	open := spans(lane, SpanOpen)
	if len(open) != 1 || open[0].From != 0 || !open[0].Unended || open[0].X2 <= l.X[len(evs)-1] {
		t.Errorf("open span %+v: the connection is never closed, so it runs to the end", open)
	}
	if got := markerEvents(lane); got != "reset,reset" {
		t.Errorf("markers %s", got)
	}
	// Every event takes at least the minimum step, and a longer gap takes
	// more room than a shorter one.
	for i := 1; i < len(l.X); i++ {
		if l.X[i]-l.X[i-1] < plMinStep {
			t.Errorf("event %d is %v after the previous one", i, l.X[i]-l.X[i-1])
		}
	}
	if step := func(i int) float64 { return l.X[i] - l.X[i-1] }; !(step(2) > step(5) && step(5) > step(3)) {
		t.Errorf("steps for gaps of 0.609, 0.235 and 0.005 ms: %v %v %v", step(2), step(5), step(3))
	}
	// Within 2 ms on the real clock, the timeline stays compact.
	if l.Width > plLabelW+float64(len(evs))*(plMinStep+plGapPx)+plTail+40 {
		t.Errorf("a 1 ms run is %v wide", l.Width)
	}
	s := l.Summaries
	if len(s) != 1 || s[0].Opened != 1 || s[0].PeakCheckedOut != 1 || s[0].OverflowUsed != 0 || s[0].Waits != 0 {
		t.Errorf("summary %+v", s)
	}
	if got := s[0].Text(); got != "1 connection opened · peak 1 checked out · overflow used 0 · 0 waits · 0 timeouts" {
		t.Errorf("summary text %q", got)
	}
	if !reflect.DeepEqual(l, LayoutPool(evs)) {
		t.Error("two layouts of the same events differ")
	}
}

func TestLayoutPoolVirtualClockCapWaitTimeoutRecycle(t *testing.T) {
	evs := capPool()
	l := LayoutPool(evs)
	var labels []string
	for _, ln := range l.Lanes {
		labels = append(labels, ln.Label)
	}
	if strings.Join(labels, "|") != "pool 1|conn 1|conn 2|conn 3" {
		t.Fatalf("lanes %q", labels)
	}
	pool, c1, c2, c3 := l.Lanes[0], l.Lanes[1], l.Lanes[2], l.Lanes[3]
	if got := markerEvents(pool); got != "overflow,wait,timeout" {
		t.Errorf("pool lane markers %s", got)
	}
	if w := spans(pool, SpanWait); len(w) != 1 || w[0].From != 5 || w[0].To != 6 {
		t.Errorf("the wait runs %+v, want from the wait (5) to its timeout (6)", w)
	}
	if got := markerEvents(c1); got != "recycle" {
		t.Errorf("conn 1 markers %s", got)
	}
	// conn 1 exists from its connect to the close after the recycle; conn
	// 3 replaces it and is still checked out at the end.
	if o := spans(c1, SpanOpen); len(o) != 1 || o[0].From != 0 || o[0].To != 11 || o[0].Unended {
		t.Errorf("conn 1 open span %+v", o)
	}
	if o := spans(c2, SpanOpen); len(o) != 1 || o[0].From != 3 || o[0].To != 8 {
		t.Errorf("conn 2 open span %+v", o)
	}
	if o := spans(c3, SpanOut); len(o) != 1 || !o[0].Unended || o[0].From != 13 {
		t.Errorf("conn 3 checked-out span %+v", o)
	}
	for _, ln := range l.Lanes {
		for i := 1; i < len(ln.Spans); i++ {
			if ln.Spans[i-1].Kind == SpanOut && ln.Spans[i].Kind == SpanOpen {
				t.Errorf("%s: an open line is drawn over a checked-out bar", ln.Label)
			}
		}
		if ln.Y < 0 || ln.Y+plLaneH > l.Height-plAxisH+0.01 {
			t.Errorf("%s lies outside the drawing", ln.Label)
		}
	}
	// The 30 s wait and the hour before the recycle take more room than a
	// step, but compressed: the whole hour is a few hundred pixels.
	wait := l.X[6] - l.X[5]
	hour := l.X[10] - l.X[9]
	if !(wait > 3*plMinStep && hour > wait && hour < 400) {
		t.Errorf("a 30 s gap takes %v, an hour %v", wait, hour)
	}
	var ticks []string
	for i, tk := range l.Ticks {
		ticks = append(ticks, tk.Label)
		if i > 0 && tk.X-l.Ticks[i-1].X < plTickGap {
			t.Errorf("time labels %q and %q overlap", l.Ticks[i-1].Label, tk.Label)
		}
		if i > 0 && tk.Label == l.Ticks[i-1].Label {
			t.Errorf("two time labels in a row say %q", tk.Label)
		}
		if tk.X+float64(len(tk.Label))*plTickCharW/2 > l.Width {
			t.Errorf("time label %q runs past the drawing's right edge %v", tk.Label, l.Width)
		}
	}
	if got := strings.Join(ticks, "|"); !strings.HasPrefix(got, "0|") || !strings.Contains(got, "|30 s|") || !strings.HasSuffix(got, "|3630 s") {
		t.Errorf("time labels %s", got)
	}
	s := l.Summaries[0]
	if s.Opened != 3 || s.PeakCheckedOut != 2 || s.OverflowUsed != 1 || s.Waits != 1 || s.Timeouts != 1 || s.Recycles != 1 {
		t.Errorf("summary %+v", s)
	}
}

func TestLayoutPoolSeveralPools(t *testing.T) {
	evs := []trace.PoolEvent{
		pev(0.1, "connect", 1, 1, -4, 0, ""),
		pev(0.2, "checkout", 1, 1, -4, 0, ""),
		{TMS: 0.05, Event: "connect", Conn: 1, CheckedOut: 1, Pool: 2},
		{TMS: 0.06, Event: "checkout", Conn: 1, CheckedOut: 1, Pool: 2},
		{TMS: 0.07, Event: "checkout", Conn: 2, CheckedOut: 2, Pool: 2},
		pev(0.3, "checkin", 1, 0, -4, 1, ""),
	}
	l := LayoutPool(evs)
	var labels []string
	for _, ln := range l.Lanes {
		labels = append(labels, ln.Label)
	}
	if strings.Join(labels, "|") != "p1 conn 1|p2 conn 1|p2 conn 2" {
		t.Errorf("lanes %q", labels)
	}
	// Pool 2's clock started later: its earlier times must not move x back.
	for i := 1; i < len(l.X); i++ {
		if l.X[i] < l.X[i-1]+plMinStep {
			t.Errorf("x goes back at event %d", i)
		}
	}
	if len(l.Summaries) != 2 || l.Summaries[1].Pool != 2 || l.Summaries[1].PeakCheckedOut != 2 || l.Summaries[0].PeakCheckedOut != 1 {
		t.Errorf("summaries %+v", l.Summaries)
	}
	if o := spans(l.Lanes[2], SpanOpen); len(o) != 1 || o[0].From != 4 || !o[0].Unended {
		t.Errorf("a connection first seen at a checkout: open span %+v", o)
	}
}

func TestFormatMS(t *testing.T) {
	for in, want := range map[float64]string{0: "0", 0.342: "0.342 ms", 12.5: "12.5 ms", 999: "999 ms", 30000: "30 s", 1500: "1.5 s", 3630004: "3630 s"} {
		if got := FormatMS(in); got != want {
			t.Errorf("FormatMS(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestLayoutPoolFailedConnectAndInvalidate(t *testing.T) {
	evs := []trace.PoolEvent{
		pev(0, "connect", 0, 0, -5, 0, "failed: connection refused"),
		pev(5, "connect", 1, 1, -4, 0, ""),
		pev(5, "checkout", 1, 1, -4, 0, ""),
		pev(9, "invalidate", 1, 1, -4, 0, "server closed the connection"),
		pev(9, "close", 1, 0, -5, 0, ""),
	}
	l := LayoutPool(evs)
	if len(l.Lanes) != 2 || l.Lanes[0].Conn != 0 || markerEvents(l.Lanes[0]) != "connect" || markerEvents(l.Lanes[1]) != "invalidate" {
		t.Fatalf("lanes %+v", l.Lanes)
	}
	// Closed while checked out: both spans end at the close.
	for _, s := range l.Lanes[1].Spans {
		if s.To != 4 || s.Unended {
			t.Errorf("span %+v does not end at the close", s)
		}
	}
	if s := l.Summaries[0]; s.Opened != 1 || s.Invalidations != 1 {
		t.Errorf("a failed connect counted as opened: %+v", s)
	}
}

func TestLayoutPoolWaitsEndInOrder(t *testing.T) {
	// Two checkouts wait at the cap of one connection; the first is handed
	// the returned connection, the second times out; a third still waits
	// when the trace ends.
	evs := []trace.PoolEvent{
		pev(0, "connect", 1, 1, 0, 0, ""),
		pev(0, "checkout", 1, 1, 0, 0, ""),
		pev(1, "wait", 0, 1, 0, 0, ""),
		pev(2, "wait", 0, 1, 0, 0, ""),
		pev(10, "checkin", 1, 1, 0, 0, "handed to a waiting checkout"),
		pev(10, "checkout", 1, 1, 0, 0, ""),
		pev(30002, "timeout", 0, 1, 0, 0, ""),
		pev(30003, "wait", 0, 1, 0, 0, ""),
	}
	l := LayoutPool(evs)
	w := spans(l.Lanes[0], SpanWait)
	if len(w) != 3 || w[0].From != 2 || w[0].To != 5 || w[1].From != 3 || w[1].To != 6 || w[2].From != 7 || !w[2].Unended {
		t.Errorf("wait spans %+v", w)
	}
	if o := spans(l.Lanes[1], SpanOut); len(o) != 2 || o[0].To != 4 || o[1].From != 5 || !o[1].Unended {
		t.Errorf("conn 1 checked out %+v", o)
	}
}

func TestPoolTimelineDrawsABoundedNumberOfEvents(t *testing.T) {
	var evs []trace.PoolEvent
	for i := 0; len(evs) < 3*MaxPoolShown; i++ {
		c := i + 1
		evs = append(evs, pev(float64(i), "connect", c, 1, -4, 0, ""), pev(float64(i), "checkout", c, 1, -4, 0, ""),
			pev(float64(i)+0.5, "checkin", c, 0, -4, 1, ""), pev(float64(i)+0.5, "close", c, 0, -4, 0, ""))
	}
	c, _ := labAt(t, "/lessons/first-run")
	c.tr = &trace.Trace{Pool: evs}
	c.tab = "pool"
	html := render(t, c)
	if n := strings.Count(html, `<tr data-event=`); n != MaxPoolShown {
		t.Errorf("the list has %d rows, want %d", n, MaxPoolShown)
	}
	if !strings.Contains(html, `id="pool-cut"`) || !strings.Contains(html, fmt.Sprintf("first %d of %d pool events", MaxPoolShown, len(evs))) {
		t.Error("no notice that the view is cut")
	}
	if want := fmt.Sprintf("%d connections opened", len(evs)/4); !strings.Contains(html, want) {
		t.Errorf("the summary does not count every event (%s)", want)
	}
	if n := strings.Count(html, `data-k="pl-lane"`); n != MaxPoolShown/4 {
		t.Errorf("%d lanes drawn, want %d", n, MaxPoolShown/4)
	}
}
