package core

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"ormlab/driver"
)

var dbSeq atomic.Int64

// openSQLite opens a fresh shared-memory SQLite database (foreign keys on).
func openSQLite(t testing.TB) (*SQLiteExecutor, *[]string) {
	t.Helper()
	name := fmt.Sprintf("coretest%d", dbSeq.Add(1))
	db, err := driver.OpenSQLite(driver.SharedMemoryDSN(name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ex := NewSQLiteExecutor(db)
	var log []string
	ex.Log = func(c Compiled) { log = append(log, c.SQL) }
	return ex, &log
}

func mustExec(t testing.TB, ex *SQLiteExecutor, stmt Executable) sql.Result {
	t.Helper()
	r, err := ex.Exec(context.Background(), stmt)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mustQuery(t testing.TB, ex *SQLiteExecutor, stmt Executable) [][]any {
	t.Helper()
	_, rows, err := ex.Query(context.Background(), stmt)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// flat renders rows as "a|b;c|d" for compact comparisons.
func flat(rows [][]any) string {
	var b strings.Builder
	for i, r := range rows {
		if i > 0 {
			b.WriteByte(';')
		}
		for j, v := range r {
			if j > 0 {
				b.WriteByte('|')
			}
			switch x := v.(type) {
			case nil:
				b.WriteString("NULL")
			case []byte:
				b.WriteString(string(x))
			default:
				fmt.Fprint(&b, x)
			}
		}
	}
	return b.String()
}

// seed creates the schema and a small data set: 2 orgs, 3 users, 3 posts, 2 tags.
func seed(t *testing.T) (*testSchema, *SQLiteExecutor, *[]string) {
	t.Helper()
	s := newTestSchema()
	ex, log := openSQLite(t)
	ctx := context.Background()
	if err := s.md.CreateAll(ctx, ex, false); err != nil {
		t.Fatal(err)
	}
	mustExec(t, ex, Insert(s.orgs).Values(map[string]any{"name": "Acme"}, map[string]any{"name": "Blue"}))
	mustExec(t, ex, Insert(s.users).Values(
		map[string]any{"name": "alice", "org_id": 1, "score": 10.5, "kind": "admin", "ratio": 0.5},
		map[string]any{"name": "Bob", "org_id": 1, "score": 3, "kind": "member", "ratio": 1.5, "active": false},
		map[string]any{"name": "carol", "org_id": 2, "score": 7, "kind": "member", "ratio": 2.5},
	))
	mustExec(t, ex, Insert(s.posts).Values(
		map[string]any{"user_id": 1, "title": "Hello", "order": nil},
		map[string]any{"user_id": 1, "title": "Again", "order": 2},
		map[string]any{"user_id": 3, "title": "Carol's", "order": nil},
	))
	mustExec(t, ex, Insert(s.tags).Values(map[string]any{"label": "go"}, map[string]any{"label": "sql"}))
	mustExec(t, ex, Insert(s.postTags).Values(map[string]any{"post_id": 1, "tag_id": 1}, map[string]any{"post_id": 1, "tag_id": 2}))
	return s, ex, log
}

func TestSQLiteCreateAllOrderAndCheckfirst(t *testing.T) {
	s := newTestSchema()
	ex, log := openSQLite(t)
	ctx := context.Background()
	if err := s.md.CreateAll(ctx, ex, false); err != nil {
		t.Fatal(err)
	}
	var created []string
	for _, q := range *log {
		if strings.HasPrefix(q, "CREATE TABLE ") {
			created = append(created, strings.Fields(q)[2])
		}
	}
	if got := strings.Join(created, ","); got != "orgs,users,posts,tags,post_tags" {
		t.Errorf("create order = %s", got)
	}
	for _, tb := range s.md.Tables() {
		ok, err := ex.HasTable(ctx, tb.Name)
		if err != nil || !ok {
			t.Errorf("table %s missing after CreateAll (err %v)", tb.Name, err)
		}
	}
	// The index came too.
	var n int
	if err := ex.DB.QueryRow("SELECT count(*) FROM sqlite_master WHERE type='index' AND name='ix_users_org'").Scan(&n); err != nil || n != 1 {
		t.Errorf("index ix_users_org: n=%d err=%v", n, err)
	}
	// checkfirst: nothing is issued again.
	before := len(*log)
	if err := s.md.CreateAll(ctx, ex, true); err != nil {
		t.Fatal(err)
	}
	if len(*log) != before {
		t.Errorf("CreateAll(checkfirst) issued %v", (*log)[before:])
	}
	// Without checkfirst the database refuses, and the error carries the SQL.
	err := s.md.CreateAll(ctx, ex, false)
	var ee *ExecError
	if !errors.As(err, &ee) || !strings.Contains(ee.SQL, "CREATE TABLE orgs") {
		t.Errorf("second CreateAll: %v", err)
	}
	// DropAll in reverse order, then checkfirst makes a second one a no-op.
	*log = nil
	if err := s.md.DropAll(ctx, ex, false); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(*log, ","); got != "DROP TABLE post_tags,DROP TABLE tags,DROP TABLE posts,DROP TABLE users,DROP TABLE orgs" {
		t.Errorf("drop order = %s", got)
	}
	*log = nil
	if err := s.md.DropAll(ctx, ex, true); err != nil {
		t.Fatal(err)
	}
	if len(*log) != 0 {
		t.Errorf("DropAll(checkfirst) on no tables issued %v", *log)
	}
}

func TestSQLiteTypesRoundTrip(t *testing.T) {
	s, ex, _ := seed(t)
	u := s.users
	when := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	res := mustQuery(t, ex, Insert(u).Values(map[string]any{
		"name": "dora", "big": int64(1) << 40, "small": 12, "bio": "long text", "born": "1990-01-02",
		"created": when, "wakes": "07:30:00", "avatar": []byte{0, 1, 2, 255}, "prefs": map[string]any{"theme": "dark"},
		"kind": "member", "uid": "123e4567-e89b-12d3-a456-426614174000", "score": "12.25",
	}).Returning(u.C("id"), u.C("active")))
	if flat(res) != "4|1" && flat(res) != "4|true" {
		t.Fatalf("returning id, active = %s (want 4 and the client default true)", flat(res))
	}
	rows := mustQuery(t, ex, Select(u.C("big"), u.C("small"), u.C("bio"), u.C("avatar"), u.C("prefs"), u.C("kind"), u.C("uid"), u.C("score")).Where(u.C("name").Eq("dora")))
	if len(rows) != 1 {
		t.Fatalf("rows = %v", rows)
	}
	r := rows[0]
	if r[0].(int64) != 1<<40 || r[1].(int64) != 12 || fmt.Sprint(r[2]) != "long text" {
		t.Errorf("ints/text = %v", r[:3])
	}
	if b, _ := r[3].([]byte); string(b) != string([]byte{0, 1, 2, 255}) {
		t.Errorf("blob = %#v", r[3])
	}
	if fmt.Sprint(r[4]) != `{"theme":"dark"}` || fmt.Sprint(r[5]) != "member" || fmt.Sprint(r[6]) != "123e4567-e89b-12d3-a456-426614174000" {
		t.Errorf("json/enum/uuid = %v", r[4:7])
	}
	if fmt.Sprint(r[7]) != "12.25" {
		t.Errorf("numeric = %v", r[7])
	}
	// A DateTime compares correctly with a time.Time parameter.
	got := mustQuery(t, ex, Select(Count()).From(u).Where(u.C("created").Eq(when)))
	if flat(got) != "1" {
		t.Errorf("datetime equality count = %s", flat(got))
	}
	// The server default filled created for the seeded rows.
	got = mustQuery(t, ex, Select(Count()).From(u).Where(u.C("created").IsNull()))
	if flat(got) != "0" {
		t.Errorf("rows without created = %s", flat(got))
	}
	// The enum CHECK constraint is real.
	if _, err := ex.Exec(context.Background(), Text("INSERT INTO users (name, kind) VALUES ('x', 'boss')")); err == nil {
		t.Error("the enum CHECK accepted 'boss'")
	}
}

func TestSQLiteQueries(t *testing.T) {
	s, ex, _ := seed(t)
	u, o, p, pt := s.users, s.orgs, s.posts, s.postTags
	cases := []struct {
		name string
		stmt Executable
		want string
	}{
		{"where_order_limit_offset", Select(u.C("name")).Where(u.C("id").Gt(0)).OrderBy(u.C("id").Desc()).Limit(2).Offset(1), "Bob;alice"},
		{"offset_only", Select(u.C("name")).OrderBy(u.C("id")).Offset(2), "carol"},
		{"inner_join", Select(u.C("name"), o.C("name")).Join(o).OrderBy(u.C("id")), "alice|Acme;Bob|Acme;carol|Blue"},
		{"outer_join_nulls", Select(u.C("name"), Count(p.C("id"))).OuterJoin(p).GroupBy(u.C("name")).OrderBy(u.C("name")), "Bob|0;alice|2;carol|1"},
		{"three_joins", threeJoins(s), "1|alice|Acme|Again|NULL;1|alice|Acme|Hello|1;1|alice|Acme|Hello|2"},
		{"group_having", Select(u.C("org_id"), Count().Label("n")).GroupBy(u.C("org_id")).Having(Count().Gt(1)), "1|2"},
		{"aggregates", Select(Sum(u.C("score")), Min(u.C("id")), Max(u.C("id")), Avg(u.C("ratio"))), "20.5|1|3|1.5"},
		{"in_not_in", Select(u.C("name")).Where(u.C("id").In(1, 3), u.C("id").NotIn(3)), "alice"},
		{"in_empty", Select(Count()).From(u).Where(u.C("id").In()), "0"},
		{"not_in_empty", Select(Count()).From(u).Where(u.C("id").NotIn()), "3"},
		{"like", Select(u.C("name")).Where(u.C("name").Like("%o%")).OrderBy(u.C("id")), "Bob;carol"},
		{"ilike", Select(u.C("name")).Where(u.C("name").ILike("b%")), "Bob"},
		{"not_ilike", Select(Count()).From(u).Where(u.C("name").NotILike("B%")), "2"},
		{"between", Select(u.C("name")).Where(u.C("score").Between(5, 11)).OrderBy(u.C("id")), "alice;carol"},
		{"is_null", Select(Count()).From(p).Where(p.C("order").IsNull()), "2"},
		{"bare_bool", Select(u.C("name")).Where(Not(u.C("active"))), "Bob"},
		{"bare_bool_true", Select(Count()).From(u).Where(u.C("active")), "2"},
		{"and_or_not", Select(u.C("name")).Where(Or(And(u.C("id").Eq(1), u.C("active")), Not(u.C("id").Lt(3)))).OrderBy(u.C("id")), "alice;carol"},
		{"arith", Select(u.C("id").Mul(10).Add(u.C("small").IsNull().Label("x")).Label("v")).Where(u.C("id").Eq(2)), "21"},
		{"arith_parens", Select(Literal(10).Sub(Literal(4).Sub(1))), "7"},
		{"concat", Select(u.C("name").Concat("@").Concat(o.C("name"))).Join(o).Where(u.C("id").Eq(3)), "carol@Blue"},
		{"functions", Select(Lower(u.C("name")), Upper(u.C("name")), Coalesce(u.C("bio"), "-")).Where(u.C("id").Eq(2)), "bob|BOB|-"},
		{"current_timestamp", Select(CurrentTimestamp().IsNotNull()), "1"},
		{"distinct", Select(u.C("org_id")).Distinct().OrderBy(u.C("org_id")), "1;2"},
		{"alias_self_join", func() Executable {
			a, b := u.Alias("a"), u.Alias("b")
			return Select(a.C("name"), b.C("name")).Join(b, a.C("org_id").Eq(b.C("org_id"))).Where(a.C("id").Lt(b.C("id")))
		}(), "alice|Bob"},
		{"subquery_from", func() Executable {
			sq := Select(p.C("user_id"), Count().Label("n")).GroupBy(p.C("user_id")).Subquery("pc")
			return Select(u.C("name"), sq.C("n")).Join(sq, sq.C("user_id").Eq(u.C("id"))).OrderBy(sq.C("n").Desc())
		}(), "alice|2;carol|1"},
		{"scalar_subquery", Select(o.C("name"), Select(Count()).From(u).Where(u.C("org_id").Eq(o.C("id"))).Scalar().Label("n")).OrderBy(o.C("id")), "Acme|2;Blue|1"},
		{"in_subquery", Select(u.C("name")).Where(u.C("id").In(Select(p.C("user_id")).Where(p.C("title").Like("C%")))), "carol"},
		{"exists", Select(u.C("name")).Where(Exists(Select(p.C("id")).Where(p.C("user_id").Eq(u.C("id"))))).OrderBy(u.C("id")), "alice;carol"},
		{"not_exists", Select(u.C("name")).Where(Not(Exists(Select(p.C("id")).Where(p.C("user_id").Eq(u.C("id")))))), "Bob"},
		{"union", Union(Select(u.C("name")).Where(u.C("id").Eq(1)), Select(o.C("name"))).OrderBy("name"), "Acme;Blue;alice"},
		{"union_all_limit", UnionAll(Select(o.C("name")), Select(o.C("name"))).OrderBy("name").Limit(3), "Acme;Acme;Blue"},
		{"composite_pk_join", Select(Count()).From(pt).Join(p), "2"},
		{"reserved_names", Select(p.C("order"), p.C("viewCount")).Where(p.C("order").Eq(2)), "2|0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := flat(mustQuery(t, ex, tc.stmt))
			if got != tc.want {
				sql, _ := CompileInline(tc.stmt, ex.Dialect())
				t.Errorf("got %s, want %s\nSQL: %s", got, tc.want, sql)
			}
			// The display form runs too and gives the same rows: the
			// inlined literals are exact.
			inline, err := CompileInline(tc.stmt, ex.Dialect())
			if err != nil {
				t.Fatal(err)
			}
			if got2 := flat(mustQuery(t, ex, Text(inline))); got2 != tc.want {
				t.Errorf("inline form gave %s, want %s\nSQL: %s", got2, tc.want, inline)
			}
		})
	}
}

func TestSQLiteDML(t *testing.T) {
	s, ex, _ := seed(t)
	u, p, tg := s.users, s.posts, s.tags
	// insert … returning, with a tricky string.
	tricky := `O'Brien \ "x" -- ; DROP TABLE users`
	rows := mustQuery(t, ex, Insert(tg).Values(map[string]any{"label": "q'"}).Returning(tg.C("id"), tg.C("label")))
	if flat(rows) != "3|q'" {
		t.Errorf("insert returning = %s", flat(rows))
	}
	// The inline form of an insert stores exactly the same string.
	ins, err := CompileInline(Insert(u).Values(map[string]any{"name": tricky, "org_id": 2}), ex.Dialect())
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, ex, Text(ins))
	if got := flat(mustQuery(t, ex, Select(Count()).From(u).Where(u.C("name").Eq(tricky)))); got != "1" {
		t.Errorf("inline-inserted tricky string found %s times", got)
	}
	// insert from select
	mustExec(t, ex, Insert(tg).FromSelect([]string{"label"}, Select(Lower(s.orgs.C("name")))))
	if got := flat(mustQuery(t, ex, Select(tg.C("label")).OrderBy(tg.C("id")))); got != "go;sql;q';acme;blue" {
		t.Errorf("tags after insert-from-select = %s", got)
	}
	// insert with no values: DEFAULT VALUES and the client default.
	r := mustExec(t, ex, Insert(s.orgs).Values(map[string]any{"name": "Cyan"}))
	if id, _ := r.LastInsertId(); id != 3 {
		t.Errorf("last insert id = %d", id)
	}
	// update with expression and returning
	rows = mustQuery(t, ex, Update(u).Set("score", u.C("score").Add(1)).Where(u.C("org_id").Eq(1)).Returning(u.C("name"), u.C("score")))
	if got := flat(rows); got != "alice|11.5|;Bob|4" && got != "alice|11.5;Bob|4" {
		t.Errorf("update returning = %s", got)
	}
	res := mustExec(t, ex, Update(u).Values(map[string]any{"active": true, "bio": "x"}).Where(u.C("active").Eq(false)))
	if n, _ := res.RowsAffected(); n != 1 {
		t.Errorf("update rows affected = %d", n)
	}
	// delete … returning, and ON DELETE CASCADE through posts and post_tags.
	rows = mustQuery(t, ex, Delete(u).Where(u.C("id").Eq(1)).Returning(u.C("name")))
	if flat(rows) != "alice" {
		t.Errorf("delete returning = %s", flat(rows))
	}
	if got := flat(mustQuery(t, ex, Select(Count()).From(p))); got != "1" {
		t.Errorf("posts after cascading delete = %s (want 1)", got)
	}
	if got := flat(mustQuery(t, ex, Select(Count()).From(s.postTags))); got != "0" {
		t.Errorf("post_tags after cascading delete = %s (want 0)", got)
	}
	// A foreign key violation is the database's error, with the SQL.
	_, err = ex.Exec(context.Background(), Insert(p).Values(map[string]any{"user_id": 99, "title": "orphan"}))
	var ee *ExecError
	if !errors.As(err, &ee) || !strings.Contains(strings.ToLower(err.Error()), "foreign key") {
		t.Errorf("orphan insert: %v", err)
	}
}

func TestSQLiteCycleCreateDrop(t *testing.T) {
	md := NewMetaData()
	md.Table("a", Column("id", Integer(), PrimaryKey()), Column("b_id", Integer(), ForeignKey("b.id")))
	md.Table("b", Column("id", Integer(), PrimaryKey()), Column("a_id", Integer(), ForeignKey("a.id")))
	md.Table("c", Column("id", Integer(), PrimaryKey()), Column("parent_id", Integer(), ForeignKey("c.id")))
	if n := len(md.CycleForeignKeys()); n != 1 {
		t.Errorf("cycle foreign keys = %d, want 1 (self-references do not count)", n)
	}
	ex, log := openSQLite(t)
	ctx := context.Background()
	if err := md.CreateAll(ctx, ex, false); err != nil {
		t.Fatal(err)
	}
	for _, q := range *log {
		if strings.HasPrefix(q, "ALTER") {
			t.Errorf("SQLite cannot ALTER … ADD CONSTRAINT, yet issued %s", q)
		}
	}
	// Both foreign keys are inline and enforced.
	a, b := md.byName["a"], md.byName["b"]
	mustExec(t, ex, Insert(a).Values(map[string]any{"id": 1}))
	mustExec(t, ex, Insert(b).Values(map[string]any{"id": 1, "a_id": 1}))
	if _, err := ex.Exec(ctx, Update(a).Set("b_id", 5)); err == nil {
		t.Error("the cyclic foreign key a.b_id is not enforced")
	}
	mustExec(t, ex, Delete(b))
	mustExec(t, ex, Delete(a))
	if err := md.DropAll(ctx, ex, false); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a", "b", "c"} {
		if ok, _ := ex.HasTable(ctx, n); ok {
			t.Errorf("table %s survived DropAll", n)
		}
	}
}

// TestGoldenRunsOnSQLite executes the SQLite form of every golden statement
// on a real SQLite database: the goldens are SQL the engine accepts, not
// just strings.
func TestGoldenRunsOnSQLite(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			s, ex, _ := seed(t)
			stmt := tc.stmt(s)
			if _, err := Compile(stmt, ex.Dialect()); err != nil {
				if strings.Contains(goldenWant[tc.name].want[0], "ERROR") {
					return // an expected refusal, checked by TestGolden
				}
				t.Fatal(err)
			}
			ctx := context.Background()
			// Make room for DDL that creates what seed already made.
			switch x := stmt.(type) {
			case *CreateTableStmt:
				mustExec(t, ex, Text("PRAGMA foreign_keys = OFF"))
				if !x.ifNotExists {
					mustExec(t, ex, DropTable(x.Table))
				}
			case *CreateIndexStmt:
				mustExec(t, ex, DropIndex(x.Index))
			case *DropTableStmt:
				mustExec(t, ex, Text("PRAGMA foreign_keys = OFF"))
			}
			var err error
			if c, _ := Compile(stmt, ex.Dialect()); c.Returns {
				_, _, err = ex.Query(ctx, stmt)
			} else {
				_, err = ex.Exec(ctx, stmt)
			}
			// A constraint violation means SQLite parsed and ran the
			// statement; the seed data, not the SQL, is in the way.
			if err != nil && !strings.Contains(err.Error(), "constraint failed") {
				t.Fatal(err)
			}
		})
	}
}
