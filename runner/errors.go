package runner

import (
	"errors"
	"fmt"
	"go/scanner"
	"go/token"
	"regexp"
	"strconv"
	"strings"

	"ormlab/runner/trace"
)

// compileError turns a yaegi compile error ("file:line:col: message", or a
// scanner list) into a trace error with its position and a message a
// learner can act on.
func compileError(fset *token.FileSet, err error) *trace.Error {
	var list scanner.ErrorList
	if errors.As(err, &list) {
		return parseError(list)
	}
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	e := &trace.Error{Kind: trace.ErrCompile}
	if m := posPrefix.FindStringSubmatch(msg); m != nil {
		e.File = m[1]
		e.Line, _ = strconv.Atoi(m[2])
		e.Col, _ = strconv.Atoi(m[3])
		msg = m[4]
	}
	e.Message = cleanMessage(msg)
	return e
}

var partialGeneric = regexp.MustCompile(`^undefined selector: (slices|maps|cmp)\.`)

var posPrefix = regexp.MustCompile(`^([^:\s]+\.go):(\d+):(\d+): (.*)$`)

// cleanMessage strips the interpreter's internals from a message: the
// names of our injected hooks, yaegi's and reflect's vocabulary.
func cleanMessage(msg string) string {
	msg = strings.TrimSpace(msg)
	msg = strings.TrimPrefix(msg, "CFG post-order panic: ")
	for _, r := range messageRewrites {
		if r.re.MatchString(msg) {
			msg = r.re.ReplaceAllString(msg, r.to)
		}
	}
	msg = strings.ReplaceAll(msg, rtName+".", "")
	if partialGeneric.MatchString(msg) {
		msg += " (the playground's slices, maps and cmp packages are yaegi's Go 1.22 sources: no iterator or sorting functions; use sort)"
	}
	return msg
}

var messageRewrites = []struct {
	re *regexp.Regexp
	to string
}{
	// reflect panics that stand for Go's runtime errors in interpreted code.
	{regexp.MustCompile(`^reflect: (slice|array|string) index out of range$`), "runtime error: index out of range"},
	{regexp.MustCompile(`^reflect: (slice|string) (index|bounds) out of range.*$`), "runtime error: slice bounds out of range"},
	{regexp.MustCompile(`^reflect: call of reflect\.Value\.\w+ on zero Value$`), "runtime error: invalid memory address or nil pointer dereference"},
	{regexp.MustCompile(`^reflect: call of reflect\.Value\.\w+ on ptr Value$`), "runtime error: invalid memory address or nil pointer dereference"},
	{regexp.MustCompile(`^reflect: indirection through nil pointer to embedded struct$`), "runtime error: invalid memory address or nil pointer dereference"},
	{regexp.MustCompile(`^reflect: call of (\S+) on nil`), "runtime error: invalid memory address or nil pointer dereference"},
	{regexp.MustCompile(`^interface conversion: interface \{\} is (.*)$`), "interface conversion: interface {} is $1"},
	{regexp.MustCompile(`\bunsafe2\.dummy\b`), "(recursive type)"},
	{regexp.MustCompile(`github\.com/traefik/yaegi/interp\.`), ""},
}

// panicMessage renders a panic value the way Go's runtime prints it after
// "panic: ", with the interpreter's wording translated.
func panicMessage(p any) string {
	var s string
	switch v := p.(type) {
	case error:
		s = v.Error()
	case fmt.Stringer:
		s = v.String()
	case string:
		s = v
	default:
		s = fmt.Sprintf("%v", v)
	}
	return "panic: " + cleanMessage(s)
}
