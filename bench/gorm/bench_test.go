// Package gormbench measures ORM Lab's ORM, GORM and raw database/sql side
// by side, in one benchmark binary, on the workload: insert 10,000
// objects in one transaction and read them back into structs. Every
// variant runs on an in-memory SQLite through database/sql; each ORM is
// measured against raw database/sql on the same driver:
//
//   - ncruces/go-sqlite3 (SQLite compiled to wasm, run by wazero): what
//     ORM Lab's Engine uses for sqlite:// and what runs in the browser;
//   - modernc.org/sqlite (SQLite translated to Go).
//
// GORM gets the open *sql.DB through gorm.io/driver/sqlite's Conn option
// (its cgo driver is linked but never used). It is a separate module so
// that GORM never becomes a dependency of ORM Lab. Run:
//
//	cd bench/gorm && go test -run '^$' -bench Insert10kRatio -count 3
//
// (BenchmarkInsert10kRatio interleaves the variants and reports the
// ratios; BenchmarkInsert10kAndRead times each alone, with -benchmem.)
//
// Raw database/sql runs one prepared INSERT per row and reads each
// LastInsertId (the plain way to get the keys); the ORMs batch their
// INSERTs (GORM's CreateInBatches of 500, ORM Lab's flush: 500-row
// multi-VALUES statements).
package gormbench

import (
	"database/sql"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	gormsqlite "github.com/ncruces/go-sqlite3/gormlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	_ "modernc.org/sqlite" // registers "sqlite"

	"ormlab/driver"
	"ormlab/orm"
)

const benchRows = 10000

// BenchUser is the model of every variant (ORM Lab reads the orm tags,
// GORM the gorm tags).
type BenchUser struct {
	ID    int    `gorm:"primaryKey" orm:"primary_key"`
	Name  string `gorm:"size:50;not null" orm:"size:50"`
	Email string `gorm:"size:100;not null" orm:"size:100"`
	Age   int    `gorm:"not null"`
}

func (BenchUser) TableName() string { return "bench_users" }

var seq atomic.Int64

func dsn() string {
	return fmt.Sprintf("file:gormbench_%d?mode=memory&cache=shared", seq.Add(1))
}

func users() []*BenchUser {
	us := make([]*BenchUser, benchRows)
	for i := range us {
		us[i] = &BenchUser{Name: fmt.Sprintf("user %d", i), Email: fmt.Sprintf("user%d@example.com", i), Age: i % 90}
	}
	return us
}

const ddl = `CREATE TABLE bench_users (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL, email VARCHAR(100) NOT NULL, age INTEGER NOT NULL)`

// openDB opens a fresh in-memory database on one connection and creates
// the table.
func openDB(b *testing.B, ncruces bool) *sql.DB {
	var db *sql.DB
	var err error
	if ncruces {
		db, err = driver.OpenSharedMemory(fmt.Sprintf("gormbench_n%d", seq.Add(1)), 0)
	} else {
		db, err = sql.Open("sqlite", dsn())
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(ddl); err != nil {
		b.Fatal(err)
	}
	return db
}

// variant is one way of doing a round: empty resets the table (untimed),
// round inserts the users and reads them back.
type variant struct {
	name  string
	empty func() error
	round func(us []*BenchUser) []*BenchUser
}

// check fails unless round stored the generated keys and read every row
// back as inserted.
func check(b *testing.B, us, out []*BenchUser) {
	if len(out) != benchRows || us[0].ID == 0 || us[benchRows-1].ID == 0 {
		b.Fatal("short read or keys not set")
	}
	for k, u := range out {
		if u.ID != us[k].ID || u.Name != us[k].Name {
			b.Fatalf("row %d read back as %+v, inserted %+v", k, u, us[k])
		}
	}
}

// once runs one round of v from an emptied table and fresh users (the
// set-up and the check untimed; gc also collects first, so that each
// variant starts from the same heap) and returns the round's time.
func once(b *testing.B, v variant, gc bool) time.Duration {
	b.StopTimer()
	if err := v.empty(); err != nil {
		b.Fatal(err)
	}
	us := users()
	if gc {
		runtime.GC()
	}
	b.StartTimer()
	start := time.Now()
	out := v.round(us)
	d := time.Since(start)
	b.StopTimer()
	check(b, us, out)
	b.StartTimer()
	return d
}

// rounds times b.N rounds of v.
func rounds(b *testing.B, v variant) {
	b.ResetTimer()
	cpu0 := cpuTime()
	defer reportCPU(b, cpu0)
	for i := 0; i < b.N; i++ {
		once(b, v, false)
	}
}

// variants are the ways of doing the work on one driver: raw database/sql
// (the baseline: first), ORM Lab's session on the *sql.DB, GORM on the
// *sql.DB, raw database/sql batched by hand as the ORMs batch, and
// (ncruces only) ORM Lab through its Engine.
func variants(b *testing.B, ncruces bool) []variant {
	vs := []variant{rawVariant(b, openDB(b, ncruces)), ormLabVariant(b, openDB(b, ncruces)), gormVariant(b, openDB(b, ncruces)),
		rawBatchedVariant(b, openDB(b, ncruces))}
	if ncruces {
		vs = append(vs, engineVariant(b))
	}
	return vs
}

var drivers = []struct {
	name    string
	ncruces bool
}{{"ncruces", true}, {"modernc", false}}

func BenchmarkInsert10kAndRead(b *testing.B) {
	for _, drv := range drivers {
		for _, v := range variants(b, drv.ncruces) {
			b.Run(v.name+"_"+drv.name, func(b *testing.B) { rounds(b, v) })
		}
	}
}

// BenchmarkInsert10kRatio runs the variants of a driver in turn within
// every iteration and reports each one's time relative to raw
// database/sql ("x_raw") and ORM Lab's relative to GORM: interleaved,
// the ratios hold on a machine whose speed drifts during the run, where
// separate benchmarks minutes apart do not.
func BenchmarkInsert10kRatio(b *testing.B) {
	for _, drv := range drivers {
		b.Run(drv.name, func(b *testing.B) {
			vs := variants(b, drv.ncruces)
			spent := make([]time.Duration, len(vs))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for k, v := range vs {
					spent[k] += once(b, v, true)
				}
			}
			for k, v := range vs {
				b.ReportMetric(float64(spent[k].Microseconds())/1000/float64(b.N), v.name+"-ms/op")
				if k > 0 {
					b.ReportMetric(float64(spent[k])/float64(spent[0]), v.name+"/raw")
				}
			}
			b.ReportMetric(float64(spent[1])/float64(spent[2]), "ormlab/gorm")
			b.ReportMetric(float64(spent[1])/float64(spent[3]), "ormlab/raw_batched")
		})
	}
}

func rawVariant(b *testing.B, db *sql.DB) variant {
	return variant{name: "raw", empty: emptier(db), round: func(us []*BenchUser) []*BenchUser {
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
		return readUsers(b, db, nil)
	}}
}

// rawBatchedVariant is database/sql written as the ORMs work: 500-row
// multi-VALUES INSERTs whose keys follow from the last insert id (SQLite
// gives the rows of one statement consecutive rowids). The floor for this
// workload, for reference.
func rawBatchedVariant(b *testing.B, db *sql.DB) variant {
	const batch = 500
	q := "INSERT INTO bench_users (name, email, age) VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", batch), ", ")
	args := make([]any, 0, 3*batch)
	return variant{name: "raw_batched", empty: emptier(db), round: func(us []*BenchUser) []*BenchUser {
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		st, err := tx.Prepare(q)
		if err != nil {
			b.Fatal(err)
		}
		for k := 0; k < len(us); k += batch {
			args = args[:0]
			for _, u := range us[k : k+batch] {
				args = append(args, u.Name, u.Email, u.Age)
			}
			r, err := st.Exec(args...)
			if err != nil {
				b.Fatal(err)
			}
			last, _ := r.LastInsertId()
			for j, u := range us[k : k+batch] {
				u.ID = int(last) - batch + 1 + j
			}
		}
		st.Close()
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		return readUsers(b, db, make([]*BenchUser, 0, len(us)))
	}}
}

// readUsers reads every row back into structs, appended to out.
func readUsers(b *testing.B, db *sql.DB, out []*BenchUser) []*BenchUser {
	rows, err := db.Query("SELECT id, name, email, age FROM bench_users")
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		u := &BenchUser{}
		if err := rows.Scan(&u.ID, &u.Name, &u.Email, &u.Age); err != nil {
			b.Fatal(err)
		}
		out = append(out, u)
	}
	return out
}

func emptier(db *sql.DB) func() error {
	return func() error { _, err := db.Exec("DELETE FROM bench_users"); return err }
}

// ormLabRound adds the users through one session, commits, and reads them
// back through another.
func ormLabRound(b *testing.B, newSession func() *orm.Session, us []*BenchUser) []*BenchUser {
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
	var out []*BenchUser
	if err := r.Query(&out).All(); err != nil {
		b.Fatal(err)
	}
	r.Close()
	return out
}

func mapBench(b *testing.B) *orm.Base {
	base := orm.NewBase()
	if _, err := base.Map(BenchUser{}, "bench_users"); err != nil {
		b.Fatal(err)
	}
	return base
}

// ormLabVariant: a session bound straight to the *sql.DB.
func ormLabVariant(b *testing.B, db *sql.DB) variant {
	mapBench(b)
	return variant{name: "ormlab", empty: emptier(db), round: func(us []*BenchUser) []*BenchUser {
		return ormLabRound(b, func() *orm.Session {
			s, err := orm.NewSessionDB(db, "sqlite")
			if err != nil {
				b.Fatal(err)
			}
			return s
		}, us)
	}}
}

// engineVariant: ORM Lab through its Engine (sqlite:// is ncruces): the
// pool, the observer hooks and value normalising on top of the session.
func engineVariant(b *testing.B) variant {
	e, err := orm.CreateEngine("sqlite://")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.Dispose() })
	if err := mapBench(b).CreateAll(e); err != nil {
		b.Fatal(err)
	}
	empty := func() error { _, err := e.Execute(orm.Text("DELETE FROM bench_users")); return err }
	return variant{name: "ormlab_engine", empty: empty, round: func(us []*BenchUser) []*BenchUser {
		return ormLabRound(b, func() *orm.Session { return orm.NewSession(e) }, us)
	}}
}

func gormVariant(b *testing.B, sqlDB *sql.DB) variant {
	db, err := gorm.Open(gormsqlite.OpenDB(sqlDB), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		b.Fatal(err)
	}
	empty := func() error { return db.Exec("DELETE FROM bench_users").Error }
	return variant{name: "gorm", empty: empty, round: func(us []*BenchUser) []*BenchUser {
		// One transaction, as ORM Lab's session; GORM batches the INSERTs
		// (CreateInBatches) and reads the keys back.
		if err := db.Transaction(func(tx *gorm.DB) error {
			return tx.CreateInBatches(us, 500).Error
		}); err != nil {
			b.Fatal(err)
		}
		var out []*BenchUser
		if err := db.Find(&out).Error; err != nil {
			b.Fatal(err)
		}
		return out
	}}
}

// cpuTime is the process's user+system CPU time, reported per op next to
// wall time: on a shared machine wall time swings with other processes'
// load, CPU time much less.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}
