package orm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"ormlab/driver"
	"ormlab/orm/core"
)

var dbSeq atomic.Int64

func openTestDB(t testing.TB) *sql.DB {
	t.Helper()
	db, err := driver.OpenSQLite(driver.SharedMemoryDSN(fmt.Sprintf("ormtest_%d", dbSeq.Add(1))))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

type smokeUser struct {
	ID       int    `orm:"primary_key"`
	Name     string `orm:"size:50,not_null"`
	Fullname string
	Age      *int
}

func TestSmokeCRUD(t *testing.T) {
	db := openTestDB(t)
	base := NewBase()
	m, err := base.Map(smokeUser{}, "users")
	if err != nil {
		t.Fatal(err)
	}
	if err := base.Metadata.CreateAll(context.Background(), core.NewSQLiteExecutor(db), false); err != nil {
		t.Fatal(err)
	}
	s, err := NewSessionDB(db, "sqlite")
	if err != nil {
		t.Fatal(err)
	}
	ed := &smokeUser{Name: "ed", Fullname: "Ed Jones"}
	if err := s.Add(ed); err != nil {
		t.Fatal(err)
	}
	if got := Inspect(ed).State; got != Pending {
		t.Fatalf("state %v", got)
	}
	if err := s.AddAll([]*smokeUser{{Name: "wendy"}, {Name: "mary"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if ed.ID != 1 || Inspect(ed).State != Persistent {
		t.Fatalf("ed %+v %v", ed, Inspect(ed))
	}
	var users []*smokeUser
	if err := s.Query(&users).OrderBy("-id").All(); err != nil {
		t.Fatal(err)
	}
	if len(users) != 3 || users[2] != ed || users[0].Name != "mary" {
		t.Fatalf("users %v", users)
	}
	ed.Name = "eddie"
	var u *smokeUser
	if err := s.Query(&u).FilterBy("Name", "eddie").One(); err != nil {
		t.Fatal(err)
	}
	if u != ed {
		t.Fatal("identity")
	}
	n, err := s.Query(&users).Filter(m.C("name").Like("%e%")).Count()
	if err != nil || n != 2 {
		t.Fatal(n, err)
	}
	s.Delete(ed)
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if Inspect(ed).State != Detached {
		t.Fatal(Inspect(ed))
	}
	err = s.Get(&u, 1)
	if !errors.Is(err, ErrNoResult) {
		t.Fatal(err)
	}
	var total int64
	if err := s.Query(&total).From(m).Select(Count()).Scalar(); err != nil || total != 2 {
		t.Fatal(total, err)
	}
}
