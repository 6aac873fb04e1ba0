// Lesson 3, solved: the field Order renamed Position, so no dialect quotes the column.
package main

import (
	"fmt"

	"ormlab/orm"
)

// Note has a boolean, which the dialects write differently, and a column
// named Position: not an SQL keyword, so no dialect quotes it.
type Note struct {
	ID       int    `orm:"primary_key"`
	Text     string `orm:"size:80,not_null"`
	Pinned   bool
	Position int
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
	session.Add(&Note{Text: "buy milk", Pinned: true, Position: 2})
	session.Add(&Note{Text: "call Ada", Position: 1})
	if err := session.Commit(); err != nil {
		return err
	}

	var first *Note // LIMIT 1, or TOP 1 on SQL Server
	if err := session.Query(&first).Filter(notes.C("Pinned").Eq(true)).First(); err != nil {
		return err
	}
	fmt.Println("first pinned:", first.Text)

	var page []*Note // the second note: OFFSET, or OFFSET … FETCH on SQL Server
	if err := session.Query(&page).OrderBy("position").Limit(1).Offset(1).All(); err != nil {
		return err
	}
	fmt.Println("second in order:", page[0].Text)
	return nil
}
