package orm

import (
	"strconv"
	"strings"
	"testing"
)

// A child moved from one parent's collection to another's under
// delete-orphan is no orphan: SQLAlchemy updates its key. Both visiting
// orders of the two parents are covered (the move either way).
func TestRelMoveChildBetweenParentsUnderDeleteOrphan(t *testing.T) {
	for _, toFirst := range []bool{false, true} {
		e := newRelEnv(t, mapAuthors)
		a := &rAuthor{Name: "A", Books: []*rBook{{Title: "x"}, {Title: "y"}}}
		b := &rAuthor{Name: "B", Books: []*rBook{{Title: "z"}}}
		must(t, e.s.AddAll(a, b))
		must(t, e.s.Commit())
		from, to := a, b
		if toFirst {
			from, to = b, a
		}
		moved := from.Books[0]
		from.Books = from.Books[1:]
		to.Books = append(to.Books, moved)
		stmts := e.count(func() { must(t, e.s.Commit()) })
		joined := strings.Join(stmts, "\n")
		if strings.Contains(joined, "DELETE") {
			t.Fatalf("moving a child deleted it:\n%s", joined)
		}
		if got := e.rows("SELECT count(*) FROM books"); got != "3" {
			t.Fatalf("books after the move: %s", got)
		}
		if got := e.rows("SELECT author_id FROM books WHERE title = '" + moved.Title + "'"); got != strconv.Itoa(to.ID) {
			t.Fatalf("moved book's author_id = %s, want %d", got, to.ID)
		}
		if moved.AuthorID != to.ID || moved.Author != to {
			t.Fatalf("moved book's fields: %d %p, want %d %p", moved.AuthorID, moved.Author, to.ID, to)
		}
	}
}
