package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"ormlab/driver"
	"ormlab/orm/core"
	"ormlab/orm/pool"
)

// recorder is an Observer that keeps everything.
type recorder struct {
	mu    sync.Mutex
	stmts []StatementEvent
	pool  []pool.Event
}

func (r *recorder) Statement(ev StatementEvent) {
	r.mu.Lock()
	r.stmts = append(r.stmts, ev)
	r.mu.Unlock()
}

func (r *recorder) Pool(ev pool.Event) {
	r.mu.Lock()
	r.pool = append(r.pool, ev)
	r.mu.Unlock()
}

func (r *recorder) kinds() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, s := range r.stmts {
		out = append(out, s.Kind)
	}
	return out
}

func (r *recorder) poolKinds() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, p := range r.pool {
		out = append(out, p.Kind)
	}
	return out
}

func usersTable() (*core.MetaData, *core.Table) {
	md := core.NewMetaData()
	users := md.Table("users",
		core.Column("id", core.Integer(), core.PrimaryKey()),
		core.Column("name", core.String(50), core.NotNull(), core.Unique()),
	)
	return md, users
}

func mustEngine(t *testing.T, url string, opts ...Option) *Engine {
	t.Helper()
	e, err := CreateEngine(url, opts...)
	if err != nil {
		t.Fatalf("CreateEngine(%q): %v", url, err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func mustExec(t *testing.T, c *Connection, stmt any, params ...any) *Result {
	t.Helper()
	r, err := c.Execute(stmt, params...)
	if err != nil {
		t.Fatalf("Execute: %v", err)
	}
	return r
}

func count(t *testing.T, c *Connection, table string) int64 {
	t.Helper()
	r := mustExec(t, c, core.Text("SELECT count(*) FROM "+table))
	n, ok := r.Scalar().(int64)
	if !ok {
		t.Fatalf("count(*) gave %T %v", r.Scalar(), r.Scalar())
	}
	return n
}

// On a simulated server two connections share one database with real
// transactions: uncommitted rows are invisible to the other connection.
func TestSimulatedIsolation(t *testing.T) {
	for _, url := range []string{"postgresql://scott:tiger@db.example.com/shop", "mysql+pymysql://root@localhost/shop", "mssql+pyodbc://sa:pw@sql/shop", "sqlite://"} {
		t.Run(url, func(t *testing.T) {
			e := mustEngine(t, url, Simulated(true))
			if url != "sqlite://" && !e.Simulated() {
				t.Fatal("not simulated")
			}
			if e.ExecutedDialect().Name() != "sqlite" {
				t.Fatalf("executed dialect %s", e.ExecutedDialect().Name())
			}
			md, users := usersTable()
			if err := md.CreateAll(context.Background(), e, true); err != nil {
				t.Fatalf("CreateAll: %v", err)
			}
			a, err := e.Connect()
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			b, err := e.Connect()
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			if a.ID() == b.ID() {
				t.Fatalf("both connections are #%d", a.ID())
			}
			r := mustExec(t, a, core.Insert(users).Values(map[string]any{"name": "spongebob"}))
			if r.RowsAffected() != 1 {
				t.Errorf("RowsAffected = %d", r.RowsAffected())
			}
			if id, ok := r.LastInsertID(); !ok || id != 1 {
				t.Errorf("InsertedPrimaryKey = %v", r.InsertedPrimaryKey())
			}
			if n := count(t, b, "users"); n != 0 {
				t.Errorf("uncommitted row visible to the other connection: %d", n)
			}
			if err := a.Commit(); err != nil {
				t.Fatalf("Commit: %v", err)
			}
			if n := count(t, b, "users"); n != 1 {
				t.Errorf("committed row not visible: %d", n)
			}
			// A rolled-back insert is gone for everyone.
			mustExec(t, a, core.Insert(users).Values(map[string]any{"name": "patrick"}))
			if err := a.Rollback(); err != nil {
				t.Fatal(err)
			}
			if n := count(t, a, "users"); n != 1 {
				t.Errorf("after rollback: %d rows", n)
			}
		})
	}
}

// A server URL compiles for its own dialect (what echo shows) but runs on
// SQLite; the observer sees all four dialects.
func TestSimulatedDialects(t *testing.T) {
	var echo bytes.Buffer
	rec := &recorder{}
	e := mustEngine(t, "postgresql+psycopg2://scott:tiger@localhost/test", Simulated(true), Echo(true), EchoWriter(&echo), WithObserver(rec))
	if e.Dialect().Name() != "postgresql" {
		t.Fatalf("Dialect = %s", e.Dialect().Name())
	}
	if got := e.String(); got != "Engine(postgresql+psycopg2://scott:***@localhost/test)" {
		t.Errorf("String = %q", got)
	}
	md, users := usersTable()
	c, err := e.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if err := md.CreateAll(context.Background(), c, false); err != nil {
		t.Fatal(err)
	}
	r := mustExec(t, c, core.Insert(users).Values(map[string]any{"name": "spongebob"}))
	if id, ok := r.LastInsertID(); !ok || id != 1 {
		t.Errorf("InsertedPrimaryKey = %v", r.InsertedPrimaryKey())
	}
	if r.ReturnsRows() || r.Rows() != nil {
		t.Errorf("implicit RETURNING leaked rows: %v", r.Rows())
	}
	r = mustExec(t, c, core.Select(users.C("id"), users.C("name")).Where(users.C("name").Eq("spongebob")))
	if got := r.Rows(); len(got) != 1 || got[0][0] != int64(1) || got[0][1] != "spongebob" {
		t.Errorf("rows = %v", got)
	}
	if cols := r.Columns(); len(cols) != 2 || cols[0] != "id" || cols[1] != "name" {
		t.Errorf("columns = %v", cols)
	}
	if err := c.Commit(); err != nil {
		t.Fatal(err)
	}
	c.Close()

	out := echo.String()
	for _, want := range []string{
		"BEGIN (implicit)\n",
		"CREATE TABLE users (\n",
		"SERIAL",
		"INSERT INTO users (name) VALUES ($1) RETURNING id\n[generated] ('spongebob',)\n",
		"WHERE users.name = $1\n[generated] ('spongebob',)\n",
		"COMMIT\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("echo lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "BEGIN (implicit)") != 1 {
		t.Errorf("one transaction expected:\n%s", out)
	}

	kinds := strings.Join(rec.kinds(), ",")
	if kinds != "begin,ddl,insert,select,commit" {
		t.Errorf("statement kinds = %s", kinds)
	}
	for i, ev := range rec.stmts {
		if ev.Seq != i+1 || ev.Executed != "sqlite" || ev.Conn != 1 {
			t.Errorf("event %d: seq %d executed %s conn %d", i, ev.Seq, ev.Executed, ev.Conn)
		}
		if len(ev.SQL) != 4 {
			t.Errorf("event %d has SQL for %d dialects", i, len(ev.SQL))
		}
	}
	ins := rec.stmts[2]
	if !strings.Contains(ins.SQL["mssql"], "OUTPUT inserted.id") || !strings.Contains(ins.SQL["postgresql"], "RETURNING") ||
		strings.Contains(ins.SQL["mysql"], "RETURNING") || strings.Contains(ins.SQL["sqlite"], "RETURNING") {
		t.Errorf("insert SQL per dialect: %v", ins.SQL)
	}
	if ins.RowsAffected != 1 || len(ins.Params) != 1 || ins.Params[0] != "spongebob" {
		t.Errorf("insert event: %+v", ins)
	}
	if sel := rec.stmts[3]; sel.RowsReturned != 1 {
		t.Errorf("select event rows returned %d", sel.RowsReturned)
	}
	if got := strings.Join(rec.poolKinds(), ","); got != "connect,checkout,reset,checkin" {
		t.Errorf("pool events = %s", got)
	}
}

func TestEchoFormat(t *testing.T) {
	var echo bytes.Buffer
	e := mustEngine(t, "sqlite://", Echo(true), EchoWriter(&echo))
	c, err := e.Connect()
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, c, core.Text("CREATE TABLE t (a TEXT, b INTEGER, c REAL, d BLOB, e BOOLEAN)"))
	mustExec(t, c, core.Text("INSERT INTO t VALUES (:a, :b, :c, :d, :e)"), map[string]any{"a": "it's", "b": 5, "c": 2.0, "d": []byte("x"), "e": true})
	mustExec(t, c, core.Text("INSERT INTO t (a) VALUES (?)"), nil)
	mustExec(t, c, core.Text("SELECT a FROM t"))
	c.Close()
	want := "BEGIN (implicit)\n" +
		"CREATE TABLE t (a TEXT, b INTEGER, c REAL, d BLOB, e BOOLEAN)\n[raw sql] ()\n" +
		"INSERT INTO t VALUES (?, ?, ?, ?, ?)\n[raw sql] (\"it's\", 5, 2.0, b'x', True)\n" +
		"INSERT INTO t (a) VALUES (?)\n[raw sql] (None,)\n" +
		"SELECT a FROM t\n[raw sql] ()\n" +
		"ROLLBACK\n"
	if echo.String() != want {
		t.Errorf("echo:\n%s\nwant:\n%s", echo.String(), want)
	}
	// Without Echo, EchoWriter alone prints nothing.
	var quiet bytes.Buffer
	e2 := mustEngine(t, "sqlite://", EchoWriter(&quiet))
	if _, err := e2.Execute(core.Text("SELECT 1")); err != nil {
		t.Fatal(err)
	}
	if quiet.Len() != 0 {
		t.Errorf("echo without Echo(true): %q", quiet.String())
	}
}

func TestFormatParams(t *testing.T) {
	tm := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	cases := []struct {
		in   []any
		want string
	}{
		{nil, "()"},
		{[]any{"x"}, "('x',)"},
		{[]any{1, int64(-2), 1.5, 3.0, false, nil}, "(1, -2, 1.5, 3.0, False, None)"},
		{[]any{"a'b", `a'b"c`, "line\nbreak"}, `("a'b", 'a\'b"c', 'line\nbreak')`},
		{[]any{tm, []byte{0, 'a'}}, `('2024-05-06 07:08:09', b'\x00a')`},
	}
	for _, c := range cases {
		if got := FormatParams(c.in); got != c.want {
			t.Errorf("FormatParams(%v) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestBindText(t *testing.T) {
	pg := mustEngine(t, "postgresql://h/db", Simulated(true))
	ms := mustEngine(t, "mssql://h/db")
	sq := mustEngine(t, "sqlite://")
	cases := []struct {
		e      *Engine
		sql    string
		params []any
		want   string
		bound  []any
	}{
		{pg, "SELECT * FROM t WHERE a = ? AND b = '?' AND c = ?", []any{1, 2}, "SELECT * FROM t WHERE a = $1 AND b = '?' AND c = $2", []any{1, 2}},
		{ms, "SELECT * FROM t WHERE a = ?", []any{1}, "SELECT * FROM t WHERE a = @p1", []any{1}},
		{pg, "SELECT x::text FROM t WHERE a = :a AND b = :b -- :c\n AND c = :a", []any{map[string]any{"a": 1, "b": "x"}},
			"SELECT x::text FROM t WHERE a = $1 AND b = $2 -- :c\n AND c = $3", []any{1, "x", 1}},
		{sq, `SELECT ":a", ':a' /* :a */ FROM t WHERE a=:a`, []any{map[string]any{"a": 7}}, `SELECT ":a", ':a' /* :a */ FROM t WHERE a=?`, []any{7}},
		{sq, "SELECT '?'", nil, "SELECT '?'", nil},
	}
	for _, c := range cases {
		got, bound, err := bindText(c.sql, c.e.Dialect(), c.params)
		if err != nil || got != c.want || len(bound) != len(c.bound) {
			t.Errorf("bindText(%q, %s) = %q %v %v; want %q %v", c.sql, c.e.Dialect().Name(), got, bound, err, c.want, c.bound)
			continue
		}
		for i := range bound {
			if bound[i] != c.bound[i] {
				t.Errorf("bindText(%q) bound %v, want %v", c.sql, bound, c.bound)
			}
		}
	}
	for _, bad := range []struct {
		sql    string
		params []any
	}{
		{"SELECT ?", []any{1, 2}},
		{"SELECT ?, ?", []any{1}},
		{"SELECT :a", []any{map[string]any{"b": 1}}},
		{"SELECT :a", []any{map[string]any{"a": 1}, 2}},
	} {
		if _, _, err := bindText(bad.sql, sq.Dialect(), bad.params); !errors.Is(err, ErrNotExecutable) {
			t.Errorf("bindText(%q, %v): err %v", bad.sql, bad.params, err)
		}
	}
}

// A failed statement is a *StatementError with the SQL, the parameters and
// the database's message, unwrapping to the driver's error.
func TestStatementError(t *testing.T) {
	e := mustEngine(t, "postgresql://scott@localhost/test", Simulated(true))
	md, users := usersTable()
	if err := md.CreateAll(context.Background(), e, false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Execute(core.Insert(users).Values(map[string]any{"name": "x"})); err != nil {
		t.Fatal(err)
	}
	_, err := e.Execute(core.Insert(users).Values(map[string]any{"name": "x"}))
	var se *StatementError
	if !errors.As(err, &se) || !errors.Is(err, ErrStatement) {
		t.Fatalf("duplicate insert: %T %v", err, err)
	}
	if se.Dialect != "postgresql" || se.Executed != "sqlite" || !strings.Contains(se.SQL, "$1") || len(se.Params) != 1 || se.Params[0] != "x" {
		t.Errorf("StatementError fields: %+v", se)
	}
	if !strings.Contains(err.Error(), "UNIQUE") || !strings.Contains(err.Error(), "[parameters: ('x',)]") || errors.Unwrap(err) == nil {
		t.Errorf("message: %v", err)
	}
	// A statement the URL's dialect cannot express fails as on the server.
	_, err = mustEngine(t, "mysql://root@h/db", Simulated(true)).Execute(core.Insert(users).Values(map[string]any{"name": "y"}).Returning(users.C("id")))
	if err == nil || !strings.Contains(err.Error(), "mysql") {
		t.Errorf("RETURNING on mysql: %v", err)
	}
	// Raw strings and core statements with parameters are rejected.
	c, _ := e.Connect()
	defer c.Close()
	if _, err := c.Execute("SELECT 1"); !errors.Is(err, ErrNotExecutable) {
		t.Errorf("raw string: %v", err)
	}
	if _, err := c.Execute(core.Select(users.C("id")), 1); !errors.Is(err, ErrNotExecutable) {
		t.Errorf("params with a core statement: %v", err)
	}
	if _, err := c.Execute(42); !errors.Is(err, ErrNotExecutable) {
		t.Errorf("int: %v", err)
	}
}

func TestTransactions(t *testing.T) {
	rec := &recorder{}
	var echo bytes.Buffer
	e := mustEngine(t, "postgresql://h/db", Simulated(true), WithObserver(rec), Echo(true), EchoWriter(&echo))
	md, users := usersTable()
	if err := md.CreateAll(context.Background(), e, false); err != nil {
		t.Fatal(err)
	}
	c, err := e.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ins := func(name string) { mustExec(t, c, core.Insert(users).Values(map[string]any{"name": name})) }
	ins("a")
	if err := c.Begin(); !errors.Is(err, ErrTransaction) {
		t.Errorf("Begin inside an implicit transaction: %v", err)
	}
	sp, err := c.BeginNested()
	if err != nil {
		t.Fatal(err)
	}
	ins("b")
	if err := sp.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := sp.Rollback(); !errors.Is(err, ErrTransaction) {
		t.Errorf("second rollback of a savepoint: %v", err)
	}
	sp2, err := c.BeginNested()
	if err != nil {
		t.Fatal(err)
	}
	ins("c")
	if err := sp2.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := c.Commit(); err != nil {
		t.Fatal(err)
	}
	r := mustExec(t, c, core.Select(users.C("name")).OrderBy(users.C("name")))
	if got := r.Rows(); len(got) != 2 || got[0][0] != "a" || got[1][0] != "c" {
		t.Errorf("rows after savepoints: %v", got)
	}
	for _, want := range []string{"SAVEPOINT sa_savepoint_1\n", "ROLLBACK TO SAVEPOINT sa_savepoint_1\n", "SAVEPOINT sa_savepoint_2\n", "RELEASE SAVEPOINT sa_savepoint_2\n"} {
		if !strings.Contains(echo.String(), want) {
			t.Errorf("echo lacks %q", want)
		}
	}
	// Raw transaction control drives the connection's state.
	if err := c.Rollback(); err != nil {
		t.Fatal(err)
	}
	mustExec(t, c, core.Text("BEGIN"))
	ins("d")
	mustExec(t, c, core.Text("ROLLBACK"))
	if c.InTransaction() {
		t.Error("still in a transaction after raw ROLLBACK")
	}
	if n := count(t, c, "users"); n != 2 {
		t.Errorf("raw ROLLBACK kept the row: %d", n)
	}
	var sps int
	for _, ev := range rec.stmts {
		if ev.Kind == KindSavepoint {
			sps++
			if ev.SQL["mssql"] == "" || ev.SQL["postgresql"] == "" {
				t.Errorf("savepoint event SQL: %v", ev.SQL)
			}
		}
	}
	if sps != 4 {
		t.Errorf("%d savepoint events, want 4", sps)
	}
}

// Close rolls back what was not committed; engine.Begin is "with
// engine.begin()".
func TestCloseRollsBack(t *testing.T) {
	e := mustEngine(t, "sqlite://")
	md, users := usersTable()
	if err := md.CreateAll(context.Background(), e, true); err != nil {
		t.Fatal(err)
	}
	c, _ := e.Begin()
	mustExec(t, c, core.Insert(users).Values(map[string]any{"name": "lost"}))
	c.Close()
	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := c.Execute(core.Text("SELECT 1")); !errors.Is(err, ErrConnectionClosed) {
		t.Errorf("use after Close: %v", err)
	}
	c, _ = e.Connect()
	defer c.Close()
	if n := count(t, c, "users"); n != 0 {
		t.Errorf("uncommitted row survived Close: %d", n)
	}
	// A second CreateAll with checkfirst creates nothing and fails nothing.
	if err := md.CreateAll(context.Background(), e, true); err != nil {
		t.Errorf("CreateAll checkfirst: %v", err)
	}
	if ok, err := e.HasTable(context.Background(), "users"); !ok || err != nil {
		t.Errorf("HasTable(users) = %v, %v", ok, err)
	}
	if ok, err := e.HasTable(context.Background(), "nope"); ok || err != nil {
		t.Errorf("HasTable(nope) = %v, %v", ok, err)
	}
}

func TestOptions(t *testing.T) {
	bad := []Option{PoolSize(-1), MaxOverflow(-2), PoolTimeout(-time.Second), PoolClass("SingletonThreadPool"),
		PoolResetOnReturn("sometimes"), ConnectLatency(-1), RefuseConnects(-1), WithClock(nil), WithContext(nil)}
	for i, o := range bad {
		_, err := CreateEngine("sqlite://", o)
		var oe *OptionError
		if !errors.Is(err, ErrInvalidOption) || !errors.As(err, &oe) || !errors.Is(err, pool.ErrInvalidConfig) {
			t.Errorf("bad option %d: %v", i, err)
		}
	}
	vc := pool.NewVirtualClock()
	defer vc.Close()
	e := mustEngine(t, "postgresql://h/db", Simulated(true), PoolSize(2), MaxOverflow(1), PoolTimeout(5*time.Second),
		PoolRecycle(time.Hour), PoolPrePing(true), PoolUseLIFO(true), PoolResetOnReturn("commit"), WithClock(vc))
	st := e.Pool().Stats()
	if st.Size != 2 || st.MaxOverflow != 1 {
		t.Errorf("stats %+v", st)
	}
	if e.Clock() != pool.Clock(vc) {
		t.Error("clock not used")
	}
	if got := e.Pool().Status(); !strings.Contains(got, "Pool size: 2") {
		t.Errorf("Status = %q", got)
	}
	for _, class := range []string{"NullPool", "StaticPool", "QueuePool"} {
		e := mustEngine(t, "sqlite://", PoolClass(class))
		c1, err := e.Connect()
		if err != nil {
			t.Fatal(err)
		}
		mustExec(t, c1, core.Text("CREATE TABLE IF NOT EXISTS t (x INTEGER)"))
		c1.Commit()
		id := c1.ID()
		c1.Close()
		c2, err := e.Connect()
		if err != nil {
			t.Fatal(err)
		}
		// NullPool opens a new connection each time; the others reuse.
		if reused := c2.ID() == id; reused == (class == "NullPool") {
			t.Errorf("%s: first conn %d, second %d", class, id, c2.ID())
		}
		count(t, c2, "t")
		c2.Close()
	}
	// SQL Server has no driver here: it is always simulated.
	if _, err := CreateEngine("mssql://sa@h/db", Simulated(false)); err == nil {
		t.Error("real mssql engine created")
	}
	if e := mustEngine(t, "mssql://sa@h/db"); !e.Simulated() {
		t.Error("mssql engine not simulated by default")
	}
}

// At the cap a checkout waits PoolTimeout on the pool's clock: on a
// virtual clock the 30 s pass at once and the error is SQLAlchemy's.
func TestPoolTimeoutVirtualClock(t *testing.T) {
	vc := pool.NewVirtualClock()
	defer vc.Close()
	rec := &recorder{}
	e := mustEngine(t, "postgresql://h/db", Simulated(true), PoolSize(1), MaxOverflow(0), WithClock(vc), WithObserver(rec))
	held, err := e.Connect()
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Connect()
	if !errors.Is(err, pool.ErrTimeout) || err.Error() != "QueuePool limit of size 1 overflow 0 reached, connection timed out, timeout 30.00" {
		t.Fatalf("second Connect: %v", err)
	}
	if got := vc.Since(); got != 30*time.Second {
		t.Errorf("virtual time passed: %v", got)
	}
	last := rec.pool[len(rec.pool)-1]
	if last.Kind != pool.EventTimeout || last.At != 30*time.Second {
		t.Errorf("last pool event %+v", last)
	}
	held.Close()
	c, err := e.Connect()
	if err != nil {
		t.Fatalf("Connect after checkin: %v", err)
	}
	c.Close()
	if st := e.Pool().Stats(); st.CheckedOut != 0 || st.Open != 1 {
		t.Errorf("stats %+v", st)
	}
}

// Connect latency runs on the engine's clock; refused connects fail and
// give their slot back.
func TestFaultInjectionConnect(t *testing.T) {
	vc := pool.NewVirtualClock()
	defer vc.Close()
	rec := &recorder{}
	e := mustEngine(t, "postgresql://h:5432/db", Simulated(true), ConnectLatency(2*time.Second), RefuseConnects(1), WithClock(vc), WithObserver(rec))
	_, err := e.Connect()
	var ce *ConnectRefusedError
	if !errors.Is(err, ErrConnectRefused) || !errors.As(err, &ce) || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("first Connect: %v", err)
	}
	c, err := e.Connect()
	if err != nil {
		t.Fatalf("second Connect: %v", err)
	}
	defer c.Close()
	if got := vc.Since(); got != 4*time.Second {
		t.Errorf("two connects at 2 s latency took %v of virtual time", got)
	}
	var connects []pool.Event
	for _, ev := range rec.pool {
		if ev.Kind == pool.EventConnect {
			connects = append(connects, ev)
		}
	}
	if len(connects) != 2 || connects[0].Conn != 0 || connects[1].Conn != 1 || connects[1].At != 4*time.Second {
		t.Errorf("connect events %+v", connects)
	}
	if st := e.Pool().Stats(); st.CheckedOut != 1 || st.Overflow != -4 {
		t.Errorf("refused connect leaked a slot: %+v", st)
	}
	e.RefuseNextConnects(2)
	e.SetConnectLatency(0)
	if _, err := e.Connect(); !errors.Is(err, ErrConnectRefused) {
		t.Errorf("RefuseNextConnects: %v", err)
	}
}

// The server drops every connection: with pre_ping the next checkout
// notices and reconnects; without, the statement fails with a disconnect
// that invalidates the pool, and the next connection is fresh.
func TestFaultInjectionDrop(t *testing.T) {
	for _, preping := range []bool{true, false} {
		t.Run(map[bool]string{true: "pre_ping", false: "no_pre_ping"}[preping], func(t *testing.T) {
			rec := &recorder{}
			e := mustEngine(t, "postgresql://h/db", Simulated(true), PoolPrePing(preping), WithObserver(rec))
			md, users := usersTable()
			if err := md.CreateAll(context.Background(), e, false); err != nil {
				t.Fatal(err)
			}
			// Two idle connections in the pool.
			c1, _ := e.Connect()
			c2, _ := e.Connect()
			mustExec(t, c1, core.Insert(users).Values(map[string]any{"name": "kept"}))
			c1.Commit()
			mustExec(t, c2, core.Insert(users).Values(map[string]any{"name": "lost"}))
			c1.Close()
			// c2's transaction is open when the server goes away.
			if n := e.DropConnections(); n != 2 {
				t.Fatalf("dropped %d connections, want 2", n)
			}
			_, err := c2.Execute(core.Text("SELECT 1"))
			if !errors.Is(err, pool.ErrDisconnect) {
				t.Fatalf("statement on a dropped connection: %v", err)
			}
			if _, err := c2.Execute(core.Text("SELECT 1")); !errors.Is(err, ErrTransaction) {
				t.Errorf("reuse inside the lost transaction: %v", err)
			}
			if err := c2.Rollback(); err != nil {
				t.Errorf("Rollback after disconnect: %v", err)
			}
			// After Rollback the connection reconnects by itself.
			if n := count(t, c2, "users"); n != 1 {
				t.Errorf("rows after the drop: %d (the uncommitted one must be gone)", n)
			}
			c2.Close()
			c3, err := e.Connect()
			if err != nil {
				t.Fatalf("Connect after drop: %v", err)
			}
			if n := count(t, c3, "users"); n != 1 {
				t.Errorf("rows: %d", n)
			}
			c3.Close()
			var invalidates, recycles int
			for _, ev := range rec.pool {
				switch ev.Kind {
				case pool.EventInvalidate:
					invalidates++
				case pool.EventRecycle:
					recycles++
				}
			}
			if invalidates == 0 {
				t.Errorf("no invalidate event: %v", rec.poolKinds())
			}
			if st := e.Pool().Stats(); st.CheckedOut != 0 || st.Open > 2 {
				t.Errorf("stats after recovery %+v", st)
			}
		})
	}
}

// Pre-ping replaces a dropped idle connection before the program sees it.
func TestPrePingHidesDrop(t *testing.T) {
	rec := &recorder{}
	e := mustEngine(t, "mysql://root@h/db", Simulated(true), PoolPrePing(true), WithObserver(rec))
	c, _ := e.Connect()
	mustExec(t, c, core.Text("SELECT 1"))
	first := c.ID()
	c.Close()
	e.DropConnections()
	c, err := e.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.ID() == first {
		t.Errorf("pre-ping kept dropped connection %d", first)
	}
	if r := mustExec(t, c, core.Text("SELECT 1")); r.Scalar() != int64(1) {
		t.Errorf("SELECT 1 = %v", r.Scalar())
	}
	if !strings.Contains(strings.Join(rec.poolKinds(), ","), "invalidate") {
		t.Errorf("pool events %v", rec.poolKinds())
	}
}

// Cancelling the engine's context stops a pool wait promptly and leaks
// nothing.
func TestContextStopsPoolWait(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	e := mustEngine(t, "postgresql://h/db", Simulated(true), PoolSize(1), MaxOverflow(0), PoolTimeout(time.Hour), WithContext(ctx))
	held, err := e.Connect()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		c, err := e.Connect()
		if c != nil {
			c.Close()
		}
		done <- err
	}()
	for e.Pool().Stats().Waiting == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	err = <-done
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("wait ended with %v", err)
	}
	held.Close()
	if st := e.Pool().Stats(); st.CheckedOut != 0 || st.Waiting != 0 {
		t.Errorf("after stop: %+v", st)
	}
}

// Cancelling stops a running query; the connection is invalidated, not
// handed to the next user half-way through.
func TestContextStopsQuery(t *testing.T) {
	e := mustEngine(t, "sqlite://")
	c, _ := e.Connect()
	defer c.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	_, err := c.ExecuteContext(ctx, core.Text("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r"))
	if err == nil {
		t.Fatal("endless query returned")
	}
	if st := e.Pool().Stats(); st.CheckedOut != 0 {
		t.Errorf("stopped query left the connection checked out: %+v", st)
	}
	c.Rollback()
	if r, err := c.Execute(core.Text("SELECT 2")); err != nil || r.Scalar() != int64(2) {
		t.Errorf("after the stop: %v %v", r, err)
	}
}

func TestSQLiteFileAndMemory(t *testing.T) {
	md, users := usersTable()
	if runtime.GOOS == "js" {
		// The browser has no file system: a clear error, not a panic.
		_, err := CreateEngine("sqlite:///app.db")
		if !errors.Is(err, driver.ErrNoFileSystem) {
			t.Errorf("file database in the browser: %v", err)
		}
	} else {
		testSQLiteFile(t, md, users)
	}
	testSQLiteMemory(t, md, users)
}

func testSQLiteFile(t *testing.T, md *core.MetaData, users *core.Table) {
	path := filepath.Join(t.TempDir(), "app.db")
	e := mustEngine(t, "sqlite:///"+path)
	if err := md.CreateAll(context.Background(), e, false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Execute(core.Insert(users).Values(map[string]any{"name": "file"})); err != nil {
		t.Fatal(err)
	}
	e.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("no database file: %v", err)
	}
	e2 := mustEngine(t, "sqlite:///"+path)
	c, _ := e2.Connect()
	if n := count(t, c, "users"); n != 1 {
		t.Errorf("file database rows: %d", n)
	}
	c.Close()
	if _, err := e2.Connect(); err != nil {
		t.Fatal(err)
	}
	e2.Close()
	if _, err := e2.Connect(); !errors.Is(err, ErrEngineDisposed) {
		t.Errorf("Connect after Close: %v", err)
	}
}

func testSQLiteMemory(t *testing.T, md *core.MetaData, users *core.Table) {

	// Every pool connection of a memory engine sees the same database, and
	// two memory engines do not share.
	m1 := mustEngine(t, "sqlite://")
	m2 := mustEngine(t, "sqlite:///:memory:")
	if err := md.CreateAll(context.Background(), m1, false); err != nil {
		t.Fatal(err)
	}
	a, _ := m1.Connect()
	b, _ := m1.Connect()
	var c *Connection
	mustExec(t, a, core.Insert(users).Values(map[string]any{"name": "m"}))
	a.Commit()
	if n := count(t, b, "users"); n != 1 {
		t.Errorf("second connection sees %d rows", n)
	}
	a.Close()
	b.Close()
	m1.Dispose() // closes every pooled connection: the anchor keeps the data
	c, _ = m1.Connect()
	if n := count(t, c, "users"); n != 1 {
		t.Errorf("after Dispose: %d rows", n)
	}
	c.Close()
	if ok, _ := m2.HasTable(context.Background(), "users"); ok {
		t.Error("two memory engines share a database")
	}
}

func TestResultNormalize(t *testing.T) {
	e := mustEngine(t, "sqlite://")
	md := core.NewMetaData()
	tbl := md.Table("things",
		core.Column("id", core.Integer(), core.PrimaryKey()),
		core.Column("flag", core.Boolean()),
		core.Column("at", core.DateTime()),
		core.Column("ratio", core.Float()),
		core.Column("data", core.LargeBinary()),
		core.Column("note", core.String(20)),
	)
	if err := md.CreateAll(context.Background(), e, false); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	if _, err := e.Execute(core.Insert(tbl).Values(map[string]any{"flag": true, "at": at, "ratio": 0.5, "data": []byte{1, 2}, "note": nil})); err != nil {
		t.Fatal(err)
	}
	r, err := e.Execute(core.Select(tbl.C("id"), tbl.C("flag"), tbl.C("at"), tbl.C("ratio"), tbl.C("data"), tbl.C("note")))
	if err != nil {
		t.Fatal(err)
	}
	row := r.First()
	if row[0] != int64(1) || row[1] != true || row[3] != 0.5 || string(row[4].([]byte)) != "\x01\x02" || row[5] != nil {
		t.Errorf("row = %#v", row)
	}
	if tm, ok := row[2].(time.Time); !ok || !tm.Equal(at) {
		t.Errorf("time = %#v", row[2])
	}
}

func TestEngineTransaction(t *testing.T) {
	var echo bytes.Buffer
	e := mustEngine(t, "postgresql://h/db", Simulated(true), Echo(true), EchoWriter(&echo))
	md, users := usersTable()
	// CreateAll inside one transaction: one BEGIN … COMMIT, as SQLAlchemy's
	// create_all(engine) shows.
	if err := e.Transaction(func(c *Connection) error { return md.CreateAll(context.Background(), c, true) }); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(echo.String(), "BEGIN (implicit)"); n != 1 || !strings.HasSuffix(echo.String(), "COMMIT\n") {
		t.Errorf("CreateAll in a transaction:\n%s", echo.String())
	}
	boom := errors.New("boom")
	err := e.Transaction(func(c *Connection) error {
		if _, err := c.Execute(core.Insert(users).Values(map[string]any{"name": "x"})); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Errorf("Transaction returned %v", err)
	}
	r, err := e.Execute(core.Text("SELECT count(*) FROM users"))
	if err != nil || r.Scalar() != int64(0) {
		t.Errorf("failed transaction kept its row: %v %v", r.Scalar(), err)
	}
}

// Two connections writing at once on a simulated server: the second waits
// for SQLite's write lock, then fails with an explanation.
func TestSimulatedWriteLockHint(t *testing.T) {
	e := mustEngine(t, "postgresql://h/db", Simulated(true), LockTimeout(50*time.Millisecond))
	md, users := usersTable()
	if err := md.CreateAll(context.Background(), e, false); err != nil {
		t.Fatal(err)
	}
	a, _ := e.Connect()
	defer a.Close()
	b, _ := e.Connect()
	defer b.Close()
	mustExec(t, a, core.Insert(users).Values(map[string]any{"name": "a"}))
	_, err := b.Execute(core.Insert(users).Values(map[string]any{"name": "b"}))
	var se *StatementError
	if !errors.As(err, &se) || !strings.Contains(se.Hint, "one transaction write at a time") || !strings.Contains(err.Error(), "hint:") {
		t.Fatalf("second writer: %v", err)
	}
	// Once the first commits, the second can write.
	if err := a.Commit(); err != nil {
		t.Fatal(err)
	}
	b.Rollback()
	mustExec(t, b, core.Insert(users).Values(map[string]any{"name": "b"}))
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if n := count(t, a, "users"); n != 2 {
		t.Errorf("%d rows", n)
	}
}

// On a virtual clock, goroutines fighting over a small pool give the same
// events, at the same virtual times, on every run.
func TestVirtualClockDeterministic(t *testing.T) {
	run := func() (string, int) {
		vc := pool.NewVirtualClock()
		defer vc.Close()
		rec := &recorder{}
		e, err := CreateEngine("postgresql://h/db", Simulated(true), PoolSize(1), MaxOverflow(1), PoolTimeout(5*time.Second),
			ConnectLatency(100*time.Millisecond), WithClock(vc), WithObserver(rec))
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		timeouts := 0
		var mu sync.Mutex
		for i := 0; i < 5; i++ {
			hold := time.Duration(i+1) * 2 * time.Second
			vc.Go(func() {
				c, err := e.Connect()
				if err != nil {
					if errors.Is(err, pool.ErrTimeout) {
						mu.Lock()
						timeouts++
						mu.Unlock()
					}
					return
				}
				c.Execute(core.Text("SELECT 1"))
				vc.Sleep(hold)
				c.Close()
			})
		}
		vc.Wait()
		var b strings.Builder
		for _, ev := range rec.pool {
			b.WriteString(ev.At.String() + " " + ev.Kind + " " + string(rune('0'+ev.Conn)) + "\n")
		}
		return b.String(), timeouts
	}
	first, timeouts := run()
	t.Logf("events:\n%s", first)
	if timeouts == 0 || !strings.Contains(first, "wait") {
		t.Errorf("expected waits and timeouts (got %d):\n%s", timeouts, first)
	}
	for i := 0; i < 3; i++ {
		if again, _ := run(); again != first {
			t.Fatalf("run %d differs:\n%s\nfirst:\n%s", i+2, again, first)
		}
	}
}

func TestSilence(t *testing.T) {
	var echo bytes.Buffer
	rec := &recorder{}
	e := mustEngine(t, "sqlite://", Echo(true), EchoWriter(&echo), WithObserver(rec))
	if _, err := e.Execute(core.Text("SELECT 1")); err != nil {
		t.Fatal(err)
	}
	before, stmts, pools := echo.Len(), len(rec.stmts), len(rec.pool)
	if before == 0 || stmts == 0 || pools == 0 {
		t.Fatalf("nothing recorded before Silence: %d %d %d", before, stmts, pools)
	}
	e.Silence()
	if _, err := e.Execute(core.Text("SELECT 2")); err != nil {
		t.Fatal(err)
	}
	if echo.Len() != before || len(rec.stmts) != stmts || len(rec.pool) != pools {
		t.Errorf("Silence leaked: echo %d→%d, statements %d→%d, pool %d→%d", before, echo.Len(), stmts, len(rec.stmts), pools, len(rec.pool))
	}
}

// failedTransactionScenario: an error inside a PostgreSQL transaction
// spoils it until ROLLBACK (TO SAVEPOINT), and COMMIT then rolls back.
// Run on the simulated server here and on the real one in real_test.go.
func failedTransactionScenario(t *testing.T, e *Engine) {
	t.Helper()
	md, users := usersTable()
	if err := md.CreateAll(context.Background(), e, true); err != nil {
		t.Fatal(err)
	}
	ins := func(c *Connection, name string) error {
		_, err := c.Execute(core.Insert(users).Values(map[string]any{"name": name}))
		return err
	}
	c, _ := e.Connect()
	defer c.Close()
	if err := ins(c, "a"); err != nil {
		t.Fatal(err)
	}
	if err := ins(c, "a"); err == nil {
		t.Fatal("duplicate accepted")
	}
	_, err := c.Execute(core.Text("SELECT 1"))
	if err == nil || !strings.Contains(err.Error(), "current transaction is aborted") {
		t.Fatalf("statement after an error: %v", err)
	}
	if err := c.Commit(); err != nil {
		t.Fatalf("COMMIT of a failed transaction: %v", err)
	}
	if n := count(t, c, "users"); n != 0 {
		t.Errorf("COMMIT of a failed transaction kept %d rows", n)
	}
	c.Rollback()
	// A savepoint taken before the error rescues the transaction.
	if err := ins(c, "b"); err != nil {
		t.Fatal(err)
	}
	sp, err := c.BeginNested()
	if err != nil {
		t.Fatal(err)
	}
	if err := ins(c, "b"); err == nil {
		t.Fatal("duplicate accepted")
	}
	if err := sp.Rollback(); err != nil {
		t.Fatalf("ROLLBACK TO SAVEPOINT: %v", err)
	}
	if err := ins(c, "c"); err != nil {
		t.Fatalf("after ROLLBACK TO SAVEPOINT: %v", err)
	}
	if err := c.Commit(); err != nil {
		t.Fatal(err)
	}
	if n := count(t, c, "users"); n != 2 {
		t.Errorf("%d rows, want 2 (b, c)", n)
	}
}

func TestSimulatedPostgresFailedTransaction(t *testing.T) {
	failedTransactionScenario(t, mustEngine(t, "postgresql://h/db", Simulated(true)))
	// MySQL carries on after a failed statement: only that statement fails.
	e := mustEngine(t, "mysql://root@h/db", Simulated(true))
	md, users := usersTable()
	if err := md.CreateAll(context.Background(), e, true); err != nil {
		t.Fatal(err)
	}
	c, _ := e.Connect()
	defer c.Close()
	mustExec(t, c, core.Insert(users).Values(map[string]any{"name": "a"}))
	if _, err := c.Execute(core.Insert(users).Values(map[string]any{"name": "a"})); err == nil {
		t.Fatal("duplicate accepted")
	}
	mustExec(t, c, core.Insert(users).Values(map[string]any{"name": "b"}))
	c.Commit()
	if n := count(t, c, "users"); n != 2 {
		t.Errorf("mysql: %d rows", n)
	}
}

// pool_recycle on the virtual clock: an hour passes instantly and the old
// connection is replaced on checkout; LIFO/FIFO order reaches the pool.
func TestRecycleAndOrder(t *testing.T) {
	vc := pool.NewVirtualClock()
	defer vc.Close()
	rec := &recorder{}
	e := mustEngine(t, "postgresql://h/db", Simulated(true), PoolRecycle(time.Hour), WithClock(vc), WithObserver(rec))
	c, _ := e.Connect()
	first := c.ID()
	c.Close()
	vc.Sleep(2 * time.Hour)
	c, _ = e.Connect()
	if c.ID() == first {
		t.Errorf("connection %d not recycled after 2 h", first)
	}
	c.Close()
	if !strings.Contains(strings.Join(rec.poolKinds(), ","), "recycle") {
		t.Errorf("no recycle event: %v", rec.poolKinds())
	}

	for _, lifo := range []bool{false, true} {
		e := mustEngine(t, "sqlite://", PoolUseLIFO(lifo))
		a, _ := e.Connect()
		b, _ := e.Connect()
		a.Close()
		b.Close()
		c, _ := e.Connect()
		want := a.ID()
		if lifo {
			want = b.ID()
		}
		if c.ID() != want {
			t.Errorf("lifo=%v: got connection %d, want %d", lifo, c.ID(), want)
		}
		c.Close()
	}
}

// On a virtual clock a writer waiting for another's lock waits on the
// clock, so the holder (another goroutine of the demo) can commit: both
// writes succeed, and the wait shows in virtual time.
func TestVirtualClockLockWait(t *testing.T) {
	vc := pool.NewVirtualClock()
	defer vc.Close()
	e := mustEngine(t, "postgresql://h/db", Simulated(true), WithClock(vc))
	md, users := usersTable()
	if err := md.CreateAll(context.Background(), e, false); err != nil {
		t.Fatal(err)
	}
	errs := make([]error, 2)
	for i, name := range []string{"first", "second"} {
		vc.Go(func() {
			c, err := e.Connect()
			if err != nil {
				errs[i] = err
				return
			}
			defer c.Close()
			if _, err := c.Execute(core.Insert(users).Values(map[string]any{"name": name})); err != nil {
				errs[i] = err
				return
			}
			vc.Sleep(time.Second) // hold the write lock for a virtual second
			errs[i] = c.Commit()
		})
	}
	vc.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}
	if got := vc.Since(); got < 2*time.Second || got > 3*time.Second {
		t.Errorf("virtual time %v: the second writer should have waited about a second", got)
	}
	r, err := e.Execute(core.Text("SELECT count(*) FROM users"))
	if err != nil || r.Scalar() != int64(2) {
		t.Errorf("rows: %v %v", r.Scalar(), err)
	}
}

// Server URLs are simulated by default in the browser only.
func TestSimulatedDefault(t *testing.T) {
	e := mustEngine(t, "postgresql://scott@localhost/test")
	if want := runtime.GOOS == "js"; e.Simulated() != want {
		t.Errorf("Simulated() = %v on %s", e.Simulated(), runtime.GOOS)
	}
	if e.Dialect().Name() != "postgresql" {
		t.Errorf("dialect %s", e.Dialect().Name())
	}
}

// Many goroutines share a small pool on the simulated server: every
// statement succeeds, no more than size+overflow connections open, all
// come back.
func TestConcurrentUse(t *testing.T) {
	e := mustEngine(t, "postgresql://h/db", Simulated(true), PoolSize(2), MaxOverflow(1))
	md, users := usersTable()
	if err := md.CreateAll(context.Background(), e, false); err != nil {
		t.Fatal(err)
	}
	const workers, rounds = 16, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				err := e.Transaction(func(c *Connection) error {
					if _, err := c.Execute(core.Select(users.C("id")).Limit(1)); err != nil {
						return err
					}
					_, err := c.Execute(core.Insert(users).Values(map[string]any{"name": fmt.Sprintf("w%d-%d", w, i)}))
					return err
				})
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	st := e.Pool().Stats()
	if st.PeakOpen > 3 || st.CheckedOut != 0 {
		t.Errorf("stats %+v", st)
	}
	if r, _ := e.Execute(core.Text("SELECT count(*) FROM users")); r.Scalar() != int64(workers*rounds) {
		t.Errorf("rows %v", r.Scalar())
	}
}

func TestEchoPool(t *testing.T) {
	vc := pool.NewVirtualClock()
	defer vc.Close()
	var out bytes.Buffer
	e := mustEngine(t, "postgresql://h/db", Simulated(true), EchoPool(true), EchoWriter(&out), PoolSize(1), MaxOverflow(0), PoolTimeout(30*time.Second), WithClock(vc))
	c, err := e.Connect()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Connect(); !errors.Is(err, pool.ErrTimeout) {
		t.Fatalf("second Connect: %v", err)
	}
	c.Close()
	want := []string{
		"[t=0.000s] [pool] Created new connection #1 [checked out 1, overflow 0, idle 0]",
		"[t=0.000s] [pool] Connection #1 checked out from pool [checked out 1, overflow 0, idle 0]",
		"[t=0.000s] [pool] Pool exhausted, waiting for a connection to come back",
		"[t=30.000s] [pool] Gave up waiting: QueuePool limit of size 1 overflow 0 reached, connection timed out, timeout 30.00",
		"[t=30.000s] [pool] Connection #1 rollback-on-return",
		"[t=30.000s] [pool] Connection #1 being returned to pool",
	}
	got := out.String()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("echo_pool output lacks %q:\n%s", w, got)
		}
	}
	// Statements are not echoed without Echo(true).
	if strings.Contains(got, "BEGIN") {
		t.Errorf("statement echo without Echo:\n%s", got)
	}
}
