package orm

import (
	"fmt"
	"testing"
)

// The autoflush check alone, over a session holding 1,000 authors and
// their 10,000 books with nothing changed: the per-query cost of the N+1
// (go test -run '^$' -bench NeedsFlush ./orm/).
func BenchmarkNeedsFlush(b *testing.B) {
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
	var as []*rAuthor
	if err := e.s.Query(&as).Options(SelectinLoad("Books")).All(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := cpuTime()
	for i := 0; i < b.N; i++ {
		if e.s.needsFlush() {
			b.Fatal("nothing changed, yet a flush is needed")
		}
	}
	reportCPU(b, start)
	b.ReportMetric(float64(len(e.s.members)), "objects")
}
