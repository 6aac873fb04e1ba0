package driver

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"testing"
)

func TestIsDisconnect(t *testing.T) {
	yes := []error{driver.ErrBadConn, sql.ErrConnDone, io.EOF, fmt.Errorf("read: %w", io.ErrUnexpectedEOF),
		errors.New("FATAL: terminating connection due to administrator command"), errors.New("write: broken pipe")}
	no := []error{nil, context.Canceled, fmt.Errorf("query: %w", context.DeadlineExceeded),
		errors.New("UNIQUE constraint failed: users.name"), errors.New(`relation "x" does not exist`)}
	for _, err := range yes {
		if !IsDisconnect(err) {
			t.Errorf("IsDisconnect(%v) = false", err)
		}
	}
	for _, err := range no {
		if IsDisconnect(err) {
			t.Errorf("IsDisconnect(%v) = true", err)
		}
	}
}

// The simulated server's database: every connection shares it, a reader
// sees the last committed data while another connection writes, and it
// lives while one connection is open.
func TestOpenSharedMemory(t *testing.T) {
	db, err := OpenSharedMemory("driver_test_shared", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	a, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, _ := db.Conn(ctx)
	defer b.Close()
	exec := func(c *sql.Conn, q string) {
		t.Helper()
		if _, err := c.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	countRows := func(c *sql.Conn) int {
		t.Helper()
		var n int
		if err := c.QueryRowContext(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil {
			t.Fatalf("count: %v", err)
		}
		return n
	}
	exec(a, "CREATE TABLE t (x INTEGER)")
	exec(a, "BEGIN")
	exec(a, "INSERT INTO t VALUES (1)")
	if n := countRows(b); n != 0 {
		t.Errorf("reader sees uncommitted row: %d", n)
	}
	exec(a, "COMMIT")
	if n := countRows(b); n != 1 {
		t.Errorf("reader misses committed row: %d", n)
	}
	var fk int
	b.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk)
	if fk != 1 {
		t.Errorf("foreign_keys = %d", fk)
	}
	// Another handle on the same name sees the same database.
	db2, _ := OpenSharedMemory("driver_test_shared", 0)
	defer db2.Close()
	var n int
	if err := db2.QueryRow("SELECT count(*) FROM t").Scan(&n); err != nil || n != 1 {
		t.Errorf("second handle: %d %v", n, err)
	}
}
