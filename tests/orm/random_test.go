package ormtest

import (
	"errors"
	"fmt"
	"math/rand"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"ormlab/orm"
)

// RUser is the randomized test's model; Code is unique so that some
// flushes fail and roll the session back.
type RUser struct {
	ID   int    `orm:"primary_key"`
	Code int    `orm:"unique"`
	Name string `orm:"size:20"`
	Age  int
}

type rrow struct {
	code int
	name string
	age  int
}

func (r rrow) String() string { return fmt.Sprintf("%d/%s/%d", r.code, r.name, r.age) }

func rowOf(u *RUser) rrow { return rrow{u.Code, u.Name, u.Age} }

// world is the model of what the database and the session should hold.
type world struct {
	committed map[int]rrow   // database rows after the last commit
	live      []*RUser       // objects in the session (pending or persistent, not deleted)
	deleted   []*RUser       // marked or flushed deletes since the last commit
	sp        *spModel       // the open savepoint, if any
	nested    *orm.NestedTx  // the savepoint handle
	known     map[*RUser]int // object → id it had at the last commit (0: new)
	fail      func(format string, args ...any)
}

type spModel struct {
	rows    map[*RUser]rrow
	live    []*RUser
	deleted []*RUser
}

func (w *world) snapshotSP() *spModel {
	sp := &spModel{rows: map[*RUser]rrow{}, live: append([]*RUser(nil), w.live...), deleted: append([]*RUser(nil), w.deleted...)}
	for _, u := range w.live {
		sp.rows[u] = rowOf(u)
	}
	return sp
}

// rollback applies a whole rollback to the model and checks the objects.
func (w *world) rollback(t *testing.T, s *orm.Session) {
	t.Helper()
	fatalf := w.fail
	var live []*RUser
	for _, u := range append(append([]*RUser(nil), w.live...), w.deleted...) {
		id := w.known[u]
		if id == 0 {
			if st := orm.Inspect(u).State; st != orm.Transient || u.ID != 0 {
				fatalf("new object after rollback: %v id %d", st, u.ID)
			}
			continue
		}
		want := w.committed[id]
		if u.ID != id || rowOf(u) != want {
			fatalf("object after rollback: id %d %v, want id %d %v", u.ID, rowOf(u), id, want)
		}
		if st := s.State(u); st != orm.Persistent {
			fatalf("object %d after rollback: %v", id, st)
		}
		live = append(live, u)
	}
	sort.Slice(live, func(i, j int) bool { return live[i].ID < live[j].ID })
	w.live, w.deleted, w.sp, w.nested = live, nil, nil, nil
}

// rollbackTo applies a rollback to the open savepoint to the model and
// checks the objects: back as they were when it began, those added inside
// it transient.
func (w *world) rollbackTo() {
	sp := w.sp
	keep := map[*RUser]bool{}
	for _, u := range sp.live {
		keep[u] = true
		if rowOf(u) != sp.rows[u] {
			w.fail("after rollback to savepoint: %v, want %v", rowOf(u), sp.rows[u])
		}
	}
	for _, u := range w.live {
		if !keep[u] {
			if st := orm.Inspect(u).State; st != orm.Transient {
				w.fail("object added inside the savepoint: %v", st)
			}
		}
	}
	w.live, w.deleted = sp.live, sp.deleted
}

func (w *world) commit(t *testing.T) {
	t.Helper()
	w.committed = map[int]rrow{}
	w.known = map[*RUser]int{}
	codes := map[int]bool{}
	for _, u := range w.live {
		if u.ID == 0 {
			t.Fatal("committed object without id")
		}
		if codes[u.Code] {
			t.Fatalf("two committed rows share code %d", u.Code)
		}
		codes[u.Code] = true
		w.committed[u.ID] = rowOf(u)
		w.known[u] = u.ID
	}
	for _, u := range w.deleted {
		if st := orm.Inspect(u).State; st != orm.Detached {
			t.Fatalf("deleted object after commit: %v", st)
		}
	}
	w.deleted, w.sp, w.nested = nil, nil, nil
}

// checkDB compares the table with the model's committed rows, reading it
// through a separate session.
func (w *world) checkDB(t *testing.T, e *orm.Engine) {
	t.Helper()
	s := orm.NewSession(e)
	defer s.Close()
	res, err := s.Execute(orm.Text("SELECT id, code, name, age FROM rusers ORDER BY id"))
	if err != nil {
		t.Fatal(err)
	}
	type r struct {
		ID, Code int
		Name     string
		Age      int
	}
	var rows []r
	must(t, res.Scan(&rows))
	got := map[int]rrow{}
	for _, x := range rows {
		got[x.ID] = rrow{x.Code, x.Name, x.Age}
	}
	if fmt.Sprint(got) != fmt.Sprint(w.committed) {
		t.Fatalf("database:\n got %v\nwant %v", got, w.committed)
	}
}

func runRandomUoW(t *testing.T, e *orm.Engine, seed int64, steps int) {
	rng := rand.New(rand.NewSource(seed))
	s := orm.NewSession(e)
	defer s.Close()
	w := &world{committed: map[int]rrow{}, known: map[*RUser]int{}}
	var log []string
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("seed %d after %s: "+format, append([]any{seed, strings.Join(log, " ")}, args...)...)
	}
	w.fail = fail
	handle := func(op string, err error) bool {
		t.Helper()
		if err == nil {
			return true
		}
		if !errors.Is(err, orm.ErrFlush) {
			fail("%s: unexpected error %v", op, err)
		}
		log = append(log, "(failed)")
		var fe *orm.FlushError
		errors.As(err, &fe)
		if w.sp != nil {
			// inside a savepoint a failed flush rolls back to it only
			if fe == nil || fe.Savepoint == "" {
				fail("%s failed inside a savepoint but did not roll back to it: %v", op, err)
			}
			w.rollbackTo()
			if err := w.nested.Rollback(); err != nil {
				fail("Rollback after a failed flush rolled the savepoint back: %v", err)
			}
			w.sp, w.nested = nil, nil
			return false
		}
		if fe != nil && fe.Savepoint != "" {
			fail("%s: rolled back to savepoint %s with none open", op, fe.Savepoint)
		}
		w.rollback(t, s)
		return false
	}
	names := []string{"ann", "bob", "cy", "dee", "eve"}
	for i := 0; i < steps; i++ {
		switch k := rng.Intn(20); {
		case k < 6:
			u := &RUser{Code: rng.Intn(40), Name: names[rng.Intn(len(names))], Age: rng.Intn(90)}
			must(t, s.Add(u))
			w.live = append(w.live, u)
			log = append(log, "add")
		case k < 10 && len(w.live) > 0:
			u := w.live[rng.Intn(len(w.live))]
			if rng.Intn(2) == 0 {
				u.Age = rng.Intn(90)
			} else {
				u.Code = rng.Intn(40)
				u.Name = names[rng.Intn(len(names))]
			}
			log = append(log, "change")
		case k < 12 && len(w.live) > 0:
			j := rng.Intn(len(w.live))
			u := w.live[j]
			pending := s.State(u) == orm.Pending
			must(t, s.Delete(u))
			w.live = append(w.live[:j], w.live[j+1:]...)
			if !pending {
				w.deleted = append(w.deleted, u)
			} else if st := orm.Inspect(u).State; st != orm.Transient {
				fail("delete of a pending object: %v", st)
			}
			log = append(log, "delete")
		case k < 13:
			log = append(log, "flush")
			if handle("flush", s.Flush()) {
				for _, u := range w.live {
					if st := s.State(u); st != orm.Persistent {
						fail("after flush: %v", st)
					}
				}
			}
		case k < 15:
			log = append(log, "commit")
			if handle("commit", s.Commit()) {
				w.commit(t)
				w.checkDB(t, e)
			} else {
				w.checkDB(t, e)
			}
		case k < 16:
			log = append(log, "rollback")
			must(t, s.Rollback())
			w.rollback(t, s)
			w.checkDB(t, e)
		case k < 17:
			// a query sees every change (autoflush) and returns the
			// session's own objects
			log = append(log, "query")
			var got []*RUser
			if !handle("query", s.Query(&got).OrderBy("ID").All()) {
				break
			}
			if len(got) != len(w.live) {
				fail("query returned %d objects, model has %d", len(got), len(w.live))
			}
			in := map[*RUser]bool{}
			for _, u := range w.live {
				in[u] = true
			}
			for _, u := range got {
				if !in[u] {
					fail("query returned an object that is not the session's: %+v", u)
				}
			}
		case k < 18 && w.sp == nil:
			log = append(log, "savepoint")
			sp, err := s.BeginNested()
			if handle("savepoint", err) {
				w.sp, w.nested = w.snapshotSP(), sp
			}
		case k < 20 && w.sp != nil:
			if rng.Intn(2) == 0 {
				log = append(log, "release")
				if handle("release", w.nested.Commit()) {
					w.sp, w.nested = nil, nil
				}
				break
			}
			log = append(log, "rollback-to")
			must(t, w.nested.Rollback())
			w.rollbackTo()
			w.sp, w.nested = nil, nil
		}
	}
	log = append(log, "final commit")
	if handle("commit", s.Commit()) {
		w.commit(t)
	}
	w.checkDB(t, e)
}

func TestRandomUnitOfWork(t *testing.T) {
	for _, name := range []string{"sqlite", "postgresql", "mysql"} {
		t.Run(name, func(t *testing.T) {
			seeds, steps := 40, 150
			if name != "sqlite" {
				seeds, steps = 3, 80
			}
			// ORMLAB_SEEDS=1000 go test -run TestRandomUnitOfWork/sqlite ./tests/orm/
			// runs a longer search.
			if n, err := strconv.Atoi(os.Getenv("ORMLAB_SEEDS")); err == nil && n > 0 {
				seeds = n
			}
			for seed := int64(1); seed <= int64(seeds); seed++ {
				v := newEnv(t, targets[name])
				if _, err := v.base.Map(RUser{}, "rusers"); err != nil {
					t.Fatal(err)
				}
				must(t, v.base.CreateAll(v.e))
				runRandomUoW(t, v.e, seed, steps)
			}
		})
	}
}
