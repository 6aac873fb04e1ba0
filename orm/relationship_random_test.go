package orm

import (
	"context"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"

	"ormlab/orm/core"
)

// A randomized test of the unit of work with relationships: random
// sequences of append, remove (delete-orphan), reassign from either side,
// delete parent (cascade), many-to-many link/unlink, commit and rollback,
// checked after every commit against a plain model of the expected rows.

type rzAuthor struct {
	ID    int       `orm:"primary_key"`
	Name  string    `orm:"size:20"`
	Books []*rzBook `orm:"relationship,back_populates:Author,cascade:all,delete-orphan"`
}

type rzBook struct {
	ID       int       `orm:"primary_key"`
	Title    string    `orm:"size:20"`
	AuthorID int       `orm:"foreign_key:rz_authors.id"`
	Author   *rzAuthor `orm:"relationship,back_populates:Books"`
}

type rzStudent struct {
	ID      int         `orm:"primary_key"`
	Name    string      `orm:"size:20"`
	Courses []*rzCourse `orm:"relationship,secondary:rz_enrol,back_populates:Students"`
}

type rzCourse struct {
	ID       int          `orm:"primary_key"`
	Name     string       `orm:"size:20"`
	Students []*rzStudent `orm:"relationship,secondary:rz_enrol,back_populates:Courses"`
}

type rzModel struct {
	books map[string]string // title → author name
	auth  map[string]bool
	enrol map[string]bool // "student/course"
}

func (m rzModel) clone() rzModel {
	c := rzModel{books: map[string]string{}, auth: map[string]bool{}, enrol: map[string]bool{}}
	for k, v := range m.books {
		c.books[k] = v
	}
	for k := range m.auth {
		c.auth[k] = true
	}
	for k := range m.enrol {
		c.enrol[k] = true
	}
	return c
}

func (m rzModel) String() string {
	var p []string
	for a := range m.auth {
		p = append(p, "A:"+a)
	}
	for b, a := range m.books {
		p = append(p, "B:"+b+"@"+a)
	}
	for e := range m.enrol {
		p = append(p, "E:"+e)
	}
	sort.Strings(p)
	return strings.Join(p, " ")
}

func TestRelRandomUnitOfWork(t *testing.T) {
	for seed := int64(1); seed <= 30; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { randomRelRun(t, seed, 120) })
	}
}

func randomRelRun(t *testing.T, seed int64, steps int) {
	e := newRelEnv(t, func(b *Base) error {
		b.Metadata.Table("rz_enrol",
			core.Column("student_id", core.Integer(), core.ForeignKey("rz_students.id"), core.PrimaryKey()),
			core.Column("course_id", core.Integer(), core.ForeignKey("rz_courses.id"), core.PrimaryKey()))
		for _, mm := range []struct {
			m any
			t string
		}{{rzAuthor{}, "rz_authors"}, {rzBook{}, "rz_books"}, {rzStudent{}, "rz_students"}, {rzCourse{}, "rz_courses"}} {
			if _, err := b.Map(mm.m, mm.t); err != nil {
				return err
			}
		}
		return nil
	})
	r := rand.New(rand.NewSource(seed))
	committed := rzModel{books: map[string]string{}, auth: map[string]bool{}, enrol: map[string]bool{}}
	want := committed.clone()
	var s *Session
	var authors []*rzAuthor
	var students []*rzStudent
	var courses []*rzCourse
	reload := func() {
		s = e.session()
		authors, students, courses = nil, nil, nil
		must(t, s.Query(&authors).OrderBy("id").Options(SelectinLoad("Books")).All())
		must(t, s.Query(&students).OrderBy("id").Options(SelectinLoad("Courses")).All())
		must(t, s.Query(&courses).OrderBy("id").Options(SelectinLoad("Students")).All())
	}
	reload()
	// Between two commits a book is changed at most once: two changes of
	// the same link from different sides (b.Author = x, then y.Books =
	// append(…, b)) have no order in Go, which has no attribute events
	// (see cascade.go: the collection wins).
	touched := map[*rzBook]bool{}
	pairTouched := map[string]bool{}
	n := 0
	name := func(p string) string { n++; return fmt.Sprintf("%s%d", p, n) }
	var log []string
	fail := func(format string, a ...any) {
		t.Helper()
		t.Fatalf("seed %d after %s: %s", seed, strings.Join(log, "; "), fmt.Sprintf(format, a...))
	}
	for step := 0; step < steps; step++ {
		op := r.Intn(12)
		switch {
		case op == 0 || len(authors) == 0:
			a := &rzAuthor{Name: name("a")}
			for k := r.Intn(3); k > 0; k-- {
				b := &rzBook{Title: name("b")}
				a.Books = append(a.Books, b)
				want.books[b.Title] = a.Name
				touched[b] = true
			}
			must(t, s.Add(a))
			authors = append(authors, a)
			want.auth[a.Name] = true
			log = append(log, "new "+a.Name)
		case op == 1:
			a := authors[r.Intn(len(authors))]
			b := &rzBook{Title: name("b")}
			a.Books = append(a.Books, b)
			want.books[b.Title] = a.Name
			touched[b] = true
			log = append(log, "append "+b.Title+" to "+a.Name)
		case op == 2:
			a := authors[r.Intn(len(authors))]
			if len(a.Books) == 0 {
				continue
			}
			i := r.Intn(len(a.Books))
			if touched[a.Books[i]] {
				continue
			}
			touched[a.Books[i]] = true
			delete(want.books, a.Books[i].Title)
			log = append(log, "remove "+a.Books[i].Title+" from "+a.Name)
			a.Books = append(a.Books[:i:i], a.Books[i+1:]...)
		case op == 3 || op == 4:
			a, o := authors[r.Intn(len(authors))], authors[r.Intn(len(authors))]
			if len(a.Books) == 0 || a == o {
				continue
			}
			b := a.Books[r.Intn(len(a.Books))]
			if touched[b] {
				continue
			}
			touched[b] = true
			if op == 3 {
				b.Author = o
				log = append(log, "set "+b.Title+".Author="+o.Name)
			} else {
				o.Books = append(o.Books, b)
				log = append(log, "append "+b.Title+" to "+o.Name+" (from "+a.Name+")")
			}
			want.books[b.Title] = o.Name
		case op == 5:
			i := r.Intn(len(authors))
			a := authors[i]
			if Inspect(a).State != Persistent {
				continue // deleting a pending object only expunges it
			}
			dirty := false
			for _, b := range a.Books {
				dirty = dirty || touched[b]
			}
			if dirty {
				continue
			}
			must(t, s.Delete(a))
			delete(want.auth, a.Name)
			for title, an := range want.books {
				if an == a.Name {
					delete(want.books, title)
				}
			}
			authors = append(authors[:i:i], authors[i+1:]...)
			log = append(log, "delete "+a.Name)
		case op == 6:
			if len(students) < 3 {
				st := &rzStudent{Name: name("s")}
				must(t, s.Add(st))
				students = append(students, st)
			}
			if len(courses) < 3 {
				c := &rzCourse{Name: name("c")}
				must(t, s.Add(c))
				courses = append(courses, c)
			}
			st, c := students[r.Intn(len(students))], courses[r.Intn(len(courses))]
			key := st.Name + "/" + c.Name
			if want.enrol[key] || pairTouched[key] {
				continue
			}
			pairTouched[key] = true
			if r.Intn(2) == 0 {
				st.Courses = append(st.Courses, c)
			} else {
				c.Students = append(c.Students, st)
			}
			want.enrol[key] = true
			log = append(log, "enrol "+key)
		case op == 7:
			if len(students) == 0 {
				continue
			}
			st := students[r.Intn(len(students))]
			if len(st.Courses) == 0 {
				continue
			}
			i := r.Intn(len(st.Courses))
			if pairTouched[st.Name+"/"+st.Courses[i].Name] {
				continue
			}
			pairTouched[st.Name+"/"+st.Courses[i].Name] = true
			delete(want.enrol, st.Name+"/"+st.Courses[i].Name)
			log = append(log, "unenrol "+st.Name+"/"+st.Courses[i].Name)
			st.Courses = append(st.Courses[:i:i], st.Courses[i+1:]...)
		case op == 11:
			if err := s.Flush(); err != nil {
				fail("flush: %v", err)
			}
			log = append(log, "flush")
		case op == 8:
			inTx := s.InTransaction()
			must(t, s.Rollback())
			if !inTx {
				// nothing was flushed since the commit: as SQLAlchemy, a
				// rollback with no transaction leaves the changes to come
				log = append(log, "rollback (no transaction)")
				continue
			}
			want = committed.clone()
			touched, pairTouched = map[*rzBook]bool{}, map[string]bool{}
			log = append(log, "rollback")
			if r.Intn(2) == 0 {
				reload()
				continue
			}
			// keep working with the same objects: the rollback put their
			// relationship fields back (new objects are transient again)
			authors = keepPersistent(authors)
			students = keepPersistent(students)
			courses = keepPersistent(courses)
			// a rolled-back many-to-many collection is unloaded: load it again
			if len(students) > 0 {
				must(t, s.Load(students, "Courses"))
			}
			if len(courses) > 0 {
				must(t, s.Load(courses, "Students"))
			}
			for _, a := range authors {
				for _, b := range a.Books {
					if b.Author != a || Inspect(b).State != Persistent {
						fail("after rollback %s in %s.Books: author %v, %v", b.Title, a.Name, b.Author, Inspect(b).State)
					}
				}
			}
		default:
			if err := s.Commit(); err != nil {
				fail("commit: %v", err)
			}
			log = append(log, "commit")
			touched, pairTouched = map[*rzBook]bool{}, map[string]bool{}
			committed = want.clone()
			got := e.dbModel(t)
			if got.String() != want.String() {
				fail("database\n got: %s\nwant: %s", got, want)
			}
			// the in-memory graph agrees with itself
			for _, a := range authors {
				for _, b := range a.Books {
					if b.Author != a || b.AuthorID != a.ID {
						fail("%s in %s.Books points to %v / %d", b.Title, a.Name, b.Author, b.AuthorID)
					}
				}
			}
			if r.Intn(3) == 0 {
				reload()
				log = append(log, "reload")
			}
		}
	}
}

func (e *relEnv) dbModel(t testing.TB) rzModel {
	m := rzModel{books: map[string]string{}, auth: map[string]bool{}, enrol: map[string]bool{}}
	rows, err := e.db.QueryContext(context.Background(), "SELECT name FROM rz_authors")
	must(t, err)
	for rows.Next() {
		var n string
		must(t, rows.Scan(&n))
		m.auth[n] = true
	}
	rows.Close()
	rows, err = e.db.Query("SELECT b.title, a.name FROM rz_books b JOIN rz_authors a ON a.id = b.author_id")
	must(t, err)
	for rows.Next() {
		var b, a string
		must(t, rows.Scan(&b, &a))
		m.books[b] = a
	}
	rows.Close()
	rows, err = e.db.Query("SELECT s.name, c.name FROM rz_enrol e JOIN rz_students s ON s.id = e.student_id JOIN rz_courses c ON c.id = e.course_id")
	must(t, err)
	for rows.Next() {
		var a, b string
		must(t, rows.Scan(&a, &b))
		m.enrol[a+"/"+b] = true
	}
	rows.Close()
	return m
}

// keepPersistent drops the objects a rollback made transient.
func keepPersistent[T any](list []*T) []*T {
	var out []*T
	for _, x := range list {
		if Inspect(x).State == Persistent {
			out = append(out, x)
		}
	}
	return out
}
