// Lesson 14, solution: Bob's order gets a second line, two bottles of ink.
package main

import (
	"fmt"

	"ormlab/orm"
)

// A product does not list its order lines: lines point at products, and a
// query finds them (see the lesson text for why there is no Lines here).
type Product struct {
	ID    int     `orm:"primary_key"`
	Name  string  `orm:"size:50,not_null"`
	Price float64 `orm:"not_null"`
}

type Order struct {
	ID       int          `orm:"primary_key"`
	Customer string       `orm:"size:50,not_null"`
	Lines    []*OrderLine `orm:"relationship,back_populates:Order,cascade:all,delete-orphan"`
}

// OrderLine is the link itself, a model of its own: two foreign keys
// (together its primary key) plus what the link knows, the quantity.
type OrderLine struct {
	OrderID   int      `orm:"primary_key,foreign_key:orders.id"`
	ProductID int      `orm:"primary_key,foreign_key:products.id"`
	Quantity  int      `orm:"not_null"`
	Order     *Order   `orm:"relationship,back_populates:Lines"`
	Product   *Product `orm:"relationship"`
}

func main() {
	engine, err := orm.CreateEngine("sqlite://")
	check("engine", err)
	base := orm.NewBase()
	base.Map(Product{}, "products")
	base.Map(Order{}, "orders")
	base.Map(OrderLine{}, "order_lines")
	check("create", base.CreateAll(engine))
	session := orm.NewSession(engine)
	defer session.Close()

	pen := &Product{Name: "pen", Price: 1.50}
	ink := &Product{Name: "ink", Price: 4.00}
	paper := &Product{Name: "paper", Price: 0.25}
	ann := &Order{Customer: "Ann", Lines: []*OrderLine{
		{Product: pen, Quantity: 3}, {Product: paper, Quantity: 100}}}
	bob := &Order{Customer: "Bob", Lines: []*OrderLine{
		{Product: pen, Quantity: 10}, {Product: ink, Quantity: 2}}}
	// Adding the orders adds their lines, and the lines bring the products;
	// ink is in no order yet, so it is added by itself.
	check("add", session.AddAll(ink, ann, bob))
	check("commit", session.Commit())

	// The quantity is an ordinary column: change it and commit.
	ann.Lines[0].Quantity = 4
	check("commit", session.Commit())

	// Read back: orders → lines → products, one SELECT per step.
	fresh := orm.NewSession(engine)
	defer fresh.Close()
	var orders []*Order
	check("orders", fresh.Query(&orders).OrderBy("customer").
		Options(orm.SelectinLoad("Lines.Product")).All())
	for _, o := range orders {
		total := 0.0
		for _, l := range o.Lines {
			fmt.Printf("%s: %d x %s\n", o.Customer, l.Quantity, l.Product.Name)
			total += float64(l.Quantity) * l.Product.Price
		}
		fmt.Printf("%s: total %.2f\n", o.Customer, total)
	}
	// From the product's side: a query over the link, joined to products.
	var lines []*OrderLine
	check("pens", fresh.Query(&lines).Join("Product").
		Filter(orm.Col("products.name").Eq("pen")).All())
	sold := 0
	for _, l := range lines {
		sold += l.Quantity
	}
	fmt.Println("pens sold:", sold, "in", len(lines), "orders")
}

// check prints an error instead of hiding it.
func check(what string, err error) {
	if err != nil {
		fmt.Println(what+":", err)
	}
}
