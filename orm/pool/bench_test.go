package pool

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"runtime"
	"testing"
)

// nopConn is the cheapest raw connection: the benchmarks measure the pool.
type nopConn struct{}

func (nopConn) Close() error { return nil }

func nopDial(context.Context) (io.Closer, error) { return nopConn{}, nil }

// BenchmarkCheckoutCheckin is the uncontended cost of Get+Close (goal ≤ 1 µs).
func BenchmarkCheckoutCheckin(b *testing.B) {
	for _, tc := range []struct {
		name string
		mod  func(*Config)
	}{
		{"defaults", func(*Config) {}},
		{"listener+reset", func(c *Config) {
			c.Listener = func(Event) {}
			c.Reset = func(context.Context, io.Closer, ResetMode) error { return nil }
		}},
		{"virtual-clock", func(c *Config) { c.Clock = NewVirtualClock() }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			cfg := DefaultConfig()
			tc.mod(&cfg)
			p, err := NewQueuePool(nopDial, cfg)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				c, err := p.Get(ctx)
				if err != nil {
					b.Fatal(err)
				}
				c.Close()
			}
		})
	}
}

// A trivial database/sql driver, so that database/sql's own pool can be
// measured at the same limits over the same (empty) work.
type nopDriver struct{}
type nopSQLConn struct{}

func (nopDriver) Open(string) (driver.Conn, error)               { return nopSQLConn{}, nil }
func (nopSQLConn) Prepare(string) (driver.Stmt, error)           { return nil, errors.New("not supported") }
func (nopSQLConn) Close() error                                  { return nil }
func (nopSQLConn) Begin() (driver.Tx, error)                     { return nil, errors.New("not supported") }
func (nopSQLConn) ResetSession(ctx context.Context) error        { return nil }
func (nopSQLConn) IsValid() bool                                 { return true }
func (nopDriver) OpenConnector(string) (driver.Connector, error) { return nopConnector{}, nil }

type nopConnector struct{}

func (nopConnector) Connect(context.Context) (driver.Conn, error) { return nopSQLConn{}, nil }
func (nopConnector) Driver() driver.Driver                        { return nopDriver{} }

// BenchmarkContended: 64 goroutines share 5+10 connections. "ours" is a
// QueuePool (size 5, overflow 10), "database-sql" is database/sql's pool
// with MaxOpenConns 15 and MaxIdleConns 5. "hold" yields the processor while
// holding the connection, so the cap is really reached and goroutines wait.
func BenchmarkContended(b *testing.B) {
	const goroutines = 64
	par := (goroutines + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0)
	for _, hold := range []bool{false, true} {
		suffix := "/nohold"
		if hold {
			suffix = "/hold"
		}
		b.Run("ours"+suffix, func(b *testing.B) {
			cfg := DefaultConfig() // 5 + 10
			p, err := NewQueuePool(nopDial, cfg)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.SetParallelism(par)
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for pb.Next() {
					c, err := p.Get(ctx)
					if err != nil {
						b.Error(err)
						return
					}
					if hold {
						runtime.Gosched()
					}
					c.Close()
				}
			})
			if st := p.Stats(); st.PeakOpen > 15 {
				b.Fatalf("peak open %d", st.PeakOpen)
			}
		})
		b.Run("database-sql"+suffix, func(b *testing.B) {
			db := sql.OpenDB(nopConnector{})
			defer db.Close()
			db.SetMaxOpenConns(15)
			db.SetMaxIdleConns(5)
			b.ReportAllocs()
			b.SetParallelism(par)
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for pb.Next() {
					c, err := db.Conn(ctx)
					if err != nil {
						b.Error(err)
						return
					}
					if hold {
						runtime.Gosched()
					}
					c.Close()
				}
			})
		})
	}
}
