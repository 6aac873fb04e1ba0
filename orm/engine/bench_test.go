package engine

import (
	"context"
	"strconv"
	"testing"

	"ormlab/driver"
	"ormlab/orm/core"
)

// The Engine's own cost over database/sql on the same SQLite: compile,
// execute, read and normalise one row by primary key.
func BenchmarkEngineSelectByID(b *testing.B) {
	e, err := CreateEngine("sqlite://")
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	md, users := usersTable()
	if err := md.CreateAll(context.Background(), e, false); err != nil {
		b.Fatal(err)
	}
	if _, err := e.Execute(core.Insert(users).Values(map[string]any{"name": "a"})); err != nil {
		b.Fatal(err)
	}
	c, _ := e.Connect()
	defer c.Close()
	stmt := core.Select(users.C("id"), users.C("name")).Where(users.C("id").Eq(1))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, err := c.Execute(stmt)
		if err != nil || len(r.Rows()) != 1 {
			b.Fatal(err)
		}
	}
}

// The same work straight through database/sql.
func BenchmarkRawSelectByID(b *testing.B) {
	db, err := driver.OpenSharedMemory("bench_raw", 0)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	c, err := db.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	c.ExecContext(ctx, "CREATE TABLE users (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL UNIQUE)")
	c.ExecContext(ctx, "INSERT INTO users (name) VALUES ('a')")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rs, err := c.QueryContext(ctx, "SELECT users.id, users.name FROM users WHERE users.id = ?", 1)
		if err != nil {
			b.Fatal(err)
		}
		var id int64
		var name string
		for rs.Next() {
			rs.Scan(&id, &name)
		}
		rs.Close()
	}
}

// Insert in a transaction through the Engine, observer attached (the
// playground's configuration: four dialects compiled per statement).
func BenchmarkEngineInsertObserved(b *testing.B) {
	e, err := CreateEngine("postgresql://h/db", Simulated(true), WithObserver(ObserverFuncs{}))
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	md, users := usersTable()
	if err := md.CreateAll(context.Background(), e, false); err != nil {
		b.Fatal(err)
	}
	c, _ := e.Connect()
	defer c.Close()
	i := 0
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		i++
		if _, err := c.Execute(core.Insert(users).Values(map[string]any{"name": strconv.Itoa(i)})); err != nil {
			b.Fatal(err)
		}
	}
}

// Checkout and checkin through the Engine (pool plus Connection).
func BenchmarkEngineConnectClose(b *testing.B) {
	e, err := CreateEngine("sqlite://")
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	b.ReportAllocs()
	for b.Loop() {
		c, err := e.Connect()
		if err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
}
