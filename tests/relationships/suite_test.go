// Package relationships runs the tutorials' relationship examples on every
// engine: SQLite always, real PostgreSQL and MariaDB started by
// tests/servers. Each case navigates both directions, checks its rows on
// the engine it runs on and, where the SQL is the lesson, the statements
// for all four dialects (compiled from the statement the ORM ran).
package relationships

import (
	"strings"
	"sync"
	"testing"

	"ormlab/orm"
	"ormlab/orm/core"
	"ormlab/tests/servers"
)

func TestMain(m *testing.M) { servers.Main(m) }

type rec struct {
	mu  sync.Mutex
	all []map[string]string
	sql []string // as run (the engine's dialect)
}

// env is one case's database on one engine.
type env struct {
	t    *testing.T
	name string
	e    *orm.Engine
	base *orm.Base
	rec  *rec
}

type target struct {
	name string
	url  func(t *testing.T) string
}

var targets = []target{
	{"sqlite", func(t *testing.T) string { return "sqlite://" }},
	{"postgresql", func(t *testing.T) string { return servers.Postgres(t).URL }},
	{"mysql", func(t *testing.T) string { return servers.MariaDB(t).URL }},
}

func newEnv(t *testing.T, tg target) *env {
	t.Helper()
	e, err := orm.CreateEngine(tg.url(t), orm.Simulated(false))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Dispose() })
	r := &rec{}
	orm.OnAfterExecute(e, func(ev *orm.ExecuteEvent) {
		r.mu.Lock()
		r.all = append(r.all, orm.CompileAll(ev.Statement))
		r.sql = append(r.sql, ev.SQL)
		r.mu.Unlock()
	})
	t.Cleanup(func() { orm.RemoveListeners(e) })
	return &env{t: t, name: tg.name, e: e, base: orm.NewBase(), rec: r}
}

// setup maps models (pairs of value and table name; a *orm.Table already
// declared on the Base's Metadata is skipped) and creates the tables.
func (v *env) setup(models ...any) {
	v.t.Helper()
	for i := 0; i < len(models); i += 2 {
		if _, err := v.base.Map(models[i], models[i+1].(string)); err != nil {
			v.t.Fatal(err)
		}
	}
	if err := v.base.Configure(); err != nil {
		v.t.Fatal(err)
	}
	if err := v.base.CreateAll(v.e); err != nil {
		v.t.Fatal(err)
	}
}

func (v *env) session() *orm.Session {
	s := orm.NewSession(v.e)
	v.t.Cleanup(func() { s.Close() })
	return s
}

// count runs fn and returns the statements (as run) it issued, ignoring
// transaction control.
func (v *env) count(fn func()) []string {
	v.rec.mu.Lock()
	start := len(v.rec.sql)
	v.rec.mu.Unlock()
	fn()
	v.rec.mu.Lock()
	defer v.rec.mu.Unlock()
	return append([]string(nil), v.rec.sql[start:]...)
}

// last finds the last recorded statement whose sqlite form contains
// substr and returns it in the four dialects.
func (v *env) last(substr string) map[string]string {
	v.t.Helper()
	v.rec.mu.Lock()
	defer v.rec.mu.Unlock()
	for i := len(v.rec.all) - 1; i >= 0; i-- {
		if strings.Contains(v.rec.all[i]["sqlite"], substr) {
			return v.rec.all[i]
		}
	}
	v.t.Fatalf("no statement containing %q", substr)
	return nil
}

// golden checks a statement for the four dialects (whitespace-normalised).
func (v *env) golden(got map[string]string, want map[string]string) {
	v.t.Helper()
	for _, d := range []string{"sqlite", "postgresql", "mysql", "mssql"} {
		if w, ok := want[d]; ok && norm(got[d]) != norm(w) {
			v.t.Errorf("%s:\n got: %s\nwant: %s", d, got[d], w)
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

// scalar reads one value with raw SQL through a fresh session.
func (v *env) scalar(sql string) any {
	v.t.Helper()
	s := orm.NewSession(v.e)
	defer s.Close()
	x, err := s.Scalar(orm.Text(sql))
	if err != nil {
		v.t.Fatal(err)
	}
	return x
}

func (v *env) count64(sql string) int64 {
	v.t.Helper()
	switch x := v.scalar(sql).(type) {
	case int64:
		return x
	case []byte:
		var n int64
		for _, c := range x {
			n = n*10 + int64(c-'0')
		}
		return n
	default:
		v.t.Fatalf("count: %T %v", x, x)
	}
	return 0
}

var cases = []struct {
	name string
	fn   func(v *env)
}{
	{"UserProfile", caseUserProfile},
	{"PersonMobilePhone", casePersonPhone},
	{"AuthorBook", caseAuthorBook},
	{"DepartmentEmployee", caseDepartment},
	{"ArticleComment", caseArticleComment},
	{"TireCar", caseTireCar},
	{"UserPost", caseUserPost},
	{"StudentCourse", caseStudentCourse},
	{"FilmActorCast", caseFilmCast},
	{"ProductOrder", caseProductOrder},
	{"EmployeeManager", caseEmployeeManager},
	{"Notifications", caseNotifications},
	{"Tree", caseTree},
	{"PassiveDeletes", casePassiveDeletes},
	{"LoadingStrategies", caseLoadingStrategies},
	{"Errors", caseErrors},
}

func TestRelationships(t *testing.T) {
	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) { c.fn(newEnv(t, tg)) })
			}
		})
	}
}

// ddl is the CREATE TABLE of a mapped table in the four dialects.
func (v *env) ddl(table string) map[string]string {
	return core.CompileAll(core.CreateTable(v.base.MapperFor(table).Table))
}
