package orm

import (
	"database/sql"
	"math"
	"strings"
	"testing"
	"time"
	"unsafe"
)

type ccStamp struct {
	Note string
	Seen time.Time
}

type ccKinds struct {
	ID  int `orm:"primary_key"`
	I8  int8
	I32 int32
	U16 uint16
	U64 uint64
	F32 float32
	F64 float64
	B   bool
	S   string
	Raw []byte
	P   *string
	NS  sql.NullString
	ccStamp
}

// The autoflush check (Session.needsFlush, colCheck) reads fields without
// reflect; it must see every change the general comparison sees, and no
// others.
func TestChangeCheckMatchesSnapshotCompare(t *testing.T) {
	e := newRelEnv(t, func(b *Base) error { _, err := b.Map(ccKinds{}, "cc_kinds"); return err })
	p := "p"
	obj := &ccKinds{ID: 1, I8: -3, I32: 70000, U16: 9, U64: 5, F32: 1.5, F64: -0.25, B: true,
		S: "s", Raw: []byte("raw"), P: &p, NS: sql.NullString{String: "n", Valid: true},
		ccStamp: ccStamp{Note: "note", Seen: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)}}
	must(t, e.s.Add(obj))
	must(t, e.s.Commit())
	var got *ccKinds
	must(t, e.s.Get(&got, 1))
	st := lookupState(unsafe.Pointer(got))
	if st == nil || st.snap == nil {
		t.Fatal("no snapshot after Get")
	}
	if st.columnsChanged() || e.s.isDirty(st) || e.s.needsFlush() {
		t.Fatalf("fresh object seen as changed: fast %v, general %v", st.columnsChanged(), e.s.isDirty(st))
	}
	q := "q"
	edits := []struct {
		name   string
		edit   func(o *ccKinds)
		change bool
	}{
		{"I8", func(o *ccKinds) { o.I8 = 4 }, true},
		{"I32", func(o *ccKinds) { o.I32 = -1 }, true},
		{"U16", func(o *ccKinds) { o.U16 = 65535 }, true},
		{"U64", func(o *ccKinds) { o.U64 = 1 }, true},
		{"U64 above MaxInt64", func(o *ccKinds) { o.U64 = math.MaxUint64 }, true},
		{"F32", func(o *ccKinds) { o.F32 = 2.5 }, true},
		{"F64 to NaN", func(o *ccKinds) { o.F64 = math.NaN() }, true},
		{"F64", func(o *ccKinds) { o.F64 = 0 }, true},
		{"B", func(o *ccKinds) { o.B = false }, true},
		{"S same text, new string", func(o *ccKinds) { o.S = strings.Repeat("s", 1) }, false},
		{"S", func(o *ccKinds) { o.S = "t" }, true},
		{"Raw written in place", func(o *ccKinds) { o.Raw[0] = 'R' }, true},
		{"P pointee", func(o *ccKinds) { *o.P = "x" }, true},
		{"P new pointer, same text", func(o *ccKinds) { o.P = &p }, false},
		{"P", func(o *ccKinds) { o.P = &q }, true},
		{"NS", func(o *ccKinds) { o.NS.Valid = false }, true},
		{"embedded Note", func(o *ccKinds) { o.Note = "other" }, true},
		{"embedded time, same instant elsewhere", func(o *ccKinds) { o.Seen = o.Seen.In(time.FixedZone("x", 3600)) }, false},
		{"embedded time", func(o *ccKinds) { o.Seen = o.Seen.Add(time.Second) }, true},
	}
	for _, c := range edits {
		*got = ccKinds{ID: 1, I8: -3, I32: 70000, U16: 9, U64: 5, F32: 1.5, F64: -0.25, B: true,
			S: "s", Raw: []byte("raw"), P: &p, NS: sql.NullString{String: "n", Valid: true},
			ccStamp: ccStamp{Note: "note", Seen: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)}}
		p = "p"
		c.edit(got)
		fast, general := st.columnsChanged(), e.s.isDirty(st)
		if fast != general || fast != c.change {
			t.Errorf("%s: fast check %v, general %v, want %v", c.name, fast, general, c.change)
		}
		if e.s.needsFlush() != c.change {
			t.Errorf("%s: needsFlush %v, want %v", c.name, e.s.needsFlush(), c.change)
		}
	}
}

// A change made between lazy loads is flushed before the next load, and a
// relationship change (an append to a loaded collection) too.
func TestAutoflushBeforeLoad(t *testing.T) {
	e := newRelEnv(t, mapAuthors)
	a1 := &rAuthor{Name: "a1", Books: []*rBook{{Title: "b1"}}}
	a2 := &rAuthor{Name: "a2"}
	must(t, e.s.AddAll(a1, a2))
	must(t, e.s.Commit())
	must(t, e.s.Load(a1, "Books"))
	a1.Books[0].Title = "b1 renamed"
	sqls := e.count(func() { must(t, e.s.Load(a2, "Books")) })
	if len(sqls) < 2 || !strings.HasPrefix(sqls[0], "UPDATE books") || !strings.HasPrefix(sqls[len(sqls)-1], "SELECT") {
		t.Fatalf("a changed column is not flushed before the load: %q", sqls)
	}
	a1.Books = append(a1.Books, &rBook{Title: "b2"})
	sqls = e.count(func() { must(t, e.s.Load(a2, "Books")) })
	if len(sqls) < 2 || !strings.HasPrefix(sqls[0], "INSERT INTO books") {
		t.Fatalf("an appended child is not flushed before the load: %q", sqls)
	}
	// a pointer change only (many-to-one side)
	a1.Books[1].Author = a2
	sqls = e.count(func() { must(t, e.s.Load(a1, "Books")) })
	if len(sqls) < 2 || !strings.HasPrefix(sqls[0], "UPDATE books") {
		t.Fatalf("a re-parented child is not flushed before the load: %q", sqls)
	}
	must(t, e.s.Commit())
	if got := e.rows("SELECT title, author_id FROM books ORDER BY id"); got != "b1 renamed,1;b2,2" {
		t.Fatalf("books: %s", got)
	}
	sqls = e.count(func() { must(t, e.s.Load(a2, "Books")) })
	if len(sqls) != 1 {
		t.Fatalf("nothing changed, yet more than the SELECT: %q", sqls)
	}
}

// The shadow (raw words of the column fields) answers "unchanged" only
// while the words still equal those of a moment when the fields equalled
// the snapshot; every real change is still seen.
func TestChangeCheckShadow(t *testing.T) {
	e := newRelEnv(t, mapAuthors)
	must(t, e.s.Add(&rAuthor{Name: "a", Books: []*rBook{{Title: "t1"}, {Title: "t2"}}}))
	must(t, e.s.Commit())
	var b *rBook
	must(t, e.s.Get(&b, 1))
	st := lookupState(unsafe.Pointer(b))
	cc := checkOf(st.m)
	if cc.words != 4 {
		t.Fatalf("rBook's columns take %d words, want 4 (ID, Title's two, AuthorID)", cc.words)
	}
	for i := 0; i < 2; i++ {
		if e.s.needsFlush() {
			t.Fatal("unchanged session needs a flush")
		}
	}
	if st.shadow == nil || st.shadow.of != &st.snap[0] {
		t.Fatal("no shadow taken for an unchanged object")
	}
	orig := b.Title
	steps := []struct {
		name   string
		edit   func()
		change bool
	}{
		{"same text, other string", func() { b.Title = strings.Repeat("t", 1) + "1" }, false},
		{"back to the loaded string", func() { b.Title = orig }, false},
		{"title", func() { b.Title = "other" }, true},
		{"title back", func() { b.Title = orig }, false},
		{"foreign key", func() { b.AuthorID = 7 }, true},
		{"foreign key back", func() { b.AuthorID = 1 }, false},
		{"primary key", func() { b.ID = 9 }, true},
		{"primary key back", func() { b.ID = 1 }, false},
	}
	for _, c := range steps {
		c.edit()
		for i := 0; i < 2; i++ { // the second time through the shadow
			if got := e.s.needsFlush(); got != c.change || got != e.s.isDirty(st) {
				t.Fatalf("%s (pass %d): needsFlush %v, general compare %v, want %v", c.name, i, got, e.s.isDirty(st), c.change)
			}
		}
	}
	// a new snapshot (after a flush) voids the shadow
	b.Title = "flushed"
	must(t, e.s.Flush())
	b.Title = orig
	if !e.s.needsFlush() {
		t.Fatal("a change back to the old value after a flush is not seen (stale shadow)")
	}
	b.Title = "flushed"
	if e.s.needsFlush() {
		t.Fatal("needs a flush right after one")
	}
}

// Every member of the session is in memberList (which the change check
// walks) through adds, expunges, re-adds, deletes and rollbacks.
func TestMemberListCoversMembers(t *testing.T) {
	e := newRelEnv(t, mapAuthors)
	covered := func(step string) {
		t.Helper()
		in := map[*instanceState]bool{}
		for _, st := range e.s.memberList {
			if st.session == e.s {
				in[st] = true
			}
		}
		for _, st := range e.s.objs {
			if !in[st] {
				t.Fatalf("%s: a member (%s) is missing from memberList", step, st.m.Name)
			}
		}
	}
	a := &rAuthor{Name: "a", Books: []*rBook{{Title: "b1"}, {Title: "b2"}}}
	must(t, e.s.Add(a))
	covered("add")
	must(t, e.s.Commit())
	covered("commit")
	must(t, e.s.Load(a, "Books"))
	covered("load")
	b := a.Books[0]
	must(t, e.s.Expunge(b))
	must(t, e.s.Add(b))
	covered("expunge and add again")
	n, err := e.s.BeginNested()
	must(t, err)
	must(t, e.s.Add(&rAuthor{Name: "nested"}))
	must(t, e.s.Flush())
	must(t, n.Rollback())
	covered("nested rollback")
	must(t, e.s.Delete(a.Books[1]))
	must(t, e.s.Flush())
	covered("delete")
	must(t, e.s.Rollback())
	covered("rollback")
	for i := 0; i < 3000; i++ { // enough stale entries to compact the list
		x := &rAuthor{Name: "x"}
		must(t, e.s.Add(x))
		must(t, e.s.Expunge(x))
	}
	must(t, e.s.Add(b))
	covered("after compaction")
	b.Title = "changed"
	if !e.s.needsFlush() {
		t.Fatal("a change after compaction is not seen")
	}
}
