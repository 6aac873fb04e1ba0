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

// A cycle of foreign keys on a simulated PostgreSQL: the statements shown
// are PostgreSQL's (CREATE TABLEs, then ALTER TABLE … ADD CONSTRAINT; DROP
// CONSTRAINT first on the way down), the SQLite underneath enforces every
// foreign key, and DropAll works with rows pointing both ways.
func TestSimulatedForeignKeyCycle(t *testing.T) {
	rec := &recorder{}
	e := mustEngine(t, "postgresql://scott@db.example.com/shop", Simulated(true), WithObserver(rec))
	md := core.NewMetaData()
	users := md.Table("users",
		core.Column("id", core.Integer(), core.PrimaryKey()),
		core.Column("fav_post_id", core.Integer(), core.Nullable(), core.ForeignKey("posts.id")))
	posts := md.Table("posts",
		core.Column("id", core.Integer(), core.PrimaryKey()),
		core.Column("user_id", core.Integer(), core.ForeignKey("users.id")))
	ctx := context.Background()
	if err := md.CreateAll(ctx, e, true); err != nil {
		t.Fatalf("CreateAll with a cycle on a simulated server: %v", err)
	}
	var alter string
	for _, st := range rec.stmts {
		if strings.Contains(st.SQL["postgresql"], "ADD CONSTRAINT") {
			alter = st.SQL["postgresql"]
		}
	}
	if !strings.HasPrefix(alter, "ALTER TABLE") || !strings.Contains(alter, "REFERENCES") {
		t.Fatalf("no ALTER TABLE … ADD CONSTRAINT shown: %q", alter)
	}
	mustRun := func(stmt any) {
		t.Helper()
		if _, err := e.Execute(stmt); err != nil {
			t.Fatal(err)
		}
	}
	mustRun(core.Insert(users).Values(map[string]any{"id": 1}))
	mustRun(core.Insert(posts).Values(map[string]any{"id": 10, "user_id": 1}))
	mustRun(core.Update(users).Values(map[string]any{"fav_post_id": 10}).Where(users.C("id").Eq(1)))
	// the deferred foreign key is enforced underneath
	if _, err := e.Execute(core.Update(users).Values(map[string]any{"fav_post_id": 999}).Where(users.C("id").Eq(1))); err == nil || !strings.Contains(strings.ToLower(err.Error()), "foreign key") {
		t.Fatalf("a fav_post_id with no post: %v", err)
	}
	if err := md.DropAll(ctx, e, true); err != nil {
		t.Fatalf("DropAll with rows in a cycle: %v", err)
	}
	for _, name := range []string{"users", "posts"} {
		if ok, err := e.HasTable(ctx, name); err != nil || ok {
			t.Fatalf("%s after DropAll: %v %v", name, ok, err)
		}
	}
}
