package engine

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// FormatParams renders bound parameters the way SQLAlchemy's echo shows a
// Python tuple: ('spongebob', 5, None, True), ('x',) for one value, () for
// none. Times print as quoted ISO strings and bytes as b'…'.
func FormatParams(params []any) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, p := range params {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(formatValue(p))
	}
	if len(params) == 1 {
		b.WriteByte(',')
	}
	b.WriteByte(')')
	return b.String()
}

// maxEchoValue keeps one huge parameter from flooding the output, as
// SQLAlchemy truncates long values in its logs.
const maxEchoValue = 300

func formatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case string:
		return pyQuote(x)
	case []byte:
		return "b" + pyQuote(string(x))
	case time.Time:
		return pyQuote(x.Format("2006-01-02 15:04:05.999999"))
	case float64:
		return formatFloat(x)
	case float32:
		return formatFloat(float64(x))
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return fmt.Sprint(x)
	case fmt.Stringer:
		return pyQuote(x.String())
	}
	return fmt.Sprint(v)
}

func formatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0" // Python prints 2.0, not 2
	}
	return s
}

// pyQuote quotes s as Python's repr does for a str: single quotes unless
// the text holds one and no double quote.
func pyQuote(s string) string {
	truncated := false
	if len(s) > maxEchoValue {
		s = s[:maxEchoValue]
		truncated = true
	}
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == rune(q):
			b.WriteByte('\\')
			b.WriteByte(q)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	if truncated {
		b.WriteString(" ... (truncated)")
	}
	return b.String()
}
