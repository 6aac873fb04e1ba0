package ui

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"ormlab/runner/trace"
)

// ER diagram geometry, in SVG user units (CSS pixels). Text is monospace at
// 12px, so a box's width follows from its longest line without measuring it
// in the browser (the layout stays pure Go and testable natively).
const (
	erCharW   = 7.3 // advance of one monospace character at 12px (0.6em), rounded up
	erPadX    = 10
	erHeaderH = 24
	erRowH    = 18
	erPadY    = 6  // below the last row
	erColGap  = 96 // between columns: room for the edge curves
	erBoxGap  = 28 // between boxes of one column
	erMargin  = 40 // around everything: room for self and same-column loops
	erLoop    = 36 // how far a loop edge bulges out of its box
)

// ERLayout is a placed ER diagram: one box per table, one edge per foreign
// key whose referenced table is in the schema.
type ERLayout struct {
	Width, Height float64
	Boxes         []ERBox
	Edges         []EREdge
}

// ERBox is one table. Column is the foreign-key depth: 0 for tables that
// reference no other table, else one more than the deepest table referenced.
type ERBox struct {
	Table      string
	Column     int
	X, Y, W, H float64
	Rows       []ERRow
}

// ERRow is one column of a table, with its text as drawn.
type ERRow struct {
	Name, Type   string
	PK, FK, Null bool
	Ref          string  // "authors.id" for a foreign-key column
	Text         string  // "author_id INTEGER FK → authors.id"
	Y            float64 // centre line of the row
}

// Edge kinds: how the edge is drawn.
const (
	EdgeForward = "forward" // parent in a column to the left (the usual case)
	EdgeBack    = "back"    // parent to the right: a foreign-key cycle
	EdgeSame    = "same"    // parent in the same column: a cycle too
	EdgeSelf    = "self"    // a table referencing itself: a loop on its left side
)

// EREdge joins the foreign-key column row of the child box (From, FromRow)
// to the referenced column row of the parent box (To, ToRow; -1 when that
// column is not in the parent, then the edge ends at its header).
type EREdge struct {
	From, To       int // box indexes
	FromRow, ToRow int
	Kind           string
	X1, Y1, X2, Y2 float64
	Path           string // SVG path data
}

// erRowText is what a column row says: name, type and markers.
func erRowText(c trace.Column, ref string) string {
	s := c.Name
	if c.Type != "" {
		s += " " + c.Type
	}
	if c.PrimaryKey {
		s += " PK"
	}
	if ref != "" {
		s += " FK → " + ref
	}
	if c.Nullable && !c.PrimaryKey {
		s += " NULL"
	}
	return s
}

func erTextW(s string) float64 { return float64(utf8.RuneCountInString(s)) * erCharW }

// LayoutER places s's tables in columns by foreign-key depth (referenced
// tables left of the tables that reference them) and joins them with edges.
// It is deterministic: the same schema gives the same layout.
func LayoutER(s trace.Schema) ERLayout {
	var out ERLayout
	n := len(s.Tables)
	if n == 0 {
		return out
	}
	byName := map[string]int{}
	for i, t := range s.Tables {
		if _, dup := byName[t.Name]; !dup {
			byName[t.Name] = i
		}
	}

	// Depth by a depth-first walk in declaration order; an edge back to a
	// table still on the walk's stack closes a cycle and is ignored for the
	// depth (it is drawn as a curve), so the walk always ends.
	refs := make([][]int, n)
	for i, t := range s.Tables {
		for _, fk := range t.ForeignKeys {
			if j, ok := byName[fk.RefTable]; ok && j != i {
				refs[i] = append(refs[i], j)
			}
		}
	}
	depth := make([]int, n)
	state := make([]uint8, n) // 0 new, 1 on the stack, 2 done
	var visit func(i int)
	visit = func(i int) {
		state[i] = 1
		d := 0
		for _, j := range refs[i] {
			if state[j] == 1 {
				continue
			}
			if state[j] == 0 {
				visit(j)
			}
			d = max(d, depth[j]+1)
		}
		depth[i], state[i] = d, 2
	}
	for i := range s.Tables {
		if state[i] == 0 {
			visit(i)
		}
	}

	// Boxes and their rows.
	out.Boxes = make([]ERBox, n)
	for i, t := range s.Tables {
		fkRef := map[string]string{}
		for _, fk := range t.ForeignKeys {
			for k, col := range fk.Columns {
				if _, seen := fkRef[col]; seen {
					continue
				}
				rc := "?"
				if k < len(fk.RefColumns) {
					rc = fk.RefColumns[k]
				}
				fkRef[col] = fk.RefTable + "." + rc
			}
		}
		b := ERBox{Table: t.Name, Column: depth[i]}
		w := erTextW(t.Name)
		for _, c := range t.Columns {
			ref := fkRef[c.Name]
			r := ERRow{Name: c.Name, Type: c.Type, PK: c.PrimaryKey, FK: ref != "", Null: c.Nullable && !c.PrimaryKey, Ref: ref, Text: erRowText(c, ref)}
			w = max(w, erTextW(r.Text))
			b.Rows = append(b.Rows, r)
		}
		b.W = math.Ceil(w + 2*erPadX)
		b.H = erHeaderH + float64(len(b.Rows))*erRowH + erPadY
		out.Boxes[i] = b
	}

	// Columns left to right; inside one, boxes ordered by the mean height of
	// the parents already placed (fewer crossings), then declaration order.
	ncol := 0
	for _, d := range depth {
		ncol = max(ncol, d+1)
	}
	cols := make([][]int, ncol)
	for i, d := range depth {
		cols[d] = append(cols[d], i)
	}
	x := float64(erMargin)
	for c, members := range cols {
		key := make(map[int]float64, len(members))
		for _, i := range members {
			sum, k := 0.0, 0
			for _, j := range refs[i] {
				if depth[j] < c {
					sum += out.Boxes[j].Y + out.Boxes[j].H/2
					k++
				}
			}
			if k > 0 {
				key[i] = sum / float64(k)
			} else {
				key[i] = math.Inf(1) // no placed parent: keep declaration order, after the others
			}
		}
		sort.SliceStable(members, func(a, b int) bool { return key[members[a]] < key[members[b]] })
		y, colW := float64(erMargin), 0.0
		for _, i := range members {
			out.Boxes[i].X, out.Boxes[i].Y = x, y
			for r := range out.Boxes[i].Rows {
				out.Boxes[i].Rows[r].Y = y + erHeaderH + float64(r)*erRowH + erRowH/2
			}
			y += out.Boxes[i].H + erBoxGap
			colW = max(colW, out.Boxes[i].W)
		}
		x += colW + erColGap
	}
	for _, b := range out.Boxes {
		out.Width = max(out.Width, b.X+b.W+erMargin)
		out.Height = max(out.Height, b.Y+b.H+erMargin)
	}

	// Edges, one per foreign key, from its first column.
	for i, t := range s.Tables {
		for _, fk := range t.ForeignKeys {
			j, ok := byName[fk.RefTable]
			if !ok || len(fk.Columns) == 0 {
				continue // the referenced table is not in this metadata: the row still says FK → …
			}
			e := EREdge{From: i, To: j, FromRow: rowIndex(s.Tables[i], fk.Columns[0]), ToRow: -1}
			if len(fk.RefColumns) > 0 {
				e.ToRow = rowIndex(s.Tables[j], fk.RefColumns[0])
			}
			out.Edges = append(out.Edges, erRoute(out.Boxes, e))
		}
	}
	return out
}

func rowIndex(t trace.SchemaTable, col string) int {
	for i, c := range t.Columns {
		if c.Name == col {
			return i
		}
	}
	return -1
}

func (b ERBox) rowY(r int) float64 {
	if r < 0 || r >= len(b.Rows) {
		return b.Y + erHeaderH/2
	}
	return b.Rows[r].Y
}

// erRoute picks the edge's ends and draws it as a cubic curve.
func erRoute(boxes []ERBox, e EREdge) EREdge {
	c, p := boxes[e.From], boxes[e.To]
	e.Y1, e.Y2 = c.rowY(e.FromRow), p.rowY(e.ToRow)
	var c1x, c2x float64
	switch {
	case e.From == e.To:
		// On the left side: the right side is where the edges of the
		// tables referencing this one arrive.
		e.Kind = EdgeSelf
		e.X1, e.X2 = c.X, c.X
		c1x, c2x = e.X1-erLoop, e.X2-erLoop
		if e.Y1 == e.Y2 { // a column referencing itself: still a visible loop
			e.Y2 += erRowH / 3
			e.Y1 -= erRowH / 3
		}
	case p.Column < c.Column:
		e.Kind = EdgeForward
		e.X1, e.X2 = c.X, p.X+p.W
		dx := max(30, (e.X1-e.X2)/2)
		c1x, c2x = e.X1-dx, e.X2+dx
	case p.Column > c.Column:
		e.Kind = EdgeBack
		e.X1, e.X2 = c.X+c.W, p.X
		dx := max(30, (e.X2-e.X1)/2)
		c1x, c2x = e.X1+dx, e.X2-dx
	default:
		e.Kind = EdgeSame
		e.X1, e.X2 = c.X, p.X
		c1x, c2x = e.X1-erLoop, e.X2-erLoop
	}
	e.Path = "M" + pt(e.X1, e.Y1) + " C" + pt(c1x, e.Y1) + " " + pt(c2x, e.Y2) + " " + pt(e.X2, e.Y2)
	return e
}

// headPath is the title band of a box: rounded at the top like the box,
// square where it meets the rows.
func headPath(b ERBox) string {
	const r = 4
	x, y, w, h := b.X, b.Y, b.W, float64(erHeaderH)
	return "M" + pt(x, y+h) + " V" + num(y+r) + " Q" + pt(x, y) + " " + pt(x+r, y) +
		" H" + num(x+w-r) + " Q" + pt(x+w, y) + " " + pt(x+w, y+r) + " V" + num(y+h) + " Z"
}

func num(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) }

func pt(x, y float64) string { return num(x) + "," + num(y) }

// RelationshipText describes one ORM relationship for the list under the
// diagram: "Author.Books → Book, one-to-many, back_populates Author".
func RelationshipText(r trace.Relationship) string {
	s := r.From + "." + r.Name + " → " + r.To
	if r.Kind != "" {
		s += ", " + r.Kind
	}
	if r.BackPopulates != "" {
		s += ", back_populates " + r.BackPopulates
	}
	return s
}

const svgNS = "http://www.w3.org/2000/svg"

// svgEl is an SVG element. go-app creates an element with createElementNS
// only when it carries its namespace, so every SVG element needs it. Its
// class is set through the className property, which SVG elements ignore:
// SVG parts are styled through data-k instead (see web/style.css).
func svgEl(tag, kind string) app.HTMLElem {
	e := app.Elem(tag).XMLNS(svgNS)
	if kind != "" {
		e = e.DataSet("k", kind)
	}
	return e
}

// ERDiagram renders s as an SVG diagram plus the list of relationships.
// Every name is text (a table called "<img …>" shows those characters).
func ERDiagram(s trace.Schema) app.UI {
	if len(s.Tables) == 0 {
		return app.P().Class("hint").Text("No tables yet: run the program to see its models as a diagram.")
	}
	l := LayoutER(s)
	parts := make([]app.UI, 0, len(l.Boxes)+len(l.Edges))
	for i, b := range l.Boxes {
		rows := make([]app.UI, 0, len(b.Rows)+4)
		rows = append(rows,
			svgEl("rect", "er-box").Attr("x", num(b.X)).Attr("y", num(b.Y)).Attr("width", num(b.W)).Attr("height", num(b.H)).Attr("rx", 4),
			svgEl("path", "er-head").Attr("d", headPath(b)),
			svgEl("text", "er-title").Attr("x", num(b.X+erPadX)).Attr("y", num(b.Y+erHeaderH/2+4)).Text(b.Table),
		)
		for _, r := range b.Rows {
			kind := "er-col"
			switch {
			case r.PK:
				kind = "er-col pk"
			case r.FK:
				kind = "er-col fk"
			}
			rows = append(rows, svgEl("text", "").DataSet("k", kind).Attr("x", num(b.X+erPadX)).Attr("y", num(r.Y+4)).Text(r.Text))
		}
		// Names only ever go into text nodes: go-app does not escape attribute
		// values when it prerenders.
		parts = append(parts, svgEl("g", "er-table").DataSet("i", i).Body(rows...))
	}
	for _, e := range l.Edges {
		parts = append(parts, svgEl("g", "er-link").DataSet("kind", e.Kind).Body(
			svgEl("title", "").Text(l.Boxes[e.From].Table+" → "+l.Boxes[e.To].Table),
			svgEl("path", "er-edge").Attr("d", e.Path),
			svgEl("circle", "er-end").Attr("cx", num(e.X1)).Attr("cy", num(e.Y1)).Attr("r", 3),
			svgEl("circle", "er-end one").Attr("cx", num(e.X2)).Attr("cy", num(e.Y2)).Attr("r", 3),
		))
	}
	rels := s.Relationships
	return app.Div().ID("diagram").Class("diagram").Body(
		app.Div().Class("svg-scroll").Body(
			svgEl("svg", "er").Attr("width", num(l.Width)).Attr("height", num(l.Height)).
				Attr("viewBox", "0 0 "+num(l.Width)+" "+num(l.Height)).Role("img").
				Aria("label", fmt.Sprintf("Entity-relationship diagram of %s", plural(len(l.Boxes), "table"))).
				Body(parts...),
		),
		app.P().Class("legend").Text("PK primary key · FK → foreign key and the column it references · NULL may be empty · lines run from a foreign key to the key it references"),
		app.If(len(rels) > 0, app.Div().Body(
			app.H4().Text("Relationships"),
			app.Ul().ID("relationships").Class("relationships").Body(app.Range(rels).Slice(func(i int) app.UI {
				return app.Li().Text(RelationshipText(rels[i]))
			})),
		)),
	)
}

func (c *Lab) renderDiagram() app.UI {
	if c.tr == nil || len(c.tr.Schema.Tables) == 0 {
		return app.P().Class("hint").Text("No tables yet: run the program to see its models as a diagram.")
	}
	return ERDiagram(c.tr.Schema)
}

func (c *Lab) renderPool() app.UI {
	if c.tr == nil || len(c.tr.Pool) == 0 {
		return app.P().Class("hint").Text("No pool events yet: run the program to see its connections being checked out and returned.")
	}
	return PoolTimeline(c.tr.Pool)
}
