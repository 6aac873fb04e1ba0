// A program in two files: the models in models.go, the code here.
package main

import "fmt"

func main() {
	inv := NewInventory()
	inv.Add(Item{SKU: "A-1", Name: "bolt", Qty: 100})
	inv.Add(Item{SKU: "B-2", Name: "nut", Qty: 250})
	inv.Add(Item{SKU: "A-1", Name: "bolt", Qty: 20})
	for _, it := range inv.Sorted() {
		fmt.Printf("%-4s %-5s %4d\n", it.SKU, it.Name, it.Qty)
	}
	fmt.Println("total:", inv.Total())
}
