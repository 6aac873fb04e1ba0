package orm

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

type qsUser struct {
	ID     int    `orm:"primary_key"`
	Name   string `orm:"size:50"`
	Age    int
	TeamID *int `orm:"foreign_key:qs_teams.id"`
}

type qsTeam struct {
	ID   int    `orm:"primary_key"`
	Name string `orm:"size:50"`
}

// Each query feature's SELECT in the four dialects (display form).
func TestQuerySQLGoldens(t *testing.T) {
	b := NewBase()
	tm, err := b.Map(qsTeam{}, "qs_teams")
	mustOK(t, err)
	um, err := b.Map(qsUser{}, "qs_users")
	mustOK(t, err)
	s := newSession(nilBinder{}, nil)
	s.bases[b] = true
	var users []*qsUser
	type row struct {
		Name string
		N    int64
	}
	var rows []row
	cases := []struct {
		name string
		q    *Query
		want map[string]string
	}{
		{"filter_by and order desc, limit, offset",
			s.Query(&users).FilterBy("Name", "ed").OrderBy("-Age").Limit(5).Offset(10),
			map[string]string{
				"sqlite":     "SELECT qs_users.id, qs_users.name, qs_users.age, qs_users.team_id FROM qs_users WHERE qs_users.name = 'ed' ORDER BY qs_users.age DESC LIMIT 5 OFFSET 10",
				"postgresql": "SELECT qs_users.id, qs_users.name, qs_users.age, qs_users.team_id FROM qs_users WHERE qs_users.name = 'ed' ORDER BY qs_users.age DESC LIMIT 5 OFFSET 10",
				"mysql":      "SELECT qs_users.id, qs_users.name, qs_users.age, qs_users.team_id FROM qs_users WHERE qs_users.name = 'ed' ORDER BY qs_users.age DESC LIMIT 5 OFFSET 10",
				"mssql":      "SELECT qs_users.id, qs_users.name, qs_users.age, qs_users.team_id FROM qs_users WHERE qs_users.name = 'ed' ORDER BY qs_users.age DESC OFFSET 10 ROWS FETCH NEXT 5 ROWS ONLY",
			}},
		{"or, in, like, not, between",
			s.Query(&users).Filter(Or(um.C("Age").In(1, 2), um.C("Name").Like("a%")), Not(um.C("TeamID").IsNull())),
			map[string]string{
				"sqlite": "SELECT qs_users.id, qs_users.name, qs_users.age, qs_users.team_id FROM qs_users WHERE (qs_users.age IN (1, 2) OR qs_users.name LIKE 'a%') AND NOT (qs_users.team_id IS NULL)",
				"mssql":  "SELECT qs_users.id, qs_users.name, qs_users.age, qs_users.team_id FROM qs_users WHERE (qs_users.age IN (1, 2) OR qs_users.name LIKE 'a%') AND NOT (qs_users.team_id IS NULL)",
			}},
		{"outer join, group by, having, labels",
			s.Query(&rows).From(qsTeam{}).Select(tm.C("Name"), Count(um.C("ID")).Label("n")).
				OuterJoin(qsUser{}, um.C("TeamID").Eq(tm.C("ID"))).GroupBy(tm.C("Name")).Having(Count(um.C("ID")).Gt(1)).OrderBy(Desc("n")),
			map[string]string{
				"postgresql": "SELECT qs_teams.name, count(qs_users.id) AS n FROM qs_teams LEFT OUTER JOIN qs_users ON qs_users.team_id = qs_teams.id GROUP BY qs_teams.name HAVING count(qs_users.id) > 1 ORDER BY n DESC",
				"mysql":      "SELECT qs_teams.name, count(qs_users.id) AS n FROM qs_teams LEFT OUTER JOIN qs_users ON qs_users.team_id = qs_teams.id GROUP BY qs_teams.name HAVING count(qs_users.id) > 1 ORDER BY n DESC",
				"mssql":      "SELECT qs_teams.name, count(qs_users.id) AS n FROM qs_teams LEFT OUTER JOIN qs_users ON qs_users.team_id = qs_teams.id GROUP BY qs_teams.name HAVING count(qs_users.id) > 1 ORDER BY n DESC",
			}},
		{"distinct, inner join",
			s.Query(&users).Join(qsTeam{}, um.C("TeamID").Eq(tm.C("ID"))).Filter(tm.C("Name").Eq("red")).Distinct(),
			map[string]string{
				"sqlite": "SELECT DISTINCT qs_users.id, qs_users.name, qs_users.age, qs_users.team_id FROM qs_users JOIN qs_teams ON qs_users.team_id = qs_teams.id WHERE qs_teams.name = 'red'",
				"mssql":  "SELECT DISTINCT qs_users.id, qs_users.name, qs_users.age, qs_users.team_id FROM qs_users JOIN qs_teams ON qs_users.team_id = qs_teams.id WHERE qs_teams.name = 'red'",
			}},
	}
	for _, c := range cases {
		got := CompileAll(c.q.Statement())
		for d, w := range c.want {
			if normSQL(got[d]) != normSQL(w) {
				t.Errorf("%s, %s:\n got: %s\nwant: %s", c.name, d, got[d], w)
			}
		}
	}
}

func TestSessionMakerAndExecuteEvents(t *testing.T) {
	var echo bytes.Buffer
	e, err := CreateEngine("sqlite://", Echo(true), EchoWriter(&echo))
	mustOK(t, err)
	defer e.Dispose()
	b := NewBase()
	_, err = b.Map(qsTeam{}, "qs_teams")
	mustOK(t, err)
	mustOK(t, b.CreateAll(e))
	var before []string
	OnBeforeExecute(e, func(ev *ExecuteEvent) { before = append(before, ev.Statement.Kind()+": "+ev.SQL) })
	defer RemoveListeners(e)
	flushes := 0
	factory := SessionMaker(e, AfterFlush(func(*Session) error { flushes++; return nil }), ExpireOnCommit(false))
	s := factory.New()
	mustOK(t, s.Add(&qsTeam{Name: "red"}))
	mustOK(t, s.Commit())
	s.Close()
	if flushes != 1 || len(before) != 1 || !strings.HasPrefix(before[0], "insert: INSERT INTO qs_teams (name) VALUES ('red')") {
		t.Fatalf("flushes %d, before-execute %q", flushes, before)
	}
	s2, err := factory.Begin()
	mustOK(t, err)
	var team *qsTeam
	mustOK(t, s2.Query(&team).One())
	mustOK(t, s2.Commit())
	if Inspect(team).Expired {
		t.Fatal("ExpireOnCommit(false)")
	}
	s2.Close()
	// a session with no engine says so, and does not panic
	ns := NewSession(nil)
	var teams []*qsTeam
	if err := ns.Query(&teams).All(); err == nil || !strings.Contains(err.Error(), "no engine") {
		t.Fatalf("nil engine: %v", err)
	}
	if err := b.CreateAll(nil); !errors.Is(err, ErrInvalidObject) {
		t.Fatalf("CreateAll(nil): %v", err)
	}
}
