package orm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"ormlab/driver"
	"ormlab/orm/core"
)

var relDBSeq atomic.Int64

// relEnv is a fresh SQLite database, a Base and a session that records
// every statement it runs.
type relEnv struct {
	t    testing.TB
	db   *sql.DB
	base *Base
	s    *Session
	sqls []string
	// lastStmt is the last statement run, for CompileAll
	lastStmt core.Executable
}

func newRelEnv(t testing.TB, maps func(b *Base) error) *relEnv {
	t.Helper()
	db, err := driver.OpenSQLite(driver.SharedMemoryDSN(fmt.Sprintf("reltest_%d", relDBSeq.Add(1))))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec("PRAGMA foreign_keys = ON"); err != nil {
		t.Fatal(err)
	}
	e := &relEnv{t: t, db: db, base: NewBase()}
	if err := maps(e.base); err != nil {
		t.Fatal(err)
	}
	if err := e.base.Configure(); err != nil {
		t.Fatal(err)
	}
	if err := e.base.Metadata.CreateAll(context.Background(), core.NewSQLiteExecutor(db), false); err != nil {
		t.Fatal(err)
	}
	e.s = e.session()
	return e
}

func (e *relEnv) session() *Session {
	s, err := NewSessionDB(e.db, "sqlite")
	if err != nil {
		e.t.Fatal(err)
	}
	OnAfterExecute(s, func(ev *ExecuteEvent) { e.sqls = append(e.sqls, ev.SQL); e.lastStmt = ev.Statement })
	e.t.Cleanup(func() { RemoveListeners(s); s.Close() })
	return s
}

// count runs fn and returns the statements it issued.
func (e *relEnv) count(fn func()) []string {
	e.sqls = nil
	fn()
	out := e.sqls
	e.sqls = nil
	return out
}

func (e *relEnv) rows(q string) string {
	e.t.Helper()
	rows, err := e.db.Query(q)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			e.t.Fatal(err)
		}
		var parts []string
		for _, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			parts = append(parts, fmt.Sprint(v))
		}
		out = append(out, strings.Join(parts, ","))
	}
	return strings.Join(out, ";")
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

type rAuthor struct {
	ID    int      `orm:"primary_key"`
	Name  string   `orm:"size:100"`
	Books []*rBook `orm:"relationship,back_populates:Author,cascade:all,delete-orphan"`
}

type rBook struct {
	ID       int      `orm:"primary_key"`
	Title    string   `orm:"size:200"`
	AuthorID int      `orm:"foreign_key:authors.id"`
	Author   *rAuthor `orm:"relationship,back_populates:Books"`
}

func mapAuthors(b *Base) error {
	if _, err := b.Map(rAuthor{}, "authors"); err != nil {
		return err
	}
	_, err := b.Map(rBook{}, "books")
	return err
}

func TestRelOneToManyAppendFlushLoad(t *testing.T) {
	e := newRelEnv(t, mapAuthors)
	tolkien := &rAuthor{Name: "Tolkien"}
	tolkien.Books = append(tolkien.Books, &rBook{Title: "The Hobbit"}, &rBook{Title: "The Silmarillion"})
	must(t, e.s.Add(tolkien))
	must(t, e.s.Commit())
	if got := e.rows("SELECT id, title, author_id FROM books ORDER BY id"); got != "1,The Hobbit,1;2,The Silmarillion,1" {
		t.Fatalf("books: %s", got)
	}
	// back_populates filled at flush
	if tolkien.Books[0].Author != tolkien || tolkien.Books[1].AuthorID != tolkien.ID {
		t.Fatalf("back side not synchronised: %+v", tolkien.Books[0])
	}
	// child-side assignment on a persistent parent with a loaded collection
	b3 := &rBook{Title: "Unfinished Tales", Author: tolkien}
	must(t, e.s.Add(b3))
	must(t, e.s.Flush())
	if len(tolkien.Books) != 3 || tolkien.Books[2] != b3 || b3.AuthorID != tolkien.ID {
		t.Fatalf("parent collection not synchronised: %d %v", len(tolkien.Books), b3.AuthorID)
	}
	must(t, e.s.Commit())

	// a fresh session: nothing loaded until asked
	s2 := e.session()
	var authors []*rAuthor
	must(t, s2.Query(&authors).All())
	if len(authors) != 1 || authors[0].Books != nil {
		t.Fatalf("collection should be unloaded (nil): %+v", authors)
	}
	stmts := e.count(func() { must(t, s2.Load(authors[0], "Books")) })
	if len(stmts) != 1 || !strings.Contains(stmts[0], "WHERE books.author_id = 1") {
		t.Fatalf("lazy load SQL: %q", stmts)
	}
	if len(authors[0].Books) != 3 || authors[0].Books[1].Title != "The Silmarillion" || authors[0].Books[2].Author != authors[0] {
		t.Fatalf("loaded: %+v", authors[0].Books)
	}
	// many-to-one from the identity map: no SQL
	var books []*rBook
	must(t, s2.Query(&books).All())
	stmts = e.count(func() { must(t, s2.Load(books, "Author")) })
	if len(stmts) != 0 || books[0].Author != authors[0] {
		t.Fatalf("many-to-one should come from the identity map: %q", stmts)
	}
}

func TestRelRemoveDeleteOrphanAndCascadeDelete(t *testing.T) {
	e := newRelEnv(t, mapAuthors)
	a := &rAuthor{Name: "A", Books: []*rBook{{Title: "x"}, {Title: "y"}, {Title: "z"}}}
	must(t, e.s.Add(a))
	must(t, e.s.Commit())
	a.Books = a.Books[1:] // drop x
	must(t, e.s.Commit())
	if got := e.rows("SELECT title FROM books ORDER BY id"); got != "y;z" {
		t.Fatalf("delete-orphan: %s", got)
	}
	// delete the parent in a fresh session: children loaded and deleted
	s2 := e.session()
	var got rAuthor
	must(t, s2.Get(&got, a.ID))
	must(t, s2.Delete(&got))
	stmts := e.count(func() { must(t, s2.Commit()) })
	if e.rows("SELECT count(*) FROM books") != "0" || e.rows("SELECT count(*) FROM authors") != "0" {
		t.Fatalf("cascade delete left rows: %q", stmts)
	}
	joined := strings.Join(stmts, "\n")
	if !strings.Contains(joined, "SELECT") || strings.Index(joined, "DELETE FROM books") > strings.Index(joined, "DELETE FROM authors") {
		t.Fatalf("children must be loaded and deleted first:\n%s", joined)
	}
}

func TestRelSelectinJoinedCounts(t *testing.T) {
	e := newRelEnv(t, mapAuthors)
	for i := 0; i < 5; i++ {
		a := &rAuthor{Name: fmt.Sprintf("a%d", i)}
		for j := 0; j < 3; j++ {
			a.Books = append(a.Books, &rBook{Title: fmt.Sprintf("b%d-%d", i, j)})
		}
		must(t, e.s.Add(a))
	}
	must(t, e.s.Commit())
	check := func(name string, want int, fn func(s *Session) []*rAuthor) {
		s := e.session()
		var authors []*rAuthor
		stmts := e.count(func() { authors = fn(s) })
		if len(stmts) != want {
			t.Fatalf("%s: %d statements, want %d:\n%s", name, len(stmts), want, strings.Join(stmts, "\n"))
		}
		if len(authors) != 5 {
			t.Fatalf("%s: %d authors", name, len(authors))
		}
		for _, a := range authors {
			if len(a.Books) != 3 || a.Books[0].Author != a {
				t.Fatalf("%s: %s has %d books", name, a.Name, len(a.Books))
			}
		}
	}
	check("lazy N+1", 6, func(s *Session) []*rAuthor {
		var as []*rAuthor
		must(t, s.Query(&as).All())
		for _, a := range as {
			must(t, s.Load(a, "Books"))
		}
		return as
	})
	check("selectin", 2, func(s *Session) []*rAuthor {
		var as []*rAuthor
		must(t, s.Query(&as).Options(SelectinLoad("Books")).All())
		return as
	})
	check("joined", 1, func(s *Session) []*rAuthor {
		var as []*rAuthor
		must(t, s.Query(&as).Options(JoinedLoad("Books")).OrderBy("id").All())
		return as
	})
	// raise mode
	s := e.session()
	var as []*rAuthor
	must(t, s.Query(&as).Options(RaiseLoad("Books")).All())
	if err := s.Load(as[0], "Books"); !errors.Is(err, ErrRaiseLoad) {
		t.Fatalf("raise: %v", err)
	}
	// joined + First wraps the limit
	var one rAuthor
	stmts := e.count(func() {
		must(t, e.session().Query(&one).Options(JoinedLoad("Books")).FilterBy("Name", "a2").First())
	})
	if len(one.Books) != 3 || len(stmts) != 1 || !strings.Contains(stmts[0], "anon_1") {
		t.Fatalf("joined first: %d books, %q", len(one.Books), stmts)
	}
	// join along a relationship by name
	var books []*rBook
	must(t, e.session().Query(&books).Join("Author").Filter(Col("authors.name").Eq("a1")).OrderBy("-title").All())
	if len(books) != 3 || books[0].Title != "b1-2" {
		t.Fatalf("join: %s %v", books[0].Title, e.session().Query(&books).Join("Author").Filter(Col("authors.name").Eq("a1")).OrderBy(Desc("title")).Statement())
	}
}

func TestRelMergeCascade(t *testing.T) {
	e := newRelEnv(t, mapAuthors)
	a := &rAuthor{Name: "A", Books: []*rBook{{Title: "one"}, {Title: "two"}}}
	must(t, e.s.Add(a))
	must(t, e.s.Commit())
	must(t, e.s.Close()) // a and its books are detached now
	a.Books[0].Title = "one (2nd ed.)"
	a.Books = append(a.Books, &rBook{Title: "three"})
	s2 := e.session()
	var loaded rAuthor
	must(t, s2.Get(&loaded, a.ID)) // the session already holds the row
	merged, err := s2.Merge(a)
	must(t, err)
	ma := merged.(*rAuthor)
	if ma != &loaded || ma == a || len(ma.Books) != 3 || ma.Books[0] == a.Books[0] {
		t.Fatalf("merged graph: %v %v %v %v %v", ma != &loaded, ma == a, len(ma.Books), ma.Books[0] == a.Books[0], ma.Books[2].Author != ma)
	}
	if Inspect(a.Books[2]).State != Transient {
		t.Fatal("the source graph is left alone")
	}
	must(t, s2.Commit())
	if ma.Books[2].Author != ma {
		t.Fatal("back_populates after the flush")
	}
	if got := e.rows("SELECT title, author_id FROM books ORDER BY id"); got != "one (2nd ed.),1;two,1;three,1" {
		t.Fatalf("rows: %s", got)
	}
}

func TestRelRollbackResetsRelationships(t *testing.T) {
	e := newRelEnv(t, mapAuthors)
	a := &rAuthor{Name: "A", Books: []*rBook{{Title: "kept"}}}
	b := &rAuthor{Name: "B"}
	must(t, e.s.AddAll(a, b))
	must(t, e.s.Commit())
	kept := a.Books[0]
	a.Books = append(a.Books, &rBook{Title: "rolled back"})
	kept.Author = b
	must(t, e.s.Flush())
	if len(b.Books) != 1 || kept.AuthorID != b.ID {
		t.Fatal("flushed move")
	}
	must(t, e.s.Rollback())
	if len(a.Books) != 1 || a.Books[0] != kept || kept.Author != a || kept.AuthorID != a.ID || len(b.Books) != 0 {
		t.Fatalf("after rollback: a=%d b=%d author=%v", len(a.Books), len(b.Books), kept.Author == a)
	}
	must(t, e.s.Commit())
	if got := e.rows("SELECT title, author_id FROM books"); got != "kept,1" {
		t.Fatalf("rows: %s", got)
	}
}

func TestRelJoinedLimitKeepsOrder(t *testing.T) {
	e := newRelEnv(t, mapAuthors)
	for i := 0; i < 6; i++ {
		must(t, e.s.Add(&rAuthor{Name: fmt.Sprint("a", i), Books: []*rBook{{Title: "x"}, {Title: "y"}}}))
	}
	must(t, e.s.Commit())
	var as []*rAuthor
	stmts := e.count(func() {
		must(t, e.session().Query(&as).OrderBy("-name").Limit(3).Offset(1).Options(JoinedLoad("Books")).All())
	})
	if len(as) != 3 || as[0].Name != "a4" || as[2].Name != "a2" || len(as[1].Books) != 2 {
		t.Fatalf("got %d authors, first %s", len(as), as[0].Name)
	}
	if len(stmts) != 1 || !strings.Contains(stmts[0], "ORDER BY anon_1.name DESC") {
		t.Fatalf("sql: %q", stmts)
	}
	sql := CompileAll(e.lastStmt)
	for d, want := range map[string]string{
		"mssql":      "SELECT anon_1.id, anon_1.name, books_1.id AS id_1, books_1.title, books_1.author_id FROM (SELECT authors.id, authors.name FROM authors ORDER BY authors.name DESC OFFSET 1 ROWS FETCH NEXT 3 ROWS ONLY) AS anon_1 LEFT OUTER JOIN books AS books_1 ON books_1.author_id = anon_1.id ORDER BY anon_1.name DESC",
		"sqlite":     "SELECT anon_1.id, anon_1.name, books_1.id AS id_1, books_1.title, books_1.author_id FROM (SELECT authors.id, authors.name FROM authors ORDER BY authors.name DESC LIMIT 3 OFFSET 1) AS anon_1 LEFT OUTER JOIN books AS books_1 ON books_1.author_id = anon_1.id ORDER BY anon_1.name DESC",
		"postgresql": "SELECT anon_1.id, anon_1.name, books_1.id AS id_1, books_1.title, books_1.author_id FROM (SELECT authors.id, authors.name FROM authors ORDER BY authors.name DESC LIMIT 3 OFFSET 1) AS anon_1 LEFT OUTER JOIN books AS books_1 ON books_1.author_id = anon_1.id ORDER BY anon_1.name DESC",
		"mysql":      "SELECT anon_1.id, anon_1.name, books_1.id AS id_1, books_1.title, books_1.author_id FROM (SELECT authors.id, authors.name FROM authors ORDER BY authors.name DESC LIMIT 3 OFFSET 1) AS anon_1 LEFT OUTER JOIN books AS books_1 ON books_1.author_id = anon_1.id ORDER BY anon_1.name DESC",
	} {
		if sql[d] != want {
			t.Errorf("%s:\n got %s\nwant %s", d, sql[d], want)
		}
	}
}

type rShipment struct {
	Region string       `orm:"primary_key,size:10"`
	Num    int          `orm:"primary_key,no_autoincrement"`
	Lines  []*rShipLine `orm:"relationship,back_populates:Shipment,cascade:all,delete-orphan"`
}

type rShipLine struct {
	ID       int        `orm:"primary_key"`
	Region   string     `orm:"size:10"`
	Num      int        `orm:"no_autoincrement"`
	Shipment *rShipment `orm:"relationship,back_populates:Lines"`
}

func TestRelCompositeForeignKey(t *testing.T) {
	e := newRelEnv(t, func(b *Base) error {
		if _, err := b.Map(rShipment{}, "shipments"); err != nil {
			return err
		}
		_, err := b.Map(rShipLine{}, "ship_lines", TableArgs(core.ForeignKeyConstraint([]string{"region", "num"}, []string{"shipments.region", "shipments.num"})))
		return err
	})
	for _, r := range []string{"eu", "us"} {
		must(t, e.s.Add(&rShipment{Region: r, Num: 7, Lines: []*rShipLine{{}, {}}}))
	}
	must(t, e.s.Commit())
	if got := e.rows("SELECT region, num FROM ship_lines ORDER BY id"); got != "eu,7;eu,7;us,7;us,7" {
		t.Fatalf("keys filled: %s", got)
	}
	s := e.session()
	var ships []*rShipment
	stmts := e.count(func() { must(t, s.Query(&ships).OrderBy("region").Options(SelectinLoad("Lines")).All()) })
	if len(stmts) != 2 || !strings.Contains(stmts[1], "WHERE ship_lines.region = 'eu' AND ship_lines.num = 7 OR ship_lines.region = 'us' AND ship_lines.num = 7") {
		t.Fatalf("composite selectin: %q", stmts)
	}
	if len(ships[1].Lines) != 2 || ships[1].Lines[0].Shipment != ships[1] {
		t.Fatal("composite collection")
	}
	var lines []*rShipLine
	must(t, e.session().Query(&lines).Options(JoinedLoad("Shipment")).OrderBy("id").All())
	if lines[3].Shipment == nil || lines[3].Shipment.Region != "us" {
		t.Fatal("composite joined many-to-one")
	}
}

type rUser struct {
	ID        int      `orm:"primary_key"`
	Name      string   `orm:"size:20"`
	Following []*rUser `orm:"relationship,secondary:follows,foreign_key:follower_id,back_populates:Followers"`
	Followers []*rUser `orm:"relationship,secondary:follows,foreign_key:followed_id,back_populates:Following"`
}

func TestRelSelfReferentialManyToMany(t *testing.T) {
	e := newRelEnv(t, func(b *Base) error {
		b.Metadata.Table("follows",
			core.Column("follower_id", core.Integer(), core.ForeignKey("r_users.id"), core.PrimaryKey()),
			core.Column("followed_id", core.Integer(), core.ForeignKey("r_users.id"), core.PrimaryKey()))
		_, err := b.Map(rUser{}, "r_users")
		return err
	})
	ann, bob, cid := &rUser{Name: "ann"}, &rUser{Name: "bob"}, &rUser{Name: "cid"}
	ann.Following = []*rUser{bob, cid}
	bob.Following = []*rUser{cid}
	must(t, e.s.AddAll(ann, bob, cid))
	must(t, e.s.Commit())
	if got := e.rows("SELECT follower_id, followed_id FROM follows ORDER BY 1, 2"); got != "1,2;1,3;2,3" {
		t.Fatalf("follows: %s", got)
	}
	if len(cid.Followers) != 2 || cid.Followers[0] != ann {
		t.Fatalf("back side: %d", len(cid.Followers))
	}
	s := e.session()
	var c *rUser
	must(t, s.Query(&c).FilterBy("Name", "cid").First())
	must(t, s.Load(c, "Followers.Following"))
	if len(c.Followers) != 2 || len(c.Followers[0].Following) != 2 {
		t.Fatalf("loaded: %d", len(c.Followers))
	}
	var who []*rUser
	must(t, s.Query(&who).Join("Followers").Filter(Col("followers.name").Eq("ann")).OrderBy("name").All())
	if len(who) != 2 || who[0].Name != "bob" || who[1].Name != "cid" {
		t.Fatalf("followed by ann: %d", len(who))
	}
}

type rShelf struct {
	ID    int      `orm:"primary_key"`
	Items []*rItem `orm:"relationship,lazy:selectin"`
}

type rItem struct {
	ID      int `orm:"primary_key"`
	ShelfID int `orm:"foreign_key:r_shelves.id"`
}

func TestRelGetAppliesTagDefaults(t *testing.T) {
	e := newRelEnv(t, func(b *Base) error {
		if _, err := b.Map(rShelf{}, "r_shelves"); err != nil {
			return err
		}
		_, err := b.Map(rItem{}, "r_items")
		return err
	})
	must(t, e.s.Add(&rShelf{Items: []*rItem{{}, {}}}))
	must(t, e.s.Commit())
	s := e.session()
	var sh *rShelf
	stmts := e.count(func() { must(t, s.Get(&sh, 1)) })
	if len(stmts) != 2 || len(sh.Items) != 2 {
		t.Fatalf("Get with lazy:selectin: %q", stmts)
	}
}

type oAuthor struct {
	ID    int
	Name  string
	Books []*oBook
}

type oBook struct {
	ID       int
	AuthorID int
	Author   *oAuthor
}

func TestRelDeclaredWithOptions(t *testing.T) {
	e := newRelEnv(t, func(b *Base) error {
		if _, err := b.Map(oAuthor{}, "o_authors", TableArgs(core.PrimaryKeyConstraint("id")),
			RelationshipOptions("Books", "back_populates:Author,cascade:all,delete-orphan")); err != nil {
			return err
		}
		_, err := b.Map(oBook{}, "o_books", TableArgs(core.PrimaryKeyConstraint("id"),
			core.ForeignKeyConstraint([]string{"author_id"}, []string{"o_authors.id"})),
			RelationshipOptions("Author", "back_populates:Books"))
		return err
	})
	rels, err := e.base.Relationships()
	must(t, err)
	if len(rels) != 2 || rels[0].Cascade != "save-update,merge,delete,delete-orphan,expunge" || rels[1].BackPopulates != "Books" {
		t.Fatalf("%+v", rels)
	}
	a := &oAuthor{Name: "x", Books: []*oBook{{}}}
	must(t, e.s.Add(a))
	must(t, e.s.Commit())
	if a.Books[0].Author != a {
		t.Fatal("back_populates from options")
	}
	a.Books = []*oBook{}
	must(t, e.s.Commit())
	if e.rows("SELECT count(*) FROM o_books") != "0" {
		t.Fatal("delete-orphan from options")
	}
}

func TestRelExpungedTargetsDoNotPanic(t *testing.T) {
	e := newRelEnv(t, mapAuthors)
	a, b := &rAuthor{Name: "a", Books: []*rBook{{Title: "x"}}}, &rAuthor{Name: "b"}
	must(t, e.s.AddAll(a, b))
	must(t, e.s.Commit())
	book := a.Books[0]
	must(t, e.s.Expunge(a))
	book.Author = b
	must(t, e.s.Commit())
	if got := e.rows("SELECT author_id FROM books"); got != "2" {
		t.Fatalf("moved: %s", got)
	}
	// a detached parent's collection is not read: its books stay put
	a.Books = nil
	must(t, e.s.Delete(b))
	if err := e.s.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := e.rows("SELECT count(*) FROM books"); got != "0" {
		t.Fatalf("cascade from b: %s", got)
	}
	must(t, e.s.Rollback())
}
