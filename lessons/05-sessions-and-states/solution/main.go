// Lesson 5, solved: the session is closed instead of committed after the delete, so the row survives.
package main

import (
	"fmt"

	"ormlab/orm"
)

type User struct {
	ID   int    `orm:"primary_key"`
	Name string `orm:"size:50"`
}

// show prints what the ORM knows about an object.
func show(step string, u *User) {
	info := orm.Inspect(u)
	fmt.Printf("%-20s %-10v id=%d name=%-14q modified=%v expired=%v\n",
		step, info.State, u.ID, u.Name, info.Modified, info.Expired)
}

// check prints an error instead of hiding it.
func check(what string, err error) {
	if err != nil {
		fmt.Println(what+":", err)
	}
}

func main() {
	engine, err := orm.CreateEngine("sqlite://")
	check("engine", err)
	base := orm.NewBase()
	_, err = base.Map(User{}, "users")
	check("map", err)
	check("create", base.CreateAll(engine))
	session := orm.NewSession(engine)
	defer session.Close()

	ada := &User{Name: "Ada"}
	show("new Go value", ada)
	check("add", session.Add(ada))
	show("after Add", ada)
	check("flush", session.Flush())
	show("after Flush", ada)
	check("commit", session.Commit())
	show("after Commit", ada)

	// The identity map: one row, one pointer, however you ask for it.
	var byName, byKey *User
	check("query", session.Query(&byName).FilterBy("Name", "Ada").First())
	check("get", session.Get(&byKey, ada.ID))
	fmt.Println("same pointer:", byName == ada, byKey == ada)

	// Dirty tracking: a change is found by comparing with a snapshot.
	ada.Name = "Ada Lovelace"
	show("after a change", ada)
	fmt.Println("dirty objects:", len(session.Dirty()))
	check("rollback", session.Rollback())
	show("after Rollback", ada)

	// Commit or roll back: the second user reuses ada's key, so nothing is saved.
	fmt.Println("save two:", save(session, &User{Name: "Grace"}, &User{ID: ada.ID, Name: "Clash"}))
	fmt.Println("save one:", save(session, &User{Name: "Grace"}))

	// Someone else changes the row behind the session's back; Refresh reads it again.
	_, err = session.Execute(orm.Text("UPDATE users SET name = :n WHERE id = :id"),
		map[string]any{"n": "Countess Ada", "id": ada.ID})
	check("update", err)
	check("refresh", session.Refresh(ada))
	show("after Refresh", ada)

	check("delete", session.Delete(ada))
	check("flush", session.Flush())
	show("after Delete+Flush", ada)
	session.Close() // rolls the open transaction back: the DELETE is undone
	show("after Close", ada)
}

// save adds users and commits them all, or none.
func save(session *orm.Session, users ...*User) error {
	for _, u := range users {
		if err := session.Add(u); err != nil {
			return err
		}
	}
	if err := session.Commit(); err != nil {
		session.Rollback() // Commit has already rolled back: this is harmless
		return err
	}
	return nil
}
