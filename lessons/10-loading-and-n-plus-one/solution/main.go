// Lesson 10, solved: the first strategy loads every author's books with one Load of the whole slice.
package main

import (
	"fmt"
	"strings"

	"ormlab/orm"
)

type Author struct {
	ID    int     `orm:"primary_key"`
	Name  string  `orm:"size:50"`
	Books []*Book `orm:"relationship,back_populates:Author,order_by:title"`
}

type Book struct {
	ID       int     `orm:"primary_key"`
	Title    string  `orm:"size:50"`
	AuthorID int     `orm:"foreign_key:authors.id"`
	Author   *Author `orm:"relationship,back_populates:Books"`
}

func main() {
	engine, err := orm.CreateEngine("sqlite://")
	check("engine", err)
	base := orm.NewBase()
	base.Map(Author{}, "authors")
	base.Map(Book{}, "books")
	check("create", base.CreateAll(engine))

	setup := orm.NewSession(engine)
	for i, name := range []string{"Austen", "Borges", "Calvino", "Dickens", "Eco"} {
		a := &Author{Name: name}
		for j := 0; j <= i%3; j++ {
			a.Books = append(a.Books, &Book{Title: fmt.Sprintf("%s book %d", name, j+1)})
		}
		setup.Add(a)
	}
	check("seed", setup.Commit())
	setup.Close()

	// 1. Lazy, one author at a time: 1 query for the authors + 1 per author.
	run("one by one", engine, func(s *orm.Session, authors *[]*Author) error {
		if err := s.Query(authors).OrderBy("name").All(); err != nil {
			return err
		}
		return s.Load(*authors, "Books") // one SELECT for all of them
	})
	// 2. selectin: the authors, then every book of them in one IN (…) query.
	run("SelectinLoad", engine, func(s *orm.Session, authors *[]*Author) error {
		return s.Query(authors).OrderBy("name").Options(orm.SelectinLoad("Books")).All()
	})
	// 3. joined: authors and books together in one LEFT OUTER JOIN.
	run("JoinedLoad", engine, func(s *orm.Session, authors *[]*Author) error {
		return s.Query(authors).OrderBy("name").Options(orm.JoinedLoad("Books")).All()
	})
}

// run loads the authors and their books in a fresh session with load,
// counting the SELECT statements it takes.
func run(title string, engine *orm.Engine, load func(*orm.Session, *[]*Author) error) {
	s := orm.NewSession(engine)
	defer s.Close()
	selects := 0
	orm.OnAfterExecute(s, func(ev *orm.ExecuteEvent) {
		if strings.HasPrefix(ev.SQL, "SELECT") {
			selects++
		}
	})
	var authors []*Author
	if err := load(s, &authors); err != nil {
		fmt.Println(title+":", err)
		return
	}
	fmt.Printf("%-13s SELECTs: %d  books:", title, selects)
	for _, a := range authors {
		fmt.Printf(" %s=%d", a.Name, len(a.Books))
	}
	fmt.Println()
}

// check prints an error instead of hiding it.
func check(what string, err error) {
	if err != nil {
		fmt.Println(what+":", err)
	}
}
