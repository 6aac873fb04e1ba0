package core

import (
	"errors"
	"reflect"
	"testing"
)

// ValuesList must compile to exactly what Values with one map per row
// gives (same columns, same table order, same parameters), on every
// dialect, whatever order the columns are listed in; defaults included.
func TestValuesListMatchesValues(t *testing.T) {
	s := newTestSchema()
	u := s.users
	maps := []map[string]any{
		{"name": "ann", "org_id": 1, "score": "1.50"},
		{"name": "bob", "org_id": 2, "score": "2.25"},
		{"name": "cy", "org_id": nil, "score": "0"},
	}
	orders := [][]string{{"name", "org_id", "score"}, {"score", "name", "org_id"}}
	for _, cols := range orders {
		rows := make([][]any, len(maps))
		for i, m := range maps {
			for _, c := range cols {
				rows[i] = append(rows[i], m[c])
			}
		}
		for _, stmts := range [][2]*InsertStmt{
			{Insert(u).Values(maps...), Insert(u).ValuesList(cols, rows...)},
			{Insert(u).Values(maps...).Returning(u.C("id")), Insert(u).ValuesList(cols, rows[:1]...).ValuesList(cols, rows[1:]...).Returning(u.C("id"))},
		} {
			for _, name := range []string{"sqlite", "postgresql", "mysql", "mssql"} {
				d := mustDialect(t, name)
				want, werr := Compile(stmts[0], d)
				got, gerr := Compile(stmts[1], d)
				if (werr == nil) != (gerr == nil) || got.SQL != want.SQL || !reflect.DeepEqual(got.Params, want.Params) {
					t.Errorf("%s %v:\n got %q %v (%v)\nwant %q %v (%v)", name, cols, got.SQL, got.Params, gerr, want.SQL, want.Params, werr)
				}
			}
		}
	}
}

func TestValuesListErrors(t *testing.T) {
	s := newTestSchema()
	u := s.users
	d := mustDialect(t, "sqlite")
	var nsc *NoSuchColumnError
	if _, err := Compile(Insert(u).ValuesList([]string{"name", "nope"}, []any{"a", 1}), d); !errors.As(err, &nsc) || nsc.Column != "nope" {
		t.Errorf("unknown column: %v", err)
	}
	var se *StatementError
	for what, stmt := range map[string]*InsertStmt{
		"short row":     Insert(u).ValuesList([]string{"name", "org_id"}, []any{"a"}),
		"mixed forms":   Insert(u).Values(map[string]any{"name": "a"}).ValuesList([]string{"name"}, []any{"b"}),
		"mixed forms 2": Insert(u).ValuesList([]string{"name"}, []any{"b"}).Values(map[string]any{"name": "a"}),
		"other columns": Insert(u).ValuesList([]string{"name"}, []any{"b"}).ValuesList([]string{"org_id"}, []any{1}),
		"column twice":  Insert(u).ValuesList([]string{"name", "name"}, []any{"a", "b"}),
	} {
		if _, err := Compile(stmt, d); !errors.As(err, &se) {
			t.Errorf("%s: got %v, want a *StatementError", what, err)
		}
	}
}
