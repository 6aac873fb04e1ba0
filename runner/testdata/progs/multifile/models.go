package main

import (
	"fmt"
	"sort"
)

type Item struct {
	SKU  string
	Name string
	Qty  int
}

type Inventory struct {
	items map[string]*Item
}

func NewInventory() *Inventory { return &Inventory{items: map[string]*Item{}} }

func (inv *Inventory) Add(it Item) {
	if cur, ok := inv.items[it.SKU]; ok {
		cur.Qty += it.Qty
		return
	}
	c := it
	inv.items[it.SKU] = &c
}

func (inv *Inventory) Sorted() []*Item {
	out := make([]*Item, 0, len(inv.items))
	for _, it := range inv.items {
		out = append(out, it)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SKU < out[j].SKU })
	return out
}

func (inv *Inventory) Total() string {
	n := 0
	for _, it := range inv.items {
		n += it.Qty
	}
	return fmt.Sprintf("%d items", n)
}
