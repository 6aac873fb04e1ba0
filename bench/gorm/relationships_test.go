package gormbench

// GORM on the work of ORM Lab's BenchmarkRelLoad (orm/relationship_bench_test.go):
// 1,000 authors with 10 books each, read back with their books — lazily
// (one query per author, the N+1), with Preload (GORM's selectin: one IN
// query) and, for the many-to-one direction, Joins. Same modernc SQLite,
// handed to GORM as an open *sql.DB. Compare with
//
//	go test -run '^$' -bench RelLoad ./orm/

import (
	"database/sql"
	"fmt"
	"testing"

	gormsqlite "github.com/ncruces/go-sqlite3/gormlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

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

func BenchmarkRelLoadGorm(b *testing.B) {
	sqlDB, err := sql.Open("sqlite", dsn())
	if err != nil {
		b.Fatal(err)
	}
	defer sqlDB.Close()
	sqlDB.SetMaxOpenConns(1)
	db, err := gorm.Open(gormsqlite.OpenDB(sqlDB), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{
		"CREATE TABLE authors (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL)",
		"CREATE TABLE books (id INTEGER NOT NULL PRIMARY KEY, title VARCHAR(200) NOT NULL, author_id INTEGER NOT NULL REFERENCES authors (id))",
	} {
		if err := db.Exec(q).Error; err != nil {
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
	var stmts int
	if err := db.Callback().Query().After("gorm:query").Register("ormlab:count", func(*gorm.DB) { stmts++ }); err != nil {
		b.Fatal(err)
	}
	check := func(b *testing.B, as []RelAuthor) {
		if len(as) != 1000 || len(as[999].Books) != 10 {
			b.Fatalf("loaded %d authors", len(as))
		}
	}
	b.Run("lazy", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			stmts = 0
			var as []RelAuthor
			if err := db.Order("id").Find(&as).Error; err != nil {
				b.Fatal(err)
			}
			for k := range as {
				if err := db.Where("author_id = ?", as[k].ID).Order("id").Find(&as[k].Books).Error; err != nil {
					b.Fatal(err)
				}
			}
			check(b, as)
		}
		b.ReportMetric(float64(stmts), "statements/op")
	})
	b.Run("preload", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			stmts = 0
			var as []RelAuthor
			if err := db.Preload("Books").Order("id").Find(&as).Error; err != nil {
				b.Fatal(err)
			}
			check(b, as)
		}
		b.ReportMetric(float64(stmts), "statements/op")
	})
	b.Run("joins_many_to_one", func(b *testing.B) {
		// GORM's Joins loads belongs-to / has-one only: books with authors
		for i := 0; i < b.N; i++ {
			stmts = 0
			var bs []RelBook
			if err := db.Joins("Author").Order("books.id").Find(&bs).Error; err != nil {
				b.Fatal(err)
			}
			if len(bs) != 10000 || bs[9999].Author == nil || bs[9999].Author.ID != 1000 {
				b.Fatalf("loaded %d books", len(bs))
			}
		}
		b.ReportMetric(float64(stmts), "statements/op")
	})
}
