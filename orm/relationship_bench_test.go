package orm

import (
	"fmt"
	"testing"
)

// The loading strategies are timed next to GORM's in bench/gorm
// (BenchmarkRelLoad, BenchmarkRelLoadRatio); the change check's benchmark
// here shares their data.

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
