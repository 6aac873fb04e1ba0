package engine

import (
	"errors"
	"fmt"
	"regexp"

	"ormlab/dialect"
	"ormlab/orm/core"
)

// prepared is a statement ready to run: its text for the URL's dialect (to
// show) and for the executing dialect (to run).
type prepared struct {
	kind       string
	show       string
	showParams []any
	run        string
	runParams  []any
	returns    bool
	raw        bool
	// pkCol is the generated key column to read from returned rows;
	// implicitReturning means RETURNING/OUTPUT was added only for it.
	pkCol             string
	implicitReturning bool
	lastID            bool // read the key with LastInsertId
	allFn             func() map[string]string
}

// all is the statement in the four dialects (computed only for observers).
func (p *prepared) all() map[string]string {
	if p == nil || p.allFn == nil {
		return nil
	}
	return p.allFn()
}

var returningWord = regexp.MustCompile(`(?i)\b(returning|output\s+inserted|output\s+deleted)\b`)

func (e *Engine) prepare(stmt any, params []any) (*prepared, error) {
	switch s := stmt.(type) {
	case *core.TextClause:
		if s == nil {
			break
		}
		p := &prepared{kind: s.Kind(), raw: true}
		p.allFn = func() map[string]string {
			m := make(map[string]string, 4)
			for _, n := range dialect.Names() {
				d, err := dialect.Get(n)
				if err != nil {
					m[n] = "-- " + err.Error()
					continue
				}
				if q, _, err := bindText(s.SQL, d, params); err != nil {
					m[n] = "-- " + err.Error()
				} else {
					m[n] = q
				}
			}
			return m
		}
		var err error
		if p.show, p.showParams, err = bindText(s.SQL, e.d, params); err != nil {
			p.showParams = params
			return p, err
		}
		p.run, p.runParams = p.show, p.showParams
		if e.xd != e.d {
			if p.run, p.runParams, err = bindText(s.SQL, e.xd, params); err != nil {
				return p, err
			}
		}
		if p.showParams == nil {
			p.showParams = []any{}
		}
		p.returns = p.kind == core.KindSelect || returningWord.MatchString(s.SQL)
		return p, nil
	case string:
		return &prepared{kind: KindOther, show: s, showParams: params}, &NotExecutableError{Value: stmt,
			Reason: "raw SQL must be wrapped in core.Text(...), as SQLAlchemy 2.0 requires text()"}
	case core.Executable:
		if s == nil {
			break
		}
		p := &prepared{kind: s.Kind()}
		p.allFn = func() map[string]string {
			m := make(map[string]string, 4)
			for _, n := range dialect.Names() {
				d, err := dialect.Get(n)
				if err == nil {
					var c core.Compiled
					if c, _, err = compileFor(s, d); err == nil {
						m[n] = c.SQL
						continue
					}
					// A dialect without RETURNING (MySQL) runs the plain
					// statement and reads generated keys from the driver:
					// show that, so every column holds SQL the engine accepts.
					if stripped, ok := core.StripReturning(s); ok && errors.Is(err, dialect.ErrUnsupported) {
						if c, _, err2 := compileFor(stripped, d); err2 == nil {
							m[n] = core.NoReturningNote + c.SQL
							continue
						}
					}
				}
				m[n] = "-- " + err.Error()
			}
			return m
		}
		if len(params) > 0 {
			return p, &NotExecutableError{Value: stmt, Reason: fmt.Sprintf("%d parameters given for a %s statement: a core statement carries its own values (use core.Text for raw SQL with parameters)", len(params), p.kind)}
		}
		show, key, err := compileFor(s, e.d)
		if err != nil {
			return p, err
		}
		p.show, p.showParams, p.returns = show.SQL, show.Params, show.Returns
		if p.showParams == nil {
			p.showParams = []any{}
		}
		run := show
		if e.xd != e.d {
			if sql, ok := simulatedDDL(s, e.xd); ok {
				p.run, p.runParams = sql, nil
				return p, nil
			}
			if ct, ok := s.(*core.CreateTableStmt); ok && !e.xd.Has(dialect.AlterAddConstraint) {
				s = ct.WithAllForeignKeys()
			}
			if run, key, err = compileFor(s, e.xd); err != nil {
				return p, fmt.Errorf("simulating %s on %s: %w", e.d.Name(), e.xd.Name(), err)
			}
		}
		p.run, p.runParams, p.returns = run.SQL, run.Params, run.Returns
		p.pkCol, p.implicitReturning, p.lastID = key.col, key.implicit, key.lastID
		return p, nil
	}
	return &prepared{kind: KindOther}, &NotExecutableError{Value: stmt, Reason: "expected a core statement (core.Select, core.Insert…) or core.Text"}
}

// simulatedDDL is what a simulated server runs on SQLite for a statement
// SQLite does not have. CreateAll breaks a cycle of foreign keys with
// ALTER TABLE … ADD CONSTRAINT after the CREATE TABLEs (and DropAll drops
// them first); SQLite cannot alter constraints, so the simulated CREATE
// TABLE already declares every foreign key (see prepare), the ADD
// CONSTRAINT runs a harmless foreign-key check in its place, and the DROP
// CONSTRAINT defers foreign-key checks to the end of the transaction, by
// which time DropAll has dropped both tables. The statement shown stays the
// server's own.
func simulatedDDL(stmt core.Executable, xd dialect.Dialect) (string, bool) {
	if xd.Name() != dialect.SQLite || xd.Has(dialect.AlterAddConstraint) {
		return "", false
	}
	switch stmt.(type) {
	case *core.AddConstraintStmt:
		return "PRAGMA foreign_key_check", true
	case *core.DropConstraintStmt:
		return "PRAGMA defer_foreign_keys = ON", true
	}
	return "", false
}

// keyPlan says how an INSERT's generated key is read back.
type keyPlan struct {
	col      string
	implicit bool
	lastID   bool
}

// compileFor compiles stmt for d; an INSERT into a table with a generated
// key gets RETURNING (PostgreSQL) or OUTPUT inserted (SQL Server) added to
// read the key, as SQLAlchemy's implicit returning does. SQLite and MySQL
// use the driver's last insert id (SQLAlchemy's cursor.lastrowid).
func compileFor(stmt core.Executable, d dialect.Dialect) (core.Compiled, keyPlan, error) {
	c, err := core.Compile(stmt, d)
	if err != nil {
		return c, keyPlan{}, err
	}
	ins, ok := stmt.(*core.InsertStmt)
	if !ok || ins.Table() == nil {
		return c, keyPlan{}, nil
	}
	ac := ins.Table().AutoincrementColumn()
	if ac == nil {
		return c, keyPlan{}, nil
	}
	if c.Returns {
		return c, keyPlan{col: ac.Name}, nil
	}
	if d.Name() != dialect.SQLite && (d.Has(dialect.Returning) || d.Has(dialect.OutputInserted)) {
		if c2, err := core.Compile(ins.Returning(ac), d); err == nil {
			return c2, keyPlan{col: ac.Name, implicit: true}, nil
		}
	}
	return c, keyPlan{lastID: true}, nil
}

// NotExecutableError is a value Execute cannot run.
type NotExecutableError struct {
	Value  any
	Reason string
}

func (e *NotExecutableError) Error() string {
	return fmt.Sprintf("engine: cannot execute %T: %s", e.Value, e.Reason)
}

// Is makes errors.Is(err, ErrNotExecutable) true.
func (e *NotExecutableError) Is(target error) bool { return target == ErrNotExecutable }
