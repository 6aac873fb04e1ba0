// Lesson 7, solved: a raw UPDATE with bound parameters renames film 2; the quote is harmless.
package main

import (
	"fmt"

	"ormlab/orm"
)

type Film struct {
	ID     int    `orm:"primary_key"`
	Title  string `orm:"size:100"`
	Year   int
	Rating float64
}

func main() {
	engine, err := orm.CreateEngine("sqlite://", orm.Echo(true))
	check("engine", err)
	base := orm.NewBase()
	films, err := base.Map(Film{}, "films")
	check("map", err)
	check("create", base.CreateAll(engine))
	session := orm.NewSession(engine)
	defer session.Close()
	session.AddAll(
		&Film{Title: "Metropolis", Year: 1927, Rating: 8.3},
		&Film{Title: "Casablanca", Year: 1942, Rating: 8.5},
		&Film{Title: "Plan 9", Year: 1957, Rating: 3.9},
		&Film{Title: "Alien", Year: 1979, Rating: 8.5},
	)
	check("commit", session.Commit())

	fmt.Println("--- 1. change one object: only the changed column is written")
	var film *Film
	check("get", session.Get(&film, 1))
	film.Title = "Metropolis (restored)"
	check("commit", session.Commit())

	fmt.Println("--- 2. delete one object")
	var plan9 *Film
	check("query", session.Query(&plan9).FilterBy("Title", "Plan 9").One())
	check("delete", session.Delete(plan9))
	check("commit", session.Commit())

	fmt.Println("--- 3. bulk update: one UPDATE for every matching row")
	n, err := session.Query(&[]*Film{}).Filter(films.C("Year").Lt(1950)).
		Update(map[string]any{"Rating": films.C("Rating").Add(0.1)})
	check("update", err)
	fmt.Println("rows updated:", n, "- the session's film now has rating", film.Rating)

	fmt.Println("--- 4. bulk delete")
	n, err = session.Query(&[]*Film{}).Filter(films.C("Rating").Lt(8.5)).Delete()
	check("delete", err)
	fmt.Println("rows deleted:", n)
	check("commit", session.Commit())

	fmt.Println("--- 5. raw SQL, values bound as parameters")
	res, err := session.Execute(orm.Text("UPDATE films SET title = upper(title) WHERE year > :year"),
		map[string]any{"year": 1970})
	check("raw update", err)
	fmt.Println("rows changed:", res.RowsAffected())
	res, err = session.Execute(orm.Text("UPDATE films SET title = :t WHERE id = :id"),
		map[string]any{"t": "Rosemary's Baby", "id": 2})
	check("raw rename", err)
	res, err = session.Execute(orm.Text("SELECT title, rating FROM films ORDER BY title"))
	check("raw select", err)
	for _, row := range res.Rows() {
		fmt.Println(row[0], row[1])
	}
	check("commit", session.Commit())
}

// check prints an error instead of hiding it.
func check(what string, err error) {
	if err != nil {
		fmt.Println(what+":", err)
	}
}
