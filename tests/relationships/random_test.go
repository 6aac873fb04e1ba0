package relationships

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"

	"ormlab/orm"
)

// The randomized unit-of-work test with relationships, on every engine:
// random appends, removals (delete-orphan), moves from either side,
// cascade deletes of parents and of whole subtrees of a self-referencing
// table, many-to-many links, flushes, commits and rollbacks, checked after
// every commit against a plain model of the rows.

type RAuthor struct {
	ID    int      `orm:"primary_key"`
	Name  string   `orm:"size:20"`
	Books []*RBook `orm:"relationship,back_populates:Author,cascade:all,delete-orphan"`
}

type RBook struct {
	ID       int      `orm:"primary_key"`
	Title    string   `orm:"size:20"`
	AuthorID int      `orm:"foreign_key:r_authors.id"`
	Author   *RAuthor `orm:"relationship,back_populates:Books"`
	Tags     []*RTag  `orm:"relationship,secondary:r_book_tags,back_populates:Books"`
}

type RTag struct {
	ID    int      `orm:"primary_key"`
	Name  string   `orm:"size:20"`
	Books []*RBook `orm:"relationship,secondary:r_book_tags,back_populates:Tags"`
}

type RNode struct {
	ID       int      `orm:"primary_key"`
	Name     string   `orm:"size:20"`
	ParentID *int     `orm:"foreign_key:r_nodes.id"`
	Parent   *RNode   `orm:"relationship,back_populates:Children"`
	Children []*RNode `orm:"relationship,back_populates:Parent,cascade:all,delete-orphan"`
}

type rmodel map[string]string // row → value

func (m rmodel) clone() rmodel {
	c := rmodel{}
	for k, v := range m {
		c[k] = v
	}
	return c
}

func (m rmodel) String() string {
	var p []string
	for k, v := range m {
		p = append(p, k+"="+v)
	}
	sort.Strings(p)
	return strings.Join(p, " ")
}

func TestRandomRelationships(t *testing.T) {
	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			for seed := int64(1); seed <= 3; seed++ {
				t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { randomRun(newEnv(t, tg), seed, 100) })
			}
		})
	}
}

func randomRun(v *env, seed int64, steps int) {
	t := v.t
	v.base.Metadata.Table("r_book_tags",
		orm.NewColumn("book_id", orm.Integer(), orm.ForeignKey("r_books.id"), orm.PrimaryKey()),
		orm.NewColumn("tag_id", orm.Integer(), orm.ForeignKey("r_tags.id"), orm.PrimaryKey()))
	v.setup(RAuthor{}, "r_authors", RBook{}, "r_books", RTag{}, "r_tags", RNode{}, "r_nodes")
	r := rand.New(rand.NewSource(seed))
	committed, want := rmodel{}, rmodel{}
	var s *orm.Session
	var authors []*RAuthor
	var tags []*RTag
	var nodes []*RNode
	touched := map[any]bool{}
	reload := func() {
		s = v.session()
		authors, tags, nodes = nil, nil, nil
		must(t, s.Query(&authors).OrderBy("id").Options(orm.SelectinLoad("Books.Tags")).All())
		must(t, s.Query(&tags).OrderBy("id").Options(orm.SelectinLoad("Books")).All())
		must(t, s.Query(&nodes).OrderBy("id").Options(orm.SelectinLoad("Children")).All())
	}
	reload()
	n := 0
	name := func(p string) string { n++; return fmt.Sprintf("%s%d", p, n) }
	var log []string
	books := func() []*RBook {
		var out []*RBook
		for _, a := range authors {
			out = append(out, a.Books...)
		}
		return out
	}
	// subtree lists a node and its descendants (as loaded)
	var subtree func(x *RNode) []*RNode
	// (children as loaded, and nodes pointing at it not flushed yet: the
	// cascade finds both)
	subtree = func(x *RNode) []*RNode {
		out := []*RNode{x}
		for _, c := range x.Children {
			out = append(out, subtree(c)...)
		}
		for _, c := range nodes {
			if c.Parent == x && !containsNode(x.Children, c) {
				out = append(out, subtree(c)...)
			}
		}
		return out
	}
	for step := 0; step < steps; step++ {
		switch op := r.Intn(12); {
		case op == 0 || len(authors) == 0:
			a := &RAuthor{Name: name("a")}
			b := &RBook{Title: name("b")}
			a.Books = append(a.Books, b)
			must(t, s.Add(a))
			authors = append(authors, a)
			want["author:"+a.Name] = "1"
			want["book:"+b.Title] = a.Name
			touched[b] = true
			log = append(log, "new "+a.Name)
		case op == 1:
			a := authors[r.Intn(len(authors))]
			b := &RBook{Title: name("b")}
			a.Books = append(a.Books, b)
			want["book:"+b.Title] = a.Name
			touched[b] = true
			log = append(log, "append "+b.Title)
		case op == 2:
			a := authors[r.Intn(len(authors))]
			if len(a.Books) == 0 {
				continue
			}
			i := r.Intn(len(a.Books))
			b := a.Books[i]
			if touched[b] || len(b.Tags) > 0 {
				continue
			}
			touched[b] = true
			delete(want, "book:"+b.Title)
			a.Books = append(a.Books[:i:i], a.Books[i+1:]...)
			log = append(log, "remove "+b.Title)
		case op == 3:
			bs := books()
			if len(bs) == 0 {
				continue
			}
			b, o := bs[r.Intn(len(bs))], authors[r.Intn(len(authors))]
			if touched[b] || b.Author == nil || b.Author == o {
				continue
			}
			touched[b] = true
			if r.Intn(2) == 0 {
				b.Author = o
			} else {
				o.Books = append(o.Books, b)
			}
			want["book:"+b.Title] = o.Name
			log = append(log, "move "+b.Title+" to "+o.Name)
		case op == 4:
			i := r.Intn(len(authors))
			a := authors[i]
			if orm.Inspect(a).State != orm.Persistent {
				continue
			}
			busy := false
			for _, b := range a.Books {
				busy = busy || touched[b] || len(b.Tags) > 0
			}
			for _, b := range books() {
				busy = busy || (touched[b] && b.Author == a) // moved in, not flushed
			}
			if busy {
				continue
			}
			must(t, s.Delete(a))
			delete(want, "author:"+a.Name)
			for _, b := range a.Books {
				delete(want, "book:"+b.Title)
				for k := range want {
					if strings.HasPrefix(k, "tag:"+b.Title+"/") {
						delete(want, k) // association rows go with the book
					}
				}
			}
			authors = append(authors[:i:i], authors[i+1:]...)
			log = append(log, "delete "+a.Name)
		case op == 5:
			bs := books()
			if len(tags) < 3 {
				tg := &RTag{Name: name("t")}
				must(t, s.Add(tg))
				tags = append(tags, tg)
			}
			if len(bs) == 0 {
				continue
			}
			b, tg := bs[r.Intn(len(bs))], tags[r.Intn(len(tags))]
			key := "tag:" + b.Title + "/" + tg.Name
			if _, ok := want[key]; ok || touched[key] || touched[b] {
				continue
			}
			touched[key], touched[b] = true, true
			if r.Intn(2) == 0 {
				b.Tags = append(b.Tags, tg)
			} else {
				tg.Books = append(tg.Books, b)
			}
			want[key] = "1"
			log = append(log, key)
		case op == 6:
			// a new node under a random node (or a new root)
			x := &RNode{Name: name("n")}
			parent := "-"
			if len(nodes) > 0 && r.Intn(3) > 0 {
				p := nodes[r.Intn(len(nodes))]
				if touched[p] {
					continue
				}
				x.Parent = p
				parent = p.Name
			}
			must(t, s.Add(x))
			nodes = append(nodes, x)
			touched[x] = true
			want["node:"+x.Name] = parent
			log = append(log, "node "+x.Name+" under "+parent)
		case op == 7:
			// delete a persistent subtree (cascade, children first)
			if len(nodes) == 0 {
				continue
			}
			x := nodes[r.Intn(len(nodes))]
			sub := subtree(x)
			ok := orm.Inspect(x).State == orm.Persistent
			for _, y := range sub {
				ok = ok && !touched[y] && orm.Inspect(y).State == orm.Persistent
			}
			if !ok || (x.Parent != nil && touched[x.Parent]) {
				continue
			}
			must(t, s.Delete(x))
			for _, y := range sub {
				delete(want, "node:"+y.Name)
				touched[y] = true
			}
			var keep []*RNode
			for _, y := range nodes {
				if !touched[y] || orm.Inspect(y).State != orm.Persistent || want["node:"+y.Name] != "" {
					keep = append(keep, y)
				}
			}
			nodes = keep
			log = append(log, "delete subtree "+x.Name)
		case op == 8:
			if err := s.Flush(); err != nil {
				t.Fatalf("seed %d after %s: flush: %v", seed, strings.Join(log, "; "), err)
			}
			log = append(log, "flush")
		case op == 9:
			inTx := s.InTransaction()
			must(t, s.Rollback())
			log = append(log, "rollback")
			if inTx {
				want = committed.clone()
				touched = map[any]bool{}
				reload()
			}
		default:
			if err := s.Commit(); err != nil {
				t.Fatalf("seed %d after %s: commit: %v", seed, strings.Join(log, "; "), err)
			}
			log = append(log, "commit")
			committed = want.clone()
			touched = map[any]bool{}
			if got := v.rows(); got.String() != want.String() {
				t.Fatalf("seed %d after %s:\n got: %s\nwant: %s", seed, strings.Join(log, "; "), got, want)
			}
			if r.Intn(3) == 0 {
				reload()
			}
		}
	}
}

// rows reads the database into the test's model.
func (v *env) rows() rmodel {
	v.t.Helper()
	m := rmodel{}
	s := orm.NewSession(v.e)
	defer s.Close()
	read := func(q string, fn func(row []any)) {
		res, err := s.Execute(orm.Text(q))
		if err != nil {
			v.t.Fatal(err)
		}
		for _, row := range res.Rows() {
			fn(row)
		}
	}
	read("SELECT name FROM r_authors", func(r []any) { m["author:"+str(r[0])] = "1" })
	read("SELECT b.title, a.name FROM r_books b JOIN r_authors a ON a.id = b.author_id", func(r []any) { m["book:"+str(r[0])] = str(r[1]) })
	read("SELECT b.title, t.name FROM r_book_tags bt JOIN r_books b ON b.id = bt.book_id JOIN r_tags t ON t.id = bt.tag_id", func(r []any) { m["tag:"+str(r[0])+"/"+str(r[1])] = "1" })
	read("SELECT n.name, p.name FROM r_nodes n LEFT OUTER JOIN r_nodes p ON p.id = n.parent_id", func(r []any) {
		p := "-"
		if r[1] != nil {
			p = str(r[1])
		}
		m["node:"+str(r[0])] = p
	})
	return m
}

func containsNode(list []*RNode, x *RNode) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}
