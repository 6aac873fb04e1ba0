package ui

import (
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"ormlab/runner/trace"
)

func col(name, typ string, pk, null bool) trace.Column {
	return trace.Column{Name: name, Type: typ, PrimaryKey: pk, Nullable: null}
}

func fk(cols []string, ref string, refCols ...string) trace.ForeignKey {
	return trace.ForeignKey{Columns: cols, RefTable: ref, RefColumns: refCols}
}

// authorsBooks is what lesson 2 declares.
func authorsBooks() trace.Schema {
	return trace.Schema{
		Tables: []trace.SchemaTable{
			{Name: "authors", Columns: []trace.Column{col("id", "INTEGER", true, false), col("name", "VARCHAR(100)", false, false)}},
			{Name: "books", Columns: []trace.Column{col("id", "INTEGER", true, false), col("title", "VARCHAR(200)", false, true), col("author_id", "INTEGER", false, false)},
				ForeignKeys: []trace.ForeignKey{fk([]string{"author_id"}, "authors", "id")}},
		},
		Relationships: []trace.Relationship{
			{From: "Author", Name: "Books", To: "Book", Kind: "one-to-many", BackPopulates: "Author"},
			{From: "Book", Name: "Author", To: "Author", Kind: "many-to-one", BackPopulates: "Books"},
		},
	}
}

func boxByName(t *testing.T, l ERLayout, name string) ERBox {
	t.Helper()
	for _, b := range l.Boxes {
		if b.Table == name {
			return b
		}
	}
	t.Fatalf("no box for %s", name)
	return ERBox{}
}

func TestLayoutEREmpty(t *testing.T) {
	l := LayoutER(trace.Schema{})
	if len(l.Boxes) != 0 || len(l.Edges) != 0 || l.Width != 0 || l.Height != 0 {
		t.Errorf("empty schema gave %+v", l)
	}
}

func TestLayoutEROneToMany(t *testing.T) {
	l := LayoutER(authorsBooks())
	a, b := boxByName(t, l, "authors"), boxByName(t, l, "books")
	if a.Column != 0 || b.Column != 1 || b.X <= a.X+a.W {
		t.Errorf("books must be right of authors: authors %+v, books %+v", a, b)
	}
	wantRows := []string{"id INTEGER PK", "title VARCHAR(200) NULL", "author_id INTEGER FK → authors.id"}
	for i, r := range b.Rows {
		if r.Text != wantRows[i] {
			t.Errorf("books row %d = %q, want %q", i, r.Text, wantRows[i])
		}
		if w := float64(len([]rune(r.Text))) * erCharW; b.W < w {
			t.Errorf("books box is %v wide, narrower than %q (%v)", b.W, r.Text, w)
		}
	}
	if !b.Rows[0].PK || !b.Rows[2].FK || b.Rows[2].Ref != "authors.id" || !b.Rows[1].Null || b.Rows[2].Null {
		t.Errorf("row markers wrong: %+v", b.Rows)
	}
	if len(l.Edges) != 1 {
		t.Fatalf("%d edges, want 1", len(l.Edges))
	}
	e := l.Edges[0]
	if l.Boxes[e.From].Table != "books" || l.Boxes[e.To].Table != "authors" || e.FromRow != 2 || e.ToRow != 0 || e.Kind != EdgeForward {
		t.Errorf("edge %+v", e)
	}
	// From the author_id row's left side to the id row's right side.
	if e.X1 != b.X || e.Y1 != b.Rows[2].Y || e.X2 != a.X+a.W || e.Y2 != a.Rows[0].Y {
		t.Errorf("edge ends (%v,%v)→(%v,%v); rows at books %v, authors %v", e.X1, e.Y1, e.X2, e.Y2, b.Rows[2].Y, a.Rows[0].Y)
	}
	if !strings.HasPrefix(e.Path, "M"+pt(e.X1, e.Y1)) || !strings.HasSuffix(e.Path, pt(e.X2, e.Y2)) {
		t.Errorf("path %q does not join the ends", e.Path)
	}
	if got := RelationshipText(authorsBooks().Relationships[0]); got != "Author.Books → Book, one-to-many, back_populates Author" {
		t.Errorf("relationship text %q", got)
	}
}

func TestLayoutERManyToManyAssociationRightOfBoth(t *testing.T) {
	// Declared first on purpose: placement must not follow declaration.
	s := trace.Schema{Tables: []trace.SchemaTable{
		{Name: "enrollments", Columns: []trace.Column{col("student_id", "INTEGER", true, false), col("course_id", "INTEGER", true, false)},
			ForeignKeys: []trace.ForeignKey{fk([]string{"student_id"}, "students", "id"), fk([]string{"course_id"}, "courses", "id")}},
		{Name: "courses", Columns: []trace.Column{col("id", "INTEGER", true, false), col("dept_id", "INTEGER", false, true)},
			ForeignKeys: []trace.ForeignKey{fk([]string{"dept_id"}, "departments", "id")}},
		{Name: "students", Columns: []trace.Column{col("id", "INTEGER", true, false)}},
		{Name: "departments", Columns: []trace.Column{col("id", "INTEGER", true, false)}},
	}}
	l := LayoutER(s)
	e, c, st, d := boxByName(t, l, "enrollments"), boxByName(t, l, "courses"), boxByName(t, l, "students"), boxByName(t, l, "departments")
	if !(e.X > c.X+c.W && e.X > st.X+st.W && c.X > d.X+d.W) {
		t.Errorf("columns: departments %d, students %d, courses %d, enrollments %d", d.Column, st.Column, c.Column, e.Column)
	}
	if e.Column != 2 || c.Column != 1 || st.Column != 0 || d.Column != 0 {
		t.Errorf("depths: enrollments %d courses %d students %d departments %d", e.Column, c.Column, st.Column, d.Column)
	}
	if len(l.Edges) != 3 {
		t.Errorf("%d edges, want 3", len(l.Edges))
	}
	for _, ed := range l.Edges {
		if ed.Kind != EdgeForward {
			t.Errorf("edge %s→%s is %s", l.Boxes[ed.From].Table, l.Boxes[ed.To].Table, ed.Kind)
		}
	}
	if !strings.Contains(e.Rows[0].Text, "PK FK → students.id") {
		t.Errorf("a key that is also a foreign key: %q", e.Rows[0].Text)
	}
}

func TestLayoutERSelfReferenceAndCycles(t *testing.T) {
	s := trace.Schema{Tables: []trace.SchemaTable{
		{Name: "employees", Columns: []trace.Column{col("id", "INTEGER", true, false), col("manager_id", "INTEGER", false, true)},
			ForeignKeys: []trace.ForeignKey{fk([]string{"manager_id"}, "employees", "id")}},
		// a → b → c → a, and a self-reference on a key column.
		{Name: "a", Columns: []trace.Column{col("id", "INTEGER", true, false), col("b_id", "INTEGER", false, true)},
			ForeignKeys: []trace.ForeignKey{fk([]string{"b_id"}, "b", "id")}},
		{Name: "b", Columns: []trace.Column{col("id", "INTEGER", true, false), col("c_id", "INTEGER", false, true)},
			ForeignKeys: []trace.ForeignKey{fk([]string{"c_id"}, "c", "id")}},
		{Name: "c", Columns: []trace.Column{col("id", "INTEGER", true, false), col("a_id", "INTEGER", false, true)},
			ForeignKeys: []trace.ForeignKey{fk([]string{"a_id"}, "a", "id")}},
		{Name: "odd", Columns: []trace.Column{col("id", "INTEGER", true, false)},
			ForeignKeys: []trace.ForeignKey{fk([]string{"id"}, "odd", "id")}},
	}}
	l := LayoutER(s)
	if len(l.Edges) != 5 {
		t.Fatalf("%d edges, want 5", len(l.Edges))
	}
	kinds := map[string]int{}
	for _, e := range l.Edges {
		kinds[e.Kind]++
		if e.Kind == EdgeSelf {
			b := l.Boxes[e.From]
			if e.From != e.To || e.X1 != b.X || e.X2 != b.X || e.Y1 == e.Y2 {
				t.Errorf("self edge of %s does not loop on its left side: %+v", b.Table, e)
			}
			if e.X1-erLoop < 0 {
				t.Errorf("self loop of %s leaves the drawing", b.Table)
			}
		}
	}
	if kinds[EdgeSelf] != 2 || kinds[EdgeForward] != 2 || kinds[EdgeBack]+kinds[EdgeSame] != 1 {
		t.Errorf("edge kinds %v: want 2 self, 2 forward, and 1 closing the cycle", kinds)
	}
	if a, b, c := boxByName(t, l, "a"), boxByName(t, l, "b"), boxByName(t, l, "c"); a.Column == b.Column || b.Column == c.Column {
		t.Errorf("a cycle collapsed into one column: a %d b %d c %d", a.Column, b.Column, c.Column)
	}
	if !reflect.DeepEqual(l, LayoutER(s)) {
		t.Error("two layouts of one schema differ")
	}
}

func TestLayoutERMissingReferencedTable(t *testing.T) {
	s := trace.Schema{Tables: []trace.SchemaTable{{Name: "orders", Columns: []trace.Column{col("id", "INTEGER", true, false), col("user_id", "INTEGER", false, false)},
		ForeignKeys: []trace.ForeignKey{fk([]string{"user_id"}, "users", "id")}}}}
	l := LayoutER(s)
	if len(l.Edges) != 0 || l.Boxes[0].Rows[1].Text != "user_id INTEGER FK → users.id" {
		t.Errorf("edges %v, row %q", l.Edges, l.Boxes[0].Rows[1].Text)
	}
}

// randomSchema makes n tables, each referencing up to three others
// (cycles and self-references included).
func randomSchema(r *rand.Rand, n int) trace.Schema {
	var s trace.Schema
	for i := 0; i < n; i++ {
		t := trace.SchemaTable{Name: fmt.Sprintf("t%d_%s", i, strings.Repeat("x", r.Intn(20)))}
		t.Columns = append(t.Columns, col("id", "INTEGER", true, false))
		for c := r.Intn(6); c > 0; c-- {
			t.Columns = append(t.Columns, col(fmt.Sprintf("c%d", c), "VARCHAR(40)", false, r.Intn(2) == 0))
		}
		s.Tables = append(s.Tables, t)
	}
	for i := range s.Tables {
		for k := r.Intn(4); k > 0; k-- {
			j := r.Intn(n)
			name := fmt.Sprintf("ref%d", k)
			s.Tables[i].Columns = append(s.Tables[i].Columns, col(name, "INTEGER", false, true))
			s.Tables[i].ForeignKeys = append(s.Tables[i].ForeignKeys, fk([]string{name}, s.Tables[j].Name, "id"))
		}
	}
	return s
}

func TestLayoutERNoOverlapsAndInsideTheDrawing(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for round := 0; round < 50; round++ {
		s := randomSchema(r, 1+r.Intn(25))
		l := LayoutER(s)
		if len(l.Boxes) != len(s.Tables) {
			t.Fatalf("round %d: %d boxes for %d tables", round, len(l.Boxes), len(s.Tables))
		}
		for i, a := range l.Boxes {
			if a.X < 0 || a.Y < 0 || a.X+a.W > l.Width || a.Y+a.H > l.Height {
				t.Errorf("round %d: box %s outside the %vx%v drawing", round, a.Table, l.Width, l.Height)
			}
			for _, b := range l.Boxes[i+1:] {
				if a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H {
					t.Errorf("round %d: boxes %s and %s overlap", round, a.Table, b.Table)
				}
			}
		}
		// An edge that does not go left must close a cycle: its parent
		// reaches the child through foreign keys.
		for _, e := range l.Edges {
			c, p := l.Boxes[e.From], l.Boxes[e.To]
			if e.Kind == EdgeForward && (p.Column >= c.Column || p.X+p.W >= c.X) {
				t.Errorf("round %d: forward edge %s→%s does not go left", round, c.Table, p.Table)
			}
			if (e.Kind == EdgeBack || e.Kind == EdgeSame) && !reaches(s, e.To, e.From) {
				t.Errorf("round %d: edge %s→%s goes %s but closes no cycle", round, l.Boxes[e.From].Table, l.Boxes[e.To].Table, e.Kind)
			}
		}
	}
}

// reaches reports whether table from references table to, directly or not.
func reaches(s trace.Schema, from, to int) bool {
	idx := map[string]int{}
	for i, t := range s.Tables {
		if _, ok := idx[t.Name]; !ok {
			idx[t.Name] = i
		}
	}
	seen := map[int]bool{from: true}
	stack := []int{from}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, f := range s.Tables[i].ForeignKeys {
			j, ok := idx[f.RefTable]
			if !ok {
				continue
			}
			if j == to {
				return true
			}
			if !seen[j] {
				seen[j] = true
				stack = append(stack, j)
			}
		}
	}
	return false
}

// svgNamespaces walks a rendered tree and reports every SVG element (a
// descendant of <svg>) created without the SVG namespace: go-app would
// create it as an HTML element and the browser would not draw it.
func svgNamespaces(t *testing.T, ui app.UI) (svgCount int, missing []string) {
	t.Helper()
	var walk func(v reflect.Value, inSVG bool)
	walk = func(v reflect.Value, inSVG bool) {
		for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return
		}
		if he := v.FieldByName("htmlElement"); he.IsValid() {
			tag := he.FieldByName("tag").String()
			ns := he.FieldByName("xmlns").String()
			if tag == "svg" {
				inSVG = true
			}
			if inSVG {
				svgCount++
				if ns != svgNS {
					missing = append(missing, tag)
				}
			}
			kids := he.FieldByName("children")
			for i := 0; i < kids.Len(); i++ {
				walk(kids.Index(i), inSVG)
			}
			return
		}
		// Other nodes (Range, If, Text): look into any UI they hold.
		for i := 0; i < v.NumField(); i++ {
			f := v.Field(i)
			if f.Kind() == reflect.Slice {
				for j := 0; j < f.Len(); j++ {
					walk(f.Index(j), inSVG)
				}
			} else if f.Kind() == reflect.Interface || f.Kind() == reflect.Pointer {
				walk(f, inSVG)
			}
		}
	}
	walk(reflect.ValueOf(ui), false)
	return svgCount, missing
}

func TestDiagramAndPoolRenderSVGWithNamespaceAndText(t *testing.T) {
	evil := `<img src=x onerror=alert(1)>`
	s := authorsBooks()
	s.Tables[0].Name = evil
	s.Tables[0].Columns[1].Name = evil
	s.Tables[1].ForeignKeys[0].RefTable = evil
	s.Relationships[0].Name = evil
	for name, ui := range map[string]app.UI{"diagram": ERDiagram(s), "pool": PoolTimeline(samplePool())} {
		n, missing := svgNamespaces(t, ui)
		if n < 10 || len(missing) > 0 {
			t.Errorf("%s: %d SVG elements, without the SVG namespace: %v", name, n, missing)
		}
	}

	c, _ := labAt(t, "/lessons/first-run")
	c.tr = &trace.Trace{Schema: s, Pool: samplePool()}
	c.tr.Pool[3].Detail = evil
	for _, tab := range []string{"diagram", "pool"} {
		c.tab = tab
		html := render(t, c)
		if strings.Contains(html, "<img src=x") {
			t.Errorf("%s tab: program text became HTML", tab)
		}
		if !strings.Contains(html, "&lt;img src=x onerror=alert(1)&gt;") {
			t.Errorf("%s tab: the text is missing", tab)
		}
		for _, want := range []string{"Diagram (2)", fmt.Sprintf("Pool (%d)", len(c.tr.Pool)), "<svg"} {
			if !strings.Contains(html, want) {
				t.Errorf("%s tab lacks %q", tab, want)
			}
		}
	}
	c.tab = "diagram"
	html := render(t, c)
	for _, want := range []string{`data-k="er-edge"`, "FK → &lt;img src=x onerror=alert(1)&gt;.id", "Author.&lt;img src=x onerror=alert(1)&gt; → Book, one-to-many"} {
		if !strings.Contains(html, want) {
			t.Errorf("diagram lacks %s", want)
		}
	}
	c.tab = "pool"
	html = render(t, c)
	for _, want := range []string{`id="pool-events"`, `data-k="pl-out"`, "1 connection opened · peak 1 checked out"} {
		if !strings.Contains(html, want) {
			t.Errorf("pool view lacks %s", want)
		}
	}

	c.tr = &trace.Trace{}
	for tab, hint := range map[string]string{"diagram": "No tables yet", "pool": "No pool events yet"} {
		c.tab = tab
		if html := render(t, c); !strings.Contains(html, hint) || strings.Contains(html, "<svg") {
			t.Errorf("%s tab of an empty trace does not say %q", tab, hint)
		}
	}
}

func TestShareLinkRestoresDiagramAndPoolTabs(t *testing.T) {
	for _, tab := range []string{"diagram", "pool", "sql", "tables"} {
		frag, err := EncodeShare(SharedState{Lesson: "first-run", Files: []File{{Name: "main.go", Content: "package main\n"}}, Tab: tab})
		if err != nil {
			t.Fatal(err)
		}
		if c, _ := labAt(t, "/lessons/first-run#"+frag); c.tab != tab {
			t.Errorf("a link made on %s opens on %s", tab, c.tab)
		}
	}
	frag, _ := EncodeShare(SharedState{Files: []File{{Name: "main.go", Content: "package main\n"}}, Tab: "nonsense"})
	if c, _ := labAt(t, "/lessons/first-run#"+frag); c.tab != "output" {
		t.Errorf("an unknown tab opened as %q", c.tab)
	}
}
