// Lesson 8, solved: Mary takes Python too.
package main

import (
	"fmt"

	"ormlab/orm"
)

// A student takes many courses; a course has many students. The pairs live
// in the table "enrollments", named by secondary: on both sides.
type Student struct {
	ID      int       `orm:"primary_key"`
	Name    string    `orm:"size:50,not_null"`
	Courses []*Course `orm:"relationship,secondary:enrollments,back_populates:Students,order_by:name"`
}

type Course struct {
	ID       int        `orm:"primary_key"`
	Name     string     `orm:"size:50,not_null"`
	Students []*Student `orm:"relationship,secondary:enrollments,back_populates:Courses,order_by:name"`
}

func main() {
	engine, err := orm.CreateEngine("sqlite://")
	check("engine", err)
	base := orm.NewBase()
	// The association table has no model: just two foreign keys.
	base.Metadata.Table("enrollments",
		orm.NewColumn("student_id", orm.Integer(), orm.ForeignKey("students.id"), orm.PrimaryKey()),
		orm.NewColumn("course_id", orm.Integer(), orm.ForeignKey("courses.id"), orm.PrimaryKey()))
	base.Map(Student{}, "students")
	base.Map(Course{}, "courses")
	check("create", base.CreateAll(engine))
	session := orm.NewSession(engine)
	defer session.Close()

	python := &Course{Name: "Python"}
	databases := &Course{Name: "Databases"}
	john := &Student{Name: "John", Courses: []*Course{python, databases}} // from the student's side
	mary := &Student{Name: "Mary", Courses: []*Course{python}}
	databases.Students = append(databases.Students, mary) // from the course's side
	check("add", session.AddAll(john, databases))
	check("commit", session.Commit())
	fmt.Println("after commit, Mary's courses:", names(mary.Courses))

	// John drops Python: only the pair goes, both rows stay.
	john.Courses = []*Course{databases}
	check("commit", session.Commit())

	// Read it back in a fresh session, from both sides.
	fresh := orm.NewSession(engine)
	defer fresh.Close()
	var students []*Student
	check("query", fresh.Query(&students).OrderBy("name").All())
	check("load", fresh.Load(students, "Courses")) // one SELECT for all students
	for _, s := range students {
		fmt.Println(s.Name, "takes", names(s.Courses))
	}
	var takers []*Student
	check("join", fresh.Query(&takers).Join("Courses").
		Filter(orm.Col("courses.name").Eq("Databases")).OrderBy("name").All())
	fmt.Print("Databases is taken by")
	for _, s := range takers {
		fmt.Print(" ", s.Name)
	}
	fmt.Println()
}

func names(courses []*Course) []string {
	out := []string{}
	for _, c := range courses {
		out = append(out, c.Name)
	}
	return out
}

// check prints an error instead of hiding it.
func check(what string, err error) {
	if err != nil {
		fmt.Println(what+":", err)
	}
}
