package gormbench

// Loading 1,000 authors with 10 books each, read back with their books —
// lazily (one query per author: the N+1), eagerly with one extra IN query
// (ORM Lab's SelectinLoad, GORM's Preload) and, for ORM Lab, with one LEFT
// OUTER JOIN (JoinedLoad; GORM's Joins loads only the many-to-one side, so
// it is timed on books with their author, not like for like). ORM Lab and
// GORM read the same modernc SQLite database in one binary:
//
//	cd bench/gorm && go test -run '^$' -bench RelLoad -benchtime 5x .

import (
	"database/sql"
	"fmt"
	"runtime"
	"testing"
	"time"

	gormsqlite "github.com/ncruces/go-sqlite3/gormlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"ormlab/orm"
)

// GORM's models.
type RelAuthor struct {
	ID    int
	Name  string
	Books []RelBook `gorm:"foreignKey:AuthorID"`
}

func (RelAuthor) TableName() string { return "authors" }

type RelBook struct {
	ID       int
	Title    string
	AuthorID int
	Author   *RelAuthor
}

func (RelBook) TableName() string { return "books" }

// ORM Lab's models of the same tables.
type LabAuthor struct {
	ID    int        `orm:"primary_key"`
	Name  string     `orm:"size:100"`
	Books []*LabBook `orm:"relationship,back_populates:Author"`
}

type LabBook struct {
	ID       int        `orm:"primary_key"`
	Title    string     `orm:"size:200"`
	AuthorID int        `orm:"foreign_key:authors.id"`
	Author   *LabAuthor `orm:"relationship,back_populates:Books"`
}

// relDB is a fresh database with 1,000 authors and 10 books each, written
// with plain SQL (the benchmarks measure reading).
func relDB(b *testing.B) *sql.DB {
	sqlDB, err := sql.Open("sqlite", dsn())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { sqlDB.Close() })
	sqlDB.SetMaxOpenConns(1)
	for _, q := range []string{
		"CREATE TABLE authors (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL)",
		"CREATE TABLE books (id INTEGER NOT NULL PRIMARY KEY, title VARCHAR(200) NOT NULL, author_id INTEGER NOT NULL REFERENCES authors (id))",
	} {
		if _, err := sqlDB.Exec(q); err != nil {
			b.Fatal(err)
		}
	}
	tx, err := sqlDB.Begin()
	if err != nil {
		b.Fatal(err)
	}
	for i := 1; i <= 1000; i++ {
		if _, err := tx.Exec("INSERT INTO authors (id, name) VALUES (?, ?)", i, fmt.Sprint("author ", i)); err != nil {
			b.Fatal(err)
		}
		for j := 0; j < 10; j++ {
			if _, err := tx.Exec("INSERT INTO books (title, author_id) VALUES (?, ?)", fmt.Sprint("book ", i, "-", j), i); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return sqlDB
}

// relVariant loads the authors with their books once and reports how many
// statements it sent.
type relVariant struct {
	name string
	load func(b *testing.B) int
}

func relVariants(b *testing.B) []relVariant {
	sqlDB := relDB(b)
	db, err := gorm.Open(gormsqlite.OpenDB(sqlDB), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		b.Fatal(err)
	}
	var gormStmts int
	if err := db.Callback().Query().After("gorm:query").Register("ormlab:count", func(*gorm.DB) { gormStmts++ }); err != nil {
		b.Fatal(err)
	}
	checkGorm := func(b *testing.B, as []RelAuthor) {
		if len(as) != 1000 || len(as[999].Books) != 10 || as[999].Books[9].Title != "book 1000-9" {
			b.Fatalf("GORM loaded %d authors", len(as))
		}
	}
	base := orm.NewBase()
	if _, err := base.Map(LabAuthor{}, "authors"); err != nil {
		b.Fatal(err)
	}
	if _, err := base.Map(LabBook{}, "books"); err != nil {
		b.Fatal(err)
	}
	lab := func(load func(s *orm.Session, as *[]*LabAuthor) error) func(b *testing.B) int {
		return func(b *testing.B) int {
			s, err := orm.NewSessionDB(sqlDB, "sqlite")
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			n := 0
			orm.OnAfterExecute(s, func(*orm.ExecuteEvent) { n++ })
			defer orm.RemoveListeners(s)
			var as []*LabAuthor
			if err := load(s, &as); err != nil {
				b.Fatal(err)
			}
			if len(as) != 1000 || len(as[999].Books) != 10 || as[999].Books[9].Title != "book 1000-9" || as[999].Books[9].Author != as[999] {
				b.Fatalf("ORM Lab loaded %d authors", len(as))
			}
			return n
		}
	}
	return []relVariant{
		{"ormlab_lazy", lab(func(s *orm.Session, as *[]*LabAuthor) error {
			if err := s.Query(as).OrderBy("id").All(); err != nil {
				return err
			}
			for _, a := range *as {
				if err := s.Load(a, "Books"); err != nil {
					return err
				}
			}
			return nil
		})},
		{"gorm_lazy", func(b *testing.B) int {
			gormStmts = 0
			var as []RelAuthor
			if err := db.Order("id").Find(&as).Error; err != nil {
				b.Fatal(err)
			}
			for k := range as {
				if err := db.Where("author_id = ?", as[k].ID).Order("id").Find(&as[k].Books).Error; err != nil {
					b.Fatal(err)
				}
			}
			checkGorm(b, as)
			return gormStmts
		}},
		{"ormlab_selectin", lab(func(s *orm.Session, as *[]*LabAuthor) error {
			return s.Query(as).OrderBy("id").Options(orm.SelectinLoad("Books")).All()
		})},
		{"gorm_preload", func(b *testing.B) int {
			gormStmts = 0
			var as []RelAuthor
			if err := db.Preload("Books").Order("id").Find(&as).Error; err != nil {
				b.Fatal(err)
			}
			checkGorm(b, as)
			return gormStmts
		}},
		{"ormlab_joined", lab(func(s *orm.Session, as *[]*LabAuthor) error {
			return s.Query(as).OrderBy("id").Options(orm.JoinedLoad("Books")).All()
		})},
		{"gorm_joins_many_to_one", func(b *testing.B) int {
			gormStmts = 0
			var bs []RelBook
			if err := db.Joins("Author").Order("books.id").Find(&bs).Error; err != nil {
				b.Fatal(err)
			}
			if len(bs) != 10000 || bs[9999].Author == nil || bs[9999].Author.ID != 1000 {
				b.Fatalf("GORM loaded %d books", len(bs))
			}
			return gormStmts
		}},
	}
}

// BenchmarkRelLoad times each variant alone, with its statement count.
func BenchmarkRelLoad(b *testing.B) {
	for _, v := range relVariants(b) {
		b.Run(v.name, func(b *testing.B) {
			n := 0
			for i := 0; i < b.N; i++ {
				n = v.load(b)
			}
			b.ReportMetric(float64(n), "statements/op")
		})
	}
}

// BenchmarkRelLoadRatio runs every variant in turn within each iteration
// (runtime.GC() before each) and reports their times and ORM Lab's ratio
// to GORM for the two like-for-like pairs.
func BenchmarkRelLoadRatio(b *testing.B) {
	vs := relVariants(b)
	spent := make([]time.Duration, len(vs))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k, v := range vs {
			b.StopTimer()
			runtime.GC()
			b.StartTimer()
			start := time.Now()
			v.load(b)
			spent[k] += time.Since(start)
		}
	}
	for k, v := range vs {
		b.ReportMetric(float64(spent[k].Microseconds())/1000/float64(b.N), v.name+"-ms/op")
	}
	b.ReportMetric(float64(spent[0])/float64(spent[1]), "lazy_ormlab/gorm")
	b.ReportMetric(float64(spent[2])/float64(spent[3]), "selectin_ormlab/preload_gorm")
}
