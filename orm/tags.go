package orm

import (
	"strings"
)

// The struct tag grammar (key "orm"):
//
//	orm:"item,item,…"
//
// An item is a flag (primary_key, autoincrement, not_null, nullable, unique,
// index, relationship, -) or key:value (column:name, size:100, type:text,
// default:…, server_default:…, foreign_key:table.column, on_delete:cascade,
// on_update:…, back_populates:Field, cascade:…, order_by:…, lazy:…,
// secondary:table, uselist:false). An item with no colon that is not a known
// flag continues the value of the previous key, so a list keeps its commas:
// "relationship,back_populates:Author,cascade:all,delete-orphan" gives
// cascade = "all,delete-orphan". A flag name that is also meant as a list
// word can be written after a "|" separator instead: cascade:all|delete-orphan.

// knownFlags are the items that stand alone.
var knownFlags = map[string]bool{
	"primary_key": true, "primarykey": true, "pk": true,
	"autoincrement": true, "auto_increment": true,
	"not_null": true, "notnull": true, "nullable": true, "null": true,
	"unique": true, "index": true, "relationship": true, "-": true,
	"no_autoincrement": true,
}

// tagInfo is a parsed tag: flags and key/value pairs, in order.
type tagInfo struct {
	flags map[string]bool
	kv    map[string]string
	keys  []string // keys in tag order (for messages)
}

func (t tagInfo) has(flag string) bool { return t.flags[flag] }

func (t tagInfo) get(key string) (string, bool) {
	v, ok := t.kv[key]
	return v, ok
}

// parseTag parses an orm tag. It never fails: unknown keys are reported by
// the mapper, which knows the model and field to name.
func parseTag(tag string) tagInfo {
	ti := tagInfo{flags: map[string]bool{}, kv: map[string]string{}}
	tag = strings.TrimSpace(tag)
	if tag == "" {
		return ti
	}
	if tag == "-" {
		ti.flags["-"] = true
		return ti
	}
	last := ""
	for _, raw := range splitTag(tag) {
		item := strings.TrimSpace(raw)
		if item == "" {
			continue
		}
		k, v, hasColon := strings.Cut(item, ":")
		k = strings.ToLower(strings.TrimSpace(k))
		if !hasColon {
			if knownFlags[k] {
				ti.flags[normFlag(k)] = true
				last = ""
				continue
			}
			if last != "" {
				ti.kv[last] += "," + item
				continue
			}
			// An unknown bare word: kept as a flag so the mapper can name it.
			ti.flags[k] = true
			continue
		}
		v = strings.TrimSpace(v)
		k = normKey(k)
		ti.kv[k] = strings.ReplaceAll(v, "|", ",")
		ti.keys = append(ti.keys, k)
		last = k
	}
	return ti
}

// splitTag splits on commas outside parentheses, so type:numeric(10,2) stays
// one item.
func splitTag(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

func normFlag(f string) string {
	switch f {
	case "primarykey", "pk":
		return "primary_key"
	case "auto_increment":
		return "autoincrement"
	case "notnull":
		return "not_null"
	case "null":
		return "nullable"
	}
	return f
}

func normKey(k string) string {
	switch k {
	case "fk", "foreignkey", "references":
		return "foreign_key"
	case "ondelete":
		return "on_delete"
	case "onupdate":
		return "on_update"
	case "name":
		return "column"
	case "length", "len":
		return "size"
	case "backpopulates":
		return "back_populates"
	case "serverdefault":
		return "server_default"
	}
	return k
}

// knownKeys are the key:value items the mapper understands.
var knownKeys = map[string]bool{
	"column": true, "size": true, "type": true, "default": true, "server_default": true,
	"foreign_key": true, "on_delete": true, "on_update": true,
	"back_populates": true, "backref": true, "cascade": true, "order_by": true, "lazy": true,
	"secondary": true, "uselist": true, "target": true, "precision": true, "scale": true,
	"index": true, "unique": true,
}

// snakeCase turns a Go field name into a column name: ID → id,
// AuthorID → author_id, HTTPServer → http_server, Pop2008 → pop2008.
func snakeCase(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		isUpper := r >= 'A' && r <= 'Z'
		if isUpper {
			if i > 0 {
				prev := rs[i-1]
				prevLower := (prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9')
				nextLower := i+1 < len(rs) && rs[i+1] >= 'a' && rs[i+1] <= 'z'
				prevUpper := prev >= 'A' && prev <= 'Z'
				if prevLower || (prevUpper && nextLower) {
					b.WriteByte('_')
				}
			}
			b.WriteRune(r + ('a' - 'A'))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
