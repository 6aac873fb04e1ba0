package runner_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ormlab/runner"
	"ormlab/runner/trace"
)

func ormProgram(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "progs", "orm_basic", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestORMTrace(t *testing.T) {
	tr := run1(t, ormProgram(t))
	if tr.Error != nil {
		t.Fatalf("unexpected error %+v", *tr.Error)
	}
	if !strings.Contains(tr.Stdout, "BEGIN (implicit)") || !strings.Contains(tr.Stdout, "CREATE TABLE users") {
		t.Errorf("echo missing from the program's output:\n%s", tr.Stdout)
	}
	kinds := map[string]bool{}
	for i, s := range tr.Statements {
		if s.Seq != i+1 {
			t.Errorf("statement %d has seq %d", i, s.Seq)
		}
		kinds[s.Kind] = true
		for _, d := range []string{"sqlite", "postgresql", "mysql", "mssql"} {
			if s.SQL[d] == "" {
				t.Errorf("statement %d (%s) has no %s SQL", s.Seq, s.Kind, d)
			}
		}
		if s.Executed != "sqlite" || s.Conn == 0 || s.Params == nil {
			t.Errorf("statement %d: executed %q conn %d params %v", s.Seq, s.Executed, s.Conn, s.Params)
		}
	}
	for _, k := range []string{"ddl", "insert", "select", "begin", "commit"} {
		if !kinds[k] {
			t.Errorf("no %s statement in the trace (kinds %v)", k, kinds)
		}
	}
	events := map[string]bool{}
	for _, p := range tr.Pool {
		events[p.Event] = true
	}
	for _, e := range []string{"connect", "checkout", "checkin"} {
		if !events[e] {
			t.Errorf("no %s pool event (%v)", e, events)
		}
	}
	if len(tr.Schema.Tables) != 2 || tr.Schema.Tables[0].Name != "users" || tr.Schema.Tables[1].Name != "posts" {
		t.Fatalf("schema tables %+v", tr.Schema.Tables)
	}
	posts := tr.Schema.Tables[1]
	if len(posts.ForeignKeys) != 1 || posts.ForeignKeys[0].RefTable != "users" || posts.ForeignKeys[0].Columns[0] != "author_id" {
		t.Errorf("posts foreign keys %+v", posts.ForeignKeys)
	}
	if c := tr.Schema.Tables[0].Columns[0]; c.Name != "id" || !c.PrimaryKey || c.Type != "INTEGER" {
		t.Errorf("users.id %+v", c)
	}
	var rel *trace.Relationship
	for i := range tr.Schema.Relationships {
		if tr.Schema.Relationships[i].Name == "Posts" {
			rel = &tr.Schema.Relationships[i]
		}
	}
	if rel == nil || rel.From != "User" || rel.To != "Post" || rel.Kind != "one-to-many" || rel.BackPopulates != "Author" {
		t.Errorf("relationship User.Posts: %+v (all: %+v)", rel, tr.Schema.Relationships)
	}
	users := tr.Tables["users"]
	if len(users.Columns) != 2 || len(users.Rows) != 2 || users.Rows[0][1] != "Ada" || users.Rows[1][1] != "Linus" {
		t.Errorf("final users table %+v", users)
	}
	if _, ok := tr.Tables["posts"]; !ok {
		t.Error("final posts table missing")
	}
}

func TestDatabaseErrorKind(t *testing.T) {
	tr := run1(t, `package main

import "ormlab/orm"

type Tag struct {
	ID   int    `+"`orm:\"primary_key\"`"+`
	Name string `+"`orm:\"size:20,unique\"`"+`
}

func main() {
	engine, _ := orm.CreateEngine("postgresql://u@db/x")
	base := orm.NewBase()
	base.Map(Tag{}, "tags")
	base.CreateAll(engine)
	s := orm.NewSession(engine)
	s.Add(&Tag{Name: "go"})
	s.Add(&Tag{Name: "go"})
	if err := s.Commit(); err != nil {
		panic(err)
	}
}
`)
	wantError(t, tr, trace.ErrDatabase, 19, "INSERT INTO tags")
	if tr.Error != nil && (!strings.Contains(tr.Error.Message, "UNIQUE") || !strings.Contains(tr.Error.Message, "go")) {
		t.Errorf("database error lacks the engine's message or the parameters: %q", tr.Error.Message)
	}
	var failed int
	for _, s := range tr.Statements {
		if s.Error != "" {
			failed++
		}
		if s.Kind == "insert" && !strings.Contains(s.SQL["postgresql"], "%(") && !strings.Contains(s.SQL["postgresql"], "$1") && !strings.Contains(s.SQL["postgresql"], "INSERT") {
			t.Errorf("insert SQL for postgresql: %q", s.SQL["postgresql"])
		}
	}
	if failed == 0 {
		t.Error("the failed statement is not marked in the trace")
	}
}

func TestStatementLimit(t *testing.T) {
	start := time.Now()
	tr := runner.Run(context.Background(), runner.Request{StatementLimit: 20, Files: []runner.File{{Name: "main.go", Content: `package main

import (
	"fmt"

	"ormlab/orm"
)

func main() {
	engine, _ := orm.CreateEngine("sqlite://")
	for i := 0; ; i++ {
		if _, err := engine.Execute(orm.Text("SELECT 1")); err != nil {
			fmt.Println("error:", err)
		}
	}
}
`}}})
	wantError(t, tr, trace.ErrLimit, 0, "more than 20 SQL statements")
	if len(tr.Statements) != 20 {
		t.Errorf("kept %d statements, want 20", len(tr.Statements))
	}
	if time.Since(start) > 3*time.Second {
		t.Errorf("took %v", time.Since(start))
	}
}

// A loop of checkouts with no SQL is stopped at the pool event limit, as a
// loop of statements is at the statement limit.
func TestPoolEventLimit(t *testing.T) {
	tr := runner.Run(context.Background(), runner.Request{PoolEventLimit: 50, Files: []runner.File{{Name: "main.go", Content: `package main

import "ormlab/orm"

func main() {
	engine, _ := orm.CreateEngine("sqlite://")
	for {
		c, err := engine.Connect()
		if err != nil {
			return
		}
		c.Close()
	}
}
`}}})
	wantError(t, tr, trace.ErrLimit, 0, "more than 50 connection pool events")
	if len(tr.Pool) != 50 {
		t.Errorf("kept %d pool events, want 50", len(tr.Pool))
	}
}

func TestSessionNeverClosed(t *testing.T) {
	start := time.Now()
	tr := runner.Run(context.Background(), runner.Request{Timeout: 5 * time.Second, Files: []runner.File{{Name: "main.go", Content: `package main

import (
	"fmt"

	"ormlab/orm"
)

type Item struct {
	ID   int    ` + "`orm:\"primary_key\"`" + `
	Name string ` + "`orm:\"size:20\"`" + `
}

func main() {
	engine, _ := orm.CreateEngine("sqlite://", orm.PoolSize(2), orm.MaxOverflow(0))
	base := orm.NewBase()
	base.Map(Item{}, "items")
	base.CreateAll(engine)
	done := orm.NewSession(engine)
	done.Add(&Item{Name: "kept"})
	done.Commit()
	// Two sessions that never close: one with a flushed, uncommitted row.
	a := orm.NewSession(engine)
	a.Add(&Item{Name: "lost"})
	a.Flush()
	b := orm.NewSession(engine)
	var items []*Item
	b.Query(&items).All()
	fmt.Println("leaving with", len(items), "item(s) seen")
}
`}}})
	if tr.Error != nil {
		t.Fatalf("unexpected error %+v", *tr.Error)
	}
	if took := time.Since(start); took > 4*time.Second {
		t.Errorf("a program leaving connections checked out took %v", took)
	}
	rows := tr.Tables["items"].Rows
	if len(rows) != 1 || rows[0][1] != "kept" {
		t.Errorf("final items %+v: want only the committed row", tr.Tables["items"])
	}
}

func TestTimeoutInPoolWaitAndQuery(t *testing.T) {
	cases := map[string]string{
		"pool wait": `package main

import (
	"fmt"
	"time"

	"ormlab/orm"
)

func main() {
	engine, _ := orm.CreateEngine("sqlite://", orm.PoolSize(1), orm.MaxOverflow(0), orm.PoolTimeout(time.Hour))
	held, err := engine.Connect()
	fmt.Println("holding", err == nil, held != nil)
	_, err = engine.Connect()
	fmt.Println("never printed", err)
}
`,
		"endless query": `package main

import (
	"fmt"

	"ormlab/orm"
)

func main() {
	engine, _ := orm.CreateEngine("sqlite://")
	res, err := engine.Execute(orm.Text("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"))
	fmt.Println(res, err)
}
`,
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			tr := runner.Run(context.Background(), runner.Request{Timeout: time.Second, Files: []runner.File{{Name: "main.go", Content: src}}})
			wantError(t, tr, trace.ErrTimeout, 0, "ran longer than 1s")
			if took := time.Since(start); took > 1500*time.Millisecond {
				t.Errorf("stopped after %v, want within 1.5s", took)
			}
		})
	}
}

// Self-referential and mutually recursive models built in interpreted code:
// yaegi unrolls such types one level (DESIGN.md), which the ORM must handle.
func TestRecursiveModels(t *testing.T) {
	tr := run1(t, `package main

import (
	"fmt"

	"ormlab/orm"
)

type Employee struct {
	ID        int       `+"`orm:\"primary_key\"`"+`
	Name      string    `+"`orm:\"size:50\"`"+`
	ManagerID *int      `+"`orm:\"foreign_key:employees.id\"`"+`
	Manager   *Employee `+"`orm:\"relationship,lazy:selectin\"`"+`
}

type Author struct {
	ID    int     `+"`orm:\"primary_key\"`"+`
	Name  string  `+"`orm:\"size:50\"`"+`
	Books []*Book `+"`orm:\"relationship,back_populates:Author,lazy:selectin\"`"+`
}

type Book struct {
	ID       int     `+"`orm:\"primary_key\"`"+`
	Title    string  `+"`orm:\"size:100\"`"+`
	AuthorID int     `+"`orm:\"foreign_key:authors.id\"`"+`
	Author   *Author `+"`orm:\"relationship,back_populates:Books,lazy:selectin\"`"+`
}

func main() {
	engine, err := orm.CreateEngine("sqlite://")
	if err != nil {
		panic(err)
	}
	base := orm.NewBase()
	for _, m := range []struct {
		model any
		table string
	}{{Employee{}, "employees"}, {Author{}, "authors"}, {Book{}, "books"}} {
		if _, err := base.Map(m.model, m.table); err != nil {
			panic(err)
		}
	}
	if err := base.CreateAll(engine); err != nil {
		panic(err)
	}
	s := orm.NewSession(engine)
	defer s.Close()
	alice := &Employee{Name: "alice"}
	bob := &Employee{Name: "bob", Manager: alice}
	carol := &Employee{Name: "carol", Manager: bob}
	s.AddAll(alice, bob, carol)
	tolkien := &Author{Name: "Tolkien"}
	tolkien.Books = append(tolkien.Books, &Book{Title: "The Hobbit"}, &Book{Title: "The Silmarillion"})
	s.Add(tolkien)
	if err := s.Commit(); err != nil {
		panic(err)
	}
	fmt.Println(carol.Manager.Manager.Name)

	r := orm.NewSession(engine)
	defer r.Close()
	var es []*Employee
	if err := r.Query(&es).OrderBy(orm.Asc("employees.id")).All(); err != nil {
		panic(err)
	}
	var x any = es[2].Manager
	m, ok := x.(*Employee)
	fmt.Println(len(es), ok, m.Name, es[2].Manager.Manager.Name)
	var books []*Book
	if err := r.Query(&books).OrderBy(orm.Asc("books.id")).All(); err != nil {
		panic(err)
	}
	fmt.Println(books[0].Title, books[0].Author.Name, len(books[0].Author.Books))
}
`)
	if tr.Error != nil {
		t.Fatalf("unexpected error %+v\n%s", *tr.Error, tr.Stdout)
	}
	if want := "alice\n3 true bob alice\nThe Hobbit Tolkien 2\n"; tr.Stdout != want {
		t.Errorf("stdout %q, want %q", tr.Stdout, want)
	}
	if len(tr.Tables["employees"].Rows) != 3 || len(tr.Tables["books"].Rows) != 2 {
		t.Errorf("final tables %+v", tr.Tables)
	}
}
