// Lesson 1, solved: a third user.
package main

import (
	"fmt"

	"ormlab/orm"
)

// User is mapped to the table "users": each field becomes a column.
type User struct {
	ID    int    `orm:"primary_key"`
	Name  string `orm:"size:50,not_null"`
	Email string `orm:"size:100"`
}

func main() {
	engine, err := orm.CreateEngine("sqlite://", orm.Echo(true))
	if err != nil {
		fmt.Println("engine:", err)
		return
	}

	base := orm.NewBase()
	base.Map(User{}, "users")
	base.CreateAll(engine)

	session := orm.NewSession(engine)
	defer session.Close()

	session.Add(&User{Name: "Ada", Email: "ada@example.com"})
	session.Add(&User{Name: "Linus", Email: "linus@example.com"})
	session.Add(&User{Name: "Grace", Email: "grace@example.com"})
	session.Commit()

	var users []*User
	session.Query(&users).OrderBy("name").All()
	for _, u := range users {
		fmt.Println(u.ID, u.Name, u.Email)
	}
}
