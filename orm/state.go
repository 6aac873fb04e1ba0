package orm

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
	"time"
	"unsafe"

	"ormlab/orm/core"
)

// State is an object's state with respect to sessions, as in SQLAlchemy.
type State int

const (
	// Transient: not in a session and never saved (or rolled back out).
	Transient State = iota
	// Pending: added to a session, not flushed yet.
	Pending
	// Persistent: in a session with a row in the database.
	Persistent
	// Deleted: its DELETE was flushed; the transaction has not ended.
	Deleted
	// Detached: has a row (an identity) but belongs to no session.
	Detached
)

var stateNames = [...]string{"transient", "pending", "persistent", "deleted", "detached"}

func (s State) String() string {
	if s >= 0 && int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// identKey identifies a row: the table and its primary-key value(s).
type identKey struct {
	table *core.Table
	v     any // one normalized key value, or a string joining several
}

// instanceState is the ORM's bookkeeping for one object.
type instanceState struct {
	m       *Mapper
	addr    uintptr
	ptr     unsafe.Pointer // the object, while it is in a session
	session *Session
	status  State
	key     identKey
	hasKey  bool
	snap    []any // column values as last loaded or flushed (by field position)
	expired bool
	// marked for deletion at the next flush
	deleteMarked bool
	// generated: the primary key came from the database (cleared on rollback)
	generated bool
	order     uint64     // add order, for INSERT order within a table
	freshMark *txFrame   // the frame that last recorded it as new (see remember)
	rel       *relInst   // relationship snapshots (relationship_state.go)
	shadow    *colShadow // the change check's, made on first use (see changeCheck)
}

func (st *instanceState) value() reflect.Value {
	return reflect.NewAt(st.m.typ, st.ptr).Elem()
}

// InstanceInfo is what Inspect reports about an object.
type InstanceInfo struct {
	State    State
	Model    string   // the model name ("" when unmapped)
	Table    string   // the mapped table
	Identity []any    // primary-key values when the object has a row
	Modified []string // fields changed since the last load or flush
	Expired  bool     // will be reloaded the next time the session loads it
}

// Inspect reports an object's state (transient, pending, persistent,
// deleted, detached), identity and modified fields.
func Inspect(obj any) InstanceInfo {
	rv := reflect.ValueOf(obj)
	if !rv.IsValid() || rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return InstanceInfo{}
	}
	st := lookupStateTyped(rv)
	if st == nil {
		info := InstanceInfo{State: Transient}
		if m, _ := lookupMapper(obj, nil); m != nil {
			info.Model, info.Table = m.Name, m.Table.Name
		}
		return info
	}
	info := InstanceInfo{State: st.status, Model: st.m.Name, Table: st.m.Table.Name, Expired: st.expired}
	if st.session == nil {
		if st.hasKey {
			info.State = Detached
		} else {
			info.State = Transient
		}
	}
	if st.hasKey {
		info.Identity = keyParts(st)
	}
	if st.snap != nil {
		v := rv.Elem()
		for _, f := range st.m.fields {
			if !equalValues(getValue(v.FieldByIndex(f.index), f.conv, f.elem), st.snap[f.pos]) {
				info.Modified = append(info.Modified, f.field)
			}
		}
	}
	return info
}

func keyParts(st *instanceState) []any {
	if st.snap == nil {
		return []any{st.key.v}
	}
	out := make([]any, len(st.m.pk))
	for i, f := range st.m.pk {
		out[i] = st.snap[f.pos]
	}
	return out
}

// keyFromValues builds the identity key of a row from its key values.
func keyFromValues(m *Mapper, vals []any) identKey {
	if len(vals) == 1 {
		return identKey{table: m.Table, v: normIdent(vals[0])}
	}
	var b strings.Builder
	for _, v := range vals {
		p := normIdent(v)
		fmt.Fprintf(&b, "%v\x00", p)
	}
	return identKey{table: m.Table, v: compositeString(b.String())}
}

// compositeString is the comparable form of a composite key.
type compositeString string

// keyOf reads the key of an object from its fields.
func keyOf(m *Mapper, v reflect.Value) identKey {
	if len(m.pk) == 1 {
		f := m.pk[0]
		return identKey{table: m.Table, v: normIdent(getValue(v.FieldByIndex(f.index), f.conv, f.elem))}
	}
	vals := make([]any, len(m.pk))
	for i, f := range m.pk {
		vals[i] = getValue(v.FieldByIndex(f.index), f.conv, f.elem)
	}
	return keyFromValues(m, vals)
}

func (k identKey) String() string {
	if s, ok := k.v.(compositeString); ok {
		return "(" + strings.ReplaceAll(strings.TrimSuffix(string(s), "\x00"), "\x00", ", ") + ")"
	}
	return fmt.Sprintf("(%v)", k.v)
}

// ---- mapper registry ----

// All mappers by exact type, and by structural signature for yaegi's
// recursive variants (most recent first).
var (
	mapMu   sync.RWMutex
	byType  = map[reflect.Type]*Mapper{}
	bySig   = map[string][]*Mapper{}
	typeSig = map[reflect.Type]string{}
)

func register(m *Mapper) {
	mapMu.Lock()
	defer mapMu.Unlock()
	byType[m.typ] = m
	list := bySig[m.sig]
	out := []*Mapper{m}
	for _, x := range list {
		if x.typ != m.typ || x.base != m.base {
			out = append(out, x)
		}
	}
	if len(out) > 16 {
		out = out[:16]
	}
	bySig[m.sig] = out
}

// lookupMapper finds the mapper of a model value, pointer, slice element
// type or reflect.Type. prefer is consulted first for structural matches.
func lookupMapper(x any, prefer *Base) (*Mapper, error) {
	var t reflect.Type
	switch v := x.(type) {
	case nil:
		return nil, &UnmappedError{Type: "nil"}
	case reflect.Type:
		t = v
	case *Mapper:
		return v, nil
	default:
		t = reflect.TypeOf(x)
	}
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	return mapperOfType(t, prefer)
}

func mapperOfType(t reflect.Type, prefer *Base) (*Mapper, error) {
	mapMu.RLock()
	m := byType[t]
	if m != nil && (prefer == nil || m.base == prefer) {
		mapMu.RUnlock()
		return m, nil
	}
	sig, ok := typeSig[t]
	mapMu.RUnlock()
	if t.Kind() != reflect.Struct {
		return nil, &UnmappedError{Type: t.String(), Hint: "only structs can be mapped"}
	}
	if !ok {
		sig = structSig(t)
		mapMu.Lock()
		typeSig[t] = sig
		mapMu.Unlock()
	}
	mapMu.RLock()
	list := bySig[sig]
	mapMu.RUnlock()
	if prefer != nil {
		for _, c := range list {
			if c.base == prefer {
				return c, nil
			}
		}
	}
	if m != nil {
		return m, nil
	}
	if len(list) > 0 {
		return list[0], nil
	}
	name := t.Name()
	if name == "" {
		name = t.String()
	}
	return nil, &UnmappedError{Type: name, Hint: "map it first with base.Map(Model{}, \"table\")"}
}

// ---- the change check ----
//
// Go has no attribute hooks, so "is anything to flush?" means comparing
// every persistent object with its snapshot, and that runs before every
// autoflushed query: a loop of N lazy loads over a session of M objects
// does N×M comparisons. They must be cheap: colCheck reads a column field
// at its fixed offset and compares it with the snapshot value in place,
// without boxing it into an interface (getValue allocates for most ints
// and every string). Fields it cannot read that way (pointers, []byte,
// sql.Null*, Valuers, fields behind an embedded pointer) take the general
// path, which gives the same answer.

// colCheck is one column field as the change check reads it.
type colCheck struct {
	f    *fieldMap
	off  uintptr      // offset from the object's address (when direct)
	kind reflect.Kind // the field's kind (when direct)
	size uintptr
	// direct: the field sits at off in every object of the model and its
	// conv is a plain kind compared below
	direct bool
}

type changeCheck struct {
	fields []*fieldMap // the mapper's fields the check was built from
	cols   []colCheck
	// words: every column is direct; the number of raw words they take
	// (an int or a bool one, a string two, a time.Time three)
	words int
}

// colShadow: the column fields' raw words when they last compared equal to
// the snapshot whose first element is of.
type colShadow struct {
	words []uint64
	of    *any
}

// The shadow. Comparing with the snapshot reaches into the snapshot's
// boxed values (several cache misses per object); comparing the fields'
// raw words with a copy taken when they last equalled the snapshot reads
// only the object. Equal words mean equal values, soundly:
//   - a string's words are its data pointer and length; the shadow is
//     only taken when that pointer is the snapshot's own string's, which
//     the snapshot (kept alive by the shadow's of) holds, so the bytes cannot be
//     freed and reused, and Go strings are immutable;
//   - a time.Time's words (wall, ext, loc) fix the instant Equal compares;
//   - the shadow belongs to one snapshot: snapshots are replaced, never
//     written into (populate and the flush copy before writing), so a new
//     snapshot has a new first element and the shadow no longer applies.
// Different words say nothing (NaN, -0, a new string with the same text):
// the snapshot comparison decides.

var checks sync.Map // *Mapper → *changeCheck

// checkOf returns the change check of a mapper, built once.
func checkOf(m *Mapper) *changeCheck {
	if c, ok := checks.Load(m); ok {
		cc := c.(*changeCheck)
		if len(cc.fields) == len(m.fields) && (len(m.fields) == 0 || &cc.fields[0] == &m.fields[0]) {
			return cc
		}
	}
	cc := &changeCheck{fields: m.fields, cols: make([]colCheck, len(m.fields))}
	for i, f := range m.fields {
		c := colCheck{f: f}
		t, off, ok := m.typ, uintptr(0), true
		for j, x := range f.index {
			if t.Kind() != reflect.Struct || x >= t.NumField() {
				ok = false
				break
			}
			sf := t.Field(x)
			off += sf.Offset
			t = sf.Type
			if j < len(f.index)-1 && t.Kind() != reflect.Struct {
				ok = false // through an embedded pointer: no fixed offset
				break
			}
		}
		if ok {
			c.off, c.kind, c.size = off, t.Kind(), t.Size()
			switch f.conv {
			case convInt, convUint:
				c.direct = c.size == 1 || c.size == 2 || c.size == 4 || c.size == 8
			case convString:
				c.direct = c.kind == reflect.String
			case convBool:
				c.direct = c.kind == reflect.Bool
			case convFloat:
				c.direct = c.kind == reflect.Float32 || c.kind == reflect.Float64
			case convTime:
				// read as three words by the shadow (sameWords)
				c.direct = t == timeType && t.Size() == 3*unsafe.Sizeof(uintptr(0))
			}
		}
		cc.cols[i] = c
	}
	for _, c := range cc.cols {
		if !c.direct {
			cc.words = 0
			break
		}
		switch c.f.conv {
		case convString:
			cc.words += 2
		case convTime:
			cc.words += 3
		default:
			cc.words++
		}
	}
	checks.Store(m, cc)
	return cc
}

// sameWords reports whether the object's column words equal w (len
// cc.words); fill writes them into w.
func (cc *changeCheck) sameWords(p unsafe.Pointer, w []uint64, fill bool) bool {
	i := 0
	put := func(x uint64) bool {
		if fill {
			w[i] = x
		} else if w[i] != x {
			return false
		}
		i++
		return true
	}
	for k := range cc.cols {
		c := &cc.cols[k]
		q := unsafe.Add(p, c.off)
		var ok bool
		switch c.f.conv {
		case convString:
			sp := (*[2]uintptr)(q)
			ok = put(uint64(sp[0])) && put(uint64(sp[1]))
		case convTime:
			tp := (*[3]uintptr)(q)
			ok = put(uint64(tp[0])) && put(uint64(tp[1])) && put(uint64(tp[2]))
		default:
			var x uint64
			switch c.size {
			case 8:
				x = *(*uint64)(q)
			case 4:
				x = uint64(*(*uint32)(q))
			case 2:
				x = uint64(*(*uint16)(q))
			default:
				x = uint64(*(*uint8)(q))
			}
			ok = put(x)
		}
		if !ok {
			return false
		}
	}
	return true
}

// shadowable: every string field shares its bytes with the snapshot's
// string (see the shadow's soundness note).
func (cc *changeCheck) shadowable(st *instanceState) bool {
	for k := range cc.cols {
		c := &cc.cols[k]
		if c.f.conv != convString {
			continue
		}
		fs := *(*string)(unsafe.Add(st.ptr, c.off))
		ss, _ := st.snap[c.f.pos].(string)
		if len(fs) > 0 && unsafe.StringData(fs) != unsafe.StringData(ss) {
			return false
		}
	}
	return true
}

// changed reports whether the field of the object at p differs from the
// snapshot value, as equalValues(getValue(field), snap) would.
func (c *colCheck) changed(p unsafe.Pointer, v reflect.Value, snap any) bool {
	if !c.direct {
		f := c.f
		if !v.IsValid() {
			return true // caller passes v for indirect fields
		}
		return !equalValues(getValue(v.FieldByIndex(f.index), f.conv, f.elem), snap)
	}
	q := unsafe.Add(p, c.off)
	switch c.f.conv {
	case convInt:
		var n int64
		switch c.size {
		case 8:
			n = *(*int64)(q)
		case 4:
			n = int64(*(*int32)(q))
		case 2:
			n = int64(*(*int16)(q))
		default:
			n = int64(*(*int8)(q))
		}
		y, ok := snap.(int64)
		return !ok || y != n
	case convUint:
		var u uint64
		switch c.size {
		case 8:
			u = *(*uint64)(q)
		case 4:
			u = uint64(*(*uint32)(q))
		case 2:
			u = uint64(*(*uint16)(q))
		default:
			u = uint64(*(*uint8)(q))
		}
		if u <= math.MaxInt64 {
			y, ok := snap.(int64)
			return !ok || y != int64(u)
		}
		y, ok := snap.(uint64)
		return !ok || y != u
	case convString:
		y, ok := snap.(string)
		return !ok || y != *(*string)(q)
	case convBool:
		y, ok := snap.(bool)
		return !ok || y != *(*bool)(q)
	case convFloat:
		var x float64
		if c.kind == reflect.Float32 {
			x = float64(*(*float32)(q))
		} else {
			x = *(*float64)(q)
		}
		y, ok := snap.(float64)
		return !ok || !(x == y || (x != x && y != y))
	case convTime:
		y, ok := snap.(time.Time)
		return !ok || !(*(*time.Time)(q)).Equal(y)
	}
	return true
}

// columnsChanged reports whether any column field of a persistent object
// differs from its snapshot (false without a snapshot, or out of a
// session). It gives isDirty's answer without allocating.
func (st *instanceState) columnsChanged() bool {
	if st.snap == nil || st.ptr == nil {
		return false
	}
	return checkOf(st.m).changed(st)
}

// changed is columnsChanged for st, a persistent object of cc's mapper
// with a snapshot.
func (cc *changeCheck) changed(st *instanceState) bool {
	if sh := st.shadow; sh != nil && len(st.snap) > 0 && sh.of == &st.snap[0] && cc.sameWords(st.ptr, sh.words, false) {
		return false
	}
	if cc.compare(st) {
		return true
	}
	if cc.words > 0 && len(st.snap) > 0 && cc.shadowable(st) {
		if st.shadow == nil || len(st.shadow.words) != cc.words {
			st.shadow = &colShadow{words: make([]uint64, cc.words)}
		}
		cc.sameWords(st.ptr, st.shadow.words, true)
		st.shadow.of = &st.snap[0]
	}
	return false
}

// compare is the comparison with the snapshot itself.
func (cc *changeCheck) compare(st *instanceState) bool {
	var v reflect.Value
	for i := range cc.cols {
		c := &cc.cols[i]
		if !c.direct && !v.IsValid() {
			v = st.value()
		}
		if c.changed(st.ptr, v, st.snap[c.f.pos]) {
			return true
		}
	}
	return false
}
