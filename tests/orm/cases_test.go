package ormtest

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"ormlab/orm"
)

// ---- the tutorials' Film model: create, read, update, delete ----

type Film struct {
	ID          int       `orm:"primary_key"`
	Title       string    `orm:"size:100"`
	ReleaseDate time.Time `orm:"type:date"`
}

func caseFilmCRUD(v *env) {
	t := v.t
	s := v.setup(Film{}, "films")
	film := &Film{Title: "The Shawshank Redemption", ReleaseDate: time.Date(1994, 9, 23, 0, 0, 0, 0, time.UTC)}
	must(t, s.Add(film))
	must(t, s.Commit())
	if film.ID != 1 {
		t.Fatalf("generated id not set: %+v", film)
	}
	v.expectOwn("insert", 0, map[string]string{
		"sqlite":     "INSERT INTO films (title, release_date) VALUES ('The Shawshank Redemption', '1994-09-23 00:00:00') RETURNING id",
		"postgresql": "INSERT INTO films (title, release_date) VALUES ('The Shawshank Redemption', '1994-09-23 00:00:00') RETURNING id",
		"mysql":      "INSERT INTO films (title, release_date) VALUES ('The Shawshank Redemption', '1994-09-23 00:00:00')",
	})
	// read it back in a fresh session: filter_by(id=1).first()
	s2 := orm.NewSession(v.e)
	defer s2.Close()
	var got *Film
	must(t, s2.Query(&got).FilterBy("ID", 1).First())
	if got.Title != film.Title || !got.ReleaseDate.Equal(film.ReleaseDate) {
		t.Fatalf("read back %+v, want %+v", got, film)
	}
	v.expect("select", -1, golden{
		"sqlite":     "SELECT films.id, films.title, films.release_date FROM films WHERE films.id = 1 LIMIT 1",
		"postgresql": "SELECT films.id, films.title, films.release_date FROM films WHERE films.id = 1 LIMIT 1",
		"mysql":      "SELECT films.id, films.title, films.release_date FROM films WHERE films.id = 1 LIMIT 1",
		"mssql":      "SELECT TOP 1 films.id, films.title, films.release_date FROM films WHERE films.id = 1",
	})
	// update
	got.Title = "New title"
	must(t, s2.Commit())
	v.expect("update", -1, golden{
		"sqlite":     "UPDATE films SET title='New title' WHERE films.id = 1",
		"postgresql": "UPDATE films SET title='New title' WHERE films.id = 1",
		"mysql":      "UPDATE films SET title='New title' WHERE films.id = 1",
		"mssql":      "UPDATE films SET title='New title' WHERE films.id = 1",
	})
	var title string
	must(t, s.Query(&title).From(Film{}).Select("Title").FilterBy("ID", 1).Scalar())
	if title != "New title" {
		t.Fatalf("title after update: %q", title)
	}
	// delete
	must(t, s2.Delete(got))
	must(t, s2.Commit())
	v.expect("delete", -1, golden{
		"sqlite": "DELETE FROM films WHERE films.id = 1",
		"mssql":  "DELETE FROM films WHERE films.id = 1",
	})
	if st := orm.Inspect(got).State; st != orm.Detached {
		t.Fatalf("deleted and committed: state %v, want detached", st)
	}
	err := s2.Query(&got).FilterBy("ID", 1).First()
	if !errors.Is(err, orm.ErrNoResult) {
		t.Fatalf("after delete: %v", err)
	}
}

// expectOwn checks only the running engine's dialect: INSERTs read keys
// back differently per dialect, so the tree differs per engine.
func (v *env) expectOwn(kind string, n int, want map[string]string) {
	v.t.Helper()
	w, ok := want[v.name]
	if !ok {
		return
	}
	v.expect(kind, n, golden{v.name: w})
}

// ---- the User model: CRUD, filter_by, or_, order_by desc, pagination ----

type User struct {
	ID    int    `orm:"primary_key"`
	Name  string `orm:"size:50"`
	Email string `orm:"size:100,unique"`
	Age   int
}

func caseUserQueries(v *env) {
	t := v.t
	s := v.setup(User{}, "users")
	m := v.m("users")
	var all []*User
	for i, n := range []string{"Alice", "Bob", "Charlie", "Dave", "Eve", "Frank", "Grace"} {
		all = append(all, &User{Name: n, Email: strings.ToLower(n) + "@example.com", Age: 20 + i})
	}
	must(t, s.AddAll(all))
	must(t, s.Commit())
	for i, u := range all {
		if u.ID != i+1 {
			t.Fatalf("ids not read back in order: %d has %d", i, u.ID)
		}
	}
	// filter_by(name="Alice").first()
	var alice *User
	must(t, s.Query(&alice).FilterBy("Name", "Alice").First())
	if alice != all[0] {
		t.Fatal("identity map: the same row must give the same pointer")
	}
	// or_
	var two []*User
	must(t, s.Query(&two).Filter(orm.Or(m.C("Name").Eq("Alice"), m.C("Name").Eq("Bob"))).OrderBy("ID").All())
	if len(two) != 2 || two[0].Name != "Alice" || two[1].Name != "Bob" {
		t.Fatalf("or_: %v", names(two))
	}
	v.expect("select", -1, golden{
		"sqlite":     "SELECT users.id, users.name, users.email, users.age FROM users WHERE users.name = 'Alice' OR users.name = 'Bob' ORDER BY users.id",
		"postgresql": "SELECT users.id, users.name, users.email, users.age FROM users WHERE users.name = 'Alice' OR users.name = 'Bob' ORDER BY users.id",
		"mysql":      "SELECT users.id, users.name, users.email, users.age FROM users WHERE users.name = 'Alice' OR users.name = 'Bob' ORDER BY users.id",
		"mssql":      "SELECT users.id, users.name, users.email, users.age FROM users WHERE users.name = 'Alice' OR users.name = 'Bob' ORDER BY users.id",
	})
	// order_by(desc(name))
	var byName []*User
	must(t, s.Query(&byName).OrderBy(orm.Desc(m.C("Name"))).All())
	if got := strings.Join(names(byName), ","); got != "Grace,Frank,Eve,Dave,Charlie,Bob,Alice" {
		t.Fatalf("order by desc: %s", got)
	}
	// limit(2).offset(2), a page
	var page []*User
	must(t, s.Query(&page).OrderBy("id").Limit(2).Offset(2).All())
	if got := strings.Join(names(page), ","); got != "Charlie,Dave" {
		t.Fatalf("page: %s", got)
	}
	v.expect("select", -1, golden{
		"sqlite":     "SELECT users.id, users.name, users.email, users.age FROM users ORDER BY users.id LIMIT 2 OFFSET 2",
		"postgresql": "SELECT users.id, users.name, users.email, users.age FROM users ORDER BY users.id LIMIT 2 OFFSET 2",
		"mysql":      "SELECT users.id, users.name, users.email, users.age FROM users ORDER BY users.id LIMIT 2 OFFSET 2",
		"mssql":      "SELECT users.id, users.name, users.email, users.age FROM users ORDER BY users.id OFFSET 2 ROWS FETCH NEXT 2 ROWS ONLY",
	})
	// update through the object, then read in another session
	alice.Email = "alice@new.example"
	must(t, s.Commit())
	other := orm.NewSession(v.e)
	defer other.Close()
	var a2 User
	must(t, other.Get(&a2, alice.ID))
	if a2.Email != "alice@new.example" {
		t.Fatalf("update not visible: %+v", a2)
	}
	// delete Charlie
	var charlie *User
	must(t, s.Query(&charlie).FilterBy("Name", "Charlie").One())
	must(t, s.Delete(charlie))
	must(t, s.Commit())
	n, err := s.Query(&page).Count()
	must(t, err)
	if n != 6 {
		t.Fatalf("count after delete: %d", n)
	}
	// comparisons, LIKE, IN, NOT
	var some []*User
	must(t, s.Query(&some).Filter(m.C("Age").Ge(23), m.C("Name").Like("%a%"), orm.Not(m.C("Name").In("Frank"))).OrderBy("Age").All())
	if got := strings.Join(names(some), ","); got != "Dave,Grace" {
		t.Fatalf("comparisons: %s", got)
	}
	ok, err := s.Query(&some).FilterBy("Name", "Zed").Exists()
	must(t, err)
	if ok {
		t.Fatal("exists for a missing name")
	}
	// One with two rows
	var one *User
	err = s.Query(&one).Filter(m.C("Age").Gt(0)).One()
	if !errors.Is(err, orm.ErrMultipleResults) {
		t.Fatalf("One over many rows: %v", err)
	}
	// distinct ages into a slice of scalars
	var ages []int
	must(t, s.Query(&ages).From(User{}).Select("Age").Distinct().OrderBy("Age").All())
	if len(ages) != 6 || ages[0] != 20 {
		t.Fatalf("ages %v", ages)
	}
}

func names(us []*User) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.Name)
	}
	return out
}

// ---- the Product model: Integer, String(32), Boolean, Numeric ----

type Product struct {
	ID       int     `orm:"primary_key"`
	Title    string  `orm:"column:title,size:32"`
	InStock  bool    `orm:"column:in_stock"`
	Quantity int     `orm:"column:quantity"`
	Price    float64 `orm:"type:numeric(10,2)"`
	Note     *string
	Code     sql.NullString `orm:"size:8"`
}

func caseProduct(v *env) {
	t := v.t
	s := v.setup(Product{}, "products")
	note := "fragile"
	p := &Product{Title: "Lamp", InStock: true, Quantity: 3, Price: 19.99, Note: &note, Code: sql.NullString{String: "L-1", Valid: true}}
	q := &Product{Title: "Chair", InStock: false, Quantity: 0, Price: 45.5}
	must(t, s.AddAll(p, q))
	must(t, s.Commit())
	s2 := orm.NewSession(v.e)
	defer s2.Close()
	var got []Product
	must(t, s2.Query(&got).OrderBy("ID").All())
	if len(got) != 2 {
		t.Fatalf("got %d products", len(got))
	}
	g := got[0]
	if g.Title != "Lamp" || !g.InStock || g.Quantity != 3 || g.Price != 19.99 || g.Note == nil || *g.Note != "fragile" || !g.Code.Valid || g.Code.String != "L-1" {
		t.Fatalf("round trip: %+v", g)
	}
	if got[1].InStock || got[1].Note != nil || got[1].Code.Valid || got[1].Price != 45.5 {
		t.Fatalf("round trip of zero/NULL values: %+v", got[1])
	}
	var inStock []*Product
	must(t, s2.Query(&inStock).FilterBy("InStock", true).All())
	if len(inStock) != 1 || inStock[0].Title != "Lamp" {
		t.Fatalf("boolean filter: %v", inStock)
	}
	v.expect("select", -1, golden{
		"sqlite": "SELECT products.id, products.title, products.in_stock, products.quantity, products.price, products.note, products.code FROM products WHERE products.in_stock = 1",
		"mssql":  "SELECT products.id, products.title, products.in_stock, products.quantity, products.price, products.note, products.code FROM products WHERE products.in_stock = 1",
		"mysql":  "SELECT products.id, products.title, products.in_stock, products.quantity, products.price, products.note, products.code FROM products WHERE products.in_stock = true",
	})
	ddl := v.base.Metadata.Tables()[0]
	all := orm.CompileAll(createTable(ddl))
	for d, want := range map[string]string{
		"sqlite":     "CREATE TABLE products ( id INTEGER NOT NULL, title VARCHAR(32) NOT NULL, in_stock BOOLEAN NOT NULL, quantity INTEGER NOT NULL, price NUMERIC(10, 2) NOT NULL, note VARCHAR(255), code VARCHAR(8), PRIMARY KEY (id) )",
		"postgresql": "CREATE TABLE products ( id SERIAL NOT NULL, title VARCHAR(32) NOT NULL, in_stock BOOLEAN NOT NULL, quantity INTEGER NOT NULL, price NUMERIC(10, 2) NOT NULL, note VARCHAR(255), code VARCHAR(8), PRIMARY KEY (id) )",
		"mysql":      "CREATE TABLE products ( id INTEGER NOT NULL AUTO_INCREMENT, title VARCHAR(32) NOT NULL, in_stock BOOL NOT NULL, quantity INTEGER NOT NULL, price NUMERIC(10, 2) NOT NULL, note VARCHAR(255), code VARCHAR(8), PRIMARY KEY (id) )",
		"mssql":      "CREATE TABLE products ( id INTEGER NOT NULL IDENTITY, title VARCHAR(32) NOT NULL, in_stock BIT NOT NULL, quantity INTEGER NOT NULL, price NUMERIC(10, 2) NOT NULL, note VARCHAR(255) NULL, code VARCHAR(8) NULL, PRIMARY KEY (id) )",
	} {
		if norm(all[d]) != norm(want) {
			t.Errorf("DDL for %s:\n got: %s\nwant: %s", d, norm(all[d]), want)
		}
	}
}

// ---- the census queries ----

type Census struct {
	ID      int    `orm:"primary_key"`
	State   string `orm:"size:30"`
	Sex     string `orm:"size:1"`
	Age     int
	Pop2000 int
	Pop2008 int
}

func caseCensus(v *env) {
	t := v.t
	s := v.setup(Census{}, "census")
	c := v.m("census")
	rows := []*Census{
		{State: "California", Sex: "F", Age: 30, Pop2000: 100, Pop2008: 110},
		{State: "California", Sex: "M", Age: 30, Pop2000: 90, Pop2008: 95},
		{State: "Texas", Sex: "F", Age: 30, Pop2000: 80, Pop2008: 90},
		{State: "Texas", Sex: "M", Age: 40, Pop2000: 70, Pop2008: 85},
		{State: "New York", Sex: "F", Age: 40, Pop2000: 60, Pop2008: 61},
		{State: "Ohio", Sex: "M", Age: 40, Pop2000: 50, Pop2008: 49},
	}
	must(t, s.AddAll(rows))
	must(t, s.Commit())
	// WHERE sex = 'F'
	var women []*Census
	must(t, s.Query(&women).Filter(c.C("Sex").Eq("F")).All())
	if len(women) != 3 {
		t.Fatalf("women: %d", len(women))
	}
	// SELECT state, sex WHERE state IN ('Texas', 'New York')
	type stateSex struct {
		State string
		Sex   string
	}
	var ss []stateSex
	must(t, s.Query(&ss).From(Census{}).Select("State", "Sex").Filter(c.C("State").In("Texas", "New York")).OrderBy("State", "Sex").All())
	if fmt.Sprint(ss) != "[{New York F} {Texas F} {Texas M}]" {
		t.Fatalf("IN: %v", ss)
	}
	v.expect("select", -1, golden{
		"sqlite":     "SELECT census.state, census.sex FROM census WHERE census.state IN ('Texas', 'New York') ORDER BY census.state, census.sex",
		"postgresql": "SELECT census.state, census.sex FROM census WHERE census.state IN ('Texas', 'New York') ORDER BY census.state, census.sex",
		"mysql":      "SELECT census.state, census.sex FROM census WHERE census.state IN ('Texas', 'New York') ORDER BY census.state, census.sex",
		"mssql":      "SELECT census.state, census.sex FROM census WHERE census.state IN ('Texas', 'New York') ORDER BY census.state, census.sex",
	})
	// AND / NOT
	var cal []*Census
	must(t, s.Query(&cal).Filter(orm.And(c.C("State").Eq("California"), orm.Not(c.C("Sex").Eq("M")))).All())
	if len(cal) != 1 || cal[0].Sex != "F" {
		t.Fatalf("and/not: %v", cal)
	}
	v.expect("select", -1, golden{
		"sqlite": "SELECT census.id, census.state, census.sex, census.age, census.pop2000, census.pop2008 FROM census WHERE census.state = 'California' AND NOT (census.sex = 'M')",
		"mssql":  "SELECT census.id, census.state, census.sex, census.age, census.pop2000, census.pop2008 FROM census WHERE census.state = 'California' AND NOT (census.sex = 'M')",
	})
	// ORDER BY state DESC, pop2000
	var ordered []*Census
	must(t, s.Query(&ordered).OrderBy(orm.Desc(c.C("State")), c.C("Pop2000")).All())
	var got []string
	for _, r := range ordered {
		got = append(got, fmt.Sprintf("%s/%d", r.State, r.Pop2000))
	}
	if strings.Join(got, " ") != "Texas/70 Texas/80 Ohio/50 New York/60 California/90 California/100" {
		t.Fatalf("order by two columns: %v", got)
	}
	// SELECT sum(pop2008)
	var total int64
	must(t, s.Query(&total).From(Census{}).Select(orm.Sum(c.C("Pop2008"))).Scalar())
	if total != 490 {
		t.Fatalf("sum: %d", total)
	}
	// SELECT sum(pop2008) AS pop2008, sex GROUP BY sex
	type bySex struct {
		Pop2008 int64
		Sex     string
	}
	var groups []bySex
	must(t, s.Query(&groups).From(Census{}).Select(orm.Sum(c.C("Pop2008")).Label("pop2008"), c.C("Sex")).GroupBy("Sex").OrderBy("Sex").All())
	if fmt.Sprint(groups) != "[{261 F} {229 M}]" {
		t.Fatalf("group by: %v", groups)
	}
	v.expect("select", -1, golden{
		"sqlite":     "SELECT sum(census.pop2008) AS pop2008, census.sex FROM census GROUP BY census.sex ORDER BY census.sex",
		"postgresql": "SELECT sum(census.pop2008) AS pop2008, census.sex FROM census GROUP BY census.sex ORDER BY census.sex",
		"mysql":      "SELECT sum(census.pop2008) AS pop2008, census.sex FROM census GROUP BY census.sex ORDER BY census.sex",
		"mssql":      "SELECT sum(census.pop2008) AS pop2008, census.sex FROM census GROUP BY census.sex ORDER BY census.sex",
	})
	// HAVING
	var big []bySex
	must(t, s.Query(&big).From(Census{}).Select(orm.Sum(c.C("Pop2008")).Label("pop2008"), c.C("Sex")).GroupBy("Sex").Having(orm.Sum(c.C("Pop2008")).Gt(250)).All())
	if len(big) != 1 || big[0].Sex != "F" {
		t.Fatalf("having: %v", big)
	}
}

// ---- commit or rollback ----

func caseCommitOrRollback(v *env) {
	t := v.t
	s := v.setup(User{}, "users")
	save := func(us ...*User) error {
		if err := s.AddAll(us); err != nil {
			return err
		}
		if err := s.Commit(); err != nil {
			s.Rollback()
			return err
		}
		return nil
	}
	must(t, save(&User{Name: "a", Email: "a@x"}))
	dup := &User{Name: "b", Email: "a@x"}
	err := save(&User{Name: "ok", Email: "ok@x"}, dup)
	if err == nil {
		t.Fatal("duplicate email committed")
	}
	if !errors.Is(err, orm.ErrFlush) || !errors.Is(err, orm.ErrStatement) {
		t.Fatalf("error should be a flush error wrapping the statement error: %v", err)
	}
	if st := orm.Inspect(dup).State; st != orm.Transient || dup.ID != 0 {
		t.Fatalf("after rollback the new object is transient with no id: %v id=%d", st, dup.ID)
	}
	n, err := s.Query(&[]*User{}).Count()
	must(t, err)
	if n != 1 {
		t.Fatalf("nothing half-written: %d rows", n)
	}
	// the session is usable again
	must(t, save(&User{Name: "c", Email: "c@x"}))
}
