package orm

import (
	"fmt"
	"reflect"
	"strings"
	"unsafe"
)

// Per-object relationship bookkeeping: what each relationship field held
// the last time the session synchronised or loaded it. Comparing a field
// with this snapshot is how a flush sees appends, removals and
// re-assignments (Go has no attribute events).
//
// It hangs off the instanceState (st.rel), so the change check before
// every autoflushed query reaches it without a lock or a map lookup, and it
// goes away with its state. A relInst belongs to one object of one
// session and, like the session, is used by one goroutine at a time.
type relInst struct {
	// indexed by the relationship's position in its mapper's rels, which
	// stays the same when the Base is reconfigured
	slots []relSlot
	// inline holds the slots of a model with few relationships, so a
	// loaded object costs one allocation here, not two
	inline [2]relSlot
}

type relSlot struct {
	coll     []*instanceState // collection (or parent-side scalar) as last synced
	scalar   *instanceState   // child-side target as last synced
	collOK   bool
	scalarOK bool
	raise    bool        // loaded by a query with RaiseLoad
	sh       *slotShadow // the change check's shadow, made on first use
}

// slotShadow is what the change check (fieldChanged) remembers of a
// relationship field: its element addresses when they last matched coll —
// taken only when every target was in its session — and the scalar
// target's address. They hold while coll (or scalar) is the same snapshot
// and no object has left a session since (leaveEra): a target's ptr
// changes only then. Kept apart so loading (which never checks) does not
// pay for it.
type slotShadow struct {
	elems     []unsafe.Pointer
	collOf    **instanceState // &coll[0] when elems was taken
	collEra   uint64
	scalarP   unsafe.Pointer
	scalarOf  *instanceState
	scalarEra uint64
}

func relGet(st *instanceState) *relInst { return st.rel }

func relFor(st *instanceState) *relInst {
	d := st.rel
	if d == nil || len(d.slots) != len(st.m.rels) {
		d = &relInst{}
		if n := len(st.m.rels); n <= len(d.inline) {
			d.slots = d.inline[:n:n]
		} else {
			d.slots = make([]relSlot, n)
		}
		st.rel = d
	}
	return d
}

func (d *relInst) ok(ri *relInfo) bool { return d != nil && ri.idx < len(d.slots) }

// collSnap returns the collection snapshot and whether there is one.
func collSnap(st *instanceState, ri *relInfo) ([]*instanceState, bool) {
	d := relGet(st)
	if !d.ok(ri) {
		return nil, false
	}
	return d.slots[ri.idx].coll, d.slots[ri.idx].collOK
}

func setCollSnap(st *instanceState, ri *relInfo, list []*instanceState) {
	sl := &relFor(st).slots[ri.idx]
	sl.coll = append(sl.coll[:0:0], list...)
	sl.collOK = true
}

// setCollSnapOwned is setCollSnap for a list the caller built for this
// object and never changes afterwards (loading): kept without a copy.
// Snapshots are only ever replaced, never written into.
func setCollSnapOwned(st *instanceState, ri *relInfo, list []*instanceState) {
	sl := &relFor(st).slots[ri.idx]
	sl.coll = list
	sl.collOK = true
}

func scalarSnap(st *instanceState, ri *relInfo) (*instanceState, bool) {
	d := relGet(st)
	if !d.ok(ri) {
		return nil, false
	}
	return d.slots[ri.idx].scalar, d.slots[ri.idx].scalarOK
}

func setScalarSnap(st *instanceState, ri *relInfo, t *instanceState) {
	sl := &relFor(st).slots[ri.idx]
	sl.scalar, sl.scalarOK = t, true
}

func setRaise(st *instanceState, ri *relInfo) {
	relFor(st).slots[ri.idx].raise = true
}

func isRaise(st *instanceState, ri *relInfo) bool {
	d := relGet(st)
	return d.ok(ri) && d.slots[ri.idx].raise
}

// ---- reading and writing relationship fields ----
//
// Under yaegi a field's element type can be a structural variant of the
// target model's type, so values are always written with reflect.NewAt on
// the field's own element type (identical layout), never by converting.

func relField(st *instanceState, ri *relInfo) reflect.Value {
	if ri.direct && ri.from == st.m {
		return reflect.NewAt(ri.r.fieldType, unsafe.Add(st.ptr, ri.off)).Elem()
	}
	return st.value().FieldByIndex(ri.r.Index)
}

// readTargets reads a relationship field as object addresses. known is
// false for a nil slice (a collection never loaded) and for a nil pointer
// the session has never synchronised (it cannot tell "no parent" from "not
// loaded").
func readTargets(st *instanceState, ri *relInfo) (ptrs []unsafe.Pointer, known bool) {
	if st == nil || st.ptr == nil {
		return nil, false // not in a session any more
	}
	fv := relField(st, ri)
	if fv.Kind() == reflect.Slice {
		if fv.IsNil() {
			// a new object's collection is empty, not unloaded
			return nil, st.status == Pending
		}
		for i := 0; i < fv.Len(); i++ {
			e := fv.Index(i)
			if !e.IsNil() {
				ptrs = append(ptrs, e.UnsafePointer())
			}
		}
		return ptrs, true
	}
	if !fv.IsNil() {
		return []unsafe.Pointer{fv.UnsafePointer()}, true
	}
	if st.status == Pending || st.session == nil {
		return nil, true
	}
	if ri.childSide {
		_, ok := scalarSnap(st, ri)
		return nil, ok
	}
	_, ok := collSnap(st, ri)
	return nil, ok
}

// writeTargets stores objects in a relationship field: the slice is
// rebuilt; a pointer field takes the first object or nil.
func writeTargets(st *instanceState, ri *relInfo, targets []*instanceState) {
	if st == nil || st.ptr == nil {
		return
	}
	fv := relField(st, ri)
	if fv.Kind() == reflect.Slice {
		n := 0
		for _, t := range targets {
			if t.ptr != nil {
				n++
			}
		}
		// A slice of pointers to the target: its elements are written as
		// addresses (one allocation, no reflect.Append per element).
		out := reflect.MakeSlice(fv.Type(), n, n)
		if n > 0 {
			elems := unsafe.Slice((*unsafe.Pointer)(out.UnsafePointer()), n)
			i := 0
			for _, t := range targets {
				if t.ptr != nil {
					elems[i] = t.ptr
					i++
				}
			}
		}
		fv.Set(out)
		return
	}
	if len(targets) == 0 || targets[0] == nil {
		fv.SetZero()
		return
	}
	writeTarget(st, ri, targets[0])
}

// writeTarget stores one object (nil clears) in a relationship field: the
// pointer, or a one-element slice.
func writeTarget(st *instanceState, ri *relInfo, t *instanceState) {
	if st == nil || st.ptr == nil {
		return
	}
	fv := relField(st, ri)
	if t == nil || t.ptr == nil {
		if fv.Kind() == reflect.Slice {
			fv.Set(reflect.MakeSlice(fv.Type(), 0, 0))
		} else {
			fv.SetZero()
		}
		return
	}
	if fv.Kind() == reflect.Slice {
		writeTargets(st, ri, []*instanceState{t})
		return
	}
	fv.Set(reflect.NewAt(fv.Type().Elem(), t.ptr))
}

func isCollection(ri *relInfo) bool { return ri.r.fieldType.Kind() == reflect.Slice }

func containsState(list []*instanceState, st *instanceState) bool {
	for _, x := range list {
		if x == st {
			return true
		}
	}
	return false
}

func removeState(list []*instanceState, st *instanceState) []*instanceState {
	out := list[:0:0]
	for _, x := range list {
		if x != st {
			out = append(out, x)
		}
	}
	return out
}

// keyValues reads the current values of fields of an object.
func keyValues(st *instanceState, fields []*fieldMap) []any {
	out := make([]any, len(fields))
	if st == nil || st.ptr == nil {
		return out // an object no longer in a session has no values to give
	}
	v := st.value()
	for i, f := range fields {
		out[i] = getValue(v.FieldByIndex(f.index), f.conv, f.elem)
	}
	return out
}

func allZero(vals []any) bool {
	for _, v := range vals {
		if !isZeroValue(v) {
			return false
		}
	}
	return true
}

func sameValues(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !equalValues(normIdent(a[i]), normIdent(b[i])) {
			return false
		}
	}
	return true
}

// setFK writes values into the child's foreign-key fields (nil clears).
func setFK(st *instanceState, fields []*fieldMap, vals []any) error {
	v := st.value()
	for i, f := range fields {
		var x any
		if vals != nil {
			x = vals[i]
		}
		if err := setValue(v.FieldByIndex(f.index), f.conv, f.elem, x); err != nil {
			return err
		}
	}
	return nil
}

// tupleKey is a comparable form of key values.
func tupleKey(vals []any) any {
	if len(vals) == 1 {
		return normIdent(vals[0])
	}
	var b strings.Builder
	for _, v := range vals {
		fmt.Fprintf(&b, "%T:%v\x00", normIdent(v), normIdent(v))
	}
	return b.String()
}
