package ormtest

import "ormlab/orm/core"

func createTable(t *core.Table) core.Executable { return core.CreateTable(t) }

var _ = sortStrings

func sortStrings(a []string) []string {
	out := append([]string(nil), a...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
