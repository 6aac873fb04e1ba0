package engine

import (
	"errors"
	"testing"

	"ormlab/driver"
	"ormlab/orm/core"
)

// Core statements on SQLite run prepared from the connection's cache: one
// statement per distinct SQL, still correct after a schema change and
// after a failed execution, and never used for raw text.
func TestStatementCache(t *testing.T) {
	e := mustEngine(t, "sqlite://")
	md, users := usersTable()
	if err := md.CreateAll(e.ctx, e, true); err != nil {
		t.Fatal(err)
	}
	c, err := e.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sel := core.Select(users.C("id"), users.C("name")).OrderBy(users.C("id"))
	for i, name := range []string{"ann", "bob", "cy"} {
		res := mustExec(t, c, core.Insert(users).Values(map[string]any{"name": name}))
		if id, ok := res.LastInsertID(); !ok || id != int64(i+1) {
			t.Fatalf("insert %s: id %d %v", name, id, ok)
		}
		if got := len(mustExec(t, c, sel).Rows()); got != i+1 {
			t.Fatalf("select after %d inserts: %d rows", i+1, got)
		}
	}
	if n := c.raw.stmts.Len(); n != 2 {
		t.Errorf("cached statements = %d, want 2 (one INSERT, one SELECT)", n)
	}
	// A failed execution drops its statement; the next one works.
	_, err = c.Execute(core.Insert(users).Values(map[string]any{"name": "ann"}))
	var se *StatementError
	if !errors.As(err, &se) {
		t.Fatalf("duplicate name: got %v, want a *StatementError", err)
	}
	if n := c.raw.stmts.Len(); n != 1 {
		t.Errorf("after the failure: %d cached, want 1", n)
	}
	mustExec(t, c, core.Insert(users).Values(map[string]any{"name": "dee"}))
	// Raw text is never cached; a schema change under a cached SELECT is
	// picked up (SQLite re-prepares it).
	mustExec(t, c, core.Text("ALTER TABLE users ADD COLUMN age INTEGER"))
	mustExec(t, c, core.Text("UPDATE users SET name = 'zed' WHERE id = 1"))
	rows := mustExec(t, c, sel).Rows()
	if len(rows) != 4 || rows[0][1] != "zed" || len(rows[0]) != 2 {
		t.Errorf("after ALTER: %v", rows)
	}
	if n := c.raw.stmts.Len(); n != 2 {
		t.Errorf("raw text was cached: %d statements", n)
	}
	// Dropping a table with cached statements on it works (they hold no
	// lock between executions).
	if err := c.Commit(); err != nil {
		t.Fatal(err)
	}
	mustExec(t, c, core.Text("DROP TABLE users"))
	if _, err := c.Execute(sel); !errors.As(err, &se) {
		t.Errorf("select from a dropped table: got %v, want a *StatementError", err)
	}
}

// The cache is bounded: the oldest statement goes first.
func TestStatementCacheBound(t *testing.T) {
	e := mustEngine(t, "sqlite://")
	md, users := usersTable()
	if err := md.CreateAll(e.ctx, e, true); err != nil {
		t.Fatal(err)
	}
	c, err := e.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := 0; i < driver.StmtCacheSize+10; i++ {
		mustExec(t, c, core.Select(users.C("id")).Limit(i+1))
	}
	if n := c.raw.stmts.Len(); n != driver.StmtCacheSize {
		t.Errorf("cached = %d, want %d", n, driver.StmtCacheSize)
	}
	if c.raw.stmts.Has("SELECT users.id FROM users LIMIT 1") {
		t.Error("the oldest statement is still cached")
	}
}
