package core

// CreateTableStmt is CREATE TABLE, with its columns and constraints.
// (Indexes are separate statements: CreateIndex.)
type CreateTableStmt struct {
	Table       *Table
	ifNotExists bool
	// omit holds foreign keys added later with ALTER TABLE (to break
	// dependency cycles in CreateAll).
	omit map[*ForeignKeyDef]bool
}

// Kind is "ddl".
func (*CreateTableStmt) Kind() string { return KindDDL }

// CreateTable is CREATE TABLE t (…).
func CreateTable(t *Table) *CreateTableStmt { return &CreateTableStmt{Table: t} }

// IfNotExists makes it CREATE TABLE IF NOT EXISTS (not on SQL Server).
func (s *CreateTableStmt) IfNotExists() *CreateTableStmt {
	c := *s
	c.ifNotExists = true
	return &c
}

// WithAllForeignKeys is the statement with every foreign key inline,
// including those CreateAll leaves to a later ALTER TABLE. A simulated
// server runs this form on SQLite, which accepts references to tables not
// created yet and cannot add a constraint afterwards.
func (s *CreateTableStmt) WithAllForeignKeys() *CreateTableStmt {
	c := *s
	c.omit = nil
	return &c
}

// DropTableStmt is DROP TABLE.
type DropTableStmt struct {
	Table    *Table
	ifExists bool
}

// Kind is "ddl".
func (*DropTableStmt) Kind() string { return KindDDL }

// DropTable is DROP TABLE t.
func DropTable(t *Table) *DropTableStmt { return &DropTableStmt{Table: t} }

// IfExists makes it DROP TABLE IF EXISTS.
func (s *DropTableStmt) IfExists() *DropTableStmt {
	c := *s
	c.ifExists = true
	return &c
}

// CreateIndexStmt is CREATE [UNIQUE] INDEX.
type CreateIndexStmt struct {
	Index *Index
}

// Kind is "ddl".
func (*CreateIndexStmt) Kind() string { return KindDDL }

// CreateIndex is CREATE INDEX name ON table (columns).
func CreateIndex(ix *Index) *CreateIndexStmt { return &CreateIndexStmt{Index: ix} }

// DropIndexStmt is DROP INDEX.
type DropIndexStmt struct {
	Index *Index
}

// Kind is "ddl".
func (*DropIndexStmt) Kind() string { return KindDDL }

// DropIndex is DROP INDEX (with ON table where the dialect needs it).
func DropIndex(ix *Index) *DropIndexStmt { return &DropIndexStmt{Index: ix} }

// AddConstraintStmt is ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY.
type AddConstraintStmt struct {
	FK *ForeignKeyDef
}

// Kind is "ddl".
func (*AddConstraintStmt) Kind() string { return KindDDL }

// AddForeignKey is ALTER TABLE t ADD CONSTRAINT name FOREIGN KEY … (not on
// SQLite, which cannot alter constraints).
func AddForeignKey(fk *ForeignKeyDef) *AddConstraintStmt { return &AddConstraintStmt{FK: fk} }

// DropConstraintStmt is ALTER TABLE … DROP CONSTRAINT (DROP FOREIGN KEY on
// MySQL).
type DropConstraintStmt struct {
	FK *ForeignKeyDef
}

// Kind is "ddl".
func (*DropConstraintStmt) Kind() string { return KindDDL }

// DropForeignKey is ALTER TABLE t DROP CONSTRAINT name.
func DropForeignKey(fk *ForeignKeyDef) *DropConstraintStmt { return &DropConstraintStmt{FK: fk} }
