package check

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"ormlab/runner/trace"
)

func sample() *trace.Trace {
	return &trace.Trace{
		Stdout: "1 Ada\n2 Linus\n",
		Statements: []trace.Statement{
			{Kind: "ddl", SQL: map[string]string{"sqlite": "CREATE TABLE users (…)"}},
			{Kind: "insert", SQL: map[string]string{"sqlite": "INSERT INTO users (name) VALUES (?), (?)", "postgresql": "INSERT INTO users (name) VALUES ($1), ($2) RETURNING id"}},
			{Kind: "select", SQL: map[string]string{"sqlite": "SELECT users.id FROM users"}},
		},
		Pool: []trace.PoolEvent{{Event: "connect"}, {Event: "checkout"}, {Event: "checkout"}},
		Tables: map[string]trace.Table{
			"users": {Columns: []string{"id", "name", "age"}, Rows: [][]any{{int64(1), "Ada", nil}, {json.Number("2"), "Linus", 3.5}}},
		},
	}
}

func TestRules(t *testing.T) {
	tr := sample()
	cases := []struct {
		rule string
		ok   bool
		why  string // part of the reason when not ok
	}{
		{"no error", true, ""},
		{`output contains "2 Linus"`, true, ""},
		{`output contains "Grace"`, false, `no "Grace"`},
		{`output lacks "Grace"`, true, ""},
		{`output lacks "Ada"`, false, `still has "Ada"`},
		{"table users rows = 2", true, ""},
		{"table users rows == 3", false, "ends with 2 rows (wanted = 3)"},
		{"table users rows >= 2", true, ""},
		{"table users rows < 2", false, "wanted < 2"},
		{"table posts rows = 0", false, "no table posts"},
		{`table users contains "Linus"`, true, ""},
		{`table users contains "2"`, true, ""},
		{`table users contains "1"`, true, ""},
		{`table users contains "3.5"`, true, ""},
		{`table users contains "NULL"`, true, ""},
		{`table users contains "Grace"`, false, `no row of users holds "Grace"`},
		{`table users lacks "Ada"`, false, `still holds "Ada"`},
		{"statements insert = 1", true, ""},
		{"statements select >= 2", false, "sent 1 select statements (wanted >= 2)"},
		{"statements all = 3", true, ""},
		{"statements update != 0", false, "sent 0 update"},
		{`sql contains "RETURNING id"`, true, ""},
		{`sql contains "JOIN"`, false, `no statement contains "JOIN"`},
		{"pool checkout = 2", true, ""},
		{"pool timeout >= 1", false, "logged 0 timeout events"},
	}
	for _, c := range cases {
		r, err := Parse(c.rule)
		if err != nil {
			t.Fatalf("%s: %v", c.rule, err)
		}
		ok, why := r.Eval(tr)
		if ok != c.ok || (!ok && !strings.Contains(why, c.why)) || (ok && why != "") {
			t.Errorf("%s: got %v %q, want %v (…%s…)", c.rule, ok, why, c.ok, c.why)
		}
	}
	tr.Error = &trace.Error{Kind: "runtime", Message: "boom"}
	if ok, why := mustParse(t, "no error").Eval(tr); ok || !strings.Contains(why, "boom") {
		t.Errorf("no error on a failed run: %v %q", ok, why)
	}
	if ok, why := mustParse(t, "no error").Eval(nil); ok || why == "" {
		t.Error("a rule on no run passes")
	}
}

func mustParse(t *testing.T, s string) Rule {
	t.Helper()
	r, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestBadRules(t *testing.T) {
	for _, s := range []string{
		"", "errors", "output has \"x\"", "output contains x", `sql lacks "x"`,
		"table users rows 3", "table users rows ~ 3", "table users rows = -1", "table users rows = x",
		`table users holds "x"`, "statements insert", "statements insert > many", "pool checkout",
	} {
		if _, err := Parse(s); !errors.Is(err, ErrRule) {
			t.Errorf("%q: %v, want ErrRule", s, err)
		}
	}
}

func TestRunAllAndJSONTrace(t *testing.T) {
	rules, err := ParseAll([]string{"no error", "table users rows = 2", `output contains "Grace"`})
	if err != nil {
		t.Fatal(err)
	}
	// a trace as the page gets it: decoded from JSON with numbers kept as written
	b, err := json.Marshal(sample())
	if err != nil {
		t.Fatal(err)
	}
	var tr trace.Trace
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&tr); err != nil {
		t.Fatal(err)
	}
	res := Run(rules, &tr)
	if res.Passed || len(res.Outcomes) != 3 || !res.Outcomes[0].OK || !res.Outcomes[1].OK || res.Outcomes[2].OK {
		t.Fatalf("%+v", res)
	}
	if _, err := ParseAll([]string{"no error", "bogus"}); !errors.Is(err, ErrRule) || !strings.Contains(err.Error(), "bogus") {
		t.Fatalf("ParseAll names the bad rule: %v", err)
	}
}
