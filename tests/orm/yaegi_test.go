package ormtest

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/traefik/yaegi/interp"

	"ormlab/runner/symbols"
)

// An interpreted program: its struct types have no name through reflect,
// and yaegi unrolls recursive types one level (Author.Books' element type
// and Employee.Manager's type are structurally identical variants of Book
// and Employee). The ORM must map them by structure and store pointers
// into such fields with the field's own type.
const interpretedProgram = `package main

import (
	"fmt"

	"ormlab/orm"
)

type Author struct {
	ID    int     ` + "`orm:\"primary_key\"`" + `
	Name  string  ` + "`orm:\"size:100,not_null\"`" + `
	Books []*Book ` + "`orm:\"relationship,back_populates:Author,cascade:all,delete-orphan\"`" + `
}

type Book struct {
	ID       int     ` + "`orm:\"primary_key\"`" + `
	Title    string  ` + "`orm:\"size:200\"`" + `
	AuthorID int     ` + "`orm:\"foreign_key:authors.id\"`" + `
	Author   *Author ` + "`orm:\"relationship,back_populates:Books\"`" + `
}

type Employee struct {
	ID        int       ` + "`orm:\"primary_key\"`" + `
	Name      string    ` + "`orm:\"size:50\"`" + `
	ManagerID *int      ` + "`orm:\"foreign_key:employees.id\"`" + `
	Manager   *Employee ` + "`orm:\"relationship\"`" + `
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}

func main() {
	engine, err := orm.CreateEngine("sqlite://")
	check(err)
	base := orm.NewBase()
	_, err = base.Map(Author{}, "authors")
	check(err)
	bm, err := base.Map(Book{}, "books")
	check(err)
	_, err = base.Map(Employee{}, "employees")
	check(err)
	check(base.CreateAll(engine))
	fmt.Println("relationship kept:", bm.Relationship("Author").BackPopulates)

	session := orm.NewSession(engine)
	defer session.Close()
	tolkien := &Author{Name: "J. R. R. Tolkien"}
	check(session.Add(tolkien))
	check(session.Flush())
	check(session.AddAll(&Book{Title: "The Hobbit", AuthorID: tolkien.ID}, &Book{Title: "The Silmarillion", AuthorID: tolkien.ID}))
	alice := &Employee{Name: "Alice"}
	check(session.Add(alice))
	check(session.Flush())
	carol := &Employee{Name: "Carol", ManagerID: &alice.ID}
	check(session.Add(carol))
	check(session.Commit())
	fmt.Println("ids:", tolkien.ID, alice.ID, carol.ID, orm.Inspect(carol).State)

	// The field's element type is yaegi's variant of Book.
	check(session.Query(&tolkien.Books).FilterBy("AuthorID", tolkien.ID).OrderBy("Title").All())
	fmt.Println("books:", len(tolkien.Books), tolkien.Books[0].Title, tolkien.Books[1].Title)

	var books []*Book
	check(session.Query(&books).OrderBy(orm.Desc("title")).All())
	fmt.Println("same objects:", books[1].Title == tolkien.Books[0].Title, orm.Inspect(tolkien.Books[0]).State)

	// A pointer stored into the self-referencing field (its variant type).
	check(session.Get(&carol.Manager, *carol.ManagerID))
	fmt.Println("manager:", carol.Manager.Name, orm.Inspect(carol.Manager).State)
	carol.Manager.Name = "Alice B."
	check(session.Commit())
	var name string
	check(session.Query(&name).From(Employee{}).Select("Name").FilterBy("ID", alice.ID).Scalar())
	fmt.Println("renamed through the variant pointer:", name, alice.Name)
	var e *Employee
	err = session.Query(&e).FilterBy("Name", "nobody").First()
	fmt.Println("no row:", err != nil)
}
`

func TestInterpretedModels(t *testing.T) {
	var out bytes.Buffer
	i := interp.New(interp.Options{Stdout: &out, Stderr: &out})
	if err := i.Use(symbols.Symbols); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := i.EvalWithContext(ctx, interpretedProgram); err != nil {
		t.Fatalf("%v\noutput:\n%s", err, out.String())
	}
	want := []string{
		"relationship kept: Books",
		"ids: 1 1 2 persistent",
		"books: 2 The Hobbit The Silmarillion",
		"same objects: true persistent",
		"manager: Alice persistent",
		"renamed through the variant pointer: Alice B. Alice B.",
		"no row: true",
	}
	got := strings.Split(strings.TrimSpace(out.String()), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("output:\n%s\nwant:\n%s", out.String(), strings.Join(want, "\n"))
	}
}
