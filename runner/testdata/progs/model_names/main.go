// Model names: the interpreter must call models what Go calls them, in
// errors and in Inspect, however the program maps them.
package main

import (
	"errors"
	"fmt"

	"ormlab/orm"
)

type Product struct {
	ID   int    `orm:"primary_key"`
	Code string `orm:"size:10,unique"`
}

type Person struct {
	ID   int    `orm:"primary_key"`
	Name string `orm:"size:20"`
}

// shelf has a Map method of its own: the runner must leave its calls alone.
type shelf struct{ names []string }

func (s *shelf) Map(p Product, label string) { s.names = append(s.names, label+":"+p.Code) }

var base = orm.NewBase()

func main() {
	e, err := orm.CreateEngine("sqlite://")
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := base.Map(&Product{}, "products"); err != nil {
		fmt.Println(err)
		return
	}
	// an explicit name wins
	if _, err := base.Map(Person{}, "people", orm.ModelName("Writer")); err != nil {
		fmt.Println(err)
		return
	}
	if err := base.CreateAll(e); err != nil {
		fmt.Println(err)
		return
	}
	s := orm.NewSession(e)
	defer s.Close()
	p := &Product{Code: "A1"}
	w := &Person{Name: "Ann"}
	s.AddAll(p, w)
	fmt.Println(orm.Inspect(p).Model, orm.Inspect(w).Model)
	s.Commit()
	s.Add(&Product{Code: "A1"})
	err = s.Commit()
	var fe *orm.FlushError
	if errors.As(err, &fe) {
		fmt.Println("flush error names", fe.Model)
	}
	var sh shelf
	sh.Map(Product{Code: "B2"}, "own")
	fmt.Println(sh.names)
}
