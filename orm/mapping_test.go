package orm

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"ormlab/orm/core"
)

func TestParseTag(t *testing.T) {
	ti := parseTag("relationship,back_populates:Author,cascade:all,delete-orphan,lazy:selectin")
	if !ti.has("relationship") || ti.kv["back_populates"] != "Author" || ti.kv["cascade"] != "all,delete-orphan" || ti.kv["lazy"] != "selectin" {
		t.Fatalf("%+v", ti)
	}
	ti = parseTag("type:numeric(10,2),not_null,default:1.5,cascade:save-update|merge")
	if ti.kv["type"] != "numeric(10,2)" || !ti.has("not_null") || ti.kv["default"] != "1.5" || ti.kv["cascade"] != "save-update,merge" {
		t.Fatalf("%+v", ti)
	}
	if !parseTag("-").has("-") {
		t.Fatal("dash")
	}
	for in, want := range map[string]string{"ID": "id", "AuthorID": "author_id", "HTTPServer": "http_server", "Pop2008": "pop2008", "ReleaseDate": "release_date", "InStock": "in_stock"} {
		if got := snakeCase(in); got != want {
			t.Errorf("snakeCase(%s) = %s, want %s", in, got, want)
		}
	}
}

type allTypes struct {
	ID       int64 `orm:"primary_key"`
	Small    int16
	Count    int
	Big      uint64
	Name     string
	Short    string `orm:"size:10,unique,index"`
	Body     string `orm:"type:text"`
	Flag     bool
	Ratio    float64
	Price    string `orm:"type:numeric(12,3)"`
	At       time.Time
	Day      time.Time `orm:"type:date"`
	Data     []byte
	MaybeInt *int
	MaybeStr sql.NullString
	MaybeAt  sql.NullTime
	Ignored  string `orm:"-"`
	hidden   int
	Status   string `orm:"column:state,size:8,default:new,server_default:'new'"`
}

func TestTypeMappingDDL(t *testing.T) {
	b := NewBase()
	m, err := b.Map(allTypes{}, "all_types")
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "allTypes" || m.C("Status").Name != "state" || m.C("state") != m.C("Status") {
		t.Fatalf("names: %s %s", m.Name, m.C("Status").Name)
	}
	got := core.CompileAll(core.CreateTable(m.Table))
	want := map[string]string{
		"sqlite":     "CREATE TABLE all_types ( id INTEGER NOT NULL, small SMALLINT NOT NULL, count INTEGER NOT NULL, big BIGINT NOT NULL, name VARCHAR(255) NOT NULL, short VARCHAR(10) NOT NULL, body TEXT NOT NULL, flag BOOLEAN NOT NULL, ratio FLOAT NOT NULL, price NUMERIC(12, 3) NOT NULL, at DATETIME NOT NULL, day DATE NOT NULL, data BLOB, maybe_int INTEGER, maybe_str VARCHAR(255), maybe_at DATETIME, state VARCHAR(8) DEFAULT 'new' NOT NULL, PRIMARY KEY (id), UNIQUE (short) )",
		"postgresql": "CREATE TABLE all_types ( id BIGSERIAL NOT NULL, small SMALLINT NOT NULL, count INTEGER NOT NULL, big BIGINT NOT NULL, name VARCHAR(255) NOT NULL, short VARCHAR(10) NOT NULL, body TEXT NOT NULL, flag BOOLEAN NOT NULL, ratio FLOAT NOT NULL, price NUMERIC(12, 3) NOT NULL, at TIMESTAMP WITHOUT TIME ZONE NOT NULL, day DATE NOT NULL, data BYTEA, maybe_int INTEGER, maybe_str VARCHAR(255), maybe_at TIMESTAMP WITHOUT TIME ZONE, state VARCHAR(8) DEFAULT 'new' NOT NULL, PRIMARY KEY (id), UNIQUE (short) )",
		"mysql":      "CREATE TABLE all_types ( id BIGINT NOT NULL AUTO_INCREMENT, small SMALLINT NOT NULL, count INTEGER NOT NULL, big BIGINT NOT NULL, name VARCHAR(255) NOT NULL, short VARCHAR(10) NOT NULL, body TEXT NOT NULL, flag BOOL NOT NULL, ratio FLOAT NOT NULL, price NUMERIC(12, 3) NOT NULL, at DATETIME NOT NULL, day DATE NOT NULL, data BLOB, maybe_int INTEGER, maybe_str VARCHAR(255), maybe_at DATETIME, state VARCHAR(8) NOT NULL DEFAULT 'new', PRIMARY KEY (id), UNIQUE (short) )",
		"mssql":      "CREATE TABLE all_types ( id BIGINT NOT NULL IDENTITY, small SMALLINT NOT NULL, count INTEGER NOT NULL, big BIGINT NOT NULL, name VARCHAR(255) NOT NULL, short VARCHAR(10) NOT NULL, body VARCHAR(max) NOT NULL, flag BIT NOT NULL, ratio FLOAT NOT NULL, price NUMERIC(12, 3) NOT NULL, at DATETIME NOT NULL, day DATE NOT NULL, data VARBINARY(max) NULL, maybe_int INTEGER NULL, maybe_str VARCHAR(255) NULL, maybe_at DATETIME NULL, state VARCHAR(8) NOT NULL DEFAULT 'new', PRIMARY KEY (id), UNIQUE (short) )",
	}
	for d, w := range want {
		if normSQL(got[d]) != normSQL(w) {
			t.Errorf("%s:\n got: %s\nwant: %s", d, normSQL(got[d]), w)
		}
	}
	if len(m.Table.Indexes()) != 1 || m.Table.Indexes()[0].Name != "ix_all_types_short" {
		t.Fatalf("index: %v", m.Table.Indexes())
	}
	// round trip on SQLite
	db := openTestDB(t)
	mustOK(t, b.Metadata.CreateAll(context.Background(), core.NewSQLiteExecutor(db), false))
	s, err := NewSessionDB(db, "sqlite")
	mustOK(t, err)
	seven := 7
	at := time.Date(2024, 2, 3, 4, 5, 6, 0, time.UTC)
	in := &allTypes{Small: -3, Count: 42, Big: 1 << 40, Name: "n", Short: "s", Body: strings.Repeat("x", 1000), Flag: true, Ratio: 0.25, Price: "12.345",
		At: at, Day: time.Date(2024, 2, 3, 0, 0, 0, 0, time.UTC), Data: []byte{0, 1, 2}, MaybeInt: &seven, MaybeStr: sql.NullString{String: "m", Valid: true}, MaybeAt: sql.NullTime{Time: at, Valid: true}, Ignored: "no"}
	mustOK(t, s.Add(in))
	mustOK(t, s.Commit())
	if in.Status != "new" {
		t.Fatalf("client default applied to the object: %q", in.Status)
	}
	s2, _ := NewSessionDB(db, "sqlite")
	var out *allTypes
	mustOK(t, s2.Get(&out, in.ID))
	in.Ignored = ""
	if out.Small != in.Small || out.Count != 42 || out.Big != in.Big || out.Body != in.Body || !out.Flag || out.Ratio != 0.25 || out.Price != "12.345" ||
		!out.At.Equal(at) || !out.Day.Equal(in.Day) || string(out.Data) != "\x00\x01\x02" || *out.MaybeInt != 7 || out.MaybeStr.String != "m" || !out.MaybeAt.Time.Equal(at) || out.Status != "new" || out.Ignored != "" {
		t.Fatalf("round trip:\n in %+v\nout %+v", in, out)
	}
	// Inspect
	if info := Inspect(out); info.State != Persistent || info.Table != "all_types" {
		t.Fatalf("%+v", info)
	}
	out.Data[0] = 9 // writing into the slice is a change
	if d := s2.Dirty(); len(d) != 1 {
		t.Fatal("a change inside a []byte is seen")
	}
}

func normSQL(s string) string { return strings.Join(strings.Fields(s), " ") }

func mustOK(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

type noPK struct {
	Name string
}

type badField struct {
	ID   int `orm:"primary_key"`
	Tags map[string]string
}

type badTag struct {
	ID   int `orm:"primary_key,frobnicate"`
	Name string
}

type badSize struct {
	ID   int    `orm:"primary_key"`
	Name string `orm:"size:big"`
}

type fkMissing struct {
	ID      int `orm:"primary_key"`
	OwnerID int `orm:"foreign_key:owners.id"`
}

type pkRow struct {
	ID   int `orm:"primary_key"`
	Name string
}

func TestBadInput(t *testing.T) {
	b := NewBase()
	var me *MappingError
	_, err := b.Map(noPK{}, "nopk")
	if !errors.As(err, &me) || !errors.Is(err, ErrMapping) || !strings.Contains(err.Error(), "noPK") || !strings.Contains(err.Error(), "primary key") {
		t.Fatalf("no primary key: %v", err)
	}
	_, err = b.Map(badField{}, "bad")
	if !errors.As(err, &me) || me.Field != "Tags" || !strings.Contains(err.Error(), "map[string]string") {
		t.Fatalf("unsupported type: %v", err)
	}
	_, err = b.Map(badTag{}, "badtag")
	if !errors.As(err, &me) || me.Field != "ID" || !strings.Contains(err.Error(), "frobnicate") {
		t.Fatalf("unknown tag: %v", err)
	}
	_, err = b.Map(badSize{}, "badsize")
	if !errors.As(err, &me) || me.Field != "Name" {
		t.Fatalf("bad size: %v", err)
	}
	_, err = b.Map(42, "x")
	if !errors.Is(err, ErrMapping) {
		t.Fatalf("not a struct: %v", err)
	}
	_, err = b.Map(pkRow{}, "dup")
	mustOK(t, err)
	_, err = b.Map(pkRow{}, "dup")
	if !errors.Is(err, ErrMapping) || !strings.Contains(err.Error(), "already mapped") {
		t.Fatalf("table mapped twice: %v", err)
	}
	// FK to a missing table: reported by CreateAll, naming the table
	b2 := NewBase()
	_, err = b2.Map(fkMissing{}, "pets")
	mustOK(t, err)
	db := openTestDB(t)
	err = b2.Metadata.CreateAll(context.Background(), core.NewSQLiteExecutor(db), false)
	if !errors.Is(err, core.ErrNoSuchTable) || !strings.Contains(err.Error(), "owners") || !strings.Contains(err.Error(), "pets") {
		t.Fatalf("fk to a missing table: %v", err)
	}
	// session misuse
	b3 := NewBase()
	_, err = b3.Map(pkRow{}, "rows")
	mustOK(t, err)
	mustOK(t, b3.Metadata.CreateAll(context.Background(), core.NewSQLiteExecutor(db), false))
	s, _ := NewSessionDB(db, "sqlite")
	if err := s.Add(nil); !errors.Is(err, ErrInvalidObject) {
		t.Fatalf("Add(nil): %v", err)
	}
	var nilRow *pkRow
	if err := s.Add(nilRow); !errors.Is(err, ErrInvalidObject) || !strings.Contains(err.Error(), "nil") {
		t.Fatalf("Add(nil pointer): %v", err)
	}
	if err := s.Add(pkRow{}); !errors.Is(err, ErrInvalidObject) || !strings.Contains(err.Error(), "pointer") {
		t.Fatalf("Add(value): %v", err)
	}
	if err := s.Add(&noPK{}); !errors.Is(err, ErrInvalidObject) || !strings.Contains(err.Error(), "not mapped") {
		t.Fatalf("Add(unmapped): %v", err)
	}
	var np []*noPK
	if err := s.Query(&np).All(); !errors.Is(err, ErrQuery) || !strings.Contains(err.Error(), "noPK") {
		t.Fatalf("query on an unmapped type: %v", err)
	}
	if err := s.Query(nil).All(); !errors.Is(err, ErrQuery) {
		t.Fatalf("query into nil: %v", err)
	}
	var rows []*pkRow
	if err := s.Query(&rows).FilterBy("Nope", 1).All(); !errors.Is(err, ErrQuery) || !strings.Contains(err.Error(), "Nope") {
		t.Fatalf("FilterBy unknown field: %v", err)
	}
	if err := s.Delete(&pkRow{Name: "never saved"}); !errors.Is(err, ErrInvalidObject) {
		t.Fatalf("Delete transient: %v", err)
	}
	// a value that does not fit the column: the flush fails, nothing is
	// written and the session is usable
	good := &pkRow{Name: "ok"}
	mustOK(t, s.Add(good))
	mustOK(t, s.Commit())
	bad := &pkRow{ID: 1 << 40, Name: "too big"}
	mustOK(t, s.Add(bad))
	err = s.Commit()
	if !errors.Is(err, ErrFlush) || !errors.Is(err, core.ErrTypeMismatch) {
		t.Fatalf("out of range key: %v", err)
	}
	if Inspect(bad).State != Transient {
		t.Fatal("the failed object is expunged by the rollback")
	}
	n, err := s.Query(&rows).Count()
	mustOK(t, err)
	if n != 1 {
		t.Fatalf("rows: %d", n)
	}
	// an object in two sessions
	s2, _ := NewSessionDB(db, "sqlite")
	if err := s2.Add(good); err != nil {
		// good is detached after commit? no: it is still in s
		if !errors.Is(err, ErrInvalidObject) || !strings.Contains(err.Error(), "another session") {
			t.Fatalf("object in two sessions: %v", err)
		}
	} else {
		t.Fatal("an object was added to two sessions")
	}
	// Get with the wrong number of key values
	var r *pkRow
	if err := s.Get(&r, 1, 2); !errors.Is(err, ErrInvalidObject) {
		t.Fatalf("Get with two values for one key: %v", err)
	}
}

// Imperative mapping over a core table, and an embedded struct.
type Timestamps struct {
	Created time.Time
}

type Note struct {
	Timestamps
	Key  string `orm:"column:note_key"`
	Text string
}

func TestImperativeMapping(t *testing.T) {
	b := NewBase()
	tbl := b.Metadata.Table("notes",
		core.Column("note_key", core.String(20), core.PrimaryKey()),
		core.Column("text", core.TextType()),
		core.Column("created", core.DateTime()),
		core.Column("extra", core.Integer()))
	m, err := b.MapTable(Note{}, tbl)
	mustOK(t, err)
	if len(m.Fields()) != 3 || m.autoinc != nil {
		t.Fatalf("fields: %+v", m.Fields())
	}
	db := openTestDB(t)
	mustOK(t, b.Metadata.CreateAll(context.Background(), core.NewSQLiteExecutor(db), false))
	s, _ := NewSessionDB(db, "sqlite")
	at := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	mustOK(t, s.Add(&Note{Key: "k1", Text: "hello", Timestamps: Timestamps{Created: at}}))
	mustOK(t, s.Commit())
	var n Note
	mustOK(t, s.Query(&n).FilterBy("Key", "k1").One())
	if n.Text != "hello" || !n.Created.Equal(at) {
		t.Fatalf("%+v", n)
	}
	if Inspect(&n).State != Transient {
		t.Fatal("the row already has an object in the session: the destination gets a copy")
	}
	s2, _ := NewSessionDB(db, "sqlite")
	var n2 Note
	mustOK(t, s2.Query(&n2).FilterBy("Key", "k1").One())
	if Inspect(&n2).State != Persistent {
		t.Fatal("a struct destination becomes the session's object when the row has none")
	}
	type wrong struct {
		Key   string `orm:"column:note_key"`
		Other string
	}
	_, err = b.MapTable(wrong{}, tbl)
	if !errors.Is(err, ErrMapping) || !strings.Contains(err.Error(), "other") {
		t.Fatalf("field with no column: %v", err)
	}
}
