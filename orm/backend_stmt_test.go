package orm

import (
	"context"
	"testing"

	"ormlab/driver"
	"ormlab/orm/core"
)

// The *sql.DB session path runs its compiled SQLite statements prepared
// from a per-connection cache: a flush of many rows of one shape prepares
// the INSERT once, a repeated SELECT outside a transaction is prepared once,
// and a failing statement is dropped from the cache (never reused).
func TestSQLDBStatementCache(t *testing.T) {
	db := openTestDB(t)
	base := NewBase()
	if _, err := base.Map(smokeUser{}, "users"); err != nil {
		t.Fatal(err)
	}
	if err := base.Metadata.CreateAll(context.Background(), core.NewSQLiteExecutor(db), false); err != nil {
		t.Fatal(err)
	}
	s, err := NewSessionDB(db, "sqlite")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	us := make([]*smokeUser, 1200) // three INSERT statements of 500, 500 and 200 rows
	for i := range us {
		us[i] = &smokeUser{Name: "u"}
	}
	if err := s.AddAll(us); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	c, ok := s.conn.(*sqlConn)
	if !ok {
		t.Fatalf("conn is %T, want *sqlConn", s.conn)
	}
	if n := c.txStmts.Len(); n == 0 || n > 2 {
		t.Fatalf("%d statements cached in the transaction, want 1 or 2 (one per INSERT shape)", n)
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if c.txStmts.Len() != 0 {
		t.Fatalf("transaction statements kept after COMMIT: %d", c.txStmts.Len())
	}
	if us[1199].ID == 0 {
		t.Fatal("generated key not read back")
	}
	var got []*smokeUser
	if err := s.Query(&got).All(); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(us) {
		t.Fatalf("read %d rows, want %d", len(got), len(us))
	}
	// Commit gave the connection back; the SELECT ran on a new one.
	if c, ok = s.conn.(*sqlConn); !ok {
		t.Fatalf("conn is %T after the SELECT, want *sqlConn", s.conn)
	}
	if n := c.txStmts.Len() + c.connStmts.Len(); n != 1 {
		t.Fatalf("%d statements cached after one SELECT, want 1", n)
	}
	// A failing statement is dropped, not reused.
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	dup := &smokeUser{ID: us[0].ID + 100000, Name: "dup"}
	if err := s.Add(dup); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	c, _ = s.conn.(*sqlConn)
	if n := c.txStmts.Len(); n != 1 {
		t.Fatalf("%d statements cached after one INSERT, want 1", n)
	}
	if err := c.tx.Rollback(); err != nil { // the next use of the statement fails
		t.Fatal(err)
	}
	if _, err := c.execSQL(context.Background(), c.txStmts.Queries()[0], []any{1, "x", "y", nil}, true); err == nil {
		t.Fatal("statement of an ended transaction ran")
	}
	if n := c.txStmts.Len(); n != 0 {
		t.Fatalf("failed statement kept in the cache (%d cached)", n)
	}
	c.tx = nil
	c.txStmts = driver.StmtCache{}
}
