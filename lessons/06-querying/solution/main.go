// Lesson 6, solved: the states with more than 150 people in 2008, with GROUP BY and HAVING.
package main

import (
	"errors"
	"fmt"

	"ormlab/orm"
)

// Census is one row of a (tiny) census: people of one age and sex in a state.
type Census struct {
	ID      int    `orm:"primary_key"`
	State   string `orm:"size:30"`
	Sex     string `orm:"size:1"`
	Age     int
	Pop2000 int
	Pop2008 int
}

func main() {
	engine, err := orm.CreateEngine("sqlite://")
	check("engine", err)
	base := orm.NewBase()
	census, err := base.Map(Census{}, "census")
	check("map", err)
	check("create", base.CreateAll(engine))
	session := orm.NewSession(engine)
	defer session.Close()
	session.AddAll([]*Census{
		{State: "California", Sex: "F", Age: 30, Pop2000: 100, Pop2008: 110},
		{State: "California", Sex: "M", Age: 30, Pop2000: 90, Pop2008: 95},
		{State: "Texas", Sex: "F", Age: 30, Pop2000: 80, Pop2008: 90},
		{State: "Texas", Sex: "M", Age: 40, Pop2000: 70, Pop2008: 85},
		{State: "New York", Sex: "F", Age: 40, Pop2000: 60, Pop2008: 61},
		{State: "Ohio", Sex: "M", Age: 40, Pop2000: 50, Pop2008: 49},
	})
	if err := session.Commit(); err != nil {
		fmt.Println("commit:", err)
		return
	}
	state, sex, pop := census.C("State"), census.C("Sex"), census.C("Pop2008")

	var rows []*Census
	show := func(title string, err error) {
		fmt.Printf("%-28s", title)
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		for _, r := range rows {
			fmt.Printf(" %s/%s/%d", r.State, r.Sex, r.Pop2008)
		}
		fmt.Println()
	}
	show("women:", session.Query(&rows).FilterBy("Sex", "F").All())
	show("Texas or New York:", session.Query(&rows).Filter(state.In("Texas", "New York")).All())
	show("California, not men:", session.Query(&rows).Filter(orm.And(state.Eq("California"), orm.Not(sex.Eq("M")))).All())
	show("over 80 or in Ohio:", session.Query(&rows).Filter(orm.Or(pop.Gt(80), state.Eq("Ohio"))).All())
	show("state starts with 'N':", session.Query(&rows).Filter(state.Like("N%")).All())
	show("biggest first, top 3:", session.Query(&rows).OrderBy(orm.Desc(pop)).Limit(3).All())
	show("page 2 (2 per page):", session.Query(&rows).OrderBy("id").Limit(2).Offset(2).All())

	n, err := session.Query(&rows).Filter(census.C("Age").Eq(40)).Count()
	check("count", err)
	fmt.Println("rows for age 40:", n)

	var first *Census
	check("first", session.Query(&first).OrderBy("-pop2000").First())
	fmt.Println("largest in 2000:", first.State, first.Sex)
	err = session.Query(&first).FilterBy("State", "Texas").One()
	fmt.Println("One Texas row?", err, "| is ErrMultipleResults:", errors.Is(err, orm.ErrMultipleResults))

	var total int64
	check("sum", session.Query(&total).From(Census{}).Select(orm.Sum(pop)).Scalar())
	fmt.Println("total in 2008:", total)

	type bySex struct {
		Sex   string
		Total int64
	}
	var groups []bySex
	err = session.Query(&groups).From(Census{}).
		Select(sex, orm.Sum(pop).Label("total")).GroupBy("Sex").OrderBy("Sex").All()
	check("group", err)
	fmt.Println("2008 by sex:", groups)

	type byState struct {
		State string
		Total int64
	}
	var big []byState
	err = session.Query(&big).From(Census{}).
		Select(state, orm.Sum(pop).Label("total")).GroupBy("State").
		Having(orm.Sum(pop).Gt(150)).OrderBy("State").All()
	check("having", err)
	fmt.Println("states over 150 in 2008:", big)
}

// check prints an error instead of hiding it.
func check(what string, err error) {
	if err != nil {
		fmt.Println(what+":", err)
	}
}
