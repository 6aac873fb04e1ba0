package core

import (
	"strings"
	"testing"
)

func TestCompileAllShowsMySQLWithoutReturning(t *testing.T) {
	md := NewMetaData()
	users := md.Table("users",
		Column("id", Integer(), PrimaryKey()),
		Column("name", String(50)))
	stmts := map[string]Executable{
		"insert": Insert(users).Values(map[string]any{"name": "a"}, map[string]any{"name": "b"}).Returning(users.C("id")),
		"update": Update(users).Set("name", "c").Where(users.C("id").Eq(1)).Returning(users.C("id")),
		"delete": Delete(users).Where(users.C("id").Eq(1)).Returning(users.C("id")),
	}
	for name, stmt := range stmts {
		all := CompileAll(stmt)
		my := all["mysql"]
		if !strings.HasPrefix(my, "-- no RETURNING here") {
			t.Errorf("%s: mysql form %q lacks the note", name, my)
		}
		body := my[strings.Index(my, "\n")+1:]
		if strings.Contains(strings.ToUpper(body), "RETURNING") || strings.HasPrefix(body, "--") {
			t.Errorf("%s: mysql form %q still has RETURNING or is an error", name, my)
		}
		if !strings.Contains(all["postgresql"], "RETURNING") || !strings.Contains(all["mssql"], "OUTPUT") {
			t.Errorf("%s: other dialects lost RETURNING/OUTPUT: %v", name, all)
		}
	}
	// A statement without RETURNING is untouched.
	if s, ok := StripReturning(Insert(users).Values(map[string]any{"name": "a"})); ok || s == nil {
		t.Errorf("StripReturning of a plain insert = %v, %v", s, ok)
	}
}
