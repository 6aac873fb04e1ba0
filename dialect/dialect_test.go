package dialect_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"ormlab/dialect"
	_ "ormlab/dialect/all"
)

func get(t *testing.T, name string) dialect.Dialect {
	t.Helper()
	d, err := dialect.Get(name)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestQuotingRule(t *testing.T) {
	// SQLAlchemy's rule: reserved words, anything not all lower case, a
	// leading digit or $, characters outside [a-z0-9_$].
	cases := map[string]bool{
		"users": false, "user_id": false, "a$b": false, "x1": false,
		"order": true, "select": true, "Users": true, "userName": true, "1abc": true, "$x": true,
		"a b": true, "a-b": true, "é": true, "": true,
	}
	for _, n := range dialect.Names() {
		d := get(t, n)
		for name, want := range cases {
			if got := d.NeedsQuote(name); got != want {
				t.Errorf("%s: NeedsQuote(%q) = %v, want %v", n, name, got, want)
			}
		}
	}
	// Dialect-specific reserved words.
	if !get(t, "postgresql").NeedsQuote("user") || get(t, "sqlite").NeedsQuote("user") {
		t.Error("user is reserved in PostgreSQL only (of these two)")
	}
	if !get(t, "mysql").NeedsQuote("key") || get(t, "postgresql").NeedsQuote("key") {
		t.Error("key is reserved in MySQL, not PostgreSQL")
	}
	want := map[string]string{"sqlite": `"order"`, "postgresql": `"order"`, "mysql": "`order`", "mssql": "[order]"}
	for n, w := range want {
		if got := string(get(t, n).AppendIdent(nil, "order")); got != w {
			t.Errorf("%s: %s, want %s", n, got, w)
		}
	}
}

func TestPlaceholders(t *testing.T) {
	want := map[string]string{"sqlite": "? ?", "postgresql": "$1 $12", "mysql": "? ?", "mssql": "@p1 @p12"}
	for n, w := range want {
		d := get(t, n)
		b := d.AppendPlaceholder(nil, 1)
		b = append(b, ' ')
		b = d.AppendPlaceholder(b, 12)
		if string(b) != w {
			t.Errorf("%s: %s, want %s", n, b, w)
		}
	}
}

func TestFeatures(t *testing.T) {
	has := map[string]dialect.Feature{
		"sqlite":     dialect.Returning | dialect.LimitOffset | dialect.ConsecutiveRowIDs,
		"postgresql": dialect.Returning | dialect.NativeBoolean | dialect.ILike | dialect.AlterAddConstraint | dialect.Sequences,
		"mysql":      dialect.NativeEnum | dialect.AlterAddConstraint | dialect.LastInsertID,
		"mssql":      dialect.OutputInserted | dialect.TopN | dialect.OffsetFetch,
	}
	lacks := map[string]dialect.Feature{
		"sqlite":     dialect.AlterAddConstraint | dialect.ILike | dialect.NativeBoolean,
		"postgresql": dialect.OutputInserted | dialect.TopN | dialect.ConsecutiveRowIDs,
		"mysql":      dialect.Returning | dialect.ILike | dialect.ConsecutiveRowIDs,
		"mssql":      dialect.Returning | dialect.LimitOffset | dialect.SubqueryOrderBy | dialect.ConsecutiveRowIDs,
	}
	for n, f := range has {
		if !get(t, n).Has(f) {
			t.Errorf("%s lacks %s", n, f)
		}
	}
	for n, f := range lacks {
		for bit := dialect.Feature(1); bit != 0 && bit <= f; bit <<= 1 {
			if f&bit != 0 && get(t, n).Has(bit) {
				t.Errorf("%s has %s", n, bit)
			}
		}
	}
	err := dialect.Require(get(t, "mysql"), dialect.Returning, "RETURNING", "use LastInsertId")
	var ue *dialect.UnsupportedError
	if !errors.As(err, &ue) || ue.Dialect != "mysql" || !errors.Is(err, dialect.ErrUnsupported) || !strings.Contains(err.Error(), "use LastInsertId") {
		t.Errorf("Require: %v", err)
	}
	if got := (dialect.Returning | dialect.ILike).String(); got != "Returning|ILike" {
		t.Errorf("Feature.String = %s", got)
	}
}

type status string

func TestLiterals(t *testing.T) {
	when := time.Date(2024, 1, 2, 3, 4, 5, 600000000, time.UTC)
	s := "x"
	cases := []struct {
		v    any
		want [4]string // sqlite, postgresql, mysql, mssql
	}{
		{nil, [4]string{"NULL", "NULL", "NULL", "NULL"}},
		{true, [4]string{"1", "true", "true", "1"}},
		{`it's \`, [4]string{`'it''s \'`, `'it''s \'`, `'it''s \\'`, `'it''s \'`}},
		{"Zoë", [4]string{"'Zoë'", "'Zoë'", "'Zoë'", "N'Zoë'"}},
		{[]byte{0xab, 1}, [4]string{"X'ab01'", `'\xab01'::bytea`, "X'ab01'", "0xab01"}},
		{when, [4]string{"'2024-01-02 03:04:05.6'", "'2024-01-02 03:04:05.6'", "'2024-01-02 03:04:05.6'", "'2024-01-02 03:04:05.6'"}},
		{int64(-7), [4]string{"-7", "-7", "-7", "-7"}},
		{2.5, [4]string{"2.5", "2.5", "2.5", "2.5"}},
		{status("ok"), [4]string{"'ok'", "'ok'", "'ok'", "'ok'"}},
		{&s, [4]string{"'x'", "'x'", "'x'", "'x'"}},
	}
	for _, c := range cases {
		for i, n := range dialect.Names() {
			got, err := get(t, n).AppendLiteral(nil, c.v)
			if err != nil || string(got) != c.want[i] {
				t.Errorf("%s: literal %#v = %s (%v), want %s", n, c.v, got, err, c.want[i])
			}
		}
	}
	for _, bad := range []any{math.NaN(), math.Inf(1), struct{}{}, map[string]int{}} {
		if _, err := get(t, "postgresql").AppendLiteral(nil, bad); !errors.Is(err, dialect.ErrUnsupported) {
			t.Errorf("literal %#v: %v", bad, err)
		}
	}
}

func TestTypeNames(t *testing.T) {
	spec := dialect.TypeSpec{Kind: dialect.TypeBoolean}
	want := map[string]string{"sqlite": "BOOLEAN", "postgresql": "BOOLEAN", "mysql": "BOOL", "mssql": "BIT"}
	for n, w := range want {
		if got, err := get(t, n).TypeName(spec); got != w || err != nil {
			t.Errorf("%s: %s %v, want %s", n, got, err, w)
		}
	}
	auto := map[string]string{"sqlite": "INTEGER", "postgresql": "BIGSERIAL"}
	for n, w := range auto {
		if got, ok := get(t, n).AutoincrementType(dialect.TypeSpec{Kind: dialect.TypeBigInteger}); !ok || got != w {
			t.Errorf("%s autoincrement BigInteger: %s %v", n, got, ok)
		}
	}
	if _, ok := get(t, "mysql").AutoincrementType(dialect.TypeSpec{Kind: dialect.TypeInteger}); ok {
		t.Error("MySQL keeps INTEGER (with AUTO_INCREMENT)")
	}
	for _, bad := range []dialect.TypeSpec{{Kind: dialect.TypeString, Length: -1}, {Kind: dialect.TypeNumeric, Precision: 5, Scale: 6}, {Kind: dialect.TypeInvalid}} {
		if _, err := get(t, "sqlite").TypeName(bad); !errors.Is(err, dialect.ErrUnsupported) {
			t.Errorf("TypeName(%+v): %v", bad, err)
		}
	}
	if got, _ := get(t, "mysql").TypeName(dialect.TypeSpec{Kind: dialect.TypeEnum, Enum: []string{"a'", "b"}}); got != `ENUM('a''','b')` {
		t.Errorf("mysql enum = %s", got)
	}
}

func TestLimits(t *testing.T) {
	l := dialect.Limit{Limit: 5, Offset: 10, HasOrderBy: true}
	want := map[string]string{
		"sqlite":     " LIMIT 5 OFFSET 10",
		"postgresql": " LIMIT 5 OFFSET 10",
		"mysql":      " LIMIT 5 OFFSET 10",
		"mssql":      " OFFSET 10 ROWS FETCH NEXT 5 ROWS ONLY",
	}
	for n, w := range want {
		got, err := get(t, n).AppendLimit(nil, l)
		if string(got) != w || err != nil {
			t.Errorf("%s: %q %v", n, got, err)
		}
	}
	if got := string(get(t, "mssql").AppendSelectPrefix(nil, dialect.Limit{Limit: 3, Offset: -1})); got != "TOP 3 " {
		t.Errorf("TOP prefix = %q", got)
	}
	if got := string(get(t, "sqlite").AppendSelectPrefix(nil, dialect.Limit{Limit: 3, Offset: -1})); got != "" {
		t.Errorf("sqlite prefix = %q", got)
	}
	if _, err := get(t, "mssql").AppendLimit(nil, dialect.Limit{Limit: -1, Offset: 3}); !errors.Is(err, dialect.ErrUnsupported) {
		t.Errorf("mssql offset without order by: %v", err)
	}
}
