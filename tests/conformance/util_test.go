//go:build !js

package conformance

import (
	"sort"
	"testing"

	"ormlab/dialect"
	"ormlab/tests/servers"
)

func sortStrings(s []string) { sort.Strings(s) }

// TestPostgreSQLKeywordsAreQuoted checks the dialect's reserved-word list
// against the server's own: every keyword PostgreSQL reserves (catcode R,
// and T: reserved but usable as a function or type name) must be quoted.
func TestPostgreSQLKeywordsAreQuoted(t *testing.T) {
	srv := servers.Postgres(t)
	d, err := dialect.Get(dialect.PostgreSQL)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := srv.DB.Query("SELECT word FROM pg_get_keywords() WHERE catcode IN ('R', 'T')")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			t.Fatal(err)
		}
		n++
		if !d.NeedsQuote(w) {
			t.Errorf("PostgreSQL reserves %q but the dialect would not quote it", w)
		}
	}
	if n < 50 {
		t.Errorf("only %d reserved keywords from the server", n)
	}
}
