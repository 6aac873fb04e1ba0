// An ORM program: two models, one-to-many, echo on, a query with a filter.
package main

import (
	"fmt"

	"ormlab/orm"
)

type User struct {
	ID    int     `orm:"primary_key"`
	Name  string  `orm:"size:50,not_null"`
	Posts []*Post `orm:"relationship,back_populates:Author"`
}

type Post struct {
	ID       int    `orm:"primary_key"`
	Title    string `orm:"size:200"`
	AuthorID int    `orm:"foreign_key:users.id"`
	Author   *User  `orm:"relationship,back_populates:Posts"`
}

func main() {
	engine, err := orm.CreateEngine("sqlite://", orm.Echo(true))
	if err != nil {
		fmt.Println("engine:", err)
		return
	}
	base := orm.NewBase()
	if _, err := base.Map(User{}, "users"); err != nil {
		fmt.Println("map:", err)
		return
	}
	if _, err := base.Map(Post{}, "posts"); err != nil {
		fmt.Println("map:", err)
		return
	}
	if err := base.CreateAll(engine); err != nil {
		fmt.Println("create:", err)
		return
	}
	session := orm.NewSession(engine)
	defer session.Close()
	ada := &User{Name: "Ada"}
	ada.Posts = append(ada.Posts, &Post{Title: "Notes on the engine"}, &Post{Title: "Bernoulli numbers"})
	session.Add(ada)
	session.Add(&User{Name: "Linus"})
	if err := session.Commit(); err != nil {
		fmt.Println("commit:", err)
		return
	}
	var users []*User
	if err := session.Query(&users).OrderBy(orm.Asc("name")).All(); err != nil {
		fmt.Println("query:", err)
		return
	}
	for _, u := range users {
		fmt.Println(u.ID, u.Name)
	}
}
