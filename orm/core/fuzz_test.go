package core

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCompile builds statements from fuzzed names, values and shapes and
// compiles them for every dialect in both forms. The compiler must never
// panic (Compile turns a recovered panic into "internal compiler error",
// which fails here too) and must answer either SQL or a typed error.
func FuzzCompile(f *testing.F) {
	f.Add("users", "name", "O'Brien", int64(3), uint16(0))
	f.Add("order", "select", "a\\b\"c", int64(-1), uint16(0xffff))
	f.Add("", "x", "", int64(0), uint16(7))
	f.Add("we\"ird]`", "a b", "\x00", int64(1<<40), uint16(1234))
	f.Add("t", "Mixed", "Zoë", int64(-5), uint16(42))
	f.Fuzz(func(t *testing.T, tname, cname, val string, n int64, shape uint16) {
		md := NewMetaData()
		types := []Type{Integer(), String(int(n % 300)), TextType(), Boolean(), Numeric(int(n%80), int(n%7)), JSON(), Enum(val, "b"), UUID(), DateTime(), LargeBinary()}
		typ := types[int(shape)%len(types)]
		other := md.Table(tname+"_o", Column("id", Integer(), PrimaryKey()))
		tb := md.Table(tname,
			Column("id", Integer(), PrimaryKey()),
			Column(cname, typ, Default(val)),
			Column("ref", Integer(), ForeignKey(tname+"_o.id", OnDelete(val))),
			CheckConstraint("1 = 1", cname),
			IndexOn(cname+"_ix", cname),
		)
		c := tb.C(cname)
		var cond Expr
		switch shape % 8 {
		case 0:
			cond = c.Eq(val)
		case 1:
			cond = c.In(val, n, nil)
		case 2:
			cond = Or(c.ILike(val), Not(c.IsNull()), c.Between(n, val))
		case 3:
			cond = Exists(Select(other.C("id")).Where(other.C("id").Eq(tb.C("ref"))))
		case 4:
			cond = c.Concat(val).Add(n).Ne(Literal(val))
		case 5:
			cond = tb.C(val).Gt(n)
		case 6:
			cond = c
		default:
			cond = And()
		}
		sel := Select(tb.C("id"), c.Label(val), Func(val, c)).Where(cond).Join(other).OrderBy(c.Desc(), val).GroupBy(c)
		if shape&0x100 != 0 {
			sel = sel.Limit(int(n % 1000))
		}
		if shape&0x200 != 0 {
			sel = sel.Offset(int(n % 1000))
		}
		if shape&0x400 != 0 {
			sel = sel.Distinct()
		}
		stmts := []Executable{
			sel,
			Union(sel, Select(other.C("id"), c, c)).OrderBy(val).Limit(int(n % 10)),
			Insert(tb).Values(map[string]any{cname: val, "id": n}, map[string]any{cname: n, "id": val}).Returning(c),
			Insert(tb).FromSelect([]string{cname, val}, sel),
			Update(tb).Set(cname, val).Set("id", c.Mul(n)).Where(cond).Returning(val),
			Delete(tb).Where(cond).Returning(c),
			CreateTable(tb), CreateTable(tb).IfNotExists(), DropTable(tb).IfExists(),
			CreateIndex(tb.Indexes()[0]), DropIndex(tb.Indexes()[0]), AddForeignKey(tb.ForeignKeys()[0]), DropForeignKey(tb.ForeignKeys()[0]),
			func() Executable {
				sq := sel.Subquery(val)
				return Select(sq, sq.C(cname).Add(n)).Where(sq.C(val).Lt(n))
			}(),
			Select(Select(c).Where(cond).Scalar(), c.In(sel), Exists(sel)),
		}
		for _, st := range stmts {
			for _, d := range dialectOrder {
				dd := mustDialect(t, d)
				c, err := Compile(st, dd)
				if err != nil && strings.Contains(err.Error(), "internal compiler error") {
					t.Fatalf("%s: %v", d, err)
				}
				if err == nil && c.SQL == "" {
					t.Fatalf("%s: empty SQL and no error", d)
				}
				s, err := CompileInline(st, dd)
				if err != nil && strings.Contains(err.Error(), "internal compiler error") {
					t.Fatalf("%s inline: %v", d, err)
				}
				if err == nil && s == "" {
					t.Fatalf("%s inline: empty SQL and no error", d)
				}
			}
		}
	})
}

// FuzzInlineStringSQLite checks the display form's escaping on a real
// engine: a string inlined as a literal reads back unchanged.
func FuzzInlineStringSQLite(f *testing.F) {
	for _, s := range []string{"", "plain", "O'Brien", "''", `\`, `\'`, "a\nb\r\n", "Zoë ✓", "'; DROP TABLE x; --", "\t\"q\"", "%_"} {
		f.Add(s)
	}
	ex, _ := openSQLite(f)
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // SQL text is UTF-8; invalid bytes go as parameters
		}
		sql, err := CompileInline(Select(Literal(s)), ex.Dialect())
		if strings.IndexByte(s, 0) >= 0 {
			if err == nil {
				t.Fatalf("a NUL byte was inlined: %q", sql)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		var got string
		if err := ex.DB.QueryRowContext(context.Background(), sql).Scan(&got); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		if got != s {
			t.Fatalf("inline %q read back as %q (SQL %s)", s, got, sql)
		}
	})
}
