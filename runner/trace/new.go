package trace

// New returns an empty trace whose lists and maps are empty rather than
// nil, so its JSON always has [] and {} where a reader expects them.
func New() *Trace {
	return &Trace{
		Statements: []Statement{},
		Pool:       []PoolEvent{},
		Schema:     Schema{Tables: []SchemaTable{}, Relationships: []Relationship{}},
		Tables:     map[string]Table{},
	}
}
