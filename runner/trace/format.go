package trace

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// FormatValue renders one parameter or table cell as plain text, as the
// page shows it: NULL, strings as they are, numbers as written (a trace
// decoded with UseNumber holds json.Number), anything else as JSON. The
// exercise checks compare cells in this form, so they see what the
// learner sees.
func FormatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	default:
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(x); err != nil {
			return fmt.Sprint(x)
		}
		return strings.TrimSpace(b.String())
	}
}

// WithoutTimings is a copy of t with statement durations and pool times
// zeroed: what two runs of the same program must agree on (the machine's
// speed and a real clock make timings differ).
func (t *Trace) WithoutTimings() Trace {
	c := *t
	c.Statements = append([]Statement(nil), t.Statements...)
	for i := range c.Statements {
		c.Statements[i].DurationUS = 0
	}
	c.Pool = append([]PoolEvent(nil), t.Pool...)
	for i := range c.Pool {
		c.Pool[i].TMS = 0
	}
	return c
}
