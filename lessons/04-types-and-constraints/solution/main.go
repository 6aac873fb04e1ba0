// Lesson 4, solved: a second check, quantity <= 100, refuses a product with 500.
package main

import (
	"fmt"

	"ormlab/orm"
)

// Product shows the common column types and the rules a table can enforce.
type Product struct {
	ID       int     `orm:"primary_key"`
	Title    string  `orm:"size:32,unique"` // VARCHAR(32), no two alike
	InStock  bool    // BOOLEAN, BOOL or BIT
	Quantity int     `orm:"server_default:1"`           // filled in by the database
	Price    float64 `orm:"type:numeric(10,2)"`         // an exact decimal in the database
	Category string  `orm:"size:20,index,default:misc"` // filled in by the ORM; indexed
	Note     *string `orm:"size:100"`                   // a pointer can be nil: NULL
}

func main() {
	engine, err := orm.CreateEngine("sqlite://", orm.Echo(true))
	if err != nil {
		fmt.Println("engine:", err)
		return
	}
	base := orm.NewBase()
	_, err = base.Map(Product{}, "products",
		orm.TableArgs(
			orm.CheckConstraint("price >= 0", "price_not_negative"),
			orm.CheckConstraint("quantity <= 100", "quantity_at_most_100")))
	if err != nil {
		fmt.Println("map:", err)
		return
	}
	if err := base.CreateAll(engine); err != nil {
		fmt.Println("create:", err)
		return
	}

	session := orm.NewSession(engine)
	defer session.Close()
	fragile := "handle with care"
	lamp := &Product{Title: "Lamp", InStock: true, Price: 19.99, Note: &fragile}
	chair := &Product{Title: "Chair", Quantity: 4, Price: 45.50, Category: "home"}
	session.AddAll(lamp, chair)
	if err := session.Commit(); err != nil {
		fmt.Println("commit:", err)
		return
	}
	// The database chose lamp's quantity: read the row back to see it.
	if err := session.Refresh(lamp); err != nil {
		fmt.Println("refresh:", err)
	}
	fmt.Printf("%s: %s, quantity %d, in stock %v, note %q\n",
		lamp.Title, lamp.Category, lamp.Quantity, lamp.InStock, *lamp.Note)
	fmt.Printf("%s: %s, quantity %d, in stock %v, note is nil: %v\n",
		chair.Title, chair.Category, chair.Quantity, chair.InStock, chair.Note == nil)

	// Two rows the constraints refuse: each Commit fails and rolls back.
	session.Add(&Product{Title: "Lamp", Price: 5})
	if err := session.Commit(); err != nil {
		fmt.Println("refused:", err)
	}
	session.Add(&Product{Title: "Kite", Price: -1})
	if err := session.Commit(); err != nil {
		fmt.Println("refused:", err)
	}
	session.Add(&Product{Title: "Crate", Quantity: 500, Price: 3})
	if err := session.Commit(); err != nil {
		fmt.Println("refused:", err)
	}
}
