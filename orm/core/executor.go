package core

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"ormlab/dialect"
)

// Result is what executing a statement reports (database/sql's Result:
// RowsAffected and LastInsertId).
type Result = sql.Result

// Executor runs statements for CreateAll / DropAll. The Engine and its
// Connection implement it; SQLiteExecutor is a minimal one over *sql.DB.
type Executor interface {
	Dialect() dialect.Dialect
	Exec(ctx context.Context, stmt Executable) (Result, error)
	HasTable(ctx context.Context, name string) (bool, error)
}

// TxExecutor is an Executor that can run several statements in one
// transaction on one connection (an Engine). CreateAll and DropAll use it
// when they can, as SQLAlchemy's create_all runs inside engine.begin(): one
// BEGIN, the checks and the DDL, one COMMIT.
type TxExecutor interface {
	Executor
	ExecInTransaction(ctx context.Context, fn func(Executor) error) error
}

// SortedTables lists the tables so that every table comes after the tables
// its foreign keys reference (CREATE order; DROP is the reverse). Tables in
// a dependency cycle keep their definition order; CycleForeignKeys names the
// foreign keys that CreateAll adds afterwards with ALTER TABLE.
func (m *MetaData) SortedTables() []*Table {
	order, _ := m.sortTables()
	return order
}

// CycleForeignKeys lists the foreign keys that close a dependency cycle
// (self-references excluded: a table may always reference itself).
func (m *MetaData) CycleForeignKeys() []*ForeignKeyDef {
	_, cyc := m.sortTables()
	return cyc
}

// sortTables is a stable topological sort (Kahn's algorithm, picking the
// earliest-defined ready table each time). When only cycles remain, the
// earliest-defined remaining table is emitted and its foreign keys to
// tables not yet emitted are marked as cycle-breaking.
func (m *MetaData) sortTables() ([]*Table, []*ForeignKeyDef) {
	n := len(m.tables)
	index := make(map[*Table]int, n)
	for i, t := range m.tables {
		index[t] = i
	}
	deps := make([][]int, n) // deps[i]: tables i references
	for i, t := range m.tables {
		for _, fk := range t.fks {
			rt, ok := m.byName[fk.RefTable]
			if !ok || rt == t {
				continue
			}
			deps[i] = append(deps[i], index[rt])
		}
	}
	done := make([]bool, n)
	order := make([]*Table, 0, n)
	var cycle []*ForeignKeyDef
	for len(order) < n {
		picked := -1
		for i := 0; i < n && picked < 0; i++ {
			if done[i] {
				continue
			}
			ready := true
			for _, d := range deps[i] {
				if !done[d] {
					ready = false
					break
				}
			}
			if ready {
				picked = i
			}
		}
		if picked < 0 {
			// Only cycles are left: break at the earliest-defined table.
			for i := 0; i < n; i++ {
				if !done[i] {
					picked = i
					break
				}
			}
			t := m.tables[picked]
			for _, fk := range t.fks {
				if rt, ok := m.byName[fk.RefTable]; ok && rt != t && !done[index[rt]] {
					cycle = append(cycle, fk)
				}
			}
		}
		done[picked] = true
		order = append(order, m.tables[picked])
	}
	return order, cycle
}

// checkRefs reports foreign keys to tables or columns the MetaData lacks.
func (m *MetaData) checkRefs() error {
	var errs []error
	for _, t := range m.tables {
		for _, fk := range t.fks {
			rt, ok := m.byName[fk.RefTable]
			if !ok {
				errs = append(errs, &NoSuchTableError{Table: fk.RefTable, Reason: "referenced by a foreign key of " + t.Name})
				continue
			}
			for _, rc := range fk.RefColumns {
				if rt.lookup(rc) == nil {
					errs = append(errs, &NoSuchColumnError{Table: rt.Name, Column: rc, Reason: "referenced by a foreign key of " + t.Name})
				}
			}
		}
	}
	return errors.Join(errs...)
}

// CreateAll creates every table (and its indexes) in foreign-key order.
// With checkfirst, tables that exist are left alone. Foreign keys that close
// a cycle are added afterwards with ALTER TABLE … ADD CONSTRAINT where the
// dialect can; SQLite, which cannot, accepts them inline because it checks
// references only when rows change.
func (m *MetaData) CreateAll(ctx context.Context, exec Executor, checkfirst bool) error {
	if err := m.Err(); err != nil {
		return err
	}
	if err := m.checkRefs(); err != nil {
		return err
	}
	if tx, ok := exec.(TxExecutor); ok {
		return tx.ExecInTransaction(ctx, func(x Executor) error { return m.createAll(ctx, x, checkfirst) })
	}
	return m.createAll(ctx, exec, checkfirst)
}

func (m *MetaData) createAll(ctx context.Context, exec Executor, checkfirst bool) error {
	d := exec.Dialect()
	order, cycle := m.sortTables()
	alter := d.Has(dialect.AlterAddConstraint)
	var omit map[*ForeignKeyDef]bool
	if alter && len(cycle) > 0 {
		omit = make(map[*ForeignKeyDef]bool, len(cycle))
		for _, fk := range cycle {
			omit[fk] = true
		}
	}
	created := map[*Table]bool{}
	for _, t := range order {
		if checkfirst {
			ok, err := exec.HasTable(ctx, t.Name)
			if err != nil {
				return fmt.Errorf("checking for table %s: %w", t.Name, err)
			}
			if ok {
				continue
			}
		}
		if _, err := exec.Exec(ctx, &CreateTableStmt{Table: t, omit: omit}); err != nil {
			return err
		}
		created[t] = true
		for _, ix := range t.indexes {
			if _, err := exec.Exec(ctx, CreateIndex(ix)); err != nil {
				return err
			}
		}
	}
	for _, fk := range cycle {
		if !alter || !created[fk.table] {
			continue
		}
		if _, err := exec.Exec(ctx, AddForeignKey(fk)); err != nil {
			return err
		}
	}
	return nil
}

// DropAll drops every table in reverse foreign-key order; with checkfirst,
// only the tables that exist. Cycle-closing foreign keys are dropped first
// where the dialect can.
func (m *MetaData) DropAll(ctx context.Context, exec Executor, checkfirst bool) error {
	if err := m.Err(); err != nil {
		return err
	}
	if tx, ok := exec.(TxExecutor); ok {
		return tx.ExecInTransaction(ctx, func(x Executor) error { return m.dropAll(ctx, x, checkfirst) })
	}
	return m.dropAll(ctx, exec, checkfirst)
}

func (m *MetaData) dropAll(ctx context.Context, exec Executor, checkfirst bool) error {
	d := exec.Dialect()
	order, cycle := m.sortTables()
	exists := map[*Table]bool{}
	for _, t := range order {
		ok := true
		if checkfirst {
			var err error
			ok, err = exec.HasTable(ctx, t.Name)
			if err != nil {
				return fmt.Errorf("checking for table %s: %w", t.Name, err)
			}
		}
		exists[t] = ok
	}
	if d.Has(dialect.AlterAddConstraint) {
		for _, fk := range cycle {
			rt := m.byName[fk.RefTable]
			if !exists[fk.table] || !exists[rt] {
				continue
			}
			if _, err := exec.Exec(ctx, DropForeignKey(fk)); err != nil {
				return err
			}
		}
	}
	for i := len(order) - 1; i >= 0; i-- {
		t := order[i]
		if !exists[t] {
			continue
		}
		if _, err := exec.Exec(ctx, DropTable(t)); err != nil {
			return err
		}
	}
	return nil
}
