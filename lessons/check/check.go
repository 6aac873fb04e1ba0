// Package check is a lesson's exercise check: a few rules, one per line of
// the lesson's front matter, evaluated against the trace of the learner's
// run. The page shows "passed" or, for each failing rule, why — in the
// browser, right after Run, with no server.
//
// Rules (the quoted text is a Go string literal):
//
//	no error                          the program ran without an error
//	output contains "text"            the program printed text
//	output lacks "text"               … and did not print this
//	table NAME rows OP N              the table ends with OP N rows
//	table NAME contains "text"        some cell of the table is text
//	table NAME lacks "text"           no cell of the table is text
//	statements KIND OP N              statements of a kind (select, insert,
//	                                  update, delete, ddl, begin, commit,
//	                                  rollback, savepoint, other, or all)
//	sql contains "text"               some statement, in some dialect,
//	                                  contains text
//	pool EVENT OP N                   pool events of a kind (connect,
//	                                  checkout, overflow, wait, timeout…)
//
// OP is one of = == != < <= > >=.
package check

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"ormlab/runner/trace"
)

// ErrRule reports a rule that cannot be parsed; the message quotes it.
var ErrRule = errors.New("check rule")

// Rule is one parsed rule.
type Rule struct {
	Text string // as written
	kind string // "no error", "output", "table rows", "table cell", "statements", "sql", "pool"
	name string // table name, statement kind or pool event
	op   string // comparison, or "contains" / "lacks"
	text string // the quoted text
	n    int
}

// Parse reads one rule.
func Parse(s string) (Rule, error) {
	r := Rule{Text: strings.TrimSpace(s)}
	bad := func(why string) (Rule, error) {
		return Rule{}, fmt.Errorf("%w %q: %s", ErrRule, r.Text, why)
	}
	if r.Text == "no error" {
		r.kind = "no error"
		return r, nil
	}
	head, rest, _ := strings.Cut(r.Text, " ")
	rest = strings.TrimSpace(rest)
	switch head {
	case "output", "sql":
		op, q, _ := strings.Cut(rest, " ")
		if head == "sql" && op != "contains" {
			return bad(`write sql contains "text"`)
		}
		if op != "contains" && op != "lacks" {
			return bad(`write output contains "text" or output lacks "text"`)
		}
		text, err := strconv.Unquote(strings.TrimSpace(q))
		if err != nil {
			return bad("the text must be a quoted string")
		}
		r.kind, r.op, r.text = head, op, text
		return r, nil
	case "table":
		f := strings.Fields(rest)
		if len(f) >= 3 && (f[1] == "contains" || f[1] == "lacks") {
			_, q, _ := strings.Cut(rest, f[1])
			text, err := strconv.Unquote(strings.TrimSpace(q))
			if err != nil {
				return bad("the text must be a quoted string")
			}
			r.kind, r.name, r.op, r.text = "table cell", f[0], f[1], text
			return r, nil
		}
		if len(f) != 4 || f[1] != "rows" {
			return bad(`write table NAME rows OP N, or table NAME contains "text"`)
		}
		op, n, err := opAndNumber(f[2], f[3])
		if err != nil {
			return bad(err.Error())
		}
		r.kind, r.name, r.op, r.n = "table rows", f[0], op, n
		return r, nil
	case "statements", "pool":
		f := strings.Fields(rest)
		if len(f) != 3 {
			return bad("write " + head + " KIND OP N")
		}
		op, n, err := opAndNumber(f[1], f[2])
		if err != nil {
			return bad(err.Error())
		}
		r.kind, r.name, r.op, r.n = head, f[0], op, n
		return r, nil
	}
	return bad("it starts with none of: no error, output, table, statements, sql, pool")
}

func opAndNumber(op, num string) (string, int, error) {
	switch op {
	case "=", "==", "!=", "<", "<=", ">", ">=":
	default:
		return "", 0, fmt.Errorf("%q is not a comparison (= != < <= > >=)", op)
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 {
		return "", 0, fmt.Errorf("%q is not a count", num)
	}
	if op == "==" {
		op = "="
	}
	return op, n, nil
}

func compare(got int, op string, want int) bool {
	switch op {
	case "=":
		return got == want
	case "!=":
		return got != want
	case "<":
		return got < want
	case "<=":
		return got <= want
	case ">":
		return got > want
	case ">=":
		return got >= want
	}
	return false
}

// ParseAll reads several rules, failing on the first bad one.
func ParseAll(lines []string) ([]Rule, error) {
	out := make([]Rule, 0, len(lines))
	for _, l := range lines {
		r, err := Parse(l)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// Outcome is one rule's verdict on a run.
type Outcome struct {
	Rule string `json:"rule"`
	OK   bool   `json:"ok"`
	Why  string `json:"why,omitempty"` // what the run did instead, when not OK
}

// Result is every rule's verdict.
type Result struct {
	Passed   bool      `json:"passed"`
	Outcomes []Outcome `json:"outcomes"`
}

// Run evaluates the rules against a run's trace.
func Run(rules []Rule, tr *trace.Trace) Result {
	res := Result{Passed: true}
	for _, r := range rules {
		ok, why := r.Eval(tr)
		res.Outcomes = append(res.Outcomes, Outcome{Rule: r.Text, OK: ok, Why: why})
		res.Passed = res.Passed && ok
	}
	return res
}

// Eval is one rule's verdict: whether the run satisfies it and, if not,
// what the run did instead, in words a learner can act on.
func (r Rule) Eval(tr *trace.Trace) (bool, string) {
	if tr == nil {
		return false, "the program has not run yet"
	}
	switch r.kind {
	case "no error":
		if tr.Error != nil {
			return false, "the run ended with an error: " + tr.Error.Message
		}
		return true, ""
	case "output":
		has := strings.Contains(tr.Stdout, r.text)
		if r.op == "contains" && !has {
			return false, fmt.Sprintf("the output has no %q", r.text)
		}
		if r.op == "lacks" && has {
			return false, fmt.Sprintf("the output still has %q", r.text)
		}
		return true, ""
	case "table rows":
		t, ok := tr.Tables[r.name]
		if !ok {
			return false, fmt.Sprintf("there is no table %s at the end of the run", r.name)
		}
		if !compare(len(t.Rows), r.op, r.n) {
			return false, fmt.Sprintf("table %s ends with %s (wanted %s %d)", r.name, rowsWord(len(t.Rows)), r.op, r.n)
		}
		return true, ""
	case "table cell":
		t, ok := tr.Tables[r.name]
		if !ok {
			return false, fmt.Sprintf("there is no table %s at the end of the run", r.name)
		}
		found := false
		for _, row := range t.Rows {
			for _, v := range row {
				if trace.FormatValue(v) == r.text {
					found = true
				}
			}
		}
		if r.op == "contains" && !found {
			return false, fmt.Sprintf("no row of %s holds %q", r.name, r.text)
		}
		if r.op == "lacks" && found {
			return false, fmt.Sprintf("a row of %s still holds %q", r.name, r.text)
		}
		return true, ""
	case "statements":
		n := 0
		for _, s := range tr.Statements {
			if r.name == "all" || s.Kind == r.name {
				n++
			}
		}
		if !compare(n, r.op, r.n) {
			what := r.name + " statements"
			if r.name == "all" {
				what = "statements"
			}
			return false, fmt.Sprintf("the run sent %d %s (wanted %s %d)", n, what, r.op, r.n)
		}
		return true, ""
	case "sql":
		for _, s := range tr.Statements {
			for _, q := range s.SQL {
				if strings.Contains(q, r.text) {
					return true, ""
				}
			}
		}
		return false, fmt.Sprintf("no statement contains %q", r.text)
	case "pool":
		n := 0
		for _, p := range tr.Pool {
			if p.Event == r.name {
				n++
			}
		}
		if !compare(n, r.op, r.n) {
			return false, fmt.Sprintf("the pool logged %d %s events (wanted %s %d)", n, r.name, r.op, r.n)
		}
		return true, ""
	}
	return false, "unknown rule"
}

func rowsWord(n int) string {
	if n == 1 {
		return "1 row"
	}
	return strconv.Itoa(n) + " rows"
}
