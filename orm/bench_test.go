package orm

import (
	"database/sql"
	"fmt"
	"sync/atomic"
	"testing"

	"ormlab/driver"
)

// The ORM's overhead on the workload: insert 10,000 objects through
// a session (one transaction) and read them back into structs, on the same
// native SQLite as raw database/sql (prepared INSERT per row with its
// LastInsertId, then one SELECT scanned into structs). GORM's figures come
// from the separate module bench/gorm (so GORM never becomes a dependency).
//
//	go test -run '^$' -bench 'Insert10k' -benchmem ./orm/

const benchRows = 10000

type benchUser struct {
	ID    int    `orm:"primary_key"`
	Name  string `orm:"size:50"`
	Email string `orm:"size:100"`
	Age   int
}

const benchDDL = `CREATE TABLE bench_users (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL, email VARCHAR(100) NOT NULL, age INTEGER NOT NULL)`

var benchSeq atomic.Int64

func benchUsers() []*benchUser {
	us := make([]*benchUser, benchRows)
	for i := range us {
		us[i] = &benchUser{Name: fmt.Sprintf("user %d", i), Email: fmt.Sprintf("user%d@example.com", i), Age: i % 90}
	}
	return us
}

// Two pairs measure the same SQLite on each side: the Engine's sqlite://
// runs on ncruces/go-sqlite3 over the memdb VFS (as in the browser), so
// raw_ncruces is its baseline; raw_modernc is the baseline of the session
// bound straight to a modernc.org/sqlite *sql.DB (the SQLite GORM's
// benchmark in bench/gorm uses too).
func BenchmarkInsert10kAndRead(b *testing.B) {
	b.Run("raw_ncruces", func(b *testing.B) {
		db, err := driver.OpenSharedMemory(fmt.Sprintf("bench_rawn_%d", benchSeq.Add(1)), 0)
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		benchRaw(b, db)
	})
	b.Run("raw_modernc", func(b *testing.B) {
		db, err := driver.OpenSQLite(driver.SharedMemoryDSN(fmt.Sprintf("bench_raw_%d", benchSeq.Add(1))))
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		benchRaw(b, db)
	})
	benchORM(b)
}

// benchRounds times b.N rounds: each starts (untimed) from an emptied
// table and fresh users, runs round, and checks that round stored the
// generated keys and read every row back.
func benchRounds(b *testing.B, empty func() error, round func(us []*benchUser) []*benchUser) {
	b.ResetTimer()
	cpu0 := cpuTime()
	defer reportCPU(b, cpu0)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if err := empty(); err != nil {
			b.Fatal(err)
		}
		us := benchUsers()
		b.StartTimer()
		out := round(us)
		if len(out) != benchRows || us[benchRows-1].ID == 0 {
			b.Fatal("short read")
		}
	}
}

func benchRaw(b *testing.B, db *sql.DB) {
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(benchDDL); err != nil {
		b.Fatal(err)
	}
	empty := func() error { _, err := db.Exec("DELETE FROM bench_users"); return err }
	benchRounds(b, empty, func(us []*benchUser) []*benchUser {
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		st, err := tx.Prepare("INSERT INTO bench_users (name, email, age) VALUES (?, ?, ?)")
		if err != nil {
			b.Fatal(err)
		}
		for _, u := range us {
			r, err := st.Exec(u.Name, u.Email, u.Age)
			if err != nil {
				b.Fatal(err)
			}
			id, _ := r.LastInsertId()
			u.ID = int(id)
		}
		st.Close()
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		rows, err := db.Query("SELECT id, name, email, age FROM bench_users")
		if err != nil {
			b.Fatal(err)
		}
		var out []*benchUser
		for rows.Next() {
			u := &benchUser{}
			if err := rows.Scan(&u.ID, &u.Name, &u.Email, &u.Age); err != nil {
				b.Fatal(err)
			}
			out = append(out, u)
		}
		rows.Close()
		return out
	})
}

// ormRound adds the users through one session, commits, and reads them
// back through another.
func ormRound(b *testing.B, newSession func() *Session, us []*benchUser) []*benchUser {
	s := newSession()
	for _, u := range us {
		if err := s.Add(u); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Commit(); err != nil {
		b.Fatal(err)
	}
	s.Close()
	r := newSession()
	var out []*benchUser
	if err := r.Query(&out).All(); err != nil {
		b.Fatal(err)
	}
	r.Close()
	return out
}

func benchORM(b *testing.B) {
	b.Run("orm_engine_ncruces", func(b *testing.B) {
		e, err := CreateEngine("sqlite://")
		if err != nil {
			b.Fatal(err)
		}
		defer e.Dispose()
		base := NewBase()
		if _, err := base.Map(benchUser{}, "bench_users"); err != nil {
			b.Fatal(err)
		}
		if err := base.CreateAll(e); err != nil {
			b.Fatal(err)
		}
		empty := func() error { _, err := e.Execute(Text("DELETE FROM bench_users")); return err }
		benchRounds(b, empty, func(us []*benchUser) []*benchUser {
			return ormRound(b, func() *Session { return NewSession(e) }, us)
		})
	})
	// The same through a session bound straight to *sql.DB: the ORM's own
	// cost without the Engine's pool, observer hooks and value normalising.
	b.Run("orm_sqldb_modernc", func(b *testing.B) {
		db, err := driver.OpenSQLite(driver.SharedMemoryDSN(fmt.Sprintf("bench_ormdb_%d", benchSeq.Add(1))))
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		db.SetMaxOpenConns(1)
		if _, err := db.Exec(benchDDL); err != nil {
			b.Fatal(err)
		}
		base := NewBase()
		if _, err := base.Map(benchUser{}, "bench_users"); err != nil {
			b.Fatal(err)
		}
		empty := func() error { _, err := db.Exec("DELETE FROM bench_users"); return err }
		benchRounds(b, empty, func(us []*benchUser) []*benchUser {
			return ormRound(b, func() *Session {
				s, err := NewSessionDB(db, "sqlite")
				if err != nil {
					b.Fatal(err)
				}
				return s
			}, us)
		})
	})
}
