// Package trace is the JSON contract between the runner and everything that
// shows a run: the UI, `ormlab run --json`, and the tests. See DESIGN.md,
// "The runner and its trace". Extend it; never break it.
package trace

// Trace is everything one run of a learner's program produced.
type Trace struct {
	Stdout     string           `json:"stdout"`
	Error      *Error           `json:"error"`
	Statements []Statement      `json:"statements"`
	Pool       []PoolEvent      `json:"pool"`
	Schema     Schema           `json:"schema"`
	Tables     map[string]Table `json:"tables"`
}

// Error kinds.
const (
	ErrCompile  = "compile"
	ErrRuntime  = "runtime"
	ErrTimeout  = "timeout"
	ErrLimit    = "limit"
	ErrDatabase = "database"
)

// Error says why a run failed. Line and Col are 1-based positions in File
// (omitted when unknown).
type Error struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"col,omitempty"`
}

// Statement kinds.
const (
	KindDDL       = "ddl"
	KindSelect    = "select"
	KindInsert    = "insert"
	KindUpdate    = "update"
	KindDelete    = "delete"
	KindBegin     = "begin"
	KindCommit    = "commit"
	KindRollback  = "rollback"
	KindSavepoint = "savepoint"
	KindOther     = "other"
)

// Statement is one SQL statement the program issued. SQL holds the statement
// compiled for each dialect, keyed "sqlite", "postgresql", "mysql", "mssql";
// Executed names the dialect it actually ran on.
type Statement struct {
	Seq          int               `json:"seq"`
	Kind         string            `json:"kind"`
	Executed     string            `json:"executed"`
	Conn         int               `json:"conn"`
	SQL          map[string]string `json:"sql"`
	Params       []any             `json:"params"`
	RowsAffected int64             `json:"rows_affected"`
	RowsReturned int64             `json:"rows_returned"`
	DurationUS   int64             `json:"duration_us"`
	Error        string            `json:"error,omitempty"`
}

// PoolEvent is one step of a connection pool: connect, checkout, checkin,
// overflow, wait, timeout, recycle, invalidate, reset or close. TMS is the
// pool's clock in milliseconds (virtual in demos).
type PoolEvent struct {
	TMS        float64 `json:"t_ms"`
	Event      string  `json:"event"`
	Conn       int     `json:"conn"`
	CheckedOut int     `json:"checked_out"`
	Overflow   int     `json:"overflow"`
	Idle       int     `json:"idle"`
	Pool       int     `json:"pool,omitempty"`
	Detail     string  `json:"detail,omitempty"`
}

// Schema is what the program's metadata declared.
type Schema struct {
	Tables        []SchemaTable  `json:"tables"`
	Relationships []Relationship `json:"relationships"`
}

type SchemaTable struct {
	Name        string       `json:"name"`
	Columns     []Column     `json:"columns"`
	ForeignKeys []ForeignKey `json:"foreign_keys"`
}

type Column struct {
	Name       string `json:"name"`
	Type       string `json:"type"`
	PrimaryKey bool   `json:"primary_key"`
	Nullable   bool   `json:"nullable"`
}

type ForeignKey struct {
	Columns    []string `json:"columns"`
	RefTable   string   `json:"ref_table"`
	RefColumns []string `json:"ref_columns"`
}

type Relationship struct {
	From          string `json:"from"`
	Name          string `json:"name"`
	To            string `json:"to"`
	Kind          string `json:"kind"`
	BackPopulates string `json:"back_populates,omitempty"`
}

// Table is the final contents of one table.
type Table struct {
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
}
