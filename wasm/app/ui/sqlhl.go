package ui

import (
	"strings"
	"unicode"
)

// Dialects in display order, with the keys the trace uses.
var dialects = []struct{ Key, Label string }{
	{"sqlite", "SQLite"},
	{"postgresql", "PostgreSQL"},
	{"mysql", "MySQL"},
	{"mssql", "SQL Server"},
}

func dialectIndex(key string) int {
	for i, d := range dialects {
		if d.Key == key {
			return i
		}
	}
	return -1
}

// Token classes (CSS classes "t-<class>").
const (
	tokSpace   = "sp"
	tokKeyword = "kw"
	tokString  = "str"
	tokNumber  = "num"
	tokIdent   = "id"
	tokQuoted  = "qid" // "x", `x`, [x]
	tokParam   = "par" // ?, $1, %(name)s, %s, :name, @p1
	tokComment = "com"
	tokPunct   = "pun"
)

// Token is one lexical piece of a SQL statement. Diff marks the tokens that
// differ from the other dialects' versions of the same statement.
type Token struct {
	Class string
	Text  string
	Diff  bool
}

// A small SQL lexer instead of chroma at run time: chroma's lexer registry
// adds ~0.8 MB brotli to the UI wasm (measured: 1.43 → 2.19 MB), past the
// 2 MB budget, while the four dialects' output needs only these classes.
var sqlKeywords = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`ADD ALL ALTER AND ANY AS ASC AUTOINCREMENT AUTO_INCREMENT BEGIN BETWEEN BIGINT
	BIT BLOB BOOLEAN BY CASCADE CASE CHAR CHECK COLLATE COLUMN COMMIT CONSTRAINT CREATE CROSS CURRENT_TIMESTAMP
	DATE DATETIME DECIMAL DEFAULT DELETE DESC DISTINCT DOUBLE DROP ELSE END ESCAPE EXCEPT EXISTS FALSE FETCH FIRST
	FLOAT FOR FOREIGN FROM FULL GROUP HAVING IDENTITY IF ILIKE IN INDEX INNER INSERT INSERTED INT INTEGER INTERSECT
	INTO IS JOIN KEY LEFT LIKE LIMIT NEXT NOT NULL NUMERIC NVARCHAR OFFSET ON ONLY OR ORDER OUTER OUTPUT PRIMARY
	REAL REFERENCES RELEASE RETURNING RIGHT ROLLBACK ROW ROWS SAVEPOINT SELECT SERIAL SET SMALLINT TABLE TEXT THEN
	TIME TIMESTAMP TO TOP TRANSACTION TRUE UNION UNIQUE UPDATE USING VALUES VARCHAR WHEN WHERE WITH`) {
		sqlKeywords[k] = true
	}
}

// TokenizeSQL splits s into tokens; concatenating their Text gives s back.
func TokenizeSQL(s string) []Token {
	var out []Token
	rs := []rune(s)
	n := len(rs)
	emit := func(class string, from, to int) { out = append(out, Token{Class: class, Text: string(rs[from:to])}) }
	isIdent := func(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }
	for i := 0; i < n; {
		r := rs[i]
		j := i + 1
		switch {
		case unicode.IsSpace(r):
			for j < n && unicode.IsSpace(rs[j]) {
				j++
			}
			emit(tokSpace, i, j)
		case r == '-' && j < n && rs[j] == '-':
			for j < n && rs[j] != '\n' {
				j++
			}
			emit(tokComment, i, j)
		case r == '\'':
			for j < n {
				if rs[j] == '\'' {
					if j+1 < n && rs[j+1] == '\'' {
						j += 2
						continue
					}
					j++
					break
				}
				j++
			}
			emit(tokString, i, j)
		case r == '"' || r == '`' || r == '[':
			end := r
			if r == '[' {
				end = ']'
			}
			for j < n && rs[j] != end {
				j++
			}
			if j < n {
				j++
			}
			emit(tokQuoted, i, j)
		case unicode.IsDigit(r):
			for j < n && (unicode.IsDigit(rs[j]) || rs[j] == '.') {
				j++
			}
			emit(tokNumber, i, j)
		case r == '?':
			emit(tokParam, i, j)
		case (r == '$' || r == '@' || r == ':') && j < n && isIdent(rs[j]):
			for j < n && isIdent(rs[j]) {
				j++
			}
			emit(tokParam, i, j)
		case r == '%' && j < n && rs[j] == 's':
			j++
			emit(tokParam, i, j)
		case r == '%' && j < n && rs[j] == '(':
			for j < n && rs[j] != ')' {
				j++
			}
			if j+1 < n && rs[j+1] == 's' {
				j += 2
				emit(tokParam, i, j)
			} else {
				emit(tokPunct, i, i+1)
				j = i + 1
			}
		case isIdent(r):
			for j < n && isIdent(rs[j]) {
				j++
			}
			w := string(rs[i:j])
			if sqlKeywords[strings.ToUpper(w)] {
				emit(tokKeyword, i, j)
			} else {
				emit(tokIdent, i, j)
			}
		default:
			emit(tokPunct, i, j)
		}
		i = j
	}
	return out
}

// MarkDifferences tokenizes each dialect's SQL (keyed by dialect) and marks,
// in each, the tokens that fall outside the longest common subsequence with
// at least one other dialect's version: what a learner should notice
// (quoting, placeholders, TOP vs LIMIT, type names). Whitespace never counts.
func MarkDifferences(sql map[string]string) map[string][]Token {
	toks := map[string][]Token{}
	var keys []string
	for _, d := range dialects {
		if s, ok := sql[d.Key]; ok {
			toks[d.Key] = TokenizeSQL(s)
			keys = append(keys, d.Key)
		}
	}
	for _, a := range keys {
		for _, b := range keys {
			if a == b {
				continue
			}
			inLCS := lcsMembers(toks[a], toks[b])
			for i := range toks[a] {
				if toks[a][i].Class != tokSpace && !inLCS[i] {
					toks[a][i].Diff = true
				}
			}
		}
	}
	return toks
}

// lcsMembers returns, for each token of a, whether it is in an LCS of the
// non-space tokens of a and b (keywords compared case-insensitively).
func lcsMembers(a, b []Token) []bool {
	var ia, ib []int
	for i, t := range a {
		if t.Class != tokSpace {
			ia = append(ia, i)
		}
	}
	for i, t := range b {
		if t.Class != tokSpace {
			ib = append(ib, i)
		}
	}
	eq := func(x, y Token) bool {
		if x.Class == tokKeyword && y.Class == tokKeyword {
			return strings.EqualFold(x.Text, y.Text)
		}
		return x.Class == y.Class && x.Text == y.Text
	}
	n, m := len(ia), len(ib)
	// Statements are short (hundreds of tokens), so the quadratic table is fine.
	dp := make([][]int, n+1)
	for i := range dp {
		dp[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if eq(a[ia[i]], b[ib[j]]) {
				dp[i][j] = dp[i+1][j+1] + 1
			} else if dp[i+1][j] >= dp[i][j+1] {
				dp[i][j] = dp[i+1][j]
			} else {
				dp[i][j] = dp[i][j+1]
			}
		}
	}
	in := make([]bool, len(a))
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case eq(a[ia[i]], b[ib[j]]):
			in[ia[i]] = true
			i++
			j++
		case dp[i+1][j] >= dp[i][j+1]:
			i++
		default:
			j++
		}
	}
	return in
}
