// Lesson 11, solved: a third kind of employee, Intern.
package main

import (
	"fmt"

	"ormlab/orm"
)

// Employee is the base model; Kind is the discriminator column.
type Employee struct {
	ID   int    `orm:"primary_key"`
	Kind string `orm:"size:20"`
	Name string `orm:"size:50"`
}

// Manager and Engineer embed Employee: their tables hold only their own
// columns, and their id is also a foreign key to employees.id.
type Manager struct {
	Employee
	Team string `orm:"size:30"`
}

type Engineer struct {
	Employee
	Language string `orm:"size:20"`
}

type Intern struct {
	Employee
	Mentor string `orm:"size:50"`
}

func main() {
	engine, err := orm.CreateEngine("sqlite://")
	check("engine", err)
	base := orm.NewBase()
	_, err = base.Map(Employee{}, "employees", orm.PolymorphicOn("Kind"), orm.PolymorphicIdentity("employee"))
	check("map", err)
	_, err = base.MapInherited(Manager{}, "managers", Employee{}, orm.PolymorphicIdentity("manager"))
	check("map", err)
	_, err = base.MapInherited(Engineer{}, "engineers", Employee{}, orm.PolymorphicIdentity("engineer"))
	check("map", err)
	_, err = base.MapInherited(Intern{}, "interns", Employee{}, orm.PolymorphicIdentity("intern"))
	check("map", err)
	check("create", base.CreateAll(engine))

	// Print every statement from here on, values inlined.
	orm.OnAfterExecute(engine, func(ev *orm.ExecuteEvent) { fmt.Println("   SQL:", ev.SQL) })

	fmt.Println("== save three people")
	s := orm.NewSession(engine)
	grace := &Manager{Employee: Employee{Name: "Grace"}, Team: "Compilers"}
	check("add", s.AddAll(
		grace,
		&Engineer{Employee: Employee{Name: "Ken"}, Language: "Go"},
		&Employee{Name: "Linus"},
		&Intern{Employee: Employee{Name: "Ada"}, Mentor: "Grace"},
	))
	check("commit", s.Commit())
	fmt.Printf("grace: id=%d kind=%q\n", grace.ID, grace.Kind)
	s.Close()

	fmt.Println("== everyone, each as their own type")
	s = orm.NewSession(engine)
	defer s.Close()
	var staff []any
	var ken *Engineer
	check("query", s.QueryPolymorphic(&staff, Employee{}))
	for _, person := range staff {
		switch p := person.(type) {
		case *Manager:
			fmt.Printf("%-6s manager of %s\n", p.Name, p.Team)
		case *Engineer:
			ken = p
			fmt.Printf("%-6s engineer, writes %s\n", p.Name, p.Language)
		case *Intern:
			fmt.Printf("%-6s intern, mentored by %s\n", p.Name, p.Mentor)
		case *Employee:
			fmt.Printf("%-6s employee (%s)\n", p.Name, p.Kind)
		}
	}

	fmt.Println("== only the engineers")
	var engineers []*Engineer
	check("query", s.Query(&engineers).All())
	for _, e := range engineers {
		fmt.Printf("%s (%s), same object as before: %v\n", e.Name, e.Language, e == ken)
	}

	fmt.Println("== change a base field and a subclass field")
	ken.Name, ken.Language = "Ken T.", "C"
	check("commit", s.Commit())
}

// check prints an error instead of hiding it.
func check(what string, err error) {
	if err != nil {
		fmt.Println(what+":", err)
	}
}
