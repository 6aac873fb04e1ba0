package orm_test

// Recursive models written in interpreted code: yaegi unrolls a recursive
// struct type one level, so Employee.Manager's element type and
// Author.Books' element type are structural variants of the models. The
// relationship code must recognise them and store pointers with the
// field's own type; interpreted code must then read them naturally.

import (
	"reflect"
	"strings"
	"testing"

	"github.com/traefik/yaegi/interp"

	"ormlab/orm"
	"ormlab/runner/symbols"
)

const yaegiProgram = `package main

import (
	"fmt"
	"strings"

	"ormlab/orm"
)

type Employee struct {
	ID        int         ` + "`orm:\"primary_key\"`" + `
	Name      string      ` + "`orm:\"size:50\"`" + `
	ManagerID *int        ` + "`orm:\"foreign_key:employees.id\"`" + `
	Manager   *Employee   ` + "`orm:\"relationship,back_populates:Reports\"`" + `
	Reports   []*Employee ` + "`orm:\"relationship,back_populates:Manager,order_by:name\"`" + `
}

type Author struct {
	ID    int     ` + "`orm:\"primary_key\"`" + `
	Name  string  ` + "`orm:\"size:50\"`" + `
	Books []*Book ` + "`orm:\"relationship,back_populates:Author,cascade:all,delete-orphan\"`" + `
}

type Book struct {
	ID       int     ` + "`orm:\"primary_key\"`" + `
	Title    string  ` + "`orm:\"size:50\"`" + `
	AuthorID int     ` + "`orm:\"foreign_key:authors.id\"`" + `
	Author   *Author ` + "`orm:\"relationship,back_populates:Books\"`" + `
}

type Notification struct {
	ID      int    ` + "`orm:\"primary_key\"`" + `
	Type    string ` + "`orm:\"size:20\"`" + `
	Message string ` + "`orm:\"size:50\"`" + `
}

type EmailNotification struct {
	Notification
	Email string ` + "`orm:\"size:50\"`" + `
}

func Polymorphic() string {
	engine, err := orm.CreateEngine("sqlite://")
	if err != nil {
		return err.Error()
	}
	base := orm.NewBase()
	if _, err := base.Map(Notification{}, "notifications", orm.PolymorphicOn("Type"), orm.PolymorphicIdentity("notification")); err != nil {
		return err.Error()
	}
	if _, err := base.MapInherited(EmailNotification{}, "email_notifications", Notification{}, orm.PolymorphicIdentity("email")); err != nil {
		return err.Error()
	}
	if err := base.CreateAll(engine); err != nil {
		return err.Error()
	}
	s := orm.NewSession(engine)
	e := &EmailNotification{Email: "a@b.c"}
	e.Message = "hi"
	if err := s.AddAll(&Notification{Message: "plain"}, e); err != nil {
		return err.Error()
	}
	if err := s.Commit(); err != nil {
		return err.Error()
	}
	var items []interface{}
	if err := orm.NewSession(engine).QueryPolymorphic(&items, Notification{}); err != nil {
		return err.Error()
	}
	var out []string
	for _, it := range items {
		switch x := it.(type) {
		case *EmailNotification:
			out = append(out, "email:"+x.Email+":"+x.Message+":"+x.Type)
		case *Notification:
			out = append(out, "base:"+x.Message+":"+x.Type)
		default:
			out = append(out, fmt.Sprintf("?%T", it))
		}
	}
	return strings.Join(out, ",")
}

func Run() string {
	var out []string
	check := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	engine, err := orm.CreateEngine("sqlite://")
	check(err)
	base := orm.NewBase()
	_, err = base.Map(Employee{}, "employees")
	check(err)
	_, err = base.Map(Author{}, "authors")
	check(err)
	_, err = base.Map(Book{}, "books")
	check(err)
	check(base.CreateAll(engine))

	s := orm.NewSession(engine)
	alice := &Employee{Name: "Alice"}
	bob := &Employee{Name: "Bob", Manager: alice}
	carol := &Employee{Name: "Carol", Manager: bob}
	check(s.AddAll(carol, bob, alice))
	tolkien := &Author{Name: "Tolkien"}
	tolkien.Books = append(tolkien.Books, &Book{Title: "Hobbit"}, &Book{Title: "Silmarillion"})
	check(s.Add(tolkien))
	check(s.Commit())
	out = append(out, fmt.Sprint(*carol.ManagerID == bob.ID, len(alice.Reports), tolkien.Books[1].Author == tolkien))

	s2 := orm.NewSession(engine)
	var c *Employee
	check(s2.Query(&c).FilterBy("Name", "Carol").First())
	check(s2.Load(c, "Manager"))
	check(s2.Load(c.Manager, "Manager"))
	out = append(out, c.Manager.Manager.Name)
	var a *Employee
	check(s2.Query(&a).FilterBy("Name", "Alice").First())
	check(s2.Load(a, "Reports.Reports"))
	out = append(out, a.Reports[0].Reports[0].Name)
	var x interface{} = a.Reports[0]
	_, ok := x.(*Employee)
	out = append(out, fmt.Sprint(ok, a.Reports[0].Reports[0] == c, a.Reports[0] == c.Manager))

	var authors []*Author
	check(s2.Query(&authors).Options(orm.SelectinLoad("Books")).All())
	b := authors[0].Books[1]
	out = append(out, b.Title, b.Author.Name)
	var y interface{} = b
	_, ok = y.(*Book)
	out = append(out, fmt.Sprint(ok))
	// change through the variant-typed pointers and flush
	authors[0].Books = authors[0].Books[:1]
	b2 := &Book{Title: "Unfinished Tales"}
	authors[0].Books = append(authors[0].Books, b2)
	check(s2.Commit())
	var titles []string
	check(s2.Query(&titles).From(Book{}).Select("Title").OrderBy("id").All())
	out = append(out, strings.Join(titles, "+"), fmt.Sprint(b2.Author == authors[0]))
	return strings.Join(out, "|")
}
`

func TestRelYaegiRecursiveModels(t *testing.T) {
	i := interp.New(interp.Options{})
	exports := interp.Exports{}
	for k, v := range symbols.Symbols {
		exports[k] = v
	}
	ormSyms := map[string]reflect.Value{}
	for k, v := range symbols.Symbols["ormlab/orm/orm"] {
		ormSyms[k] = v
	}
	// part 2's API, until the runner's symbol tables are regenerated
	ormSyms["SelectinLoad"] = reflect.ValueOf(orm.SelectinLoad)
	ormSyms["JoinedLoad"] = reflect.ValueOf(orm.JoinedLoad)
	ormSyms["PolymorphicOn"] = reflect.ValueOf(orm.PolymorphicOn)
	ormSyms["PolymorphicIdentity"] = reflect.ValueOf(orm.PolymorphicIdentity)
	exports["ormlab/orm/orm"] = ormSyms
	if err := i.Use(exports); err != nil {
		t.Fatal(err)
	}
	if _, err := i.Eval(yaegiProgram); err != nil {
		t.Fatal(err)
	}
	v, err := i.Eval("main.Run")
	if err != nil {
		t.Fatal(err)
	}
	var got string
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("interpreted program panicked: %v", r)
			}
		}()
		got = v.Interface().(func() string)()
	}()
	want := "true 1 true|Alice|Carol|true true true|Silmarillion|Tolkien|true|Hobbit+Unfinished Tales|true"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if strings.Contains(got, "dummy") {
		t.Fatal(got)
	}
	pv, err := i.Eval("main.Polymorphic")
	if err != nil {
		t.Fatal(err)
	}
	if got := pv.Interface().(func() string)(); got != "base:plain:notification,email:a@b.c:hi:email" {
		t.Fatalf("interpreted inheritance: %s", got)
	}
}
