// Lesson 2, solved: a second author, and the query filters on her name.
package main

import (
	"fmt"

	"ormlab/orm"
)

// Author has many books; deleting an author deletes its books.
type Author struct {
	ID    int     `orm:"primary_key"`
	Name  string  `orm:"size:100,not_null"`
	Books []*Book `orm:"relationship,back_populates:Author,cascade:all,delete-orphan"`
}

// Book belongs to one author through the foreign key AuthorID.
type Book struct {
	ID       int     `orm:"primary_key"`
	Title    string  `orm:"size:200"`
	AuthorID int     `orm:"foreign_key:authors.id"`
	Author   *Author `orm:"relationship,back_populates:Books"`
}

func main() {
	engine, err := orm.CreateEngine("sqlite://", orm.Echo(true))
	if err != nil {
		fmt.Println("engine:", err)
		return
	}

	base := orm.NewBase()
	base.Map(Author{}, "authors")
	base.Map(Book{}, "books")
	base.CreateAll(engine)

	session := orm.NewSession(engine)
	defer session.Close()

	tolkien := &Author{Name: "J. R. R. Tolkien"}
	tolkien.Books = append(tolkien.Books,
		&Book{Title: "The Hobbit"},
		&Book{Title: "The Lord of the Rings"},
	)
	session.Add(tolkien) // the cascade adds the books too
	leGuin := &Author{Name: "Ursula K. Le Guin"}
	leGuin.Books = append(leGuin.Books, &Book{Title: "A Wizard of Earthsea"})
	session.Add(leGuin)
	session.Commit()

	var books []*Book
	session.Query(&books).Join("Author").
		Filter(orm.Col("authors.name").Eq("Ursula K. Le Guin")).
		OrderBy(orm.Desc(orm.Col("books.title"))).All()
	for _, b := range books {
		fmt.Printf("%s by %s\n", b.Title, b.Author.Name)
	}
}
