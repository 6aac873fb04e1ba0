// Package ormtest runs the ORM's feature suite on every engine: SQLite
// always, real PostgreSQL and MariaDB started by tests/servers. Each case
// checks its results on the engine it runs on and, for the statements it
// cares about, the SQL the ORM emitted for all four dialects (the engine's
// observer compiles every statement for the four of them).
package ormtest

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"ormlab/orm"
	"ormlab/orm/pool"
	"ormlab/tests/servers"
)

func TestMain(m *testing.M) { servers.Main(m) }

// recorder keeps the statements the ORM ran (from its after-execute
// event, with the statement tree, compiled for the four dialects in display
// form) and the engine's own events (BEGIN, SAVEPOINT…).
type recorder struct {
	mu     sync.Mutex
	evs    []recorded
	engine []orm.StatementEvent
}

type recorded struct {
	Kind string
	SQL  map[string]string
}

func (r *recorder) Statement(ev orm.StatementEvent) {
	r.mu.Lock()
	r.engine = append(r.engine, ev)
	r.mu.Unlock()
}
func (r *recorder) Pool(pool.Event) {}

func (r *recorder) orm(ev *orm.ExecuteEvent) {
	rec := recorded{Kind: ev.Statement.Kind(), SQL: orm.CompileAll(ev.Statement)}
	r.mu.Lock()
	r.evs = append(r.evs, rec)
	r.mu.Unlock()
}

// reset forgets what was recorded so far.
func (r *recorder) reset() {
	r.mu.Lock()
	r.evs, r.engine = nil, nil
	r.mu.Unlock()
}

// of lists the recorded ORM statements of a kind ("select", "insert"…).
func (r *recorder) of(kind string) []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []recorded
	for _, ev := range r.evs {
		if ev.Kind == kind {
			out = append(out, ev)
		}
	}
	return out
}

// engineOf lists the engine's events of a kind ("savepoint", "begin"…).
func (r *recorder) engineOf(kind string) []orm.StatementEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []orm.StatementEvent
	for _, ev := range r.engine {
		if ev.Kind == kind {
			out = append(out, ev)
		}
	}
	return out
}

// env is one case's database.
type env struct {
	t       *testing.T
	name    string // sqlite, postgresql, mysql
	e       *orm.Engine
	rec     *recorder
	base    *orm.Base
	session *orm.Session
}

type target struct {
	name string
	url  func(t *testing.T) string
}

var targets = map[string]target{
	"sqlite":     {"sqlite", func(t *testing.T) string { return "sqlite://" }},
	"postgresql": {"postgresql", func(t *testing.T) string { return servers.Postgres(t).URL }},
	"mysql":      {"mysql", func(t *testing.T) string { return servers.MariaDB(t).URL }},
}

func newEnv(t *testing.T, tg target) *env {
	t.Helper()
	rec := &recorder{}
	e, err := orm.CreateEngine(tg.url(t), orm.WithObserver(rec), orm.Simulated(false))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Dispose() })
	orm.OnAfterExecute(e, rec.orm)
	t.Cleanup(func() { orm.RemoveListeners(e) })
	return &env{t: t, name: tg.name, e: e, rec: rec, base: orm.NewBase()}
}

// setup maps models (pairs of model value and table name), creates the
// tables and opens a session.
func (v *env) setup(models ...any) *orm.Session {
	v.t.Helper()
	for i := 0; i < len(models); i += 2 {
		if _, err := v.base.Map(models[i], models[i+1].(string)); err != nil {
			v.t.Fatal(err)
		}
	}
	if err := v.base.CreateAll(v.e); err != nil {
		v.t.Fatal(err)
	}
	v.session = orm.NewSession(v.e)
	v.t.Cleanup(func() { v.session.Close() })
	v.rec.reset()
	return v.session
}

func (v *env) m(table string) *orm.Mapper {
	m := v.base.MapperFor(table)
	if m == nil {
		v.t.Fatalf("no mapper for %s", table)
	}
	return m
}

// sql is a golden: the statement in each dialect (display form).
type golden map[string]string

// expect checks the n-th (from 0; negative counts from the end) recorded
// statement of kind against the golden for all four dialects.
func (v *env) expect(kind string, n int, want golden) {
	v.t.Helper()
	evs := v.rec.of(kind)
	if n < 0 {
		n += len(evs)
	}
	if n < 0 || n >= len(evs) {
		v.t.Fatalf("expected a %s statement #%d, recorded %d", kind, n, len(evs))
	}
	got := evs[n].SQL
	for _, d := range []string{"sqlite", "postgresql", "mysql", "mssql"} {
		w, ok := want[d]
		if !ok {
			continue
		}
		if norm(got[d]) != norm(w) {
			v.t.Errorf("%s #%d for %s:\n got: %s\nwant: %s", kind, n, d, got[d], w)
		}
	}
}

func norm(s string) string { return strings.Join(strings.Fields(s), " ") }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func isErr(err, target error) bool { return errors.Is(err, target) }

// the suite: every case runs on every engine.
var cases = []struct {
	name string
	fn   func(v *env)
}{
	{"FilmCRUD", caseFilmCRUD},
	{"UserCRUDAndQueries", caseUserQueries},
	{"ProductTypes", caseProduct},
	{"CensusQueries", caseCensus},
	{"CommitOrRollback", caseCommitOrRollback},
	{"IdentityMapAndStates", caseIdentityStates},
	{"RollbackSemantics", caseRollback},
	{"NestedSavepoint", caseNested},
	{"SavepointSkipsFailures", caseSavepointSkipsFailures},
	{"FlushOrderAndBatching", caseFlushOrder},
	{"CompositeKey", caseComposite},
	{"JoinsAndAggregates", caseJoins},
	{"BulkUpdateDelete", caseBulk},
	{"RawSQL", caseRaw},
	{"MergeRefreshExpunge", caseMerge},
	{"Events", caseEvents},
	{"ConstraintViolation", caseConstraint},
	{"Defaults", caseDefaults},
}

func runSuite(t *testing.T, which string) {
	tg := targets[which]
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.fn(newEnv(t, tg))
		})
	}
}

func TestSQLite(t *testing.T)     { runSuite(t, "sqlite") }
func TestPostgreSQL(t *testing.T) { runSuite(t, "postgresql") }
func TestMariaDB(t *testing.T)    { runSuite(t, "mysql") }
