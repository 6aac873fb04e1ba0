package orm

import (
	"fmt"
	"testing"
)

// Loading 1,000 authors with 10 books each: lazy (one SELECT per author,
// the N+1), selectin (one more SELECT per 500 authors) and joined (one
// SELECT with a LEFT OUTER JOIN). go test -bench RelLoad ./orm/
func BenchmarkRelLoad(b *testing.B) {
	e := seedAuthorsBooks(b)
	run := func(b *testing.B, load func(s *Session, as *[]*rAuthor) error) {
		var stmts int
		start := cpuTime()
		for i := 0; i < b.N; i++ {
			s, err := NewSessionDB(e.db, "sqlite")
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			OnAfterExecute(s, func(*ExecuteEvent) { n++ })
			var as []*rAuthor
			if err := load(s, &as); err != nil {
				b.Fatal(err)
			}
			if len(as) != 1000 || len(as[999].Books) != 10 || as[999].Books[9].Author != as[999] {
				b.Fatalf("loaded %d authors", len(as))
			}
			stmts = n
			RemoveListeners(s)
			s.Close()
		}
		reportCPU(b, start)
		b.ReportMetric(float64(stmts), "statements/op")
	}
	b.Run("lazy", func(b *testing.B) {
		run(b, func(s *Session, as *[]*rAuthor) error {
			if err := s.Query(as).OrderBy("id").All(); err != nil {
				return err
			}
			for _, a := range *as {
				if err := s.Load(a, "Books"); err != nil {
					return err
				}
			}
			return nil
		})
	})
	b.Run("selectin", func(b *testing.B) {
		run(b, func(s *Session, as *[]*rAuthor) error {
			return s.Query(as).OrderBy("id").Options(SelectinLoad("Books")).All()
		})
	})
	b.Run("joined", func(b *testing.B) {
		run(b, func(s *Session, as *[]*rAuthor) error {
			return s.Query(as).OrderBy("id").Options(JoinedLoad("Books")).All()
		})
	})
}

// seedAuthorsBooks is a fresh database with 1,000 authors and 10 books
// each, written with plain SQL (the benchmarks measure reading).
func seedAuthorsBooks(b *testing.B) *relEnv {
	b.Helper()
	e := newRelEnv(b, mapAuthors)
	tx, err := e.db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	for i := 1; i <= 1000; i++ {
		if _, err := tx.Exec("INSERT INTO authors (id, name) VALUES (?, ?)", i, fmt.Sprint("author ", i)); err != nil {
			b.Fatal(err)
		}
		for j := 0; j < 10; j++ {
			if _, err := tx.Exec("INSERT INTO books (title, author_id) VALUES (?, ?)", fmt.Sprint("book ", i, "-", j), i); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return e
}
