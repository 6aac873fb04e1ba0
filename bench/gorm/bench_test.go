// Package gormbench measures GORM on ORM Lab's ORM benchmark workload
// (insert 10,000 objects in one transaction, read them back into structs)
// on the same pure-Go SQLite as ORM Lab's own benchmark: modernc.org/sqlite
// at ORM Lab's version, handed to GORM as an open *sql.DB through
// gorm.io/driver/sqlite's Conn option (its cgo driver is linked but never
// used), next to raw database/sql on the same kind of *sql.DB. It is a
// separate module so that GORM never becomes a dependency of ORM Lab. Run:
//
//	cd bench/gorm && go test -run '^$' -bench . -benchmem
//
// and compare with `go test -run '^$' -bench Insert10k -benchmem ./orm/`
// (its raw_modernc and orm_sqldb_modernc lines use this same SQLite).
package gormbench

import (
	"database/sql"
	"fmt"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	gormsqlite "gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	_ "modernc.org/sqlite" // registers "sqlite"
)

const benchRows = 10000

type BenchUser struct {
	ID    int    `gorm:"primaryKey"`
	Name  string `gorm:"size:50;not null"`
	Email string `gorm:"size:100;not null"`
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

func BenchmarkInsert10kAndRead(b *testing.B) {
	b.Run("raw_modernc", func(b *testing.B) {
		db, err := sql.Open("sqlite", dsn())
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		db.SetMaxOpenConns(1)
		if _, err := db.Exec(ddl); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		cpu0 := cpuTime()
		defer reportCPU(b, cpu0)
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			db.Exec("DELETE FROM bench_users")
			us := users()
			b.StartTimer()
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
			var out []*BenchUser
			for rows.Next() {
				u := &BenchUser{}
				if err := rows.Scan(&u.ID, &u.Name, &u.Email, &u.Age); err != nil {
					b.Fatal(err)
				}
				out = append(out, u)
			}
			rows.Close()
			if len(out) != benchRows || us[benchRows-1].ID == 0 {
				b.Fatal("short read")
			}
		}
	})
	b.Run("gorm_modernc", func(b *testing.B) {
		sqlDB, err := sql.Open("sqlite", dsn())
		if err != nil {
			b.Fatal(err)
		}
		defer sqlDB.Close()
		sqlDB.SetMaxOpenConns(1)
		db, err := gorm.Open(gormsqlite.New(gormsqlite.Config{Conn: sqlDB}), &gorm.Config{Logger: logger.Discard})
		if err != nil {
			b.Fatal(err)
		}
		if err := db.Exec(ddl).Error; err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		cpu0 := cpuTime()
		defer reportCPU(b, cpu0)
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			db.Exec("DELETE FROM bench_users")
			us := users()
			b.StartTimer()
			// One transaction, as the ORM's session; GORM batches the
			// INSERTs (CreateInBatches) and reads the keys back.
			if err := db.Transaction(func(tx *gorm.DB) error {
				return tx.CreateInBatches(us, 500).Error
			}); err != nil {
				b.Fatal(err)
			}
			var out []*BenchUser
			if err := db.Find(&out).Error; err != nil {
				b.Fatal(err)
			}
			if len(out) != benchRows || us[benchRows-1].ID == 0 {
				b.Fatal("short read")
			}
		}
	})
}

// cpuTime is the process's user+system CPU time (reported per op, as in
// ORM Lab's own benchmark: steadier than wall time on a shared machine).
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
