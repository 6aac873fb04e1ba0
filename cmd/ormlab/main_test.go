package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"ormlab/runner/trace"
	"ormlab/tests/servers"
)

func TestMain(m *testing.M) {
	runtime.GOMAXPROCS(1)
	code := m.Run()
	servers.Shutdown() // the PostgreSQL of TestRunURLOverride
	os.Exit(code)
}

func write(t *testing.T, name, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunExitCodes(t *testing.T) {
	ok := write(t, "ok.go", "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hi\") }\n")
	bad := write(t, "bad.go", "package main\n\nfunc main() {\n\tvar m map[int]int\n\tm[0] = 1\n}\n")
	slow := write(t, "slow.go", "package main\n\nfunc main() {\n\tfor {\n\t}\n}\n")
	cases := []struct {
		args             []string
		code             int
		stdout, errWants string
	}{
		{[]string{"run", ok}, 0, "hi\n", ""},
		{[]string{"run", bad}, 1, "", bad + ":5:2: runtime error: panic: assignment to entry in nil map"},
		{[]string{"run", "--timeout", "300ms", slow}, 1, "", "timeout error"},
		{[]string{}, 2, "", "usage"},
		{[]string{"build", ok}, 2, "", "usage"},
		{[]string{"run"}, 2, "", "no Go files"},
		{[]string{"run", "--bogus", ok}, 2, "", "flag provided but not defined"},
		{[]string{"run", "/nonexistent/x.go"}, 2, "", "no such file"},
		{[]string{"run", "--timeout", "-1s", ok}, 2, "", "must be positive"},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := run(c.args, &out, &errb)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d (stderr %q)", c.args, code, c.code, errb.String())
		}
		if c.stdout != "" && out.String() != c.stdout {
			t.Errorf("%v: stdout %q, want %q", c.args, out.String(), c.stdout)
		}
		if c.errWants != "" && !strings.Contains(errb.String(), c.errWants) {
			t.Errorf("%v: stderr %q does not contain %q", c.args, errb.String(), c.errWants)
		}
	}
}

func TestRunJSONIsExactlyOneTrace(t *testing.T) {
	a := write(t, "a.go", "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(helper()) }\n")
	b := filepath.Join(filepath.Dir(a), "b.go")
	os.WriteFile(b, []byte("package main\n\nfunc helper() string { return \"two files\" }\n"), 0o644)
	var out, errb bytes.Buffer
	if code := run([]string{"run", "--json", a, b}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	dec := json.NewDecoder(&out)
	var tr trace.Trace
	if err := dec.Decode(&tr); err != nil {
		t.Fatal(err)
	}
	if tr.Stdout != "two files\n" || tr.Error != nil {
		t.Errorf("trace %+v", tr)
	}
	var extra any
	if err := dec.Decode(&extra); err == nil {
		t.Errorf("more than one JSON value on stdout: %v", extra)
	}
	// A failing program still prints exactly the trace, and exits 1.
	bad := write(t, "bad.go", "package main\n\nimport \"os\"\n\nfunc main() { os.Exit(3) }\n")
	out.Reset()
	errb.Reset()
	if code := run([]string{"run", "--json", bad}, &out, &errb); code != 1 {
		t.Fatalf("exit %d", code)
	}
	var tr2 map[string]any
	if err := json.Unmarshal(out.Bytes(), &tr2); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, out.String())
	}
	e, _ := tr2["error"].(map[string]any)
	if e["kind"] != "compile" || e["line"] != float64(3) {
		t.Errorf("error %v", tr2["error"])
	}
}

// TestRunURLOverride runs a program written for SQLite against a real
// PostgreSQL with --url: every statement runs there, and the final tables
// are read from there.
func TestRunURLOverride(t *testing.T) {
	srv := servers.Postgres(t)
	prog := write(t, "main.go", `package main

import (
	"fmt"

	"ormlab/orm"
)

type City struct {
	ID   int    `+"`orm:\"primary_key\"`"+`
	Name string `+"`orm:\"size:40,not_null\"`"+`
}

func main() {
	engine, err := orm.CreateEngine("sqlite://", orm.Echo(true))
	if err != nil {
		panic(err)
	}
	base := orm.NewBase()
	base.Map(City{}, "cities")
	if err := base.CreateAll(engine); err != nil {
		panic(err)
	}
	s := orm.NewSession(engine)
	defer s.Close()
	s.AddAll(&City{Name: "Oslo"}, &City{Name: "Lima"})
	if err := s.Commit(); err != nil {
		panic(err)
	}
	fmt.Println("dialect:", engine.Dialect().Name())
}
`)
	var out, errb bytes.Buffer
	if code := run([]string{"run", "--json", "--url", srv.URL, prog}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errb.String(), out.String())
	}
	var tr trace.Trace
	if err := json.Unmarshal(out.Bytes(), &tr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tr.Stdout, "dialect: postgresql") {
		t.Errorf("stdout %q", tr.Stdout)
	}
	if len(tr.Statements) == 0 {
		t.Fatal("no statements")
	}
	for _, st := range tr.Statements {
		if st.Executed != "postgresql" {
			t.Errorf("statement %d ran on %q, want postgresql", st.Seq, st.Executed)
		}
	}
	if rows := tr.Tables["cities"].Rows; len(rows) != 2 || rows[0][1] != "Oslo" {
		t.Errorf("final cities %+v", tr.Tables["cities"])
	}
	// The rows are really in PostgreSQL.
	var n int
	if err := srv.DB.QueryRow("SELECT count(*) FROM cities").Scan(&n); err != nil || n != 2 {
		t.Errorf("PostgreSQL has %d cities (%v), want 2", n, err)
	}
}
