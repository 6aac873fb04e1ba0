//go:build !js

package servers

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) { Main(m) }

func TestPostgres(t *testing.T) {
	s := Postgres(t)
	var version, db string
	if err := s.DB.QueryRow("SELECT version(), current_database()").Scan(&version, &db); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(version, "PostgreSQL") {
		t.Errorf("version() = %q, want PostgreSQL …", version)
	}
	if db != s.Database || !strings.HasPrefix(db, "db_") {
		t.Errorf("current_database() = %q, want the fresh %q", db, s.Database)
	}
	if s.Dialect != "postgresql" || !strings.HasPrefix(s.URL, "postgresql://postgres@127.0.0.1:") || !strings.HasSuffix(s.URL, "/"+s.Database) {
		t.Errorf("Dialect %q URL %q", s.Dialect, s.URL)
	}
	if _, err := s.DB.Exec("CREATE TABLE t (id serial PRIMARY KEY, name text)"); err != nil {
		t.Fatal(err)
	}
	// A second database on the same server is isolated from the first.
	s2 := Postgres(t)
	if s2.Port != s.Port || s2.Database == s.Database {
		t.Fatalf("second call: port %d db %q; first: port %d db %q", s2.Port, s2.Database, s.Port, s.Database)
	}
	var n int
	if err := s2.DB.QueryRow("SELECT count(*) FROM information_schema.tables WHERE table_name = 't'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("table t leaked into the second database")
	}
}

func TestMariaDB(t *testing.T) {
	s := MariaDB(t)
	var version, db string
	if err := s.DB.QueryRow("SELECT version(), database()").Scan(&version, &db); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(version, "MariaDB") {
		t.Errorf("version() = %q, want MariaDB", version)
	}
	if db != s.Database {
		t.Errorf("database() = %q, want %q", db, s.Database)
	}
	if s.Dialect != "mysql" || !strings.HasPrefix(s.URL, "mysql://root@127.0.0.1:") {
		t.Errorf("Dialect %q URL %q", s.Dialect, s.URL)
	}
	if _, err := s.DB.Exec("CREATE TABLE t (id INTEGER AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20))"); err != nil {
		t.Fatal(err)
	}
	res, err := s.DB.Exec("INSERT INTO t (name) VALUES (?), (?)", "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 2 {
		t.Errorf("RowsAffected = %d, want 2", n)
	}
}

// The database a test got is gone after its cleanup.
func TestDropAtCleanup(t *testing.T) {
	var name string
	var admin = func() *Server { return Postgres(t) }()
	t.Run("inner", func(t *testing.T) { name = Postgres(t).Database })
	var n int
	if err := admin.DB.QueryRow("SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("database %s still exists after its test ended", name)
	}
}

// A directory left by a crashed test process is removed, and a server that
// outlived it is killed.
func TestSweepOrphans(t *testing.T) {
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	survivor := exec.Command("sleep", "60")
	if err := survivor.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- survivor.Wait() }()
	if err := os.MkdirAll(baseDir(), 0o755); err != nil {
		t.Fatal(err)
	}
	orphan := filepath.Join(baseDir(), fmt.Sprintf("mariadb-%d-deadbeef", dead.Process.Pid))
	mine := filepath.Join(baseDir(), fmt.Sprintf("mariadb-%d-cafebabe", os.Getpid()))
	for _, d := range []string{orphan, mine} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(d)
	}
	if err := os.WriteFile(filepath.Join(orphan, "mariadbd.pid"), []byte(fmt.Sprintf("%d\n", survivor.Process.Pid)), 0o644); err != nil {
		t.Fatal(err)
	}
	sweepOrphans()
	if _, err := os.Stat(orphan); !os.IsNotExist(err) {
		t.Errorf("orphan directory still there: %v", err)
	}
	if _, err := os.Stat(mine); err != nil {
		t.Errorf("a live process's directory was removed: %v", err)
	}
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		survivor.Process.Kill()
		t.Error("the orphaned server was not killed")
	}
}

// A test that leaves a transaction open on its MariaDB database (holding
// metadata locks) does not block the DROP DATABASE of its cleanup.
func TestMariaDBDropWithOpenTransaction(t *testing.T) {
	var name string
	var admin *Server
	t.Run("leaky", func(t *testing.T) {
		s := MariaDB(t)
		name = s.Database
		db, err := sql.Open(s.DriverName, s.DSN)
		if err != nil {
			t.Fatal(err)
		}
		// Deliberately never closed: the leak under test.
		if _, err := db.Exec("CREATE TABLE t (x INT)"); err != nil {
			t.Fatal(err)
		}
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec("INSERT INTO t VALUES (1)"); err != nil {
			t.Fatal(err)
		}
	})
	admin = MariaDB(t)
	var n int
	if err := admin.DB.QueryRow("SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("database %s survived its test", name)
	}
}

// A missing server binary says how to install it.
func TestMissingBinaryMessage(t *testing.T) {
	_, err := findBinary("ormlab-no-such-server", "/usr/lib/postgresql/*/bin")
	if err == nil || !strings.Contains(err.Error(), "make deps") || !strings.Contains(err.Error(), "apt-get install -y postgresql mariadb-server") {
		t.Errorf("error = %v", err)
	}
	if p, err := findBinary("postgres", "/usr/lib/postgresql/*/bin"); err != nil || !strings.HasPrefix(p, "/usr/lib/postgresql/") {
		t.Errorf("postgres = %q, %v", p, err)
	}
}
