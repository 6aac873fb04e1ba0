package core

import (
	"fmt"
	"strings"

	"ormlab/dialect"
)

func (c *compiler) createTable(s *CreateTableStmt) {
	t := s.Table
	if t == nil {
		c.fail(&StatementError{Construct: "CREATE TABLE", Reason: "the table is nil"})
		return
	}
	if t.err != nil {
		c.fail(t.err)
		return
	}
	if len(t.cols) == 0 {
		c.fail(&SchemaError{Object: "table " + t.Name, Reason: "has no columns"})
		return
	}
	c.str("CREATE TABLE ")
	if s.ifNotExists {
		if !c.o.CreateIfNotExists {
			c.unsupported("CREATE TABLE IF NOT EXISTS", "use CreateAll with checkfirst")
		}
		c.str("IF NOT EXISTS ")
	}
	c.ident("table", t.Name)
	c.str(" (")
	auto := t.AutoincrementColumn()
	for i, col := range t.cols {
		if i > 0 {
			c.b = append(c.b, ',')
		}
		c.str("\n\t")
		c.columnDDL(col, col == auto)
	}
	if t.pk != nil {
		c.str(",\n\t")
		if t.pk.Name != "" {
			c.str("CONSTRAINT ")
			c.ident("constraint", t.pk.Name)
			c.b = append(c.b, ' ')
		}
		c.str("PRIMARY KEY (")
		c.nameList("column", t.pk.Columns)
		c.b = append(c.b, ')')
	}
	for _, u := range t.uniques {
		c.str(",\n\t")
		if u.Name != "" {
			c.str("CONSTRAINT ")
			c.ident("constraint", u.Name)
			c.b = append(c.b, ' ')
		}
		c.str("UNIQUE (")
		c.nameList("column", u.Columns)
		c.b = append(c.b, ')')
	}
	for _, ck := range t.checks {
		c.str(",\n\t")
		if ck.Name != "" {
			c.str("CONSTRAINT ")
			c.ident("constraint", ck.Name)
			c.b = append(c.b, ' ')
		}
		c.str("CHECK (")
		c.str(ck.SQL)
		c.b = append(c.b, ')')
	}
	// Enums are a VARCHAR plus a CHECK where there is no native ENUM.
	if !c.d.Has(dialect.NativeEnum) {
		for _, col := range t.cols {
			if col.Type.spec.Kind != dialect.TypeEnum || len(col.Type.spec.Enum) == 0 {
				continue
			}
			c.str(",\n\tCHECK (")
			c.ident("column", col.Name)
			c.str(" IN (")
			for i, v := range col.Type.spec.Enum {
				if i > 0 {
					c.str(", ")
				}
				c.b = dialect.AppendString(c.b, c.o, v)
			}
			c.str("))")
		}
	}
	for _, fk := range t.fks {
		if s.omit[fk] {
			continue
		}
		c.str(",\n\t")
		c.fkClause(fk, fk.Name)
	}
	c.str("\n)")
}

func (c *compiler) nameList(kind string, names []string) {
	for i, n := range names {
		if i > 0 {
			c.str(", ")
		}
		c.ident(kind, n)
	}
}

func (c *compiler) columnDDL(col *ColumnObj, auto bool) {
	if col.err != nil {
		c.fail(col.err)
	}
	c.ident("column", col.Name)
	c.b = append(c.b, ' ')
	name, ok := "", false
	if auto {
		name, ok = c.d.AutoincrementType(col.Type.spec)
	}
	if !ok {
		var err error
		name, err = c.d.TypeName(col.Type.spec)
		if err != nil {
			c.fail(fmt.Errorf("column %s.%s: %w", col.table.Name, col.Name, err))
		}
	}
	c.str(name)
	if col.serverDefault != nil && !c.o.NullBeforeDefault {
		c.str(" DEFAULT ")
		c.serverDefault(col)
	}
	if !col.nullable {
		c.str(" NOT NULL")
	} else if c.o.ExplicitNull {
		c.str(" NULL")
	}
	if col.serverDefault != nil && c.o.NullBeforeDefault {
		c.str(" DEFAULT ")
		c.serverDefault(col)
	}
	if auto {
		c.str(c.o.AutoincrementSuffix)
	}
}

func (c *compiler) serverDefault(col *ColumnObj) {
	switch v := col.serverDefault.(type) {
	case string:
		c.b = dialect.AppendString(c.b, c.o, v)
	case *TextClause:
		c.str(v.SQL)
	case Expr:
		// Defaults are DDL: no parameters, values inline.
		saved := c.inline
		c.inline = true
		c.b = append(c.b, '(')
		c.expr(v, precLowest)
		c.b = append(c.b, ')')
		c.inline = saved
	default:
		var err error
		c.b, err = c.d.AppendLiteral(c.b, v)
		if err != nil {
			c.fail(fmt.Errorf("server default of %s.%s: %w", col.table.Name, col.Name, err))
		}
	}
}

// fkClause writes [CONSTRAINT name] FOREIGN KEY(cols) REFERENCES t (cols)
// [ON DELETE …] [ON UPDATE …].
func (c *compiler) fkClause(fk *ForeignKeyDef, name string) {
	if fk.err != nil {
		c.fail(fk.err)
		return
	}
	if name != "" {
		c.str("CONSTRAINT ")
		c.ident("constraint", name)
		c.b = append(c.b, ' ')
	}
	c.str("FOREIGN KEY(")
	c.nameList("column", fk.Columns)
	c.str(") REFERENCES ")
	c.ident("table", fk.RefTable)
	c.str(" (")
	c.nameList("column", fk.RefColumns)
	c.b = append(c.b, ')')
	c.fkAction("ON DELETE", fk.OnDelete)
	c.fkAction("ON UPDATE", fk.OnUpdate)
}

func (c *compiler) fkAction(what, action string) {
	if action == "" {
		return
	}
	if c.o.FKActions != nil && !contains(c.o.FKActions, action) {
		c.unsupported(what+" "+action, "use one of "+strings.Join(c.o.FKActions, ", "))
	}
	c.b = append(c.b, ' ')
	c.str(what)
	c.b = append(c.b, ' ')
	c.str(action)
}

func (c *compiler) dropTable(s *DropTableStmt) {
	if s.Table == nil {
		c.fail(&StatementError{Construct: "DROP TABLE", Reason: "the table is nil"})
		return
	}
	c.str("DROP TABLE ")
	if s.ifExists {
		c.fail(dialect.Require(c.d, dialect.IfExists, "DROP TABLE IF EXISTS", "use DropAll with checkfirst"))
		c.str("IF EXISTS ")
	}
	c.ident("table", s.Table.Name)
}

func (c *compiler) createIndex(s *CreateIndexStmt) {
	ix := s.Index
	if ix == nil || ix.table == nil {
		c.fail(&StatementError{Construct: "CREATE INDEX", Reason: "the index is nil or belongs to no table"})
		return
	}
	c.str("CREATE ")
	if ix.Unique {
		c.str("UNIQUE ")
	}
	c.str("INDEX ")
	c.ident("index", ix.Name)
	c.str(" ON ")
	c.ident("table", ix.table.Name)
	c.str(" (")
	c.nameList("column", ix.Columns)
	c.b = append(c.b, ')')
}

func (c *compiler) dropIndex(s *DropIndexStmt) {
	ix := s.Index
	if ix == nil || ix.table == nil {
		c.fail(&StatementError{Construct: "DROP INDEX", Reason: "the index is nil or belongs to no table"})
		return
	}
	c.str("DROP INDEX ")
	c.ident("index", ix.Name)
	if c.o.DropIndexOnTable {
		c.str(" ON ")
		c.ident("table", ix.table.Name)
	}
}

// FKConstraintName is the name a foreign key has in the database: its own,
// or fk_<table>_<columns> (needed to drop it again).
func FKConstraintName(fk *ForeignKeyDef) string {
	if fk.Name != "" {
		return fk.Name
	}
	t := ""
	if fk.table != nil {
		t = fk.table.Name
	}
	return "fk_" + t + "_" + strings.Join(fk.Columns, "_")
}

func (c *compiler) addConstraint(s *AddConstraintStmt) {
	fk := s.FK
	if fk == nil || fk.table == nil {
		c.fail(&StatementError{Construct: "ALTER TABLE … ADD CONSTRAINT", Reason: "the foreign key is nil or belongs to no table"})
		return
	}
	c.fail(dialect.Require(c.d, dialect.AlterAddConstraint, "ALTER TABLE … ADD CONSTRAINT",
		"SQLite cannot add a constraint to an existing table; declare the foreign key in CREATE TABLE"))
	c.str("ALTER TABLE ")
	c.ident("table", fk.table.Name)
	c.str(" ADD ")
	c.fkClause(fk, FKConstraintName(fk))
}

func (c *compiler) dropConstraint(s *DropConstraintStmt) {
	fk := s.FK
	if fk == nil || fk.table == nil {
		c.fail(&StatementError{Construct: "ALTER TABLE … DROP CONSTRAINT", Reason: "the foreign key is nil or belongs to no table"})
		return
	}
	c.fail(dialect.Require(c.d, dialect.AlterAddConstraint, "ALTER TABLE … DROP CONSTRAINT",
		"SQLite cannot drop a constraint from an existing table"))
	c.str("ALTER TABLE ")
	c.ident("table", fk.table.Name)
	c.b = append(c.b, ' ')
	c.str(c.o.DropForeignKey)
	c.b = append(c.b, ' ')
	c.ident("constraint", FKConstraintName(fk))
}
