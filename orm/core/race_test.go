package core

import (
	"sync"
	"testing"
)

// Statements are immutable once built, so one statement may be compiled
// from many goroutines at once (the runner compiles each statement for four
// dialects; the Engine may share cached statements).
func TestConcurrentCompile(t *testing.T) {
	s := newTestSchema()
	stmt := threeJoins(s)
	want := map[string]string{}
	for _, n := range dialectOrder {
		c, err := Compile(stmt, mustDialect(t, n))
		if err != nil {
			t.Fatal(err)
		}
		want[n] = c.SQL
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				n := dialectOrder[(g+i)%4]
				c, err := Compile(stmt, mustDialect(t, n))
				if err != nil || c.SQL != want[n] || len(c.Params) != 2 {
					t.Errorf("%s: %q %v", n, c.SQL, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
