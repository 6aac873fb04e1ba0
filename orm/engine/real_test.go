//go:build !js

package engine

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"ormlab/driver"
	"ormlab/orm/core"
	"ormlab/orm/pool"
	"ormlab/tests/servers"
)

func TestMain(m *testing.M) { servers.Main(m) }

// countBackends counts the PostgreSQL sessions of one application name.
func countBackends(t *testing.T, s *servers.Server, app string) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRow("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", app).Scan(&n); err != nil {
		t.Fatalf("pg_stat_activity: %v", err)
	}
	return n
}

// Under load the server never sees more connections than pool_size +
// max_overflow.
func TestPostgresConnectionCap(t *testing.T) {
	s := servers.Postgres(t)
	const size, overflow = 3, 2
	e := mustEngine(t, s.URL+"?application_name=ormlab_cap&sslmode=disable", PoolSize(size), MaxOverflow(overflow), PoolTimeout(20*time.Second))
	if e.Simulated() || e.ExecutedDialect().Name() != "postgresql" {
		t.Fatalf("not a real PostgreSQL engine: simulated=%v", e.Simulated())
	}
	md, users := usersTable()
	if err := md.CreateAll(context.Background(), e, true); err != nil {
		t.Fatal(err)
	}

	stop := make(chan struct{})
	var peak int
	var monitor sync.WaitGroup
	monitor.Add(1)
	go func() {
		defer monitor.Done()
		for {
			if n := countBackends(t, s, "ormlab_cap"); n > peak {
				peak = n
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	const workers, rounds = 16, 8
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				c, err := e.Connect()
				if err != nil {
					errs <- err
					return
				}
				// Hold the connection a little so the pool really fills.
				_, err = c.Execute(core.Text("SELECT pg_sleep(0.003)"))
				if err == nil {
					_, err = c.Execute(core.Insert(users).Values(map[string]any{"name": strings.Repeat("x", w+1) + string(rune('a'+i))}))
				}
				if err == nil {
					err = c.Commit()
				}
				c.Close()
				if err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(stop)
	monitor.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("worker: %v", err)
	}
	st := e.Pool().Stats()
	t.Logf("pg_stat_activity peak %d, pool peak open %d, connects %d, waits %d (cap %d)", peak, st.PeakOpen, st.Connects, st.Waits, size+overflow)
	if peak > size+overflow || st.PeakOpen > size+overflow {
		t.Errorf("pg_stat_activity peak %d, pool peak %d: more than %d", peak, st.PeakOpen, size+overflow)
	}
	if peak < 2 {
		t.Errorf("pg_stat_activity never showed the pool's connections (peak %d)", peak)
	}
	c, _ := e.Connect()
	if n := count(t, c, "users"); n != workers*rounds {
		t.Errorf("%d rows, want %d", n, workers*rounds)
	}
	c.Close()
	if st := e.Pool().Stats(); st.CheckedOut != 0 {
		t.Errorf("connections still checked out: %+v", st)
	}
	e.Close()
	// Close really closes: the server sees no session left.
	deadline := time.Now().Add(5 * time.Second)
	for countBackends(t, s, "ormlab_cap") > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := countBackends(t, s, "ormlab_cap"); n != 0 {
		t.Errorf("%d sessions left after Close", n)
	}
}

// terminate kills every backend of app and waits until they are gone.
func terminate(t *testing.T, s *servers.Server, app string) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRow("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1", app).Scan(&n); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for countBackends(t, s, app) > 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	return n
}

// pg_terminate_backend kills the pooled connections: pre_ping notices on
// checkout and reconnects, so the program sees nothing.
func TestPostgresPrePingRecovers(t *testing.T) {
	s := servers.Postgres(t)
	rec := &recorder{}
	e := mustEngine(t, s.URL+"?application_name=ormlab_pp&sslmode=disable", PoolSize(3), PoolPrePing(true), WithObserver(rec))
	var conns []*Connection
	for i := 0; i < 3; i++ {
		c, err := e.Connect()
		if err != nil {
			t.Fatal(err)
		}
		mustExec(t, c, core.Text("SELECT 1"))
		conns = append(conns, c)
	}
	for _, c := range conns {
		c.Close()
	}
	if n := terminate(t, s, "ormlab_pp"); n != 3 {
		t.Fatalf("terminated %d backends, want 3", n)
	}
	for i := 0; i < 3; i++ {
		c, err := e.Connect()
		if err != nil {
			t.Fatalf("Connect after terminate: %v", err)
		}
		r, err := c.Execute(core.Text("SELECT 41 + 1"))
		if err != nil {
			t.Fatalf("statement after terminate (pre_ping should have reconnected): %v", err)
		}
		if r.Scalar() != int64(42) {
			t.Errorf("SELECT 41 + 1 = %#v", r.Scalar())
		}
		c.Close()
	}
	var invalidate bool
	for _, ev := range rec.pool {
		if ev.Kind == pool.EventInvalidate {
			invalidate = true
		}
	}
	if !invalidate {
		t.Errorf("no invalidate event: %v", rec.poolKinds())
	}
	if n := countBackends(t, s, "ormlab_pp"); n < 1 || n > 3 {
		t.Errorf("%d backends after recovery", n)
	}
}

// Without pre_ping the first statement meets the dead connection: it fails
// with an error the pool recognises as a disconnect, the whole pool is
// invalidated, and the next checkout works.
func TestPostgresDisconnectWithoutPrePing(t *testing.T) {
	s := servers.Postgres(t)
	e := mustEngine(t, s.URL+"?application_name=ormlab_np&sslmode=disable", PoolSize(2))
	a, _ := e.Connect()
	b, _ := e.Connect()
	mustExec(t, a, core.Text("SELECT 1"))
	mustExec(t, b, core.Text("SELECT 1"))
	a.Close()
	b.Close()
	terminate(t, s, "ormlab_np")
	c, err := e.Connect()
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Execute(core.Text("SELECT 1"))
	var se *StatementError
	if err == nil || !errors.As(err, &se) || !driver.IsDisconnect(err) {
		t.Fatalf("statement on a terminated backend: %v (disconnect: %v)", err, driver.IsDisconnect(err))
	}
	c.Rollback()
	c.Close()
	// Both pooled connections predate the invalidation: fresh ones follow.
	for i := 0; i < 2; i++ {
		c, err := e.Connect()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Execute(core.Text("SELECT 1")); err != nil {
			t.Errorf("checkout %d after invalidation: %v", i, err)
		}
		c.Close()
	}
}

func TestPostgresReal(t *testing.T) {
	s := servers.Postgres(t)
	e := mustEngine(t, strings.Replace(s.URL, "postgresql://", "postgresql+psycopg2://", 1)+"?sslmode=disable")
	md := core.NewMetaData()
	tbl := md.Table("items",
		core.Column("id", core.Integer(), core.PrimaryKey()),
		core.Column("name", core.String(20), core.Unique()),
		core.Column("flag", core.Boolean()),
		core.Column("at", core.DateTime()),
	)
	if err := md.CreateAll(context.Background(), e, true); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 2, 3, 4, 5, 6, 0, time.UTC)
	r, err := e.Execute(core.Insert(tbl).Values(map[string]any{"name": "a", "flag": true, "at": at}))
	if err != nil {
		t.Fatal(err)
	}
	if id, ok := r.LastInsertID(); !ok || id != 1 {
		t.Errorf("InsertedPrimaryKey via RETURNING = %v", r.InsertedPrimaryKey())
	}
	r, _ = e.Execute(core.Insert(tbl).Values(map[string]any{"name": "b"}))
	if id, _ := r.LastInsertID(); id != 2 {
		t.Errorf("second key = %v", r.InsertedPrimaryKey())
	}
	r, err = e.Execute(core.Select(tbl.C("id"), tbl.C("name"), tbl.C("flag"), tbl.C("at")).Where(tbl.C("id").Eq(1)))
	if err != nil {
		t.Fatal(err)
	}
	row := r.First()
	if row[0] != int64(1) || row[1] != "a" || row[2] != true {
		t.Errorf("row %#v", row)
	}
	if tm, ok := row[3].(time.Time); !ok || !tm.Equal(at) {
		t.Errorf("time %#v", row[3])
	}
	_, err = e.Execute(core.Insert(tbl).Values(map[string]any{"name": "a"}))
	var se *StatementError
	if !errors.As(err, &se) || se.Executed != "postgresql" || !strings.Contains(err.Error(), "duplicate key") {
		t.Errorf("duplicate: %v", err)
	}
	// Isolation on the real server, for comparison with the simulated one.
	a, _ := e.Connect()
	b, _ := e.Connect()
	mustExec(t, a, core.Text("INSERT INTO items (name) VALUES (:n)"), map[string]any{"n": "c"})
	if n := count(t, b, "items"); n != 2 {
		t.Errorf("uncommitted row visible: %d", n)
	}
	a.Commit()
	b.Rollback() // a new transaction sees the commit
	if n := count(t, b, "items"); n != 3 {
		t.Errorf("committed row not visible: %d", n)
	}
	a.Close()
	b.Close()
}

// Stopping the run's context interrupts a query on the server.
func TestPostgresContextStopsQuery(t *testing.T) {
	s := servers.Postgres(t)
	ctx, cancel := context.WithCancel(context.Background())
	e := mustEngine(t, s.URL+"?application_name=ormlab_stop&sslmode=disable", WithContext(ctx))
	c, err := e.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	go func() {
		time.Sleep(100 * time.Millisecond)
		cancel()
	}()
	// pg_sleep(30) returns without error unless it is interrupted.
	if _, err := c.Execute(core.Text("SELECT pg_sleep(30)")); err == nil {
		t.Fatal("pg_sleep(30) was not interrupted")
	}
	if st := e.Pool().Stats(); st.CheckedOut != 0 {
		t.Errorf("interrupted connection still checked out: %+v", st)
	}
	if _, err := e.Connect(); !errors.Is(err, context.Canceled) {
		t.Errorf("Connect after the stop: %v", err)
	}
}

// The same failed-transaction behaviour the simulated server imitates.
func TestPostgresFailedTransaction(t *testing.T) {
	s := servers.Postgres(t)
	failedTransactionScenario(t, mustEngine(t, s.URL+"?sslmode=disable"))
}

func TestMariaDBReal(t *testing.T) {
	s := servers.MariaDB(t)
	e := mustEngine(t, strings.Replace(s.URL, "mysql://", "mariadb+pymysql://", 1)+"?charset=utf8mb4", PoolPrePing(true))
	if e.Simulated() || e.Dialect().Name() != "mysql" {
		t.Fatalf("dialect %s simulated %v", e.Dialect().Name(), e.Simulated())
	}
	md, users := usersTable()
	if err := md.CreateAll(context.Background(), e, true); err != nil {
		t.Fatal(err)
	}
	if ok, err := e.HasTable(context.Background(), "users"); !ok || err != nil {
		t.Fatalf("HasTable = %v, %v", ok, err)
	}
	c, err := e.Begin()
	if err != nil {
		t.Fatal(err)
	}
	r := mustExec(t, c, core.Insert(users).Values(map[string]any{"name": "spongebob"}))
	if id, ok := r.LastInsertID(); !ok || id != 1 {
		t.Errorf("InsertedPrimaryKey via LastInsertId = %v", r.InsertedPrimaryKey())
	}
	sp, _ := c.BeginNested()
	mustExec(t, c, core.Insert(users).Values(map[string]any{"name": "squidward"}))
	sp.Rollback()
	if err := c.Commit(); err != nil {
		t.Fatal(err)
	}
	r = mustExec(t, c, core.Select(users.C("id"), users.C("name")))
	if rows := r.Rows(); len(rows) != 1 || rows[0][0] != int64(1) || rows[0][1] != "spongebob" {
		t.Errorf("rows %#v", rows)
	}
	c.Close()
	_, err = e.Execute(core.Insert(users).Values(map[string]any{"name": "spongebob"}))
	var se *StatementError
	if !errors.As(err, &se) || se.Executed != "mysql" || !strings.Contains(err.Error(), "Duplicate") {
		t.Errorf("duplicate: %v", err)
	}
}
