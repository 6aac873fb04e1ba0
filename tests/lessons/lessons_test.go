// Package lessons runs every lesson program (and every exercise solution)
// against real servers — PostgreSQL and MariaDB from Debian's packages,
// started by tests/servers — through the runner's --url mode. The
// playground shows each statement in four dialects; this is where the
// PostgreSQL and MySQL versions of what the lessons really send are run by
// the real engines.
package lessons

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"ormlab/runner"
	"ormlab/runner/progs"
	"ormlab/runner/trace"
	"ormlab/tests/servers"
)

// TestMain: one OS thread, as runner.Run asks of processes that run
// programs with goroutines; servers are stopped at the end.
func TestMain(m *testing.M) {
	runtime.GOMAXPROCS(1)
	servers.Main(m) // exits with the tests' status
}

func TestLessonsOnRealServers(t *testing.T) {
	all, err := progs.Lessons()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 12 {
		t.Fatalf("found %d lesson programs", len(all))
	}
	for _, p := range all {
		t.Run(p.Name, func(t *testing.T) {
			local := runner.Run(context.Background(), runner.Request{Files: p.Files, Timeout: 20 * time.Second})
			if local.Error != nil {
				t.Fatalf("on SQLite: %+v", *local.Error)
			}
			for _, srv := range []func(testing.TB) *servers.Server{servers.Postgres, servers.MariaDB} {
				s := srv(t)
				tr := runner.Run(context.Background(), runner.Request{Files: p.Files, URL: s.URL, Timeout: 30 * time.Second})
				if tr.Error != nil {
					t.Errorf("on %s: %s error: %s (line %d)\noutput:\n%s", s.Dialect, tr.Error.Kind, tr.Error.Message, tr.Error.Line, tr.Stdout)
					continue
				}
				// The statements a lesson expects to fail (a constraint
				// violation it demonstrates) fail on every engine; nothing
				// else may.
				if got, want := failures(tr), failures(local); len(got) != len(want) {
					t.Errorf("on %s: %d failing statements, SQLite had %d:\n%s\noutput:\n%s", s.Dialect, len(got), len(want), strings.Join(got, "\n"), tr.Stdout)
				}
				for _, st := range tr.Statements {
					if st.Executed != s.Dialect {
						t.Errorf("on %s: statement %d executed on %q", s.Dialect, st.Seq, st.Executed)
						break
					}
				}
			}
		})
	}
}

func failures(tr *trace.Trace) []string {
	var out []string
	for _, st := range tr.Statements {
		if st.Error != "" {
			out = append(out, fmt.Sprintf("#%d %s: %s", st.Seq, st.Kind, st.Error))
		}
	}
	return out
}
