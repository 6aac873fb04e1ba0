// Lesson 13: a tree in one table, and users who follow users.
package main

import (
	"fmt"
	"strings"

	"ormlab/orm"
)

// Each category points at its parent in the same table; a top-level
// category has no parent (NULL).
type Category struct {
	ID       int         `orm:"primary_key"`
	Name     string      `orm:"size:50,not_null"`
	ParentID *int        `orm:"foreign_key:categories.id"`
	Parent   *Category   `orm:"relationship,back_populates:Children"`
	Children []*Category `orm:"relationship,back_populates:Parent,cascade:all,delete-orphan,order_by:name"`
}

// Many-to-many from users to users: foreign_key says which column of
// "follows" points at this side.
type User struct {
	ID        int     `orm:"primary_key"`
	Name      string  `orm:"size:50,not_null"`
	Following []*User `orm:"relationship,secondary:follows,foreign_key:follower_id,back_populates:Followers,order_by:name"`
	Followers []*User `orm:"relationship,secondary:follows,foreign_key:followed_id,back_populates:Following,order_by:name"`
}

func main() {
	engine, err := orm.CreateEngine("sqlite://")
	check("engine", err)
	base := orm.NewBase()
	base.Metadata.Table("follows",
		orm.NewColumn("follower_id", orm.Integer(), orm.ForeignKey("users.id"), orm.PrimaryKey()),
		orm.NewColumn("followed_id", orm.Integer(), orm.ForeignKey("users.id"), orm.PrimaryKey()))
	base.Map(Category{}, "categories")
	base.Map(User{}, "users")
	check("create", base.CreateAll(engine))
	session := orm.NewSession(engine)
	defer session.Close()

	// One Add: the cascade reaches every category below the root.
	root := &Category{Name: "Electronics", Children: []*Category{
		{Name: "Computers", Children: []*Category{{Name: "Laptops"}, {Name: "Desktops"}}},
		{Name: "Phones", Children: []*Category{{Name: "Smartphones"}}},
	}}
	check("add", session.Add(root))
	check("commit", session.Commit())

	// Read the tree back: the roots are the rows without a parent, and
	// each Load of a level is one SELECT for all its nodes.
	fresh := orm.NewSession(engine)
	defer fresh.Close()
	var roots []*Category
	check("roots", fresh.Query(&roots).Filter(orm.Col("parent_id").IsNull()).All())
	check("load", fresh.Load(roots, "Children.Children"))
	for _, r := range roots {
		show(r, 0)
	}
	// Loading the children also set their Parent: walk up from a leaf.
	var leaf *Category
	check("leaf", fresh.Query(&leaf).FilterBy("Name", "Smartphones").One())
	path := []string{}
	for c := leaf; c != nil; c = c.Parent {
		path = append([]string{c.Name}, path...)
	}
	fmt.Println("path:", strings.Join(path, " > "))

	// Followers: one table, two roles.
	ann, bob, cid := &User{Name: "Ann"}, &User{Name: "Bob"}, &User{Name: "Cid"}
	ann.Following = []*User{bob, cid}
	bob.Following = []*User{cid}
	check("add", session.AddAll(ann, bob, cid))
	check("commit", session.Commit())
	for _, u := range []*User{ann, bob, cid} {
		fmt.Println(u.Name, "follows", len(u.Following), "and has", len(u.Followers), "followers")
	}
}

// show prints a category and, indented, everything below it.
func show(c *Category, depth int) {
	fmt.Println(strings.Repeat("  ", depth) + c.Name)
	for _, child := range c.Children {
		show(child, depth+1)
	}
}

// check prints an error instead of hiding it.
func check(what string, err error) {
	if err != nil {
		fmt.Println(what+":", err)
	}
}
