// Lesson 3: one program, four databases.
package main

import (
	"fmt"

	"ormlab/orm"
)

// Note has a boolean and a column named with an SQL keyword ("order"),
// two things the dialects write differently.
type Note struct {
	ID     int    `orm:"primary_key"`
	Text   string `orm:"size:80,not_null"`
	Pinned bool
	Order  int
}

func main() {
	urls := []string{
		"sqlite://",
		"postgresql://learner@db.example/notes",
		"mysql+pymysql://learner@db.example/notes",
		"mssql+pyodbc://learner@db.example/notes",
	}
	for _, url := range urls {
		fmt.Println("=====", url)
		if err := demo(url); err != nil {
			fmt.Println("error:", err)
		}
	}
}

func demo(url string) error {
	// Simulated(true): the SQL is written in the URL's dialect but runs on
	// an in-memory SQLite, so no server is needed (the playground does this
	// for every server URL anyway).
	engine, err := orm.CreateEngine(url, orm.Simulated(true), orm.Echo(true))
	if err != nil {
		return err
	}
	defer engine.Dispose()
	fmt.Println("dialect:", engine.Dialect().Name())

	base := orm.NewBase()
	notes, err := base.Map(Note{}, "notes")
	if err != nil {
		return err
	}
	if err := base.CreateAll(engine); err != nil {
		return err
	}

	session := orm.NewSession(engine)
	defer session.Close()
	session.Add(&Note{Text: "buy milk", Pinned: true, Order: 2})
	session.Add(&Note{Text: "call Ada", Order: 1})
	if err := session.Commit(); err != nil {
		return err
	}

	var first *Note // LIMIT 1, or TOP 1 on SQL Server
	if err := session.Query(&first).Filter(notes.C("Pinned").Eq(true)).First(); err != nil {
		return err
	}
	fmt.Println("first pinned:", first.Text)

	var page []*Note // the second note: OFFSET, or OFFSET … FETCH on SQL Server
	if err := session.Query(&page).OrderBy("order").Limit(1).Offset(1).All(); err != nil {
		return err
	}
	fmt.Println("second in order:", page[0].Text)
	return nil
}
