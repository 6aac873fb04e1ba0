package orm

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"ormlab/orm/core"
)

// registryEnv maps smokeUser on a fresh SQLite database and returns a
// session maker for it.
func registryEnv(t *testing.T) func() *Session {
	t.Helper()
	return mappedSQLite(t, smokeUser{}, "users")
}

// mappedSQLite maps model to table on a fresh SQLite database, creates the
// table, and returns a session maker for the database.
func mappedSQLite(t *testing.T, model any, table string) func() *Session {
	t.Helper()
	db := openTestDB(t)
	base := NewBase()
	if _, err := base.Map(model, table); err != nil {
		t.Fatal(err)
	}
	if err := base.Metadata.CreateAll(context.Background(), core.NewSQLiteExecutor(db), false); err != nil {
		t.Fatal(err)
	}
	return func() *Session {
		s, err := NewSessionDB(db, "sqlite")
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
}

// An object keeps its identity after its session closes (detached), is
// reattached by Add without an INSERT, and is refused by a second open
// session.
func TestRegistryDetachedAndOpenSessions(t *testing.T) {
	newSession := registryEnv(t)
	s1 := newSession()
	u := &smokeUser{Name: "ann"}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s1.Add(u))
	must(s1.Commit())
	s2 := newSession()
	if err := s2.Add(u); !errors.Is(err, ErrInvalidObject) {
		t.Fatalf("adding an object of another open session: %v", err)
	}
	if s2.Contains(u) || !s1.Contains(u) {
		t.Fatal("Contains")
	}
	must(s1.Close())
	if st := Inspect(u).State; st != Detached {
		t.Fatalf("after Close: %v", st)
	}
	must(s2.Add(u))
	if st := Inspect(u).State; st != Persistent {
		t.Fatalf("reattached: %v", st)
	}
	u.Name = "anne"
	must(s2.Commit())
	var n int64
	must(s2.Query(&n).From(smokeUser{}).Select(Count()).Scalar())
	if n != 1 {
		t.Fatalf("reattaching inserted a row: %d rows", n)
	}
	// A single Expunge retires the record too.
	must(s2.Expunge(u))
	if st := Inspect(u).State; st != Detached {
		t.Fatalf("after Expunge: %v", st)
	}
	// A record is believed only while the object keeps its key.
	u.ID = 99
	if st := Inspect(u).State; st != Transient {
		t.Fatalf("detached object with another key: %v", st)
	}
	u.ID = 1
	must(s2.Close())
	regMu.RLock()
	defer regMu.RUnlock()
	for _, o := range openSessions {
		if o == s1 || o == s2 {
			t.Fatal("a closed session is still listed as holding objects")
		}
	}
	if s1.openIdx != -1 || s2.openIdx != -1 {
		t.Fatalf("closed sessions' index: %d %d", s1.openIdx, s2.openIdx)
	}
}

// Past retiredMax records the oldest generations are dropped: their
// objects report transient, newer ones stay detached.
func TestRegistryTrim(t *testing.T) {
	oldMax, oldKeep := retiredMax, retiredKeep
	retiredMax, retiredKeep = 50, 20
	defer func() { retiredMax, retiredKeep = oldMax, oldKeep }()
	newSession := registryEnv(t)
	var rounds [][]*smokeUser
	for r := 0; r < 8; r++ {
		s := newSession()
		var us []*smokeUser
		for i := 0; i < 10; i++ {
			us = append(us, &smokeUser{Name: fmt.Sprintf("r%d u%d", r, i)})
		}
		if err := s.AddAll(us); err != nil {
			t.Fatal(err)
		}
		if err := s.Commit(); err != nil {
			t.Fatal(err)
		}
		s.Close()
		rounds = append(rounds, us)
	}
	if retired.n > retiredMax {
		t.Fatalf("%d retired records kept, max %d", retired.n, retiredMax)
	}
	if st := Inspect(rounds[0][0]).State; st != Transient {
		t.Fatalf("oldest generation: %v", st)
	}
	for _, u := range rounds[7] {
		if st := Inspect(u).State; st != Detached {
			t.Fatalf("newest generation: %v", st)
		}
	}
}

// Sessions in different goroutines add, load and close concurrently
// while each looks objects up across the others (run with -race).
func TestRegistryConcurrentSessions(t *testing.T) {
	newSession := registryEnv(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for r := 0; r < 20; r++ {
				s := newSession()
				u := &smokeUser{Name: fmt.Sprintf("g%d r%d", g, r)}
				if err := s.Add(u); err != nil {
					errs <- err
					return
				}
				if st := Inspect(u).State; st != Pending {
					errs <- fmt.Errorf("pending object reported %v", st)
					return
				}
				s.Close()
				if st := Inspect(u).State; st != Transient {
					errs <- fmt.Errorf("closed before flush: %v", st)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

type regCode struct {
	Code string `orm:"primary_key,size:10"`
	Name string `orm:"size:20"`
}

// A row whose key is a zero value ("") is still found detached: the
// shortcut for zero keys applies only while no such record exists.
func TestRegistryZeroKeyDetached(t *testing.T) {
	newSession := mappedSQLite(t, regCode{}, "codes")
	s := newSession()
	empty, named := &regCode{Code: "", Name: "empty"}, &regCode{Code: "a", Name: "named"}
	if err := s.AddAll(empty, named); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if st := Inspect(empty).State; st != Detached {
		t.Fatalf("object with key \"\": %v", st)
	}
	if st := Inspect(named).State; st != Detached {
		t.Fatalf("object with key \"a\": %v", st)
	}
	// Add looks the record up with the zero-key shortcut in play.
	s2 := newSession()
	defer s2.Close()
	if err := s2.Add(empty); err != nil {
		t.Fatal(err)
	}
	if st := Inspect(empty).State; st != Persistent {
		t.Fatalf("re-added object with key \"\": %v (not reattached)", st)
	}
	if !zeroIdent(compositeString("0\x00\x00")) || zeroIdent(compositeString("0\x00x\x00")) || !zeroIdent(int64(0)) || zeroIdent(int64(3)) {
		t.Fatal("zeroIdent")
	}
}

// BeforeFlush runs only when a flush has work: objects a savepoint
// rollback took out of the session leave none.
func TestBeforeFlushOnlyWithWork(t *testing.T) {
	newSession := registryEnv(t)
	s := newSession()
	defer s.Close()
	calls := 0
	s.OnBeforeFlush(func(*Session) error { calls++; return nil })
	if err := s.Add(&smokeUser{Name: "ann"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Fatalf("BeforeFlush ran %d times for one flush", calls)
	}
	sp, err := s.BeginNested()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Add(&smokeUser{Name: "bob"}); err != nil {
		t.Fatal(err)
	}
	if err := sp.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Fatalf("BeforeFlush ran with nothing to flush (%d calls)", calls)
	}
}
