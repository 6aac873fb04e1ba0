package engine

import (
	"fmt"

	"ormlab/dialect"
)

// TextParamError is a raw SQL statement whose parameters do not match its
// markers.
type TextParamError struct {
	SQL    string
	Reason string
}

func (e *TextParamError) Error() string {
	return fmt.Sprintf("engine: raw SQL %q: %s", e.SQL, e.Reason)
}

// Is makes errors.Is(err, ErrNotExecutable) true.
func (e *TextParamError) Is(target error) bool { return target == ErrNotExecutable }

// bindText renders raw SQL for d. With no parameters the text is left
// exactly as written. With one map[string]any it binds SQLAlchemy text()
// style :name markers; otherwise each "?" takes the next positional
// parameter. Markers become d's placeholders ($1 for PostgreSQL, @p1 for SQL
// Server, ? elsewhere) so one text runs on every dialect. Quoted strings,
// quoted identifiers, comments and PostgreSQL's :: casts are skipped.
func bindText(text string, d dialect.Dialect, params []any) (string, []any, error) {
	if len(params) == 0 {
		return text, nil, nil
	}
	named, isNamed := params[0].(map[string]any)
	if isNamed && len(params) > 1 {
		return "", nil, &TextParamError{SQL: text, Reason: "give either one map of :name parameters or positional ? parameters, not both"}
	}
	var out []byte
	var bound []any
	n := 0
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			j := skipQuoted(text, i, c)
			out = append(out, text[i:j]...)
			i = j
		case c == '-' && i+1 < len(text) && text[i+1] == '-':
			j := i
			for j < len(text) && text[j] != '\n' {
				j++
			}
			out = append(out, text[i:j]...)
			i = j
		case c == '/' && i+1 < len(text) && text[i+1] == '*':
			j := i + 2
			for j+1 < len(text) && !(text[j] == '*' && text[j+1] == '/') {
				j++
			}
			j = min(j+2, len(text))
			out = append(out, text[i:j]...)
			i = j
		case isNamed && c == ':' && i+1 < len(text) && text[i+1] == ':':
			out = append(out, "::"...)
			i += 2
		case isNamed && c == ':' && i+1 < len(text) && isNameStart(text[i+1]) && (i == 0 || !isNameChar(text[i-1])):
			j := i + 1
			for j < len(text) && isNameChar(text[j]) {
				j++
			}
			name := text[i+1 : j]
			v, ok := named[name]
			if !ok {
				return "", nil, &TextParamError{SQL: text, Reason: fmt.Sprintf("no value for :%s in the parameter map", name)}
			}
			n++
			out = d.AppendPlaceholder(out, n)
			bound = append(bound, v)
			i = j
		case !isNamed && c == '?':
			if n >= len(params) {
				return "", nil, &TextParamError{SQL: text, Reason: fmt.Sprintf("more ? markers than the %d parameters given", len(params))}
			}
			n++
			out = d.AppendPlaceholder(out, n)
			bound = append(bound, params[n-1])
			i++
		default:
			out = append(out, c)
			i++
		}
	}
	if !isNamed && n != len(params) {
		return "", nil, &TextParamError{SQL: text, Reason: fmt.Sprintf("%d ? markers but %d parameters", n, len(params))}
	}
	return string(out), bound, nil
}

// skipQuoted returns the index just past the quoted run starting at i
// (doubled quotes escape themselves).
func skipQuoted(s string, i int, q byte) int {
	j := i + 1
	for j < len(s) {
		if s[j] == q {
			if j+1 < len(s) && s[j+1] == q {
				j += 2
				continue
			}
			return j + 1
		}
		j++
	}
	return len(s)
}

func isNameStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isNameChar(c byte) bool { return isNameStart(c) || c >= '0' && c <= '9' }
