// Lesson 9, solved: "Farmer Giles" moves to a new author before Tolkien drops it, so it is updated, not deleted.
package main

import (
	"fmt"

	"ormlab/orm"
)

// Books belong to their author: save-update, delete and delete-orphan.
type Author struct {
	ID    int     `orm:"primary_key"`
	Name  string  `orm:"size:50"`
	Books []*Book `orm:"relationship,back_populates:Author,cascade:all,delete-orphan"`
}

type Book struct {
	ID       int     `orm:"primary_key"`
	Title    string  `orm:"size:50"`
	AuthorID int     `orm:"foreign_key:authors.id"`
	Author   *Author `orm:"relationship,back_populates:Books"`
}

// Posts are removed by the database itself: ON DELETE CASCADE.
type Blog struct {
	ID    int     `orm:"primary_key"`
	Name  string  `orm:"size:50"`
	Posts []*Post `orm:"relationship,cascade:all,delete-orphan,passive_deletes:true"`
}

type Post struct {
	ID     int    `orm:"primary_key"`
	Title  string `orm:"size:50"`
	BlogID int    `orm:"foreign_key:blogs.id,on_delete:cascade"`
}

func main() {
	engine, err := orm.CreateEngine("sqlite://", orm.Echo(true))
	check("engine", err)
	base := orm.NewBase()
	base.Map(Author{}, "authors")
	base.Map(Book{}, "books")
	base.Map(Blog{}, "blogs")
	base.Map(Post{}, "posts")
	check("create", base.CreateAll(engine))
	session := orm.NewSession(engine)
	defer session.Close()

	fmt.Println("--- save-update: adding the author adds the books")
	tolkien := &Author{Name: "Tolkien", Books: []*Book{
		{Title: "The Hobbit"}, {Title: "The Silmarillion"}, {Title: "Farmer Giles"}}}
	blog := &Blog{Name: "Notes", Posts: []*Post{{Title: "Hello"}, {Title: "Again"}}}
	check("add", session.AddAll(tolkien, blog))
	check("commit", session.Commit())

	fmt.Println("--- delete-orphan: a book taken out of the list is deleted")
	check("add", session.Add(&Author{Name: "Lewis", Books: []*Book{tolkien.Books[2]}}))
	tolkien.Books = tolkien.Books[:2]
	check("commit", session.Commit())

	fmt.Println("--- delete: deleting the author deletes the books first")
	fresh := orm.NewSession(engine) // the books are not loaded here
	defer fresh.Close()
	var author *Author
	check("query", fresh.Query(&author).FilterBy("Name", "Tolkien").One())
	check("delete", fresh.Delete(author))
	check("commit", fresh.Commit())

	fmt.Println("--- passive deletes: one DELETE, the database removes the posts")
	var b *Blog
	check("query", fresh.Query(&b).FilterBy("Name", "Notes").One())
	check("delete", fresh.Delete(b))
	check("commit", fresh.Commit())

	books, err := fresh.Query(&[]*Book{}).Count()
	check("count", err)
	posts, err := fresh.Query(&[]*Post{}).Count()
	check("count", err)
	fmt.Println("books left:", books, "posts left:", posts)
}

// check prints an error instead of hiding it.
func check(what string, err error) {
	if err != nil {
		fmt.Println(what+":", err)
	}
}
