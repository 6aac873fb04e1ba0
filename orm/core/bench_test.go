package core

import "testing"

// BenchmarkCompileSelect3Joins compiles a select with three joins, a where,
// an order by and a limit for each dialect (goal: ≤ 5 µs, ≤ 30 allocs).
func BenchmarkCompileSelect3Joins(b *testing.B) {
	s := newTestSchema()
	stmt := threeJoins(s)
	for _, name := range dialectOrder {
		d := mustDialect(b, name)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c, err := Compile(stmt, d)
				if err != nil || len(c.Params) != 2 {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBuildAndCompileSelect3Joins includes building the statement, as
// the ORM does for each query.
func BenchmarkBuildAndCompileSelect3Joins(b *testing.B) {
	s := newTestSchema()
	d := mustDialect(b, "postgresql")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(threeJoins(s), d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompileInsert compiles a one-row INSERT (the ORM's flush path).
func BenchmarkCompileInsert(b *testing.B) {
	s := newTestSchema()
	d := mustDialect(b, "sqlite")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(Insert(s.orgs).Values(map[string]any{"name": "Acme"}), d); err != nil {
			b.Fatal(err)
		}
	}
}
