package ui

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"ormlab/runner/trace"
)

// Pool timeline geometry (SVG user units). The x axis is neither linear
// time nor plain event order: each event moves right by at least plMinStep,
// and a gap in time adds room on a log scale. So a run on the real clock
// (everything within 2 ms) and a demo on virtual time (30 s waits) are both
// readable, and a longer gap always looks longer.
const (
	plLabelW    = 96  // lane labels on the left
	plMinStep   = 18  // per event
	plGapPx     = 28  // per decade of gap …
	plGapUnit   = 0.1 // … measured in units of 0.1 ms
	plTail      = 28  // after the last event: where open spans end
	plLaneH     = 28
	plAxisH     = 22 // time labels under the lanes
	plTop       = 8
	plTickGap   = 72  // minimum distance between two time labels
	plTickCharW = 6.7 // advance of a character of a time label (11px monospace)
)

// PoolLayout is a placed pool timeline: lanes, time labels, and each event's
// x position (X[i] is the x of events[i]).
type PoolLayout struct {
	Width, Height float64
	X             []float64
	Lanes         []PoolLane
	Ticks         []PoolTick
	Summaries     []PoolSummary // one per pool, in pool order
}

// PoolLane is one connection of one pool (Conn > 0), or the pool's own
// lane (Conn 0) for what concerns no connection yet: overflow, waits,
// timeouts, failed connects.
type PoolLane struct {
	Pool, Conn int
	Label      string
	Y          float64 // top of the lane
	Spans      []PoolSpan
	Markers    []PoolMarker
}

// Span kinds.
const (
	SpanOpen = "open" // the connection exists: connect → close
	SpanOut  = "out"  // it is checked out: checkout → checkin
	SpanWait = "wait" // on the pool's lane: a checkout waiting at the cap → its checkout or timeout
)

// PoolSpan is a stretch of a lane. From and To are event indexes (To -1
// when the trace ends first: the span runs to the end, Unended).
type PoolSpan struct {
	Kind     string
	From, To int
	X1, X2   float64
	Unended  bool
}

// PoolMarker is one event drawn as a symbol: overflow, wait, timeout,
// recycle, invalidate, reset, or "connect" (a failed one, on the pool lane).
type PoolMarker struct {
	Event  string
	Index  int
	X      float64
	Detail string
}

// PoolTick is a time label on the x axis.
type PoolTick struct {
	X     float64
	Label string
}

// PoolSummary counts what one pool did.
type PoolSummary struct {
	Pool           int
	Opened         int // successful connects
	PeakCheckedOut int
	OverflowUsed   int // peak of the overflow counter above pool_size (0 if never)
	Waits          int
	Timeouts       int
	Recycles       int
	Invalidations  int
}

// Text is the summary line.
func (s PoolSummary) Text() string {
	return fmt.Sprintf("%s opened · peak %d checked out · overflow used %d · %s · %s",
		plural(s.Opened, "connection"), s.PeakCheckedOut, s.OverflowUsed, plural(s.Waits, "wait"), plural(s.Timeouts, "timeout"))
}

// SummarizePool counts what each pool did, in order of the pools' first
// events.
func SummarizePool(evs []trace.PoolEvent) []PoolSummary {
	var out []PoolSummary
	at := map[int]int{}
	for _, e := range evs {
		p := max(e.Pool, 1)
		i, ok := at[p]
		if !ok {
			i = len(out)
			at[p] = i
			out = append(out, PoolSummary{Pool: p})
		}
		s := &out[i]
		s.PeakCheckedOut = max(s.PeakCheckedOut, e.CheckedOut)
		s.OverflowUsed = max(s.OverflowUsed, e.Overflow)
		switch e.Event {
		case "connect":
			if e.Conn > 0 {
				s.Opened++
			}
		case "wait":
			s.Waits++
		case "timeout":
			s.Timeouts++
		case "recycle":
			s.Recycles++
		case "invalidate":
			s.Invalidations++
		}
	}
	return out
}

// FormatMS writes a pool time for the axis: "0.34 ms", "12.5 ms", "30 s".
func FormatMS(ms float64) string {
	switch {
	case ms == 0:
		return "0"
	case ms < 1000:
		return strconv.FormatFloat(ms, 'g', 3, 64) + " ms"
	case ms < 100000:
		return strconv.FormatFloat(ms/1000, 'g', 3, 64) + " s"
	}
	return strconv.FormatFloat(ms/1000, 'f', 0, 64) + " s"
}

func poolLabel(pool int) string {
	if pool <= 1 {
		return "pool 1"
	}
	return "pool " + strconv.Itoa(pool)
}

type laneKey struct{ pool, conn int }

// LayoutPool places evs (in trace order) on one lane per connection of each
// pool. It is deterministic and total: any event sequence gives a layout.
func LayoutPool(evs []trace.PoolEvent) PoolLayout {
	var out PoolLayout
	if len(evs) == 0 {
		return out
	}
	// Pool 0 and 1 are both the first engine's pool (the runner numbers
	// pools from the second engine on).
	poolOf := func(e trace.PoolEvent) int { return max(e.Pool, 1) }
	multi := false
	for _, e := range evs {
		if poolOf(e) != poolOf(evs[0]) {
			multi = true
		}
	}

	// x positions. Each pool has its own clock, so a gap is measured from
	// the same pool's previous event.
	out.X = make([]float64, len(evs))
	last := map[int]float64{}
	x := float64(plLabelW + 12)
	lastTick := math.Inf(-1)
	for i, e := range evs {
		p := poolOf(e)
		gap := 0.0
		if t, ok := last[p]; ok && e.TMS > t {
			gap = e.TMS - t
		}
		last[p] = math.Max(last[p], e.TMS)
		extra := plGapPx * math.Log10(1+gap/plGapUnit)
		if i > 0 {
			x += plMinStep + extra
		}
		out.X[i] = x
		// Label the first and last events and those after a visible gap,
		// never two labels on top of each other.
		if (i == 0 || extra >= plMinStep || i == len(evs)-1) && x-lastTick >= plTickGap {
			label := FormatMS(e.TMS)
			if multi {
				label = poolLabel(p) + " " + label
			}
			// Two labels saying the same (30 s, then 30 s again 2 ms later)
			// tell nothing: keep the first.
			if n := len(out.Ticks); n == 0 || out.Ticks[n-1].Label != label {
				out.Ticks = append(out.Ticks, PoolTick{X: x, Label: label})
				lastTick = x
			}
		}
	}
	end := x + plTail

	// Lanes in order: by pool, the pool's own lane first, then connections
	// by number.
	lanes := map[laneKey]*PoolLane{}
	var keys []laneKey
	lane := func(k laneKey) *PoolLane {
		if l, ok := lanes[k]; ok {
			return l
		}
		l := &PoolLane{Pool: k.pool, Conn: k.conn}
		switch {
		case k.conn == 0:
			l.Label = poolLabel(k.pool)
		case multi:
			l.Label = fmt.Sprintf("p%d conn %d", k.pool, k.conn)
		default:
			l.Label = fmt.Sprintf("conn %d", k.conn)
		}
		lanes[k] = l
		keys = append(keys, k)
		return l
	}
	type openState struct{ open, out int } // event index where the span began, -1 none
	state := map[laneKey]*openState{}
	// Waits pending per pool, oldest first. The pool wakes waiters in
	// order and a waiter times out after the same pool_timeout, and while
	// one waits no connection is idle: so the next checkout or timeout of
	// the pool ends the oldest wait.
	waiting := map[int][]int{}
	for i, e := range evs {
		p := poolOf(e)
		if (e.Event == "checkout" || e.Event == "timeout") && len(waiting[p]) > 0 {
			w := waiting[p][0]
			waiting[p] = waiting[p][1:]
			pl := lanes[laneKey{p, 0}]
			pl.Spans = append(pl.Spans, PoolSpan{Kind: SpanWait, From: w, To: i, X1: out.X[w], X2: out.X[i]})
		}
		k := laneKey{p, e.Conn}
		l := lane(k)
		if e.Conn == 0 {
			if e.Event == "wait" {
				waiting[p] = append(waiting[p], i)
			}
			l.Markers = append(l.Markers, PoolMarker{Event: e.Event, Index: i, X: out.X[i], Detail: e.Detail})
			continue
		}
		st := state[k]
		if st == nil {
			st = &openState{open: -1, out: -1}
			state[k] = st
			if e.Event != "connect" {
				// The trace shows this connection already open (it
				// cannot today, but a partial trace must still draw).
				st.open = i
			}
		}
		closeSpan := func(kind string, from *int) {
			if *from >= 0 {
				l.Spans = append(l.Spans, PoolSpan{Kind: kind, From: *from, To: i, X1: out.X[*from], X2: out.X[i]})
				*from = -1
			}
		}
		switch e.Event {
		case "connect":
			if st.open < 0 {
				st.open = i
			}
		case "checkout":
			if st.open < 0 {
				st.open = i
			}
			if st.out < 0 {
				st.out = i
			}
		case "checkin":
			closeSpan(SpanOut, &st.out)
		case "close":
			closeSpan(SpanOut, &st.out)
			closeSpan(SpanOpen, &st.open)
		default: // recycle, invalidate, reset, anything new
			l.Markers = append(l.Markers, PoolMarker{Event: e.Event, Index: i, X: out.X[i], Detail: e.Detail})
		}
	}
	sort.SliceStable(keys, func(a, b int) bool {
		if keys[a].pool != keys[b].pool {
			return keys[a].pool < keys[b].pool
		}
		return keys[a].conn < keys[b].conn
	})
	y := float64(plTop)
	for _, k := range keys {
		l := lanes[k]
		if k.conn == 0 {
			for _, w := range waiting[k.pool] {
				l.Spans = append(l.Spans, PoolSpan{Kind: SpanWait, From: w, To: -1, X1: out.X[w], X2: end, Unended: true})
			}
		}
		// Spans still open when the trace ends run to its end.
		if st := state[k]; st != nil {
			if st.out >= 0 {
				l.Spans = append(l.Spans, PoolSpan{Kind: SpanOut, From: st.out, To: -1, X1: out.X[st.out], X2: end, Unended: true})
			}
			if st.open >= 0 {
				l.Spans = append(l.Spans, PoolSpan{Kind: SpanOpen, From: st.open, To: -1, X1: out.X[st.open], X2: end, Unended: true})
			}
		}
		// Thin "open" lines under the thick "out" bars.
		sort.SliceStable(l.Spans, func(a, b int) bool {
			if (l.Spans[a].Kind == SpanOpen) != (l.Spans[b].Kind == SpanOpen) {
				return l.Spans[a].Kind == SpanOpen
			}
			return l.Spans[a].X1 < l.Spans[b].X1
		})
		l.Y = y
		y += plLaneH
		out.Lanes = append(out.Lanes, *l)
	}
	out.Summaries = SummarizePool(evs)
	out.Width = end + 16
	if n := len(out.Ticks); n > 0 {
		// Room for the last label, centred on its event.
		t := out.Ticks[n-1]
		out.Width = math.Max(out.Width, math.Ceil(t.X+float64(len(t.Label))*plTickCharW/2+6))
	}
	out.Height = y + plAxisH
	return out
}

// eventKey is an event name safe for an attribute (go-app does not escape
// attributes when it prerenders): a known kind, else "other".
func eventKey(ev string) string {
	switch ev {
	case "connect", "checkout", "checkin", "overflow", "wait", "timeout", "recycle", "invalidate", "reset", "close":
		return ev
	}
	return "other"
}

// markerShape draws an event symbol centred on (x, y).
func markerShape(ev string, x, y float64) app.UI {
	switch ev {
	case "overflow": // a triangle pointing up: one more than pool_size
		return svgEl("path", "").Attr("d", "M"+pt(x, y-6)+" L"+pt(x+6, y+5)+" L"+pt(x-6, y+5)+" Z")
	case "wait": // an hourglass
		return svgEl("path", "").Attr("d", "M"+pt(x-5, y-6)+" L"+pt(x+5, y-6)+" L"+pt(x-5, y+6)+" L"+pt(x+5, y+6)+" Z")
	case "timeout", "invalidate", "connect": // a cross: something failed or was thrown away
		return svgEl("path", "").Attr("d", "M"+pt(x-5, y-5)+" L"+pt(x+5, y+5)+" M"+pt(x+5, y-5)+" L"+pt(x-5, y+5))
	case "recycle": // a diamond
		return svgEl("path", "").Attr("d", "M"+pt(x, y-6)+" L"+pt(x+6, y)+" L"+pt(x, y+6)+" L"+pt(x-6, y)+" Z")
	case "reset": // a dot above the bar: the connection was rolled back or reset
		return svgEl("circle", "").Attr("cx", num(x)).Attr("cy", num(y-9)).Attr("r", 2.5)
	}
	return svgEl("circle", "").Attr("cx", num(x)).Attr("cy", num(y)).Attr("r", 4)
}

// MaxPoolShown bounds the events the timeline and the list draw: a loop of
// sessions can make tens of thousands, and drawing them all would stall the
// page. The summary still counts every event.
const MaxPoolShown = 400

// PoolTimeline renders the pool events as lanes, a summary and an event list.
func PoolTimeline(all []trace.PoolEvent) app.UI {
	if len(all) == 0 {
		return app.P().Class("hint").Text("No pool events yet: run the program to see its connections being checked out and returned.")
	}
	evs := all
	if len(evs) > MaxPoolShown {
		evs = evs[:MaxPoolShown]
	}
	l := LayoutPool(evs)
	l.Summaries = SummarizePool(all)
	multi := len(l.Summaries) > 1
	lanes := make([]app.UI, 0, len(l.Lanes)+len(l.Ticks))
	// Time guides first, so that the lanes are drawn over them.
	axisY := l.Height - plAxisH
	for _, t := range l.Ticks {
		lanes = append(lanes, svgEl("g", "pl-tick").Body(
			svgEl("line", "").Attr("x1", num(t.X)).Attr("x2", num(t.X)).Attr("y1", plTop).Attr("y2", num(axisY+4)),
			svgEl("text", "").Attr("x", num(t.X)).Attr("y", num(axisY+16)).Attr("text-anchor", "middle").Text(t.Label),
		))
	}
	for _, lane := range l.Lanes {
		lanes = append(lanes, poolLane(evs, l, lane))
	}
	var sums []app.UI
	for _, s := range l.Summaries {
		txt := s.Text()
		if multi {
			txt = poolLabel(s.Pool) + ": " + txt
		}
		sums = append(sums, app.P().Class("pool-summary").Text(txt))
	}
	return app.Div().ID("pool").Class("pool-view").Body(
		app.Div().Class("summaries").Body(sums...),
		app.If(len(all) > len(evs), app.P().ID("pool-cut").Class("notice").Text(fmt.Sprintf("The timeline and the list show the first %d of %d pool events.", len(evs), len(all)))),
		app.Div().Class("svg-scroll").Body(
			svgEl("svg", "pl").Attr("width", num(l.Width)).Attr("height", num(l.Height)).
				Attr("viewBox", "0 0 "+num(l.Width)+" "+num(l.Height)).Role("img").
				Aria("label", fmt.Sprintf("Connection pool timeline: %s, %s", plural(len(l.Lanes), "lane"), plural(len(evs), "event"))).
				Body(lanes...),
		),
		poolLegend(),
		app.Table().ID("pool-events").Class("data pool-events").Body(
			app.Caption().Text("Pool events"),
			app.THead().Body(app.Tr().Body(
				app.Th().Text("t (ms)"), app.If(multi, app.Th().Text("pool")), app.Th().Text("event"), app.Th().Text("conn"),
				app.Th().Text("checked out"), app.Th().Text("overflow"), app.Th().Text("idle"), app.Th().Text("detail"),
			)),
			app.TBody().Body(app.Range(evs).Slice(func(i int) app.UI {
				e := evs[i]
				conn := "–"
				if e.Conn > 0 {
					conn = strconv.Itoa(e.Conn)
				}
				return app.Tr().DataSet("event", eventKey(e.Event)).Body(
					app.Td().Text(strconv.FormatFloat(e.TMS, 'f', 3, 64)),
					app.If(multi, app.Td().Text(max(e.Pool, 1))),
					app.Td().Text(e.Event),
					app.Td().Text(conn),
					app.Td().Text(e.CheckedOut), app.Td().Text(e.Overflow), app.Td().Text(e.Idle),
					app.Td().Class("detail").Text(e.Detail),
				)
			})),
		),
	)
}

// poolLegend explains the symbols with the symbols themselves (glyphs
// such as ⧗ are missing from many fonts).
func poolLegend() app.UI {
	sw := func(shape app.UI, label string) app.UI {
		return app.Span().Class("swatch").Body(
			svgEl("svg", "").Attr("width", 18).Attr("height", 18).Attr("viewBox", "0 0 18 18").Aria("hidden", "true").Body(shape),
			app.Text(label),
		)
	}
	mark := func(ev, label string) app.UI {
		y := 9.0
		if ev == "reset" {
			y = 14 // its dot is drawn above the centre
		}
		return sw(svgEl("g", "pl-marker").DataSet("event", ev).Body(markerShape(ev, 9, y)), label)
	}
	return app.P().Class("legend pool-legend").Body(
		sw(svgEl("rect", "pl-out").Attr("x", 1).Attr("y", 4).Attr("width", 16).Attr("height", 10).Attr("rx", 2), "checked out"),
		sw(svgEl("rect", "pl-open").Attr("x", 1).Attr("y", 8).Attr("width", 16).Attr("height", 3), "connection open"),
		sw(svgEl("rect", "pl-wait").Attr("x", 1).Attr("y", 5).Attr("width", 16).Attr("height", 8).Attr("rx", 2), "waiting"),
		mark("overflow", "overflow"),
		mark("wait", "wait"),
		mark("timeout", "timeout, invalidate, failed connect"),
		mark("recycle", "recycle"),
		mark("reset", "reset on return"),
		app.Span().Text("Time is compressed: each event takes a step, longer gaps take more room."),
	)
}

func poolLane(evs []trace.PoolEvent, l PoolLayout, lane PoolLane) app.UI {
	mid := lane.Y + plLaneH/2
	g := []app.UI{
		svgEl("line", "pl-guide").Attr("x1", plLabelW).Attr("x2", num(l.Width-16)).Attr("y1", num(mid)).Attr("y2", num(mid)),
		svgEl("text", "pl-label").Attr("x", 6).Attr("y", num(mid+4)).Text(lane.Label),
	}
	for _, s := range lane.Spans {
		var r app.HTMLElem
		what := "open"
		switch s.Kind {
		case SpanOpen:
			r = svgEl("rect", "pl-open").Attr("x", num(s.X1)).Attr("y", num(mid-1.5)).Attr("width", num(s.X2-s.X1)).Attr("height", 3)
		case SpanWait:
			what = "a checkout waiting"
			r = svgEl("rect", "pl-wait").Attr("x", num(s.X1)).Attr("y", num(mid-4)).Attr("width", num(max(s.X2-s.X1, 3))).Attr("height", 8).Attr("rx", 2)
		default:
			what = "checked out"
			r = svgEl("rect", "pl-out").Attr("x", num(s.X1)).Attr("y", num(mid-6)).Attr("width", num(max(s.X2-s.X1, 3))).Attr("height", 12).Attr("rx", 2)
		}
		to := "the end of the run"
		if !s.Unended {
			to = FormatMS(evs[s.To].TMS)
		}
		g = append(g, r.DataSet("from", s.From).Body(
			svgEl("title", "").Text(fmt.Sprintf("%s %s from %s to %s", lane.Label, what, FormatMS(evs[s.From].TMS), to))))
	}
	for _, m := range lane.Markers {
		tip := m.Event + " at " + FormatMS(evs[m.Index].TMS)
		if m.Detail != "" {
			tip += ": " + m.Detail
		}
		g = append(g, svgEl("g", "pl-marker").DataSet("event", eventKey(m.Event)).DataSet("i", m.Index).Body(
			svgEl("title", "").Text(tip),
			markerShape(m.Event, m.X, mid),
		))
	}
	return svgEl("g", "pl-lane").DataSet("pool", lane.Pool).DataSet("conn", lane.Conn).Body(g...)
}
