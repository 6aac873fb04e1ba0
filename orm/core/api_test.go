package core

import (
	"strings"
	"testing"
)

func TestGenerativeStatements(t *testing.T) {
	s := newTestSchema()
	u := s.users
	base := Select(u.C("id")).Where(u.C("active"))
	a := base.Where(u.C("id").Gt(1)).OrderBy(u.C("id"))
	b := base.Where(u.C("id").Lt(9)).Limit(2)
	d := mustDialect(t, "sqlite")
	for _, tc := range []struct {
		stmt *SelectStmt
		want string
	}{
		{base, "SELECT users.id FROM users WHERE users.active = 1"},
		{a, "SELECT users.id FROM users WHERE users.active = 1 AND users.id > ? ORDER BY users.id"},
		{b, "SELECT users.id FROM users WHERE users.active = 1 AND users.id < ? LIMIT 2"},
	} {
		c, err := Compile(tc.stmt, d)
		if err != nil || c.SQL != tc.want {
			t.Errorf("got %q (%v), want %q", c.SQL, err, tc.want)
		}
	}
	ins := Insert(s.tags)
	one := ins.Values(map[string]any{"label": "a"})
	_ = ins.Values(map[string]any{"label": "b"}, map[string]any{"label": "c"})
	if c, _ := Compile(one, d); c.SQL != "INSERT INTO tags (label) VALUES (?)" || len(c.Params) != 1 || c.Params[0] != "a" {
		t.Errorf("insert shared state: %q %v", c.SQL, c.Params)
	}
}

func TestAPIHelpers(t *testing.T) {
	s := newTestSchema()
	u := s.users
	pg := mustDialect(t, "postgresql")
	for col, want := range map[string]string{"id": "SERIAL", "name": "VARCHAR(50)", "created": "TIMESTAMP WITHOUT TIME ZONE"} {
		if got, err := u.C(col).DDLType(pg); got != want || err != nil {
			t.Errorf("DDLType(%s) = %q %v, want %q", col, got, err, want)
		}
	}
	if c, err := Compile(Select(Star()).From(u), pg); err != nil || c.SQL != "SELECT * FROM users" || !c.Returns || c.Kind != KindSelect {
		t.Errorf("star: %+v %v", c, err)
	}
	if got := strings.Join(Select(u.C("name"), s.orgs.C("name"), Count().Label("n"), Lower(u.C("bio"))).ColumnNames(), ","); got != "name,name_1,n," {
		t.Errorf("ColumnNames = %q", got)
	}
	all := CompileAll(Insert(s.tags).Values(map[string]any{"label": "x"}).Returning(s.tags.C("id")))
	if len(all) != 4 || all["postgresql"] != "INSERT INTO tags (label) VALUES ('x') RETURNING id" || !strings.HasPrefix(all["mysql"], "-- ") {
		t.Errorf("CompileAll = %v", all)
	}
	for sql, kind := range map[string]string{"select 1": "select", " (SELECT 1)": "select", "INSERT INTO t VALUES (1)": "insert",
		"update t set a=1": "update", "DELETE FROM t": "delete", "CREATE TABLE t (a int)": "ddl", "BEGIN": "begin", "vacuum": "other"} {
		if got := Text(sql).Kind(); got != kind {
			t.Errorf("Text(%q).Kind() = %s, want %s", sql, got, kind)
		}
	}
	var names []string
	for _, tb := range s.md.SortedTables() {
		names = append(names, tb.Name)
	}
	if got := strings.Join(names, ","); got != "orgs,users,posts,tags,post_tags" {
		t.Errorf("SortedTables = %s", got)
	}
	if c, _ := Compile(Update(u).Set("name", "x").Returning(u.C("id")), pg); !c.Returns || c.Kind != KindUpdate {
		t.Errorf("update returning: %+v", c)
	}
	if c, _ := Compile(Delete(u), pg); c.Returns || c.Kind != KindDelete || c.Dialect != "postgresql" {
		t.Errorf("delete: %+v", c)
	}
	if len(u.PrimaryKey()) != 1 || len(s.postTags.PrimaryKey()) != 2 || s.postTags.AutoincrementColumn() != nil || u.AutoincrementColumn() != u.C("id") {
		t.Error("primary key / autoincrement accessors")
	}
	if col, err := s.md.Col("users.name"); err != nil || col != u.C("name") {
		t.Errorf("MetaData.Col: %v %v", col, err)
	}
}
