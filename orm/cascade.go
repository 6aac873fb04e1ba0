package orm

// The unit of work with relationships (part 2). It runs as a flushPrepare
// step of the flush (flush.go), before the planner writes updates and
// deletes, and does this, in order:
//
//  1. save-update cascade: every object reachable through a relationship
//     field with save-update (the default) from an object in the session
//     joins the session (pending if new).
//  2. back_populates synchronisation and foreign keys (syncPairs): each
//     relationship field is compared with what it held at the last flush
//     or load. Go has no attribute hooks, so this is when both sides agree:
//       - appending a child to parent.Children sets child.Parent = parent
//         and the child's foreign key (once the parent has a key);
//       - setting child.Parent = p appends the child to p.Children if that
//         collection is loaded (a non-nil slice, or p is new), and removes
//         it from the old parent's loaded collection;
//       - removing a child from a loaded collection (or setting
//         child.Parent = nil after it was loaded) clears its foreign key —
//         or deletes it with delete-orphan; a NOT NULL key with no
//         delete-orphan is an error (ErrOrphan);
//       - editing the foreign-key column itself, pointer untouched, moves
//         the pointer to the session's object for the new key (or nil);
//       - when both sides were changed differently, the collection wins.
//     A nil slice means "not loaded" and is never read as "empty": to
//     remove every child write an empty slice (Books = []*Book{}).
//     Many-to-many collections produce association-row INSERTs and
//     DELETEs, once per pair whichever side changed.
//  3. delete cascade: children of a deleted parent are loaded (one SELECT,
//     unless passive_deletes) and deleted (cascade delete) or have their
//     key cleared; association rows of a deleted object are deleted.
//  4. INSERTs, table by table in dependency order and, inside a table, in
//     rounds so that a row referencing another new row of the same table
//     (a manager and her reports) comes after it; each round's foreign
//     keys are filled from the parents' keys just before it is written.
//     Objects that depend on each other in a cycle are an ErrCycle.
//  5. foreign keys of persistent children of new parents are filled (the
//     planner then UPDATEs them), association rows are written, and the
//     snapshots are taken.
// The planner then writes UPDATEs and DELETEs (children before parents).

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"unsafe"
	"weak"

	"ormlab/orm/core"
)

// flushNeeded steps report work the planner cannot see (flush.go asks
// them before deciding there is nothing to flush).
var flushNeeded []func(s *Session) bool

func (s *Session) relNeedsFlush() bool {
	if relChanged(s) {
		return true
	}
	for _, fn := range flushNeeded {
		if fn(s) {
			return true
		}
	}
	return false
}

// deleteGroups splits one table's DELETEs into groups written in order
// (flush.go): rows of a self-referencing table go children first, since
// MySQL/MariaDB check a foreign key row by row within one statement.
var deleteGroups func(s *Session, m *Mapper, list []*instanceState) [][]*instanceState

func init() {
	deleteGroups = selfRefDeleteGroups
	flushPrepare = append(flushPrepare, relFlushPrepare)
	// relChanged is asked by relNeedsFlush, not through flushNeeded:
	// Session.needsFlush folds it into its own pass over the session.
	flushNeeded = append(flushNeeded, inheritDirty)
	joinResolvers = append(joinResolvers, relJoinResolver)
}

// sessionRels configures the session's bases and lists their relationships
// by mapper; nil when there are none.
func sessionRels(s *Session) (map[*Mapper][]*relInfo, error) {
	if len(s.bases) == 1 {
		// The common case, before every autoflushed query: the base's own
		// map, read-only for every caller, instead of a copy.
		for b := range s.bases {
			if !baseHasRels(b) {
				return nil, nil
			}
			c, err := configureBase(b)
			if err != nil {
				return nil, err
			}
			return c.byMapper, nil
		}
	}
	var out map[*Mapper][]*relInfo
	bases := make([]*Base, 0, len(s.bases))
	for b := range s.bases {
		bases = append(bases, b)
	}
	for _, b := range bases {
		if !baseHasRels(b) {
			continue
		}
		c, err := configureBase(b)
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = map[*Mapper][]*relInfo{}
		}
		for m, list := range c.byMapper {
			out[m] = list
		}
	}
	return out, nil
}

func baseHasRels(b *Base) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.mappers {
		if len(m.rels) > 0 {
			return true
		}
	}
	return false
}

// relChanged reports a relationship field that differs from its snapshot
// (an append to a persistent parent's collection is a change to flush
// even though no column changed).
func relChanged(s *Session) bool {
	rels, err := sessionRels(s)
	if err != nil {
		return true // let the flush report it
	}
	if len(rels) == 0 {
		return false
	}
	for _, st := range s.objs {
		if st.status != Persistent || st.deleteMarked {
			continue
		}
		list := rels[st.m]
		if len(list) == 0 {
			continue
		}
		if relsChanged(st, list, false) {
			return true
		}
	}
	return false
}

// relsChanged reports whether a relationship field of st (a persistent
// object in a session) differs from its snapshot. keep: record shadows for
// the next check (the autoflush check, which repeats; a one-off check such
// as a rollback's does not allocate them).
func relsChanged(st *instanceState, list []*relInfo, keep bool) bool {
	d := st.rel
	var v reflect.Value
	for _, ri := range list {
		var elems []unsafe.Pointer // a collection's elements, as addresses
		var p unsafe.Pointer       // a scalar field's target
		isSlice, isNil := false, false
		if ri.direct && ri.from == st.m {
			// The field's own memory: a slice of pointers (its header
			// starts with the data pointer and the length) or a pointer.
			addr := unsafe.Add(st.ptr, ri.off)
			if ri.r.fieldType.Kind() == reflect.Slice {
				isSlice = true
				hdr := (*[]unsafe.Pointer)(addr)
				elems, isNil = *hdr, *hdr == nil
			} else {
				p = *(*unsafe.Pointer)(addr)
				isNil = p == nil
			}
		} else {
			if !v.IsValid() {
				v = st.value()
			}
			fv := v.FieldByIndex(ri.r.Index)
			if fv.Kind() == reflect.Slice {
				isSlice, isNil = true, fv.IsNil()
				if !isNil && fv.Len() > 0 {
					elems = unsafe.Slice((*unsafe.Pointer)(fv.UnsafePointer()), fv.Len())
				}
			} else if isNil = fv.IsNil(); !isNil {
				p = fv.UnsafePointer()
			}
		}
		if fieldChanged(d, ri, isSlice, isNil, elems, p, keep) {
			return true
		}
	}
	return false
}

// fieldChanged compares a relationship field (a collection's elements, or
// a scalar's target) with its snapshot without allocating (this runs
// before every autoflushed query).
func fieldChanged(d *relInst, ri *relInfo, isSlice, isNil bool, elems []unsafe.Pointer, p unsafe.Pointer, keep bool) bool {
	ok := d.ok(ri)
	var sl *relSlot
	if ok {
		sl = &d.slots[ri.idx]
	}
	if isSlice {
		if isNil {
			return false // not loaded
		}
		if !ok || !sl.collOK {
			return len(elems) > 0
		}
		if len(sl.coll) != len(elems) {
			return true
		}
		if len(elems) == 0 {
			return false
		}
		era := leaveEra.Load()
		if sh := sl.sh; sh != nil && sh.collOf == &sl.coll[0] && sh.collEra == era && len(sh.elems) == len(elems) {
			// every coll[i].ptr is still sh.elems[i]: compare addresses only
			for i, e := range elems {
				if e != sh.elems[i] {
					return true
				}
			}
			return false
		}
		for i, t := range sl.coll {
			if t.ptr != elems[i] {
				return true
			}
		}
		if !keep {
			return false
		}
		for _, e := range elems {
			if e == nil {
				return false // a nil target's state may come back: no shadow
			}
		}
		if sl.sh == nil {
			sl.sh = &slotShadow{}
		}
		sh := sl.sh
		sh.elems = append(sh.elems[:0], elems...)
		sh.collOf, sh.collEra = &sl.coll[0], era
		return false
	}
	var snapped bool
	var t *instanceState
	if ok {
		if ri.childSide {
			snapped, t = sl.scalarOK, sl.scalar
		} else if sl.collOK {
			snapped = true
			if len(sl.coll) > 0 {
				t = sl.coll[0]
			}
		}
	}
	if !snapped || t == nil {
		return p != nil
	}
	if ri.childSide {
		era := leaveEra.Load()
		if sh := sl.sh; sh != nil && sh.scalarOf == t && sh.scalarEra == era {
			return sh.scalarP != p // t.ptr is still scalarP
		}
		if keep && t.ptr != nil {
			if sl.sh == nil {
				sl.sh = &slotShadow{}
			}
			sl.sh.scalarP, sl.sh.scalarOf, sl.sh.scalarEra = t.ptr, t, era
		}
	}
	return t.ptr != p
}

type fkAssign struct {
	ri     *relInfo // a relationship of the pair (gives parentKey / childFK)
	parent *instanceState
}

type secPair struct {
	ri   *relInfo
	a, b *instanceState // a on ri.from's side
}

type relFlush struct {
	s        *Session
	rels     map[*Mapper][]*relInfo
	mappers  []*Mapper // rels' keys in a fixed order: the flush's SQL is the same on every run
	live     map[*Mapper][]*instanceState
	assign   map[*instanceState]map[*fieldMap]fkAssign
	orphans  []*instanceState
	orphanFK []*fieldMap // the key column that lost its parent, per orphan
	secAdd   []secPair
	secDel   []secPair
	secSeen  map[[2]*instanceState]map[*core.Table]bool
	secWipe  []secPair // every association row of a (deleted) object
	touched  []*instanceState
	deleting map[*instanceState]bool
	hasKids  map[*instanceState]bool // deleted objects whose children are deleted too
}

func relFlushPrepare(s *Session) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &FlushError{Op: "relationship", Model: "session", Err: fmt.Errorf("internal error (please report): %v", r)}
		}
	}()
	rels, err := sessionRels(s)
	if err != nil {
		return &FlushError{Op: "configure relationships", Model: "session", Err: err}
	}
	if len(rels) == 0 && !sessionInherits(s) {
		return nil
	}
	markFlushed(s)
	f := &relFlush{s: s, rels: rels, assign: map[*instanceState]map[*fieldMap]fkAssign{},
		secSeen: map[[2]*instanceState]map[*core.Table]bool{}, deleting: map[*instanceState]bool{}, hasKids: map[*instanceState]bool{}}
	for m := range rels {
		f.mappers = append(f.mappers, m)
	}
	sort.Slice(f.mappers, func(i, j int) bool {
		a, b := f.mappers[i], f.mappers[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Table.Name < b.Table.Name
	})
	steps := []func() error{f.cascadeSave, f.index, f.syncPairs, f.syncSecondary, f.applyOrphans, f.cascadeDelete, f.deleteOrphansEarly, f.insertRounds, f.fillPersistent, func() error { return updateBases(s) }, f.writeSecondary, f.snapshot}
	for _, step := range steps {
		if err := step(); err != nil {
			var fe *FlushError
			if errors.As(err, &fe) {
				return err
			}
			var re *RelationshipError
			if errors.As(err, &re) {
				return &FlushError{Op: "relationship", Model: re.Model, Err: err}
			}
			return &FlushError{Op: "relationship", Model: "session", Err: err}
		}
	}
	return nil
}

// stateIn returns the session's state of the object at p, nil if it is
// not in the session.
func (f *relFlush) stateIn(p unsafe.Pointer) *instanceState {
	st := lookupState(p)
	if st == nil || st.session != f.s {
		return nil
	}
	return st
}

func (f *relFlush) targets(st *instanceState, ri *relInfo) ([]*instanceState, bool) {
	ptrs, known := readTargets(st, ri)
	if !known {
		return nil, false
	}
	out := make([]*instanceState, 0, len(ptrs))
	for _, p := range ptrs {
		if t := f.stateIn(p); t != nil {
			out = append(out, t)
		}
	}
	return out, true
}

// 1. save-update cascade.
func (f *relFlush) cascadeSave() error {
	s := f.s
	queue := make([]*instanceState, 0, len(s.objs))
	for _, st := range s.sortedMembers() {
		if (st.status == Pending || st.status == Persistent) && !st.deleteMarked {
			queue = append(queue, st)
		}
	}
	seen := map[*instanceState]bool{}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		if seen[st] {
			continue
		}
		seen[st] = true
		for _, ri := range f.rels[st.m] {
			if !ri.cascade.saveUpdate {
				continue
			}
			ptrs, _ := readTargets(st, ri)
			for _, p := range ptrs {
				t := lookupState(p)
				if t != nil && t.session != nil && t.session != s {
					return &RelationshipError{Model: st.m.Name, Field: ri.r.Field, Reason: "refers to a " + ri.to.Name + " that belongs to another session (Expunge it there or Merge it here)"}
				}
				if t == nil || t.session != s {
					if err := s.add(reflect.NewAt(ri.to.typ, p), ri.to); err != nil {
						return err
					}
					t = lookupState(p)
				}
				if t != nil && !seen[t] && !t.deleteMarked {
					queue = append(queue, t)
				}
			}
		}
	}
	return nil
}

func (f *relFlush) index() error {
	f.live = map[*Mapper][]*instanceState{}
	for _, st := range f.s.sortedMembers() {
		if (st.status == Pending || st.status == Persistent) && !st.deleteMarked {
			f.live[st.m] = append(f.live[st.m], st)
		}
		if st.status == Pending {
			// a new object's nil collection is empty, and loaded
			for _, ri := range f.rels[st.m] {
				if isCollection(ri) && relField(st, ri).IsNil() {
					writeTargets(st, ri, nil)
				}
			}
		}
	}
	return nil
}

func (f *relFlush) setAssign(c *instanceState, ri *relInfo, parent *instanceState) {
	m := f.assign[c]
	if m == nil {
		m = map[*fieldMap]fkAssign{}
		f.assign[c] = m
	}
	m[ri.childFK[0]] = fkAssign{ri: ri, parent: parent}
}

func (f *relFlush) getAssign(c *instanceState, ri *relInfo) (fkAssign, bool) {
	a, ok := f.assign[c][ri.childFK[0]]
	return a, ok
}

// writeColl stores a new collection (or parent-side scalar) if the field is
// loaded; the snapshot is taken at the end of the flush.
func (f *relFlush) addToColl(p *instanceState, ri *relInfo, c *instanceState) {
	if ri == nil || p == nil {
		return
	}
	cur, known := f.targets(p, ri)
	if !known && p.status != Pending {
		return
	}
	if containsState(cur, c) {
		return
	}
	if isCollection(ri) {
		writeTargets(p, ri, append(cur, c))
	} else {
		writeTargets(p, ri, []*instanceState{c})
	}
}

func (f *relFlush) removeFromColl(p *instanceState, ri *relInfo, c *instanceState) {
	if ri == nil || p == nil {
		return
	}
	cur, known := f.targets(p, ri)
	if !known || !containsState(cur, c) {
		return
	}
	writeTargets(p, ri, removeState(cur, c))
}

// 2. one-to-many / many-to-one / one-to-one pairs.
func (f *relFlush) syncPairs() error {
	// a. child-side pointers
	for _, rm := range f.mappers {
		list := f.rels[rm]
		for _, ri := range list {
			if !ri.childSide || ri.secondary != nil {
				continue
			}
			for _, c := range f.live[ri.from] {
				cur, known := f.targets(c, ri)
				var now *instanceState
				if len(cur) > 0 {
					now = cur[0]
				}
				snap, had := scalarSnap(c, ri)
				if had && now == snap {
					// pointer untouched: a changed foreign-key column wins
					if c.status == Persistent && c.snap != nil {
						fk := keyValues(c, ri.childFK)
						old := make([]any, len(ri.childFK))
						for i, fm := range ri.childFK {
							old[i] = c.snap[fm.pos]
						}
						if !sameValues(fk, old) {
							var np *instanceState
							if !allZero(fk) {
								np = f.s.identity[keyFromValues(ri.to, fk)]
							}
							writeTargets(c, ri, []*instanceState{np})
							if ri.back != nil {
								f.removeFromColl(snap, ri.back, c)
								f.addToColl(np, ri.back, c)
							}
						}
					}
					continue
				}
				if !known {
					continue
				}
				if now == nil && (!had || snap == nil) {
					continue // never linked: leave a hand-set key alone
				}
				f.setAssign(c, ri, now)
				if ri.back != nil {
					if had && snap != nil && snap != now {
						f.removeFromColl(snap, ri.back, c)
					}
					f.addToColl(now, ri.back, c)
				}
				if now == nil && ri.back != nil && ri.back.cascade.deleteOrphan {
					f.addOrphan(c, ri)
				}
			}
		}
	}
	// b. parent-side collections (and one-to-one scalars)
	for _, rm := range f.mappers {
		list := f.rels[rm]
		for _, ri := range list {
			if ri.childSide || ri.secondary != nil {
				continue
			}
			for _, p := range f.live[ri.from] {
				cur, known := f.targets(p, ri)
				if !known {
					continue
				}
				old, _ := collSnap(p, ri)
				for _, c := range cur {
					if containsState(old, c) {
						if _, ok := f.getAssign(c, ri); ok || c.status != Pending {
							continue
						}
					}
					f.setAssign(c, ri, p)
					if ri.back != nil {
						bt, _ := f.targets(c, ri.back)
						if len(bt) == 0 || bt[0] != p {
							if len(bt) > 0 && bt[0] != p {
								f.removeFromColl(bt[0], ri, c)
							}
							writeTargets(c, ri.back, []*instanceState{p})
						}
					}
				}
				for _, c := range old {
					if containsState(cur, c) || c.session != f.s || c.deleteMarked {
						continue
					}
					if a, ok := f.getAssign(c, ri); ok && a.parent != nil && a.parent != p {
						continue // moved to another parent
					}
					f.setAssign(c, ri, nil)
					if ri.back != nil {
						if bt, _ := f.targets(c, ri.back); len(bt) > 0 && bt[0] == p {
							writeTargets(c, ri.back, nil)
						}
					}
					if ri.cascade.deleteOrphan {
						f.addOrphan(c, ri)
					}
				}
			}
		}
	}
	return nil
}

func (f *relFlush) pairKey(a, b *instanceState, t *core.Table) bool {
	k := [2]*instanceState{a, b}
	m := f.secSeen[k]
	if m == nil {
		m = map[*core.Table]bool{}
		f.secSeen[k] = m
	}
	if m[t] {
		return false
	}
	m[t] = true
	return true
}

// canonicalPair orients a many-to-many pair so that both sides' changes meet.
func canonicalPair(ri *relInfo, a, b *instanceState) (*relInfo, *instanceState, *instanceState) {
	if ri.back != nil && ri.back.name() < ri.name() {
		return ri.back, b, a
	}
	return ri, a, b
}

func (f *relFlush) syncSecondary() error {
	for _, rm := range f.mappers {
		list := f.rels[rm]
		for _, ri := range list {
			if ri.secondary == nil {
				continue
			}
			for _, p := range f.live[ri.from] {
				cur, known := f.targets(p, ri)
				if !known {
					continue
				}
				old, _ := collSnap(p, ri)
				existing := func(c *instanceState) bool {
					if containsState(old, c) {
						return true
					}
					if ri.back != nil {
						bs, _ := collSnap(c, ri.back)
						return containsState(bs, p)
					}
					return false
				}
				for _, c := range cur {
					if containsState(old, c) {
						continue
					}
					if ri.back != nil {
						f.addToColl(c, ri.back, p)
					}
					if !existing(c) {
						cr, a, b := canonicalPair(ri, p, c)
						if f.pairKey(a, b, ri.secondary) {
							f.secAdd = append(f.secAdd, secPair{ri: cr, a: a, b: b})
						}
					}
				}
				for _, c := range old {
					if containsState(cur, c) {
						continue
					}
					if ri.back != nil {
						f.removeFromColl(c, ri.back, p)
					}
					cr, a, b := canonicalPair(ri, p, c)
					if f.pairKey(a, b, ri.secondary) {
						f.secDel = append(f.secDel, secPair{ri: cr, a: a, b: b})
					}
				}
			}
		}
	}
	return nil
}

// addOrphan notes that c left its parent along ri (delete-orphan).
func (f *relFlush) addOrphan(c *instanceState, ri *relInfo) {
	f.orphans = append(f.orphans, c)
	f.orphanFK = append(f.orphanFK, ri.childFK[0])
}

func (f *relFlush) applyOrphans() error {
	for i, c := range f.orphans {
		if c.session != f.s || c.deleteMarked {
			continue
		}
		// Removed from one parent's collection but added to another's in
		// the same flush: the child moved, it is no orphan (an UPDATE of its
		// key, as SQLAlchemy does). Parents are visited in no particular
		// order, so the new assignment may come after the removal.
		if a, ok := f.assign[c][f.orphanFK[i]]; ok && a.parent != nil {
			continue
		}
		delete(f.assign, c)
		if c.status == Pending {
			f.s.remember(c)
			f.s.removeMember(c)
			continue
		}
		if err := f.s.Delete(c.object()); err != nil {
			return err
		}
	}
	return nil
}

// 3. delete cascade.
func (f *relFlush) cascadeDelete() error {
	s := f.s
	queue := append([]*instanceState(nil), s.deletes...)
	for len(queue) > 0 {
		d := queue[0]
		queue = queue[1:]
		if f.deleting[d] || !d.deleteMarked {
			continue
		}
		f.deleting[d] = true
		for _, ri := range f.rels[d.m] {
			switch {
			case ri.secondary != nil:
				if bt, known := f.targets(d, ri); known && ri.back != nil {
					for _, t := range bt {
						f.removeFromColl(t, ri.back, d)
					}
				}
				f.secWipe = append(f.secWipe, secPair{ri: ri, a: d})
			case ri.childSide:
				if bt, _ := f.targets(d, ri); len(bt) > 0 && ri.back != nil {
					f.removeFromColl(bt[0], ri.back, d)
				}
			default:
				children, err := f.childrenOf(d, ri)
				if err != nil {
					return err
				}
				for _, c := range children {
					if c.deleteMarked || f.deleting[c] {
						continue
					}
					if ri.cascade.delete {
						if err := s.Delete(c.object()); err != nil {
							return err
						}
						f.hasKids[d] = true
						queue = append(queue, c)
						continue
					}
					if ri.passive {
						continue
					}
					for _, fm := range ri.childFK {
						if !fm.col.Nullable() {
							return &RelationshipError{Model: d.m.Name, Field: ri.r.Field, sentinel: ErrOrphan,
								Reason: fmt.Sprintf("deleting %s %s would orphan %s %s, whose %s.%s is NOT NULL: add cascade:all (or delete) to %s.%s, reassign or delete the %s first", d.m.Name, keyString(d), ri.to.Name, keyString(c), ri.to.Table.Name, fm.col.Name, d.m.Name, ri.r.Field, ri.to.Name)}
						}
					}
					f.setAssign(c, ri, nil)
					if ri.back != nil {
						writeTargets(c, ri.back, nil)
					}
				}
			}
		}
	}
	return nil
}

// deleteOrphansEarly writes the DELETE of replaced orphans before the
// INSERTs, so that replacing a one-to-one child under a unique key works
// (an orphan with children of its own waits for the normal delete order).
func (f *relFlush) deleteOrphansEarly() error {
	byM := map[*Mapper][]*instanceState{}
	var ms []*Mapper
	for _, o := range f.orphans {
		if !o.deleteMarked || o.status != Persistent || f.hasKids[o] || o.session != f.s || f.isParent(o.m) {
			continue
		}
		if byM[o.m] == nil {
			ms = append(ms, o.m)
		}
		if !containsState(byM[o.m], o) {
			byM[o.m] = append(byM[o.m], o)
		}
	}
	for _, m := range ms {
		if _, err := f.s.connection(); err != nil {
			return err
		}
		if err := f.s.flushDeletes(m, byM[m]); err != nil {
			return err
		}
	}
	return nil
}

// isParent: some relationship has m on its referenced side.
func (f *relFlush) isParent(m *Mapper) bool {
	for _, rm := range f.mappers {
		list := f.rels[rm]
		for _, ri := range list {
			if ri.secondary == nil && ri.parentMapper() == m {
				return true
			}
			if ri.secondary != nil && (ri.from == m || ri.to == m) {
				return true
			}
		}
	}
	return false
}

// childrenOf lists d's children: its loaded collection, session objects
// whose key points at it and — unless passive_deletes — the rows in the
// database (one SELECT, as SQLAlchemy loads the collection to cascade).
func (f *relFlush) childrenOf(d *instanceState, ri *relInfo) ([]*instanceState, error) {
	var out []*instanceState
	add := func(c *instanceState) {
		if c != nil && !containsState(out, c) {
			out = append(out, c)
		}
	}
	key := make([]any, len(ri.parentKey))
	for i, pf := range ri.parentKey {
		if d.snap != nil {
			key[i] = d.snap[pf.pos]
		}
	}
	if bt, known := f.targets(d, ri); known {
		for _, c := range bt {
			add(c)
		}
	}
	for _, c := range f.live[ri.to] {
		if a, ok := f.getAssign(c, ri); ok {
			if a.parent == d {
				add(c)
			}
			continue
		}
		if sameValues(keyValues(c, ri.childFK), key) {
			add(c)
		}
	}
	if ri.passive && !ri.cascade.delete {
		return out, nil
	}
	if ri.passive {
		return out, nil
	}
	if d.status == Persistent && !allZero(key) {
		conds := make([]core.Expr, len(ri.childFK))
		for i, fm := range ri.childFK {
			conds[i] = fm.col.Eq(key[i])
		}
		res, err := f.s.run(selectOf(ri.to).Where(conds...), nil)
		if err != nil {
			return nil, err
		}
		for _, row := range res.rows {
			c, err := f.s.loadRow(ri.to, row, reflect.Value{}, false)
			if err != nil {
				return nil, err
			}
			if a, ok := f.getAssign(c, ri); ok && a.parent != d {
				continue
			}
			if !sameValues(keyValues(c, ri.childFK), key) {
				continue // moved in memory
			}
			add(c)
		}
	}
	return out, nil
}

// 4. INSERTs in dependency order.
func (f *relFlush) insertRounds() error {
	s := f.s
	pending := s.sortedPending()
	if len(pending) == 0 {
		return nil
	}
	byM := map[*Mapper][]*instanceState{}
	var ms []*Mapper
	for _, st := range pending {
		if byM[st.m] == nil {
			ms = append(ms, st.m)
		}
		byM[st.m] = append(byM[st.m], st)
	}
	rank := tableRanks(ms)
	sort.SliceStable(ms, func(i, j int) bool { return rank[ms[i].Table] < rank[ms[j].Table] })
	for _, m := range ms {
		list := byM[m]
		for len(list) > 0 {
			var ready, rest []*instanceState
			for _, st := range list {
				if f.blocked(st) == nil {
					ready = append(ready, st)
				} else {
					rest = append(rest, st)
				}
			}
			if len(ready) == 0 {
				st := rest[0]
				dep := f.blocked(st)
				return &RelationshipError{Model: m.Name, sentinel: ErrCycle,
					Reason: fmt.Sprintf("cannot order the INSERTs: a new %s needs the key of a new %s (%s), which itself waits for rows not yet written — a cycle; commit one side first, then link them", m.Name, dep.m.Name, f.depField(st, dep))}
			}
			for _, st := range ready {
				if err := f.fill(st); err != nil {
					return err
				}
			}
			if ii := inheritOf(m); ii != nil {
				if err := insertBase(s, m, ii, ready); err != nil {
					return err
				}
			}
			if err := s.flushInserts(m, ready); err != nil {
				return err
			}
			list = rest
		}
	}
	return nil
}

// blocked returns a pending parent st waits for, or nil.
func (f *relFlush) blocked(st *instanceState) *instanceState {
	for _, a := range f.assign[st] {
		if a.parent != nil && a.parent.status == Pending && a.parent.session == f.s && a.parent != st {
			return a.parent
		}
	}
	return nil
}

func (f *relFlush) depField(st, dep *instanceState) string {
	for _, a := range f.assign[st] {
		if a.parent == dep {
			var cols []string
			for _, fm := range a.ri.childFK {
				cols = append(cols, fm.col.Name)
			}
			return st.m.Table.Name + "." + strings.Join(cols, ",")
		}
	}
	return "?"
}

// fill writes the foreign keys assigned to st from its parents' keys.
func (f *relFlush) fill(st *instanceState) error {
	for _, a := range f.assign[st] {
		if a.parent == nil {
			for _, fm := range a.ri.childFK {
				if !fm.col.Nullable() {
					pm := a.ri.parentMapper()
					return &RelationshipError{Model: st.m.Name, sentinel: ErrOrphan,
						Reason: fmt.Sprintf("%s %s lost its %s, but %s.%s is NOT NULL: give it another %s, delete it, or add cascade delete-orphan to the %s side", st.m.Name, keyString(st), pm.Name, st.m.Table.Name, fm.col.Name, pm.Name, pm.Name)}
				}
			}
			if err := setFK(st, a.ri.childFK, nil); err != nil {
				return err
			}
			continue
		}
		vals := keyValues(a.parent, a.ri.parentKey)
		if err := setFK(st, a.ri.childFK, vals); err != nil {
			return &RelationshipError{Model: st.m.Name, Reason: "foreign key from " + a.parent.m.Name + ": " + err.Error()}
		}
	}
	return nil
}

// 5a. persistent children of new parents.
func (f *relFlush) fillPersistent() error {
	for st := range f.assign {
		if st.status == Persistent && !st.deleteMarked && st.session == f.s {
			if err := f.fill(st); err != nil {
				return err
			}
		}
	}
	return nil
}

func secValues(p secPair) map[string]any {
	vals := map[string]any{}
	ak := keyValues(p.a, p.ri.fromKey)
	bk := keyValues(p.b, p.ri.toKey)
	for i, c := range p.ri.secLocal {
		vals[c.Name] = ak[i]
	}
	for i, c := range p.ri.secRemote {
		vals[c.Name] = bk[i]
	}
	return vals
}

// 5b. association rows: deletes, then inserts (both ends exist now).
func (f *relFlush) writeSecondary() error {
	s := f.s
	for _, p := range f.secWipe {
		if p.a.snap == nil {
			continue
		}
		stmt := core.Delete(p.ri.secondary)
		for i, c := range p.ri.secLocal {
			stmt = stmt.Where(c.Eq(p.a.snap[p.ri.fromKey[i].pos]))
		}
		if _, err := s.run(stmt, nil); err != nil {
			return &FlushError{Op: "DELETE", Model: p.ri.secondary.Name, Err: err}
		}
	}
	for _, p := range f.secDel {
		if f.deleting[p.a] || f.deleting[p.b] {
			continue // already wiped
		}
		stmt := core.Delete(p.ri.secondary)
		vals := secValues(p)
		for _, cols := range [][]*core.ColumnObj{p.ri.secLocal, p.ri.secRemote} {
			for _, c := range cols {
				stmt = stmt.Where(c.Eq(vals[c.Name]))
			}
		}
		if _, err := s.run(stmt, nil); err != nil {
			return &FlushError{Op: "DELETE", Model: p.ri.secondary.Name, Err: err}
		}
	}
	byTable := map[*core.Table][]map[string]any{}
	var order []*core.Table
	for _, p := range f.secAdd {
		if p.a.session != s || p.b.session != s || p.a.deleteMarked || p.b.deleteMarked {
			continue
		}
		t := p.ri.secondary
		if byTable[t] == nil {
			order = append(order, t)
		}
		byTable[t] = append(byTable[t], secValues(p))
	}
	for _, t := range order {
		rows := byTable[t]
		for i := 0; i < len(rows); i += 500 {
			j := min(i+500, len(rows))
			if _, err := s.run(core.Insert(t).Values(rows[i:j]...), nil); err != nil {
				return &FlushError{Op: "INSERT", Model: t.Name, Err: err}
			}
		}
	}
	return nil
}

// 5c. snapshots of every known relationship field.
func (f *relFlush) snapshot() error {
	for m, list := range f.live {
		for _, st := range list {
			if st.session != f.s || st.deleteMarked {
				continue
			}
			for _, ri := range f.rels[m] {
				snapField(f.s, st, ri)
			}
		}
	}
	return nil
}

// snapField records what a relationship field holds now (when known).
func snapField(s *Session, st *instanceState, ri *relInfo) {
	ptrs, known := readTargets(st, ri)
	if !known {
		return
	}
	if isCollection(ri) && relField(st, ri).IsNil() {
		writeTargets(st, ri, nil) // a new object's empty collection is loaded
	}
	var list []*instanceState
	for _, p := range ptrs {
		if t := lookupState(p); t != nil && t.session == s {
			list = append(list, t)
		}
	}
	if ri.childSide {
		var t *instanceState
		if len(list) > 0 {
			t = list[0]
		}
		setScalarSnap(st, ri, t)
		return
	}
	setCollSnap(st, ri, list)
}

func selfRefDeleteGroups(s *Session, m *Mapper, list []*instanceState) [][]*instanceState {
	whole := [][]*instanceState{list}
	if len(list) < 2 {
		return whole
	}
	c, err := configureBase(m.base)
	if err != nil {
		return whole
	}
	var self []*relInfo
	for _, ri := range c.byMapper[m] {
		if ri.childSide && ri.to == m && ri.secondary == nil {
			self = append(self, ri)
		}
	}
	if len(self) == 0 {
		return whole
	}
	snapKey := func(st *instanceState, fs []*fieldMap) any {
		vals := make([]any, len(fs))
		for i, f := range fs {
			if st.snap != nil {
				vals[i] = st.snap[f.pos]
			}
		}
		return tupleKey(vals)
	}
	rest := list
	var groups [][]*instanceState
	for len(rest) > 0 {
		referenced := map[any]bool{}
		for _, st := range rest {
			for _, ri := range self {
				referenced[fmt.Sprint(ri.r.Field, snapKey(st, ri.childFK))] = true
			}
		}
		var ready, wait []*instanceState
		for _, st := range rest {
			blocked := false
			for _, ri := range self {
				if referenced[fmt.Sprint(ri.r.Field, snapKey(st, ri.parentKey))] {
					blocked = true
				}
			}
			if blocked {
				wait = append(wait, st)
			} else {
				ready = append(ready, st)
			}
		}
		if len(ready) == 0 { // a cycle in the data: let the database say so
			return append(groups, rest)
		}
		groups = append(groups, ready)
		rest = wait
	}
	return groups
}

// mergeHook, called by Session.Merge once it has the session's object for
// src, merges the objects src's relationship fields hold (merge cascade,
// on by default) and points the merged object's fields at the results.
var mergeHook func(s *Session, m *Mapper, src reflect.Value, dst *instanceState, isNew bool) error

// merging memoises the objects of one top-level Merge (a back_populates
// pair would otherwise recurse for ever): source address → merged state.
var merging = map[*Session]map[unsafe.Pointer]*instanceState{}

func init() { mergeHook = mergeRelationships }

func mergeRelationships(s *Session, m *Mapper, src reflect.Value, dst *instanceState, isNew bool) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &ObjectError{Op: "Merge", Model: m.Name, Reason: fmt.Sprintf("merging relationships: internal error (please report): %v", r)}
		}
	}()
	if dst == nil {
		return nil
	}
	rels, err := sessionRels(s)
	if err != nil || len(rels[m]) == 0 {
		return err
	}
	memo := merging[s]
	if memo == nil {
		memo = map[unsafe.Pointer]*instanceState{}
		merging[s] = memo
		defer delete(merging, s)
	}
	memo[src.Addr().UnsafePointer()] = dst
	dv := dst.value()
	if isNew {
		// the copy still points at the source's graph: detach it first
		for _, ri := range rels[m] {
			dv.FieldByIndex(ri.r.Index).SetZero()
		}
	}
	for _, ri := range rels[m] {
		if !ri.cascade.merge {
			continue
		}
		fv := src.FieldByIndex(ri.r.Index)
		if fv.Kind() == reflect.Slice && fv.IsNil() {
			continue // not loaded on the source: leave the target's alone
		}
		var out []*instanceState
		var ptrs []unsafe.Pointer
		if fv.Kind() == reflect.Slice {
			for i := 0; i < fv.Len(); i++ {
				if !fv.Index(i).IsNil() {
					ptrs = append(ptrs, fv.Index(i).UnsafePointer())
				}
			}
		} else if !fv.IsNil() {
			ptrs = append(ptrs, fv.UnsafePointer())
		}
		for _, p := range ptrs {
			if st, ok := memo[p]; ok {
				out = append(out, st)
				continue
			}
			if st := lookupState(p); st != nil && st.session == s {
				memo[p] = st
				out = append(out, st)
				continue
			}
			merged, err := s.Merge(reflect.NewAt(ri.to.typ, p).Interface())
			if err != nil {
				return err
			}
			st := lookupState(reflect.ValueOf(merged).UnsafePointer())
			memo[p] = st
			out = append(out, st)
		}
		if fv.Kind() != reflect.Slice && len(out) == 0 && !isNew {
			continue // a nil reference may just be unloaded
		}
		writeTargets(dst, ri, out)
	}
	return nil
}

// rollbackHook runs when the session's transaction is rolled back, after
// the column fields got their database values back. Relationship fields
// are made to agree with them: a reference follows its (reverted) foreign
// key to the session's object, or becomes nil; a collection keeps only
// persistent objects whose key still points at the parent (new objects
// were expunged); a many-to-many collection is unloaded (nil: Load it
// again), since which association rows survived is not known.
var rollbackHook func(s *Session)

func clearCollSnap(st *instanceState, ri *relInfo) {
	if d := relGet(st); d.ok(ri) {
		d.slots[ri.idx].coll, d.slots[ri.idx].collOK = nil, false
	}
}

func init() { rollbackHook = relRollback }

func relRollback(s *Session) {
	// a rollback must not fail: an unexpected state leaves the fields as
	// they are
	defer func() { _ = recover() }()
	flushed := takeFlushed(s)
	rels, err := sessionRels(s)
	if err != nil || len(rels) == 0 {
		return
	}
	// Nothing to put back when no flush wrote relationships since the last
	// rollback and no relationship field changed (a Close after reading).
	if !flushed && !relChanged(s) {
		return
	}
	alive := func(t *instanceState) bool {
		return t != nil && t.session == s && t.status == Persistent
	}
	members := s.sortedMembers()
	// children by (reverted) foreign key, per relationship
	byFK := map[*relInfo]map[any][]*instanceState{}
	childrenAt := func(ri *relInfo, key []any) []*instanceState {
		idx := byFK[ri]
		if idx == nil {
			idx = map[any][]*instanceState{}
			for _, c := range members {
				if c.m == ri.to && alive(c) {
					k := tupleKey(keyValues(c, ri.childFK))
					idx[k] = append(idx[k], c)
				}
			}
			byFK[ri] = idx
		}
		return idx[tupleKey(key)]
	}
	for _, st := range members {
		if st.status != Persistent || st.ptr == nil {
			continue
		}
		for _, ri := range rels[st.m] {
			switch {
			case ri.childSide:
				if _, had := scalarSnap(st, ri); !had && relField(st, ri).IsNil() {
					continue
				}
				fk := keyValues(st, ri.childFK)
				var t *instanceState
				if !allZero(fk) && samePK(ri.parentKey, ri.to) {
					t = s.identity[keyFromValues(ri.to, fk)]
				}
				if !alive(t) {
					t = nil
				}
				writeTargets(st, ri, []*instanceState{t})
				setScalarSnap(st, ri, t)
			case ri.secondary != nil:
				// the association rows may have been rolled back with
				// nothing in memory to tell: unload the collection
				relField(st, ri).SetZero()
				clearCollSnap(st, ri)
			default:
				cur, known := (&relFlush{s: s}).targets(st, ri)
				old, had := collSnap(st, ri)
				if !known && !had {
					continue
				}
				var keep []*instanceState
				var key []any
				key = keyValues(st, ri.parentKey)
				for _, c := range append(append(append([]*instanceState(nil), cur...), old...), childrenAt(ri, key)...) {
					if !alive(c) || containsState(keep, c) {
						continue
					}
					if !sameValues(keyValues(c, ri.childFK), key) {
						continue
					}
					keep = append(keep, c)
				}
				if !known && len(keep) == 0 {
					continue
				}
				writeTargets(st, ri, keep)
				setCollSnap(st, ri, keep)
			}
		}
	}
}

// flushedSessions remembers the sessions whose flushes wrote relationship
// changes since their last rollback (weakly: a dropped session's entry is
// swept).
var (
	flushedMu       sync.Mutex
	flushedSessions = map[weak.Pointer[Session]]bool{}
)

func markFlushed(s *Session) {
	flushedMu.Lock()
	defer flushedMu.Unlock()
	if len(flushedSessions) > 1024 {
		for k := range flushedSessions {
			if k.Value() == nil {
				delete(flushedSessions, k)
			}
		}
	}
	flushedSessions[weak.Make(s)] = true
}

func takeFlushed(s *Session) bool {
	flushedMu.Lock()
	defer flushedMu.Unlock()
	k := weak.Make(s)
	v := flushedSessions[k]
	delete(flushedSessions, k)
	return v
}
