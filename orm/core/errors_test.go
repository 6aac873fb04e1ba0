package core

import (
	"context"
	"errors"
	"strings"
	"testing"

	"ormlab/dialect"
)

// compileErr compiles for a dialect and returns the error (failing the test
// if there is none).
func compileErr(t *testing.T, stmt Executable, dialectName string) error {
	t.Helper()
	_, err := Compile(stmt, mustDialect(t, dialectName))
	if err == nil {
		t.Fatalf("compiling for %s: no error", dialectName)
	}
	var ce *CompileError
	if !errors.As(err, &ce) || ce.Dialect != dialectName {
		t.Errorf("error %v is not a *CompileError naming %s", err, dialectName)
	}
	return err
}

func TestUnknownDialect(t *testing.T) {
	_, err := dialect.Get("oracle")
	if !errors.Is(err, dialect.ErrUnknownDialect) || !errors.Is(err, ErrUnknownDialect) {
		t.Fatalf("Get(oracle) = %v", err)
	}
	var ue *dialect.UnknownDialectError
	if !errors.As(err, &ue) || ue.Name != "oracle" || !strings.Contains(err.Error(), "oracle") {
		t.Errorf("error %v does not name the dialect", err)
	}
	if _, err := CompileFor(Select(Literal(1)), "db2"); !errors.Is(err, ErrUnknownDialect) {
		t.Errorf("CompileFor(db2) = %v", err)
	}
	for _, alias := range []string{"postgres", "mariadb", "sqlserver", "sqlite3"} {
		if _, err := dialect.Get(alias); err != nil {
			t.Errorf("alias %s: %v", alias, err)
		}
	}
	if got := strings.Join(dialect.Names(), ","); got != "sqlite,postgresql,mysql,mssql" {
		t.Errorf("Names() = %s", got)
	}
	if _, err := Compile(Select(Literal(1)), nil); !errors.Is(err, ErrUnknownDialect) {
		t.Errorf("nil dialect: %v", err)
	}
}

func TestInvalidIdentifiers(t *testing.T) {
	for _, name := range []string{"", "bad\x00name", "new\nline", "\xff\xfe"} {
		md := NewMetaData()
		md.Table("t", Column(name, Integer()))
		err := md.Err()
		var ie *dialect.IdentifierError
		if !errors.Is(err, ErrInvalidIdentifier) || !errors.As(err, &ie) || ie.Kind != "column" {
			t.Errorf("column %q: %v", name, err)
		}
		// The table carries the error into Compile and CreateAll.
		tb := md.Tables()[0]
		if _, err := Compile(CreateTable(tb), mustDialect(t, "sqlite")); !errors.Is(err, ErrInvalidIdentifier) {
			t.Errorf("CREATE TABLE with column %q: %v", name, err)
		}
	}
	md := NewMetaData()
	md.Table("")
	if !errors.Is(md.Err(), ErrInvalidIdentifier) {
		t.Errorf("empty table name: %v", md.Err())
	}
	// Too long for PostgreSQL (63), MySQL (64) but fine for SQLite.
	long := strings.Repeat("x", 70)
	md = NewMetaData()
	tb := md.Table(long, Column("id", Integer(), PrimaryKey()))
	if _, err := Compile(CreateTable(tb), mustDialect(t, "sqlite")); err != nil {
		t.Errorf("sqlite rejected a 70-byte name: %v", err)
	}
	for _, d := range []string{"postgresql", "mysql"} {
		err := compileErr(t, Select(tb.C("id")), d)
		var ie *dialect.IdentifierError
		if !errors.As(err, &ie) || ie.Dialect != d || !strings.Contains(err.Error(), "limit is") {
			t.Errorf("%s: %v", d, err)
		}
	}
	// A label and a function name cannot smuggle SQL.
	s := newTestSchema()
	err := compileErr(t, Select(s.users.C("id").Label("a\nb")), "postgresql")
	if !errors.Is(err, ErrInvalidIdentifier) {
		t.Errorf("label: %v", err)
	}
	err = compileErr(t, Select(Func("lower(x); DROP TABLE users; --", s.users.C("name"))), "sqlite")
	if !errors.Is(err, ErrInvalidIdentifier) || !strings.Contains(err.Error(), "function") {
		t.Errorf("function name: %v", err)
	}
	// Quote characters inside names are doubled, never unbalanced.
	md = NewMetaData()
	q := md.Table(`we"ird]`, Column("a`b", Integer()))
	want := map[string]string{
		"sqlite":     `SELECT "we""ird]"."a` + "`" + `b" FROM "we""ird]"`,
		"mysql":      "SELECT `we\"ird]`.`a``b` FROM `we\"ird]`",
		"mssql":      "SELECT [we\"ird]]].[a`b] FROM [we\"ird]]]",
		"postgresql": `SELECT "we""ird]"."a` + "`" + `b" FROM "we""ird]"`,
	}
	for d, w := range want {
		c, err := Compile(Select(q.C("a`b")), mustDialect(t, d))
		if err != nil || c.SQL != w {
			t.Errorf("%s: %q %v, want %q", d, c.SQL, err, w)
		}
	}
}

func TestUnsupportedConstructs(t *testing.T) {
	s := newTestSchema()
	u := s.users
	cases := []struct {
		name, dialect, construct string
		stmt                     Executable
	}{
		{"offset without order by", "mssql", "OFFSET without ORDER BY", Select(u.C("id")).Offset(5)},
		{"limit+offset without order by", "mssql", "OFFSET without ORDER BY", Select(u.C("id")).Limit(2).Offset(5)},
		{"insert returning", "mysql", "RETURNING", Insert(s.tags).Values(map[string]any{"label": "x"}).Returning(s.tags.C("id"))},
		{"update returning", "mysql", "RETURNING", Update(s.tags).Set("label", "y").Returning("id")},
		{"delete returning", "mysql", "RETURNING", Delete(s.tags).Returning("id")},
		{"varchar without length", "mysql", "VARCHAR without a length", CreateTable(NewMetaData().Table("t", Column("s", String(0))))},
		{"numeric too precise", "mysql", "NUMERIC(70, 2)", CreateTable(NewMetaData().Table("t", Column("n", Numeric(70, 2))))},
		{"numeric too precise mssql", "mssql", "NUMERIC(39, 0)", CreateTable(NewMetaData().Table("t", Column("n", Numeric(39, 0))))},
		{"on delete restrict", "mssql", "ON DELETE RESTRICT", CreateTable(NewMetaData().Table("t", Column("p", Integer(), ForeignKey("p.id", OnDelete("restrict")))))},
		{"on update set default", "mysql", "ON UPDATE SET DEFAULT", CreateTable(NewMetaData().Table("t", Column("p", Integer(), ForeignKey("p.id", OnUpdate("SET DEFAULT")))))},
		{"alter add constraint", "sqlite", "ALTER TABLE … ADD CONSTRAINT", AddForeignKey(s.posts.ForeignKeys()[0])},
		{"create if not exists", "mssql", "CREATE TABLE IF NOT EXISTS", CreateTable(s.tags).IfNotExists()},
		{"union limit without order", "mssql", "LIMIT on a UNION without ORDER BY", Union(Select(u.C("id")), Select(s.orgs.C("id"))).Limit(1)},
		{"enum without values", "postgresql", "an Enum with no values", CreateTable(NewMetaData().Table("t", Column("e", Enum())))},
		{"subquery order by", "mssql", "ORDER BY in a subquery", Select(u.C("id")).Where(u.C("id").In(Select(s.orgs.C("id")).OrderBy(s.orgs.C("name"))))},
		{"NUL in inline literal", "postgresql", "a NUL character", Select(u.C("id")).Where(u.C("name").Eq("a\x00b"))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.construct == "a NUL character" {
				_, err = CompileInline(tc.stmt, mustDialect(t, tc.dialect))
			} else {
				err = compileErr(t, tc.stmt, tc.dialect)
			}
			var ue *dialect.UnsupportedError
			if !errors.Is(err, ErrUnsupported) || !errors.As(err, &ue) {
				t.Fatalf("error %v is not an UnsupportedError", err)
			}
			if ue.Dialect != tc.dialect || !strings.Contains(ue.Construct, tc.construct) {
				t.Errorf("UnsupportedError{Construct: %q, Dialect: %q}, want construct %q and dialect %q", ue.Construct, ue.Dialect, tc.construct, tc.dialect)
			}
			if !strings.Contains(err.Error(), tc.dialect) {
				t.Errorf("message %q does not name the dialect", err)
			}
			// The same statement compiles for some other dialect (it is
			// the dialect, not the statement, that cannot express it).
			ok := false
			for _, d := range dialectOrder {
				if d == tc.dialect {
					continue
				}
				if _, err := Compile(tc.stmt, mustDialect(t, d)); err == nil {
					ok = true
				}
			}
			if !ok && tc.construct != "an Enum with no values" {
				t.Errorf("no dialect compiles %s", tc.name)
			}
		})
	}
}

func TestTypeMismatch(t *testing.T) {
	s := newTestSchema()
	u := s.users
	cases := []struct {
		name, column string
		stmt         Executable
	}{
		{"string into integer", "org_id", Insert(u).Values(map[string]any{"name": "a", "org_id": "abc"})},
		{"integer overflow", "org_id", Insert(u).Values(map[string]any{"name": "a", "org_id": int64(1) << 40})},
		{"small overflow", "small", Update(u).Set("small", 70000)},
		{"bool into integer", "big", Update(u).Set("big", true)},
		{"too long", "name", Insert(u).Values(map[string]any{"name": strings.Repeat("é", 51)})},
		{"enum value", "kind", Update(u).Set("kind", "boss")},
		{"int into boolean", "active", Update(u).Set("active", 1)},
		{"invalid json", "prefs", Update(u).Set("prefs", "{not json")},
		{"bad uuid", "uid", Update(u).Set("uid", "nope")},
		{"where comparison", "name", Select(u.C("id")).Where(u.C("name").Eq(5))},
		{"in list", "id", Select(u.C("id")).Where(u.C("id").In(1, "two"))},
		{"float into date", "born", Update(u).Set("born", 3.5)},
		{"bytes into numeric", "score", Update(u).Set("score", []byte("1"))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, d := range dialectOrder {
				_, err := Compile(tc.stmt, mustDialect(t, d))
				var te *TypeError
				if !errors.Is(err, ErrTypeMismatch) || !errors.As(err, &te) {
					t.Fatalf("%s: %v is not a TypeError", d, err)
				}
				if te.Column != tc.column || te.Table != "users" || te.Dialect != d {
					t.Errorf("%s: TypeError names %s.%s (dialect %s), want users.%s", d, te.Table, te.Column, te.Dialect, tc.column)
				}
			}
		})
	}
	// A default that does not fit is caught when the table is defined.
	md := NewMetaData()
	md.Table("t", Column("n", Integer(), Default("zero")))
	if !errors.Is(md.Err(), ErrTypeMismatch) || !strings.Contains(md.Err().Error(), "n") {
		t.Errorf("bad default: %v", md.Err())
	}
	// Values that fit pass, nil always fits.
	ok := Insert(u).Values(map[string]any{"name": "a", "org_id": uint8(3), "active": nil, "score": "1.50", "uid": [16]byte{1},
		"prefs": []int{1, 2}, "avatar": []byte("x"), "created": "2024-01-01 00:00:00", "big": int64(1) << 50})
	for _, d := range dialectOrder {
		if d == "mysql" || d == "postgresql" || d == "sqlite" || d == "mssql" {
			if _, err := Compile(ok, mustDialect(t, d)); err != nil {
				t.Errorf("%s: %v", d, err)
			}
		}
	}
}

func TestBadStatements(t *testing.T) {
	s := newTestSchema()
	u := s.users
	sqlite := "sqlite"
	check := func(name string, stmt Executable, target error, mention string) {
		t.Helper()
		err := compileErr(t, stmt, sqlite)
		if !errors.Is(err, target) || !strings.Contains(err.Error(), mention) {
			t.Errorf("%s: %v (want %v mentioning %q)", name, err, target, mention)
		}
	}
	check("missing column", Select(u.C("nmae")), ErrNoSuchColumn, "nmae")
	check("missing column in where", Select(u.C("id")).Where(u.C("nope").Eq(1)), ErrNoSuchColumn, "users has no column named nope")
	check("alias missing column", Select(u.Alias("x").C("nope")), ErrNoSuchColumn, "nope")
	check("update unknown column", Update(u).Set("nope", 1), ErrNoSuchColumn, "nope")
	check("insert unknown column", Insert(u).Values(map[string]any{"nope": 1}), ErrNoSuchColumn, "nope")
	check("insert-select unknown column", Insert(u).FromSelect([]string{"nope"}, Select(u.C("id"))), ErrNoSuchColumn, "nope")
	check("subquery missing column", Select(Select(u.C("id")).Subquery("sq").C("nope")), ErrNoSuchColumn, "nope")
	check("ragged multi-row insert", Insert(s.tags).Values(map[string]any{"label": "a"}, map[string]any{"id": 3}), ErrInvalidStatement, "row")
	check("update without set", Update(u).Where(u.C("id").Eq(1)), ErrInvalidStatement, "sets no column")
	check("select without columns", Select(), ErrInvalidStatement, "no columns")
	check("insert nil table", Insert(nil), ErrInvalidStatement, "nil")
	check("union of one", Union(Select(u.C("id"))), ErrInvalidStatement, "at least two")
	check("negative limit", Select(u.C("id")).Limit(-1), ErrInvalidStatement, "negative")
	check("join without foreign key", Select(s.tags.C("id")).Join(s.orgs), ErrInvalidStatement, "no foreign key")
	check("union member with limit", Union(Select(u.C("id")).Limit(1), Select(u.C("id"))), ErrInvalidStatement, "member")
	if _, err := Compile(nil, mustDialect(t, sqlite)); !errors.Is(err, ErrInvalidStatement) {
		t.Errorf("nil statement: %v", err)
	}
	var nilSel *SelectStmt
	if _, err := Compile(nilSel, mustDialect(t, sqlite)); !errors.Is(err, ErrInvalidStatement) {
		t.Errorf("typed nil statement: %v", err)
	}
	// Schema mistakes.
	md := NewMetaData()
	md.Table("t", Column("id", Integer()))
	md.Table("t", Column("id", Integer()))
	md.Table("u", Column("id", Integer()), Column("id", Integer()), UniqueConstraint("nope"), "junk")
	md.Table("v", Column("r", Integer(), ForeignKey("nodot")), Column("w", Integer(), ForeignKey("t.id", OnDelete("EXPLODE"))))
	err := md.Err()
	for _, want := range []string{"table t is already defined", "two columns named id", "no column named nope", "cannot hold a string", `"table.column"`, "EXPLODE"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("schema errors %q lack %q", err, want)
		}
	}
	if !errors.Is(err, ErrInvalidSchema) {
		t.Errorf("schema errors are not ErrInvalidSchema: %v", err)
	}
	// A foreign key to a table the MetaData lacks stops CreateAll before
	// anything is executed.
	md = NewMetaData()
	md.Table("a", Column("id", Integer(), PrimaryKey()), Column("x", Integer(), ForeignKey("ghost.id")))
	ex, log := openSQLite(t)
	if err := md.CreateAll(context.Background(), ex, false); !errors.Is(err, ErrNoSuchTable) || !strings.Contains(err.Error(), "ghost") {
		t.Errorf("CreateAll with dangling FK: %v", err)
	}
	if len(*log) != 0 {
		t.Errorf("CreateAll issued %v despite the error", *log)
	}
	// Building never panics on nil pieces.
	_ = Select(nil).Where(nil).Join(nil).From(nil).OrderBy(nil).GroupBy(nil)
	_ = Insert(nil).Values(nil).Returning(nil)
	_ = Update(nil).Set("x", 1).Values(map[string]any{"y": 2}).Where(nil)
	_ = Delete(nil).Where(nil).Returning(nil)
	for _, st := range []Executable{CreateTable(nil), DropTable(nil), CreateIndex(nil), DropIndex(nil), AddForeignKey(nil), DropForeignKey(nil)} {
		if _, err := Compile(st, mustDialect(t, "postgresql")); !errors.Is(err, ErrInvalidStatement) {
			t.Errorf("%T with nil: %v", st, err)
		}
	}
}
