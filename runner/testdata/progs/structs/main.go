// Structs with tags, slices of pointers to structs, methods, embedding,
// maps, sorting and JSON.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

type Address struct {
	City    string `json:"city"`
	Country string `json:"country,omitempty"`
}

type User struct {
	ID      int      `json:"id" orm:"primary_key"`
	Name    string   `json:"name" orm:"size:50,not_null"`
	Email   string   `json:"email,omitempty"`
	Tags    []string `json:"tags"`
	Address *Address `json:"address,omitempty"`
	secret  string
}

func (u *User) Greeting() string { return "Hello, " + u.Name }

type Temperature float64

func (t Temperature) String() string { return fmt.Sprintf("%.1f°C", float64(t)) }

type NotFoundError struct{ Name string }

func (e *NotFoundError) Error() string { return "user " + e.Name + " not found" }

func find(users []*User, name string) (*User, error) {
	for _, u := range users {
		if u.Name == name {
			return u, nil
		}
	}
	return nil, fmt.Errorf("find: %w", &NotFoundError{Name: name})
}

func main() {
	users := []*User{
		{ID: 3, Name: "carol", Tags: []string{"admin"}},
		{ID: 1, Name: "alice", Email: "alice@example.com", Address: &Address{City: "Paris", Country: "FR"}},
		{ID: 2, Name: "bob", Tags: []string{}},
	}
	sort.Slice(users, func(i, j int) bool { return users[i].ID < users[j].ID })
	for _, u := range users {
		fmt.Println(u.ID, u.Name, u.Greeting())
	}

	byName := map[string]*User{}
	for _, u := range users {
		byName[u.Name] = u
	}
	byName["bob"].Email = "bob@example.com"
	fmt.Println(users[1].Email)

	var ptrs []*User
	for _, u := range users {
		ptrs = append(ptrs, u)
	}
	ptrs[0].Name = strings.Title("alice")
	fmt.Println(users[0].Name)

	b, err := json.Marshal(users)
	fmt.Println(string(b), err)

	var back []*User
	if err := json.Unmarshal(b, &back); err != nil {
		fmt.Println("unmarshal:", err)
	}
	fmt.Println(len(back), back[0].Address.City, back[2].Tags == nil)

	indented, _ := json.MarshalIndent(map[string]any{"n": 1, "list": []int{1, 2}}, "", "  ")
	fmt.Println(string(indented))

	fmt.Println(Temperature(21.456))
	fmt.Printf("%v %+v\n", *users[1], Address{City: "Oslo"})

	_, err = find(users, "dave")
	var nf *NotFoundError
	if errors.As(err, &nf) {
		fmt.Println("missing:", nf.Name, "-", err)
	}

	counts := map[string]int{}
	for _, w := range strings.Fields("the cat and the hat and the bat") {
		counts[w]++
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("%s=%d ", k, counts[k])
	}
	fmt.Println()

	grid := [3][3]int{}
	for i := range grid {
		for j := range grid[i] {
			grid[i][j] = i * j
		}
	}
	fmt.Println(grid)
}
