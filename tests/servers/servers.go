//go:build !js

// Package servers starts real database servers — PostgreSQL and MariaDB from
// Debian's packages — on loopback for tests, so the SQL the dialects emit is
// checked against the engines themselves.
//
// Each server starts lazily, once per test process, on a free port with its
// data directory under os.TempDir()/ormlab-servers. Every call of Postgres or
// MariaDB creates a fresh database (db_<random>) that is dropped when the test
// ends. Servers die with the test process: they get SIGKILL through the
// kernel's parent-death signal if the process crashes, servers.Main stops them
// cleanly after the tests, and a later run sweeps away directories (and any
// survivors) left by processes that no longer exist.
//
// A missing server binary fails the test with the command that installs it;
// tests never skip.
package servers

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql" // registers "mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
)

// Server is one fresh database on a running server.
type Server struct {
	// Dialect is the ORM dialect name: "postgresql" or "mysql".
	Dialect string
	// DSN is the Go driver's data source name (pgx for PostgreSQL,
	// go-sql-driver for MariaDB).
	DSN string
	// URL is the SQLAlchemy-style engine URL for the same database, e.g.
	// postgresql://postgres@127.0.0.1:5432/db_x.
	URL string
	// Database is the name of the fresh database.
	Database string
	// DB is an open handle on the fresh database, closed at cleanup.
	DB *sql.DB
	// DriverName is the database/sql driver name for DSN ("pgx" or "mysql").
	DriverName string
	// Port is the server's TCP port on 127.0.0.1.
	Port int
}

// installHint is what a failing test says when a server binary is missing.
const installHint = "run `make deps` (or `apt-get install -y postgresql mariadb-server`) as root"

// startTimeout bounds how long a server may take to accept connections.
const startTimeout = 60 * time.Second

// instance is a running server process shared by every test of this process.
type instance struct {
	kind  string // "postgresql" or "mariadb"
	dir   string
	port  int
	cmd   *exec.Cmd
	admin *sql.DB // connected to the maintenance database
	done  chan struct{}
	err   error // set once, when the process exits
}

var (
	mu        sync.Mutex
	instances = map[string]*instance{}
	startErrs = map[string]error{}
	sweepOnce sync.Once
)

// Postgres returns a fresh database on this process's PostgreSQL server,
// starting the server on first use. The database is dropped when t ends.
func Postgres(t testing.TB) *Server {
	t.Helper()
	in, err := get("postgresql", startPostgres)
	if err != nil {
		t.Fatalf("servers: PostgreSQL: %v", err)
	}
	name := "db_" + randomHex(6)
	if _, err := in.admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("servers: PostgreSQL: CREATE DATABASE %s: %v", name, err)
	}
	s := &Server{
		Dialect:    "postgresql",
		DriverName: "pgx",
		Database:   name,
		Port:       in.port,
		DSN:        fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", in.port, name),
		URL:        fmt.Sprintf("postgresql://postgres@127.0.0.1:%d/%s", in.port, name),
	}
	s.DB, err = sql.Open("pgx", s.DSN)
	if err != nil {
		t.Fatalf("servers: PostgreSQL: open %s: %v", s.DSN, err)
	}
	t.Cleanup(func() {
		s.DB.Close()
		// FORCE ends sessions a test left open (e.g. a leaked pool).
		if _, err := in.admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil && !in.exited() {
			t.Errorf("servers: PostgreSQL: DROP DATABASE %s: %v", name, err)
		}
	})
	return s
}

// MariaDB returns a fresh database on this process's MariaDB server, starting
// the server on first use. The database is dropped when t ends.
func MariaDB(t testing.TB) *Server {
	t.Helper()
	in, err := get("mariadb", startMariaDB)
	if err != nil {
		t.Fatalf("servers: MariaDB: %v", err)
	}
	name := "db_" + randomHex(6)
	if _, err := in.admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4"); err != nil {
		t.Fatalf("servers: MariaDB: CREATE DATABASE %s: %v", name, err)
	}
	s := &Server{
		Dialect:    "mysql",
		DriverName: "mysql",
		Database:   name,
		Port:       in.port,
		DSN:        fmt.Sprintf("root@tcp(127.0.0.1:%d)/%s?parseTime=true&charset=utf8mb4", in.port, name),
		URL:        fmt.Sprintf("mysql://root@127.0.0.1:%d/%s", in.port, name),
	}
	s.DB, err = sql.Open("mysql", s.DSN)
	if err != nil {
		t.Fatalf("servers: MariaDB: open %s: %v", s.DSN, err)
	}
	t.Cleanup(func() {
		s.DB.Close()
		// A session a test left open with a transaction holds metadata
		// locks that would make DROP DATABASE wait forever (MariaDB has no
		// FORCE): end those sessions first.
		if rows, err := in.admin.Query("SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()", name); err == nil {
			var ids []int64
			for rows.Next() {
				var id int64
				if rows.Scan(&id) == nil {
					ids = append(ids, id)
				}
			}
			rows.Close()
			for _, id := range ids {
				in.admin.Exec(fmt.Sprintf("KILL %d", id))
			}
		}
		if _, err := in.admin.Exec("DROP DATABASE IF EXISTS " + name); err != nil && !in.exited() {
			t.Errorf("servers: MariaDB: DROP DATABASE %s: %v", name, err)
		}
	})
	return s
}

// Main runs the tests and then stops every server this process started. Use
// it from TestMain:
//
//	func TestMain(m *testing.M) { servers.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	Shutdown()
	os.Exit(code)
}

// Shutdown stops every server this process started and removes their data
// directories. Safe to call more than once; a later Postgres or MariaDB call
// starts a new server.
func Shutdown() {
	mu.Lock()
	list := make([]*instance, 0, len(instances))
	for k, in := range instances {
		list = append(list, in)
		delete(instances, k)
	}
	mu.Unlock()
	for _, in := range list {
		in.stop()
	}
}

// get returns the running instance of kind, starting it once. A start that
// failed is not retried within the process: every test then reports the same
// cause quickly instead of each waiting for its own failed start.
func get(kind string, start func() (*instance, error)) (*instance, error) {
	sweepOnce.Do(sweepOrphans)
	mu.Lock()
	defer mu.Unlock()
	if in, ok := instances[kind]; ok {
		if !in.exited() {
			return in, nil
		}
		delete(instances, kind)
		return nil, fmt.Errorf("the server exited during the tests: %v\n%s", in.err, tailLog(in.dir))
	}
	if err, ok := startErrs[kind]; ok {
		return nil, err
	}
	var in *instance
	var err error
	// The free port can be taken by another process between our probe and
	// the server's bind: try again on a new port.
	for attempt := 0; attempt < 3; attempt++ {
		if in, err = start(); err == nil || !strings.Contains(err.Error(), "in use") {
			break
		}
	}
	if err != nil {
		startErrs[kind] = err
		return nil, err
	}
	instances[kind] = in
	return in, nil
}

// baseDir holds every server directory; per-server directories are named
// <kind>-<owner pid>-<random> so a later run can tell whose they are.
func baseDir() string { return filepath.Join(os.TempDir(), "ormlab-servers") }

func newDir(kind string) (string, error) {
	base := baseDir()
	if err := os.MkdirAll(base, 0o755); err != nil {
		return "", err
	}
	// The postgres user must be able to reach its data directory.
	if err := os.Chmod(base, 0o755); err != nil {
		return "", err
	}
	dir := filepath.Join(base, fmt.Sprintf("%s-%d-%s", kind, os.Getpid(), randomHex(4)))
	return dir, os.Mkdir(dir, 0o755)
}

// sweepOrphans removes server directories whose owning test process is gone,
// killing a server that survived it (possible only if the parent-death signal
// did not fire, e.g. the owner was itself reparented).
func sweepOrphans() {
	entries, err := os.ReadDir(baseDir())
	if err != nil {
		return
	}
	for _, e := range entries {
		parts := strings.Split(e.Name(), "-")
		if len(parts) != 3 {
			continue
		}
		owner, err := strconv.Atoi(parts[1])
		if err != nil || processAlive(owner) {
			continue
		}
		dir := filepath.Join(baseDir(), e.Name())
		for _, pidFile := range []string{"data/postmaster.pid", "mariadbd.pid"} {
			if pid := readPid(filepath.Join(dir, pidFile)); pid > 0 && processAlive(pid) {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
		os.RemoveAll(dir)
	}
}

func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

func readPid(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	pid, _ := strconv.Atoi(strings.TrimSpace(line))
	return pid
}

// freePort asks the kernel for a free loopback port. Another process could
// take it before the server binds; the server would then fail to start and
// the error says so (the log tail shows "address in use").
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// findBinary looks for name in the given directories (glob patterns allowed)
// and on PATH.
func findBinary(name string, dirs ...string) (string, error) {
	for _, pattern := range dirs {
		matches, _ := filepath.Glob(filepath.Join(pattern, name))
		// Newest version first (/usr/lib/postgresql/16 before 15).
		sort.Sort(sort.Reverse(sort.StringSlice(matches)))
		for _, m := range matches {
			if st, err := os.Stat(m); err == nil && !st.IsDir() {
				return m, nil
			}
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("%s not found: %s", name, installHint)
}

// run runs a setup command, returning its output in the error when it fails.
func run(cmd *exec.Cmd) error {
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out)
	}
	return nil
}

// launch starts the server process with its output in dir/server.log. The
// kernel kills it if this process dies without stopping it.
func launch(kind, dir string, cmd *exec.Cmd) (*instance, error) {
	logf, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	// Its own process group, so a ^C to the test run reaches us, not it, and
	// Main still gets to shut it down cleanly.
	cmd.SysProcAttr.Setpgid = true
	if err := startOnLockedThread(cmd); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %v", cmd.Path, err)
	}
	in := &instance{kind: kind, dir: dir, cmd: cmd, done: make(chan struct{})}
	go func() {
		in.err = cmd.Wait()
		logf.Close()
		close(in.done)
	}()
	return in, nil
}

// The parent-death signal fires when the *thread* that forked the child
// exits, not the process. Go may retire idle threads, so every server is
// forked from one goroutine locked to its thread for the process's lifetime.
var (
	launcherOnce sync.Once
	launchReqs   chan launchReq
)

type launchReq struct {
	cmd  *exec.Cmd
	done chan error
}

func startOnLockedThread(cmd *exec.Cmd) error {
	launcherOnce.Do(func() {
		launchReqs = make(chan launchReq)
		go func() {
			runtime.LockOSThread() // never unlocked: the thread lives on
			for r := range launchReqs {
				r.done <- r.cmd.Start()
			}
		}()
	})
	r := launchReq{cmd: cmd, done: make(chan error, 1)}
	launchReqs <- r
	return <-r.done
}

func (in *instance) exited() bool {
	select {
	case <-in.done:
		return true
	default:
		return false
	}
}

// waitReady polls until the server answers a query, the process exits, or
// the start timeout passes.
func (in *instance) waitReady(driverName, dsn string) error {
	db, err := sql.Open(driverName, dsn)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(startTimeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err = db.PingContext(ctx)
		cancel()
		if err == nil {
			in.admin = db
			return nil
		}
		select {
		case <-in.done:
			db.Close()
			return fmt.Errorf("the %s server exited while starting: %v\n%s", in.kind, in.err, tailLog(in.dir))
		case <-time.After(25 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			db.Close()
			in.stop()
			return fmt.Errorf("the %s server did not accept connections within %v: %v\n%s", in.kind, startTimeout, err, tailLog(in.dir))
		}
	}
}

// stop asks the server to shut down fast, kills it if it lingers, and removes
// its directory.
func (in *instance) stop() {
	if in.admin != nil {
		in.admin.Close()
	}
	if !in.exited() {
		// SIGINT is PostgreSQL's "fast shutdown"; MariaDB treats SIGTERM so.
		sig := syscall.SIGTERM
		if in.kind == "postgresql" {
			sig = syscall.SIGINT
		}
		in.cmd.Process.Signal(sig)
		select {
		case <-in.done:
		case <-time.After(10 * time.Second):
			in.cmd.Process.Kill()
			<-in.done
		}
	}
	os.RemoveAll(in.dir)
}

func tailLog(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "server.log"))
	if err != nil {
		return "(no server log)"
	}
	if len(b) > 3000 {
		b = b[len(b)-3000:]
	}
	return "server log (tail):\n" + string(b)
}

// startPostgres initialises a cluster as the postgres user (PostgreSQL
// refuses to run as root) and starts it tuned for throwaway test data.
func startPostgres() (*instance, error) {
	initdb, err := findBinary("initdb", "/usr/lib/postgresql/*/bin")
	if err != nil {
		return nil, err
	}
	postgres, err := findBinary("postgres", "/usr/lib/postgresql/*/bin")
	if err != nil {
		return nil, err
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("no postgres user (it comes with the postgresql package): %s", installHint)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	asPostgres := &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}

	dir, err := newDir("postgresql")
	if err != nil {
		return nil, err
	}
	if err := os.Chown(dir, uid, gid); err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	cmd := exec.Command(initdb, "--no-sync", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C")
	cmd.SysProcAttr = asPostgres
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if err := run(cmd); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v", err)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd = exec.Command(postgres, "-D", data,
		"-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories="+dir,
		"-c", "fsync=off",
		"-c", "synchronous_commit=off",
		"-c", "full_page_writes=off",
		"-c", "shared_buffers=16MB",
		"-c", "max_connections=200",
		"-c", "log_min_messages=warning",
	)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: asPostgres.Credential}
	cmd.Dir = dir
	in, err := launch("postgresql", dir, cmd)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	in.port = port
	dsn := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	if err := in.waitReady("pgx", dsn); err != nil {
		in.stop()
		return nil, err
	}
	return in, nil
}

// startMariaDB creates a data directory whose root user has no password and
// starts the server as root on loopback with no config files read.
func startMariaDB() (*instance, error) {
	installDB, err := findBinary("mariadb-install-db", "/usr/bin", "/usr/scripts")
	if err != nil {
		return nil, err
	}
	mariadbd, err := findBinary("mariadbd", "/usr/sbin")
	if err != nil {
		if mysqld, err2 := findBinary("mysqld", "/usr/sbin"); err2 == nil {
			mariadbd = mysqld
		} else {
			return nil, err
		}
	}
	dir, err := newDir("mariadb")
	if err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	// A private tmpdir: with the default /tmp, two test processes installing
	// at once collide on MariaDB's temporary table files ("Unknown table
	// 'mysql.tmp_user_sys'").
	tmp := filepath.Join(dir, "tmp")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return nil, err
	}
	// Small buffers and redo log: the data is throwaway and startup time
	// matters more than throughput.
	tuning := []string{
		"--tmpdir=" + tmp,
		"--innodb-buffer-pool-size=32M",
		"--innodb-log-file-size=8M",
		"--innodb-flush-log-at-trx-commit=0",
		"--skip-name-resolve",
	}
	cmd := exec.Command(installDB, append([]string{"--no-defaults", "--datadir=" + data, "--user=root",
		"--auth-root-authentication-method=normal", "--skip-test-db"}, tuning...)...)
	cmd.Dir = dir
	if err := run(cmd); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("mariadb-install-db: %v", err)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd = exec.Command(mariadbd, append([]string{"--no-defaults",
		"--datadir=" + data,
		"--socket=" + filepath.Join(dir, "mariadb.sock"),
		"--pid-file=" + filepath.Join(dir, "mariadbd.pid"),
		"--port=" + strconv.Itoa(port),
		"--bind-address=127.0.0.1",
		"--user=root",
		"--max-connections=300",
		"--skip-log-bin",
	}, tuning...)...)
	cmd.Dir = dir
	in, err := launch("mariadb", dir, cmd)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	in.port = port
	// lock_wait_timeout bounds a DROP DATABASE that still meets a lock.
	dsn := fmt.Sprintf("root@tcp(127.0.0.1:%d)/?parseTime=true&lock_wait_timeout=20", port)
	if err := in.waitReady("mysql", dsn); err != nil {
		in.stop()
		return nil, err
	}
	return in, nil
}
