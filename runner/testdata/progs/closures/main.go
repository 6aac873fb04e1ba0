// Closures: counters, function values in maps and slices, deferred calls,
// recover, and closures captured per loop iteration.
package main

import (
	"errors"
	"fmt"
	"strings"
)

func counter() (func() int, func()) {
	n := 0
	return func() int { n++; return n }, func() { n = 0 }
}

func apply(xs []int, fs ...func(int) int) []int {
	out := make([]int, len(xs))
	for i, x := range xs {
		for _, f := range fs {
			x = f(x)
		}
		out[i] = x
	}
	return out
}

func safeDivide(a, b int) (q int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	return a / b, nil
}

var ErrEmpty = errors.New("empty input")

func shout(s string) (string, error) {
	if s == "" {
		return "", fmt.Errorf("shout: %w", ErrEmpty)
	}
	return strings.ToUpper(s) + "!", nil
}

func main() {
	next, reset := counter()
	fmt.Println(next(), next(), next())
	reset()
	fmt.Println(next())

	double := func(x int) int { return x * 2 }
	inc := func(x int) int { return x + 1 }
	fmt.Println(apply([]int{1, 2, 3}, double, inc))

	ops := map[string]func(int, int) int{
		"add": func(a, b int) int { return a + b },
		"mul": func(a, b int) int { return a * b },
	}
	for _, name := range []string{"add", "mul"} {
		fmt.Println(name, ops[name](6, 7))
	}

	var printers []func() string
	for i := 0; i < 3; i++ {
		printers = append(printers, func() string { return fmt.Sprint("i=", i) })
	}
	for _, p := range printers {
		fmt.Println(p())
	}

	q, err := safeDivide(10, 0)
	fmt.Println(q, err)
	q, err = safeDivide(10, 3)
	fmt.Println(q, err)

	_, err = shout("")
	fmt.Println(err, errors.Is(err, ErrEmpty))
	s, _ := shout("hello")
	fmt.Println(s)

	for i := 3; i > 0; i-- {
		defer fmt.Println("deferred", i)
	}
}
