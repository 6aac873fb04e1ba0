package engine

import (
	"context"
	"strings"
	"testing"

	"ormlab/orm/core"
)

// CreateAll and DropAll on an Engine run in one transaction on one
// connection, as SQLAlchemy's create_all inside engine.begin(): one BEGIN,
// the existence checks and the DDL, one COMMIT.
func TestCreateAllOneTransaction(t *testing.T) {
	rec := &recorder{}
	e := mustEngine(t, "sqlite://", WithObserver(rec))
	md := core.NewMetaData()
	md.Table("a", core.Column("id", core.Integer(), core.PrimaryKey()))
	md.Table("b", core.Column("id", core.Integer(), core.PrimaryKey()), core.Column("name", core.String(20), core.Indexed()))
	if err := md.CreateAll(context.Background(), e, true); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(rec.kinds(), " ")
	if want := "begin select ddl select ddl ddl commit"; got != want {
		t.Fatalf("CreateAll statements: %s, want %s", got, want)
	}
	rec.stmts = nil
	if err := md.DropAll(context.Background(), e, true); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rec.kinds(), " "); got != "begin select select ddl ddl commit" {
		t.Fatalf("DropAll statements: %s", got)
	}
}

// A failing statement rolls the whole CreateAll back: no table is left
// half-made (SQLite and PostgreSQL have transactional DDL).
func TestCreateAllRollsBackOnError(t *testing.T) {
	e := mustEngine(t, "sqlite://")
	// an index that takes the name CreateAll will give b's index
	if _, err := e.Execute(core.Text("CREATE TABLE other (x INTEGER)")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Execute(core.Text("CREATE INDEX ix_b_name ON other (x)")); err != nil {
		t.Fatal(err)
	}
	md := core.NewMetaData()
	md.Table("a", core.Column("id", core.Integer(), core.PrimaryKey()))
	md.Table("b", core.Column("id", core.Integer(), core.PrimaryKey()), core.Column("name", core.String(20), core.Indexed()))
	err := md.CreateAll(context.Background(), e, true)
	if err == nil || !strings.Contains(err.Error(), "ix_b_name") {
		t.Fatalf("CreateAll over a taken index name: %v", err)
	}
	for _, name := range []string{"a", "b"} {
		ok, err := e.HasTable(context.Background(), name)
		if err != nil || ok {
			t.Fatalf("table %s after the failed CreateAll: exists=%v err=%v", name, ok, err)
		}
	}
}
