package orm

import "testing"

// The autoflush check alone, over a session holding 1,000 authors and
// their 10,000 books with nothing changed: the per-query cost of the N+1
// (go test -run '^$' -bench NeedsFlush ./orm/).
func BenchmarkNeedsFlush(b *testing.B) {
	e := seedAuthorsBooks(b)
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
	b.ReportMetric(float64(len(e.s.objs)), "objects")
}
