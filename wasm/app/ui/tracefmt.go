package ui

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"ormlab/runner/trace"
)

// DecodeTrace parses the runner's trace JSON. Numbers stay json.Number so
// that integers in params and table cells print as written (no 1e+06).
func DecodeTrace(s string) (*trace.Trace, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var t trace.Trace
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("the runner sent a trace this page cannot read: %w", err)
	}
	return &t, nil
}

// FormatValue renders one parameter or cell as plain text (see
// trace.FormatValue).
func FormatValue(v any) string { return trace.FormatValue(v) }

// FormatParams renders a statement's parameters like a Go slice literal,
// strings quoted so that "" and " " are visible.
func FormatParams(ps []any) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		if s, ok := p.(string); ok {
			parts[i] = fmt.Sprintf("%q", s)
		} else {
			parts[i] = FormatValue(p)
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// TableOrder lists the trace's tables: first in schema order (the order the
// program declared them), then any others by name.
func TableOrder(t *trace.Trace) []string {
	seen := map[string]bool{}
	var out []string
	for _, st := range t.Schema.Tables {
		if _, ok := t.Tables[st.Name]; ok && !seen[st.Name] {
			out = append(out, st.Name)
			seen[st.Name] = true
		}
	}
	var rest []string
	for name := range t.Tables {
		if !seen[name] {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// ErrorLine returns the line to mark in the editor for t's error in the file
// named file (0 when none).
func ErrorLine(t *trace.Trace, file string) int {
	if t == nil || t.Error == nil || t.Error.Line <= 0 {
		return 0
	}
	if t.Error.File != "" && t.Error.File != file {
		return 0
	}
	return t.Error.Line
}
