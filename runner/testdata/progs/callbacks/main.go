// Closures made in a loop and handed to compiled code (the ORM's virtual
// clock, the standard library) keep the values of their own iteration.
package main

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"ormlab/orm"
)

func main() {
	clock := orm.NewVirtualClock()
	for _, name := range []string{"ann", "bob", "cy"} {
		clock.Go(func() {
			clock.Sleep(time.Duration(len(name)) * time.Second)
			fmt.Println(clock.Since(), "hello from", name)
		})
	}
	for i := 0; i < 3; i++ {
		clock.Go(func() { fmt.Println("worker", i) })
	}
	clock.Wait()

	var later []func() string
	for _, w := range []string{"x", "y"} {
		later = append(later, func() string { return strings.Map(func(r rune) rune { return r + 1 }, w) })
	}
	for _, f := range later {
		fmt.Println(f())
	}
	people := []string{"cy", "ann", "bob"}
	sort.Slice(people, func(i, j int) bool { return people[i] < people[j] })
	fmt.Println(people)
}
