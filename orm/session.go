package orm

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"sync"

	"ormlab/orm/core"
)

// SessionOption configures a session (or every session of a SessionMaker).
type SessionOption struct {
	apply func(*sessionConfig)
}

type sessionConfig struct {
	autoflush      bool
	expireOnCommit bool
	ctx            context.Context
	beforeFlush    []func(*Session) error
	afterFlush     []func(*Session) error
}

func defaultConfig() sessionConfig {
	return sessionConfig{autoflush: true, expireOnCommit: true, ctx: context.Background()}
}

// Autoflush turns flushing before queries and Get on (the default) or off.
func Autoflush(on bool) SessionOption {
	return SessionOption{func(c *sessionConfig) { c.autoflush = on }}
}

// ExpireOnCommit turns expiring every object at commit on (the default) or
// off. See Session.Commit for what "expired" means in Go.
func ExpireOnCommit(on bool) SessionOption {
	return SessionOption{func(c *sessionConfig) { c.expireOnCommit = on }}
}

// SessionContext sets the context every statement of the session runs
// under (cancelling it stops a query or a pool wait).
func SessionContext(ctx context.Context) SessionOption {
	return SessionOption{func(c *sessionConfig) {
		if ctx != nil {
			c.ctx = ctx
		}
	}}
}

// BeforeFlush registers a function called at the start of every flush
// that has work to do; an error aborts the flush.
func BeforeFlush(fn func(s *Session) error) SessionOption {
	return SessionOption{func(c *sessionConfig) {
		if fn != nil {
			c.beforeFlush = append(c.beforeFlush, fn)
		}
	}}
}

// AfterFlush registers a function called after every successful flush.
func AfterFlush(fn func(s *Session) error) SessionOption {
	return SessionOption{func(c *sessionConfig) {
		if fn != nil {
			c.afterFlush = append(c.afterFlush, fn)
		}
	}}
}

// Session is a unit of work: it tracks the objects it loaded or was given
// (one pointer per row: the identity map), writes their changes in one
// flush, and runs everything in a transaction that begins on first use and
// ends with Commit or Rollback (SQLAlchemy 2.0's autobegin).
//
// Differences from SQLAlchemy, because Go has no attribute hooks:
//   - changes are found by comparing each object with a snapshot of its
//     column values taken when it was loaded or flushed;
//   - "expired" (after Commit and Rollback) does not hide the field values:
//     they stay readable, and the next time the session loads the row (a
//     query, Get, Refresh) it overwrites every field the program has not
//     changed since. Get of an expired object always goes to the database;
//   - a rollback puts back the values the fields had at the start of the
//     transaction (the database state), then expires the objects.
type Session struct {
	bind binder
	cfg  sessionConfig

	identity map[identKey]*instanceState
	// objs is the member set, by object address (registry.go); objMu
	// guards writes to it and other goroutines' reads
	objs    map[uintptr]*instanceState
	objMu   sync.RWMutex
	openIdx int // index in openSessions, -1 when not listed
	// memberList has every member in the order it joined (plus stale
	// entries: objects that left, or joined twice — see joined): the
	// change check walks it, in allocation order, instead of the map
	memberList []*instanceState
	pending    []*instanceState // pending objects in add order; stale entries are skipped (see sortedPending)
	deletes    []*instanceState

	conn     dbConn
	frames   []*txFrame
	flushing bool
	// flushAbortedTo names the savepoint a failed flush rolled back to ("":
	// the whole transaction)
	flushAbortedTo string
	seq            uint64
	spSeq          int
	bases          map[*Base]bool
	closed         bool
}

func newSession(b binder, options []SessionOption) *Session {
	s := &Session{bind: b, cfg: defaultConfig(),
		identity: map[identKey]*instanceState{}, objs: map[uintptr]*instanceState{},
		bases: map[*Base]bool{}, openIdx: -1}
	for _, o := range options {
		if o.apply != nil {
			o.apply(&s.cfg)
		}
	}
	return s
}

// OnBeforeFlush registers a before-flush function on this session.
func (s *Session) OnBeforeFlush(fn func(s *Session) error) {
	if fn != nil {
		s.cfg.beforeFlush = append(s.cfg.beforeFlush, fn)
	}
}

// OnAfterFlush registers an after-flush function on this session.
func (s *Session) OnAfterFlush(fn func(s *Session) error) {
	if fn != nil {
		s.cfg.afterFlush = append(s.cfg.afterFlush, fn)
	}
}

// ---- transactions ----

// txFrame is one level of transaction: the session's (root) or a
// SAVEPOINT. saved holds each object's state as it was when the frame
// first changed it, to put back on rollback.
type txFrame struct {
	savepoint string
	saved     map[*instanceState]savedState
	// fresh lists objects that were new (transient or pending) when the
	// frame first touched them: the common case, kept out of the map.
	fresh []freshEntry
	open  bool // the SAVEPOINT / BEGIN was sent
	done  bool
	// rolledBack: a failed flush rolled this savepoint back (NestedTx.Rollback
	// then has nothing left to do)
	rolledBack bool
}

type freshEntry struct {
	st     *instanceState
	status State // Transient or Pending
}

type savedState struct {
	status       State
	inSession    bool
	key          identKey
	hasKey       bool
	snap         []any
	deleteMarked bool
	expired      bool
}

func (s *Session) top() *txFrame {
	if len(s.frames) == 0 {
		s.frames = append(s.frames, &txFrame{saved: map[*instanceState]savedState{}})
	}
	return s.frames[len(s.frames)-1]
}

// remember records st's state in the current frame before a change.
func (s *Session) remember(st *instanceState) {
	f := s.top()
	if st.freshMark == f {
		return
	}
	if inS := st.session == s; (!inS && !st.hasKey) || (inS && st.status == Pending) {
		status := Pending
		if !inS {
			status = Transient
		}
		if _, ok := f.saved[st]; ok {
			return
		}
		st.freshMark = f
		f.fresh = append(f.fresh, freshEntry{st: st, status: status})
		return
	}
	if _, ok := f.saved[st]; ok {
		return
	}
	sv := savedState{status: st.status, inSession: st.session == s, key: st.key, hasKey: st.hasKey,
		snap: st.snap, deleteMarked: st.deleteMarked, expired: st.expired}
	if st.session != s {
		if st.hasKey {
			sv.status = Detached
		} else {
			sv.status = Transient
		}
	}
	f.saved[st] = sv
}

// connection returns the session's connection, beginning the transaction
// (and any SAVEPOINTs not yet sent) on first use.
func (s *Session) connection() (dbConn, error) {
	s.top()
	if s.conn == nil {
		c, err := s.bind.connect(s.cfg.ctx)
		if err != nil {
			return nil, err
		}
		if err := c.begin(s.cfg.ctx); err != nil {
			c.close()
			return nil, err
		}
		s.conn = c
		s.frames[0].open = true
	}
	for _, f := range s.frames[1:] {
		if !f.open {
			if err := s.conn.savepoint(f.savepoint); err != nil {
				return nil, err
			}
			f.open = true
		}
	}
	return s.conn, nil
}

// InTransaction reports whether a transaction is in progress.
func (s *Session) InTransaction() bool { return len(s.frames) > 0 }

// Commit flushes, commits the transaction (releasing any SAVEPOINTs) and
// expires every object (see the Session doc). Objects deleted in the
// transaction become detached. After an error the transaction has been
// rolled back (a flush that fails inside BeginNested rolls back to that
// savepoint only, as SQLAlchemy's) and the session can be used again.
func (s *Session) Commit() error {
	// As SQLAlchemy 2.0, commit with no transaction begins one: changes
	// made to persistent objects since the last commit are flushed.
	if err := s.Flush(); err != nil {
		return err
	}
	if s.conn != nil {
		if err := s.conn.commit(); err != nil {
			s.rollbackAll()
			return fmt.Errorf("commit: %w (the session's transaction was rolled back)", err)
		}
	}
	for _, st := range s.objs {
		if st.status == Deleted {
			s.detach(st)
			continue
		}
		if st.status == Persistent && s.cfg.expireOnCommit {
			st.expired = true
		}
	}
	s.deletes = s.deletes[:0]
	s.endTx()
	return nil
}

// Rollback rolls back the whole transaction (nested ones too): objects
// added in it are expunged (transient again, a generated primary key reset
// to zero), deleted ones come back, and every persistent object gets back
// the field values it had in the database, then is expired.
func (s *Session) Rollback() error {
	if len(s.frames) == 0 {
		// No transaction, but changes made to objects since the last
		// commit are still discarded (SQLAlchemy would have begun one when
		// the expired object was touched).
		for _, st := range s.objs {
			if st.status == Persistent {
				s.revertFields(st)
				st.expired = true
			}
		}
		return nil
	}
	var err error
	if s.conn != nil {
		err = s.conn.rollback()
	}
	s.rollbackAll()
	return err
}

// rollbackAll restores the objects and ends the transaction (the database
// side has been rolled back or is about to be released).
func (s *Session) rollbackAll() {
	if s.conn != nil {
		s.conn.rollback()
	}
	for i := len(s.frames) - 1; i >= 0; i-- {
		s.restoreFrame(s.frames[i])
	}
	for _, st := range s.objs {
		if st.status == Persistent {
			s.revertFields(st)
			st.expired = true
		}
	}
	if rollbackHook != nil { // part 2: relationship fields follow the reverted keys (cascade.go)
		rollbackHook(s)
	}
	s.deletes = s.deletes[:0]
	s.endTx()
}

func (s *Session) endTx() {
	s.frames = s.frames[:0]
	if s.conn != nil {
		s.conn.close()
		s.conn = nil
	}
}

// revertFields writes the snapshot back into the object's fields.
func (s *Session) revertFields(st *instanceState) {
	if st.snap == nil || st.ptr == nil {
		return
	}
	v := st.value()
	for _, f := range st.m.fields {
		fv := v.FieldByIndex(f.index)
		if !equalValues(getValue(fv, f.conv, f.elem), st.snap[f.pos]) {
			setValue(fv, f.conv, f.elem, st.snap[f.pos])
		}
	}
}

func (s *Session) restoreFrame(f *txFrame) {
	if len(f.fresh) > 0 {
		seen := make(map[*instanceState]bool, len(f.fresh))
		for _, e := range f.fresh {
			if seen[e.st] {
				continue // the first record is the state before the frame
			}
			seen[e.st] = true
			e.st.freshMark = nil
			if _, ok := f.saved[e.st]; !ok {
				f.saved[e.st] = savedState{status: e.status, inSession: e.status == Pending}
			}
		}
		f.fresh = nil
	}
	for st, sv := range f.saved {
		if st.hasKey && s.identity[st.key] == st {
			delete(s.identity, st.key)
		}
		if (sv.status == Transient || sv.status == Pending) && st.generated && st.ptr != nil && st.m.autoinc != nil {
			// The INSERT happened in this frame: its generated key is gone.
			a := st.m.autoinc
			st.value().FieldByIndex(a.index).SetZero()
			st.generated = false
		}
		switch sv.status {
		case Transient, Detached:
			st.key, st.hasKey, st.snap = sv.key, sv.hasKey, sv.snap
			if st.session == s {
				s.removeMember(st)
			}
		case Pending:
			st.status, st.hasKey, st.snap, st.deleteMarked = Pending, false, nil, false
			s.pending = append(s.pending, st)
		case Persistent, Deleted:
			st.status, st.key, st.hasKey, st.snap = Persistent, sv.key, sv.hasKey, sv.snap
			st.deleteMarked, st.expired = sv.deleteMarked, sv.expired
			s.identity[st.key] = st
			s.revertFields(st)
		}
	}
	f.saved = map[*instanceState]savedState{}
}

// NestedTx is a SAVEPOINT opened by BeginNested.
type NestedTx struct {
	s     *Session
	frame *txFrame
}

// BeginNested flushes and opens a SAVEPOINT (SQLAlchemy's begin_nested).
// Commit releases it; Rollback rolls back to it, putting the objects it
// changed back as they were when it began.
func (s *Session) BeginNested() (*NestedTx, error) {
	if err := s.Flush(); err != nil {
		return nil, err
	}
	s.spSeq++
	f := &txFrame{savepoint: "sa_savepoint_" + strconv.Itoa(s.spSeq), saved: map[*instanceState]savedState{}}
	s.top()
	s.frames = append(s.frames, f)
	if _, err := s.connection(); err != nil {
		s.frames = s.frames[:len(s.frames)-1]
		return nil, err
	}
	return &NestedTx{s: s, frame: f}, nil
}

func (n *NestedTx) index() int {
	for i, f := range n.s.frames {
		if f == n.frame {
			return i
		}
	}
	return -1
}

// Commit flushes and releases the SAVEPOINT (and any opened inside it).
// If the flush fails, the SAVEPOINT is rolled back (and the error says so).
func (n *NestedTx) Commit() error {
	if n != nil && n.frame.rolledBack {
		return &ObjectError{Op: "Commit", Reason: "the savepoint was rolled back by a failed flush"}
	}
	if n == nil || n.frame.done {
		return ErrSessionClosed
	}
	s := n.s
	if err := s.Flush(); err != nil {
		return err
	}
	i := n.index()
	if i < 0 {
		return ErrSessionClosed
	}
	if s.conn != nil && n.frame.open {
		if err := s.conn.releaseSavepoint(n.frame.savepoint); err != nil {
			return err
		}
	}
	parent := s.frames[i-1]
	parentFresh := make(map[*instanceState]bool, len(parent.fresh))
	for _, e := range parent.fresh {
		parentFresh[e.st] = true
	}
	for _, f := range s.frames[i:] {
		for st, sv := range f.saved {
			// The parent's own record (saved or fresh) is older: it wins.
			if _, ok := parent.saved[st]; !ok && !parentFresh[st] {
				parent.saved[st] = sv
			}
		}
		// Appended after the parent's own records, which win on restore.
		parent.fresh = append(parent.fresh, f.fresh...)
		for _, e := range f.fresh {
			if e.st.freshMark == f {
				e.st.freshMark = parent
			}
		}
		f.done = true
	}
	s.frames = s.frames[:i]
	return nil
}

// Rollback rolls back to the SAVEPOINT (and closes it). After a failed
// flush already did, it does nothing.
func (n *NestedTx) Rollback() error {
	if n != nil && n.frame.rolledBack {
		return nil
	}
	if n == nil || n.frame.done {
		return ErrSessionClosed
	}
	s := n.s
	i := n.index()
	if i < 0 {
		return ErrSessionClosed
	}
	var err error
	if s.conn != nil && n.frame.open {
		// As SQLAlchemy: ROLLBACK TO only; the savepoint is simply not
		// used again.
		err = s.conn.rollbackToSavepoint(n.frame.savepoint)
	}
	for j := len(s.frames) - 1; j >= i; j-- {
		s.restoreFrame(s.frames[j])
		s.frames[j].done = true
	}
	// Unflushed changes made inside the savepoint are discarded too.
	for _, st := range s.objs {
		if st.status == Persistent && !st.deleteMarked {
			s.revertFields(st)
		}
	}
	s.frames = s.frames[:i]
	s.pruneDeletes()
	if rollbackHook != nil { // relationship fields follow the reverted keys (cascade.go)
		rollbackHook(s)
	}
	return err
}

// Close rolls back any transaction and expunges every object (persistent
// ones become detached, pending ones transient). The session can be used
// again afterwards.
func (s *Session) Close() error {
	var err error
	if len(s.frames) > 0 {
		// As SQLAlchemy's close(): the transaction is rolled back and every
		// object expunged, but objects keep the values they have (only what
		// the rollback undoes — new rows, generated keys — is reset).
		if s.conn != nil {
			err = s.conn.rollback()
		}
		for i := len(s.frames) - 1; i >= 0; i-- {
			s.restoreFrame(s.frames[i])
		}
		if rollbackHook != nil { // part 2: relationship fields follow the reverted keys (cascade.go)
			rollbackHook(s)
		}
		s.deletes = s.deletes[:0]
		s.endTx()
	}
	s.ExpungeAll()
	return err
}

// ---- membership ----

// joined records st (now in s.members) in memberList, compacting the list
// when stale entries make up most of it.
func (s *Session) joined(st *instanceState) {
	if len(s.memberList) >= 2*len(s.objs)+1024 {
		seen := make(map[*instanceState]bool, len(s.objs))
		out := s.memberList[:0]
		for _, x := range s.memberList {
			if x.session == s && !seen[x] {
				seen[x] = true
				out = append(out, x)
			}
		}
		clear(s.memberList[len(out):])
		s.memberList = out
	}
	s.memberList = append(s.memberList, st)
}

func (s *Session) removeMember(st *instanceState) {
	if st.hasKey && s.identity[st.key] == st {
		delete(s.identity, st.key)
	}
	s.leave(st)
	s.untrackOne(st)
}

// leave marks st as out of the session (the maps are the caller's job).
func (s *Session) leave(st *instanceState) {
	leaveEra.Add(1) // relationship shadows are void (relSlot)
	s.leaveQuiet(st)
}

// leaveQuiet is leave without bumping leaveEra (the caller does, once).
func (s *Session) leaveQuiet(st *instanceState) {
	st.session = nil
	st.ptr = nil
	st.deleteMarked = false
	if st.hasKey {
		st.status = Detached
	} else {
		st.status = Transient
	}
}

func (s *Session) detach(st *instanceState) { s.removeMember(st) }

func (s *Session) pruneDeletes() {
	out := s.deletes[:0]
	for _, st := range s.deletes {
		if st.deleteMarked && st.session == s {
			out = append(out, st)
		}
	}
	s.deletes = out
}

// objectOf checks obj is a non-nil pointer to a mapped struct.
func (s *Session) objectOf(op string, obj any) (reflect.Value, *Mapper, error) {
	if obj == nil {
		return reflect.Value{}, nil, &ObjectError{Op: op, Reason: "the object is nil"}
	}
	rv := reflect.ValueOf(obj)
	if rv.Kind() == reflect.Pointer && rv.IsNil() {
		return reflect.Value{}, nil, &ObjectError{Op: op, Model: typeName(rv.Type().Elem()), Reason: "the pointer is nil"}
	}
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return reflect.Value{}, nil, &ObjectError{Op: op, Model: rv.Type().String(), Reason: "give a pointer to a mapped struct (&obj)"}
	}
	m, err := s.mapperOf(rv.Type().Elem())
	if err != nil {
		return reflect.Value{}, nil, &ObjectError{Op: op, Model: typeName(rv.Type().Elem()), Reason: err.Error()}
	}
	return rv, m, nil
}

func typeName(t reflect.Type) string {
	if t.Name() != "" {
		return t.Name()
	}
	return t.String()
}

func (s *Session) mapperOf(t reflect.Type) (*Mapper, error) {
	var prefer *Base
	if len(s.bases) == 1 {
		for b := range s.bases {
			prefer = b
		}
	}
	m, err := mapperOfType(t, prefer)
	if err == nil {
		if !s.bases[m.base] {
			s.bases[m.base] = true
		}
	}
	return m, err
}

// stateOf returns st for a pointer, creating a transient one.
func (s *Session) stateOf(rv reflect.Value, m *Mapper) *instanceState {
	st := lookupTypedFrom(s, rv, m)
	if st != nil && st.session == nil && !st.hasKey && st.m != m {
		st.m = m
	}
	if st == nil {
		// Not tracked until it enters the session (add).
		st = &instanceState{m: m, addr: rv.Pointer(), status: Transient}
	}
	return st
}

// Add puts an object in the session: a new one becomes pending (INSERTed
// at the next flush), a detached one persistent again.
func (s *Session) Add(obj any) error {
	rv, m, err := s.objectOf("Add", obj)
	if err != nil {
		return err
	}
	return s.add(rv, m)
}

func (s *Session) add(rv reflect.Value, m *Mapper) error {
	st := s.stateOf(rv, m)
	switch {
	case st.session == s:
		if st.deleteMarked {
			s.remember(st)
			st.deleteMarked = false
			s.pruneDeletes()
		}
		return nil
	case st.session != nil:
		return &ObjectError{Op: "Add", Model: m.Name, Reason: "the object already belongs to another session (Expunge it there or Merge it here)"}
	}
	s.remember(st)
	st.ptr = rv.UnsafePointer()
	st.session = s
	s.track(st)
	s.joined(st)
	if st.hasKey {
		if other, ok := s.identity[st.key]; ok && other != st {
			s.removeMember(st)
			return &ObjectError{Op: "Add", Model: m.Name, Reason: "another object with primary key " + st.key.String() + " is already in the session (use Merge)"}
		}
		st.status = Persistent
		s.identity[st.key] = st
		return nil
	}
	st.status = Pending
	s.seq++
	st.order = s.seq
	s.pending = append(s.pending, st)
	return nil
}

// AddAll adds several objects (pointers, or slices of pointers).
func (s *Session) AddAll(objs ...any) error {
	for _, o := range objs {
		rv := reflect.ValueOf(o)
		if rv.IsValid() && rv.Kind() == reflect.Slice {
			s.reservePending(rv.Len())
			// One mapper look-up per element type, not per element (the
			// look-up takes the mapping lock).
			var lastT reflect.Type
			var lastM *Mapper
			for i := 0; i < rv.Len(); i++ {
				e := rv.Index(i)
				if e.Kind() == reflect.Struct {
					e = e.Addr()
				}
				if e.Kind() == reflect.Pointer && !e.IsNil() && e.Type() == lastT {
					if err := s.add(e, lastM); err != nil {
						return err
					}
					continue
				}
				ev := e.Interface()
				if err := s.Add(ev); err != nil {
					return err
				}
				if ev != nil && e.Kind() == reflect.Pointer && !e.IsNil() {
					if _, m, err := s.objectOf("Add", ev); err == nil {
						lastT, lastM = e.Type(), m
					}
				}
			}
			continue
		}
		if err := s.Add(o); err != nil {
			return err
		}
	}
	return nil
}

// Delete marks a persistent (or detached) object for deletion at the next
// flush. Deleting a pending object expunges it.
func (s *Session) Delete(obj any) error {
	rv, m, err := s.objectOf("Delete", obj)
	if err != nil {
		return err
	}
	st := s.stateOf(rv, m)
	if st.session != s {
		if !st.hasKey {
			return &ObjectError{Op: "Delete", Model: m.Name, Reason: "the object is not persisted (add and flush it first)"}
		}
		if err := s.add(rv, m); err != nil {
			return err
		}
	}
	switch st.status {
	case Pending:
		s.remember(st)
		s.removeMember(st)
		return nil
	case Deleted:
		return nil
	}
	if !st.deleteMarked {
		s.remember(st)
		st.deleteMarked = true
		s.deletes = append(s.deletes, st)
	}
	return nil
}

// Expunge removes an object from the session: pending → transient,
// persistent → detached. Its changes are not written.
func (s *Session) Expunge(obj any) error {
	rv, m, err := s.objectOf("Expunge", obj)
	if err != nil {
		return err
	}
	st := s.stateOf(rv, m)
	if st.session != s {
		return &ObjectError{Op: "Expunge", Model: m.Name, Reason: "the object is not in this session"}
	}
	s.removeMember(st)
	s.pruneDeletes()
	return nil
}

// ExpungeAll removes every object from the session.
func (s *Session) ExpungeAll() {
	// memberList covers every member (in join order, possibly with stale
	// or repeated entries): a slice walk, cheaper than ranging the map.
	list := make([]*instanceState, 0, len(s.objs))
	for _, st := range s.memberList {
		if st.session != s {
			continue // stale, or already left in this walk
		}
		s.leaveQuiet(st)
		list = append(list, st)
	}
	if len(list) > 0 {
		leaveEra.Add(1) // relationship shadows are void (relSlot), once for all
	}
	s.untrackAll(list)
	s.memberList = nil
	s.pending = nil
	s.identity = map[identKey]*instanceState{}
	s.deletes = s.deletes[:0]
}

// Expire marks an object to be reloaded the next time the session loads
// its row (fields the program changed since are kept).
func (s *Session) Expire(obj any) error {
	rv, m, err := s.objectOf("Expire", obj)
	if err != nil {
		return err
	}
	st := s.stateOf(rv, m)
	if st.session != s || st.status != Persistent {
		return &ObjectError{Op: "Expire", Model: m.Name, Reason: "the object is not persistent in this session"}
	}
	st.expired = true
	return nil
}

// ExpireAll expires every persistent object.
func (s *Session) ExpireAll() {
	for _, st := range s.objs {
		if st.status == Persistent {
			st.expired = true
		}
	}
}

// State is the object's state in this session (Inspect(obj).State).
func (s *Session) State(obj any) State { return Inspect(obj).State }

// Contains reports whether the object is in this session.
func (s *Session) Contains(obj any) bool {
	rv := reflect.ValueOf(obj)
	if !rv.IsValid() || rv.Kind() != reflect.Pointer || rv.IsNil() {
		return false
	}
	return s.own(rv.UnsafePointer()) != nil
}

// New lists the pending objects, in the order they were added.
func (s *Session) New() []any {
	list := s.sortedPending()
	out := make([]any, len(list))
	for i, st := range list {
		out[i] = st.object()
	}
	return out
}

// Dirty lists the persistent objects with changed fields.
func (s *Session) Dirty() []any {
	var out []any
	for _, st := range s.sortedMembers() {
		if st.status == Persistent && !st.deleteMarked && len(s.changes(st)) > 0 {
			out = append(out, st.object())
		}
	}
	return out
}

// Deleted lists the objects marked for deletion.
func (s *Session) Deleted() []any {
	var out []any
	for _, st := range s.deletes {
		out = append(out, st.object())
	}
	return out
}

// Identities lists every persistent object (the identity map).
func (s *Session) Identities() []any {
	var out []any
	for _, st := range s.sortedMembers() {
		if st.hasKey && s.identity[st.key] == st {
			out = append(out, st.object())
		}
	}
	return out
}

func (st *instanceState) object() any {
	return reflect.NewAt(st.m.typ, st.ptr).Interface()
}

// sortedPending lists the pending objects in add order. s.pending may hold
// objects that are no longer pending (inserted, expunged) or appear twice
// (put back by a rollback): they are skipped here.
func (s *Session) sortedPending() []*instanceState {
	list := make([]*instanceState, 0, len(s.pending))
	var seen map[*instanceState]bool
	sorted := true
	for _, st := range s.pending {
		if st.status != Pending || st.session != s {
			continue
		}
		if seen != nil && seen[st] {
			continue
		}
		if n := len(list); n > 0 && list[n-1].order >= st.order {
			sorted = false
			if seen == nil {
				// Only a rollback re-adds out of order: dedupe from here.
				seen = make(map[*instanceState]bool, len(list))
				for _, x := range list {
					seen[x] = true
				}
				if seen[st] {
					continue
				}
			}
		}
		if seen != nil {
			seen[st] = true
		}
		list = append(list, st)
	}
	if !sorted {
		sort.Slice(list, func(i, j int) bool { return list[i].order < list[j].order })
	}
	s.pending = append(s.pending[:0], list...)
	return list
}

func (s *Session) sortedMembers() []*instanceState {
	list := make([]*instanceState, 0, len(s.objs))
	for _, st := range s.objs {
		list = append(list, st)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].order != list[j].order {
			return list[i].order < list[j].order
		}
		return list[i].addr < list[j].addr
	})
	return list
}

// changes lists the fields whose values differ from the snapshot.
func (s *Session) changes(st *instanceState) []*fieldMap {
	if st.snap == nil || st.ptr == nil {
		return nil
	}
	v := st.value()
	var out []*fieldMap
	for _, f := range st.m.fields {
		if !equalValues(getValue(v.FieldByIndex(f.index), f.conv, f.elem), st.snap[f.pos]) {
			out = append(out, f)
		}
	}
	return out
}

// autoflush flushes before a query when the session is set to (the
// default) and something is to flush. The check is flush.go's own test
// (pending objects, deletions, changed columns, flushNeeded steps) with a
// column comparison that does not allocate: with nothing to flush a query
// costs one pass over the session, a few nanoseconds per object.
func (s *Session) autoflush() error {
	if !s.cfg.autoflush || s.flushing || !s.needsFlush() {
		return nil
	}
	return s.Flush()
}

// needsFlush reports whether Flush would have work to do.
func (s *Session) needsFlush() bool {
	// s.pending and s.deletes may hold stale entries (objects a rollback
	// took out): only live ones mean work.
	if len(s.pending) > 0 && len(s.sortedPending()) > 0 {
		return true
	}
	if len(s.deletes) > 0 {
		s.pruneDeletes()
		if len(s.deletes) > 0 {
			return true
		}
	}
	rels, err := sessionRels(s)
	if err != nil {
		return true // let the flush report it
	}
	// One pass for both column and relationship changes (relChanged's
	// test, folded in).
	var last *Mapper
	var cc *changeCheck
	var rl []*relInfo
	// The list, not the map: objects in the order they joined, mostly the
	// order they were allocated in, so the walk reads memory in order.
	// Stale entries (st.session != s) are skipped; one that joined twice
	// is only checked twice.
	for _, st := range s.memberList {
		if st.session != s || st.status != Persistent {
			continue
		}
		if st.m != last {
			last, cc, rl = st.m, checkOf(st.m), rels[st.m]
		}
		if st.snap != nil && st.ptr != nil && cc.changed(st) {
			return true
		}
		if len(rl) > 0 && !st.deleteMarked && relsChanged(st, rl, true) {
			return true
		}
	}
	for _, fn := range flushNeeded {
		if fn(s) {
			return true
		}
	}
	return false
}

// ---- Get / Refresh / Merge ----

// Get loads the object with primary key pk (several values for a composite
// key) into dest: a **Model (set to the session's object; nil when there is
// no such row) or a *Model (which becomes the session's object for that row
// unless another pointer already is, in which case its values are copied).
// The identity map answers without SQL unless the object is expired.
// No row gives ErrNoResult.
func (s *Session) Get(dest any, pk ...any) error {
	dv := reflect.ValueOf(dest)
	if !dv.IsValid() || dv.Kind() != reflect.Pointer || dv.IsNil() {
		return &ObjectError{Op: "Get", Reason: "give a pointer to a model pointer (&user) as the destination"}
	}
	var target reflect.Value
	double := dv.Elem().Kind() == reflect.Pointer
	elemType := dv.Type().Elem()
	if double {
		elemType = elemType.Elem()
	} else {
		target = dv.Elem()
	}
	if elemType.Kind() != reflect.Struct {
		return &ObjectError{Op: "Get", Model: elemType.String(), Reason: "the destination is not a struct"}
	}
	m, err := s.mapperOf(elemType)
	if err != nil {
		return &ObjectError{Op: "Get", Model: typeName(elemType), Reason: err.Error()}
	}
	if len(pk) == 1 {
		if list, ok := spreadAny(pk[0]); ok && len(m.pk) > 1 {
			pk = list
		}
	}
	if len(pk) != len(m.pk) {
		return &ObjectError{Op: "Get", Model: m.Name, Reason: fmt.Sprintf("the primary key has %d column(s), got %d value(s)", len(m.pk), len(pk))}
	}
	key := keyFromValues(m, pk)
	if st, ok := s.identity[key]; ok && !st.expired && st.status == Persistent && !st.deleteMarked {
		s.put(dv, double, elemType, st, target)
		return nil
	}
	if st, ok := s.identity[key]; ok && (st.deleteMarked || st.status == Deleted) {
		if double {
			dv.Elem().SetZero()
		}
		return &resultError{sentinel: ErrNoResult, model: m.Name}
	}
	if err := s.autoflush(); err != nil {
		return err
	}
	conds := make([]core.Expr, len(m.pk))
	for i, f := range m.pk {
		conds[i] = f.col.Eq(pk[i])
	}
	res, err := s.run(selectOf(m).Where(conds...), nil)
	if err != nil {
		return err
	}
	if len(res.rows) == 0 {
		if double {
			dv.Elem().SetZero()
		}
		return &resultError{sentinel: ErrNoResult, model: m.Name}
	}
	st, err := s.loadRow(m, res.rows[0], target, false)
	if err != nil {
		return err
	}
	if getLoaded != nil { // part 2: lazy:selectin/joined relationships (loading.go)
		if err := getLoaded(s, st); err != nil {
			return err
		}
	}
	s.put(dv, double, elemType, st, target)
	return nil
}

// put stores the session's object in the destination.
func (s *Session) put(dv reflect.Value, double bool, elemType reflect.Type, st *instanceState, target reflect.Value) {
	if double {
		dv.Elem().Set(reflect.NewAt(elemType, st.ptr))
		return
	}
	if target.IsValid() && uintptr(st.ptr) != target.Addr().Pointer() {
		target.Set(reflect.NewAt(elemType, st.ptr).Elem())
	}
}

func spreadAny(v any) ([]any, bool) {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || rv.Kind() != reflect.Slice || rv.Type().Elem().Kind() == reflect.Uint8 {
		return nil, false
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, true
}

// selectOf is SELECT every mapped column FROM the mapper's table.
func selectOf(m *Mapper) *core.SelectStmt {
	cols := make([]any, len(m.fields))
	for i, f := range m.fields {
		cols[i] = f.col
	}
	return core.Select(cols...)
}

// Refresh reloads a persistent object's fields from the database,
// overwriting changes.
func (s *Session) Refresh(obj any) error {
	rv, m, err := s.objectOf("Refresh", obj)
	if err != nil {
		return err
	}
	st := s.stateOf(rv, m)
	if st.session != s || !st.hasKey {
		return &ObjectError{Op: "Refresh", Model: m.Name, Reason: "the object is not persistent in this session"}
	}
	conds := make([]core.Expr, len(m.pk))
	for i, f := range m.pk {
		conds[i] = f.col.Eq(st.snap[f.pos])
	}
	res, err := s.run(selectOf(m).Where(conds...), nil)
	if err != nil {
		return err
	}
	if len(res.rows) == 0 {
		return &resultError{sentinel: ErrNoResult, model: m.Name + " " + st.key.String()}
	}
	return s.populate(st, res.rows[0], true)
}

// Merge copies the state of obj (which stays untouched, in any state) onto
// the session's object for the same primary key — from the identity map,
// else loaded from the database, else a new pending object — and returns
// that object.
func (s *Session) Merge(obj any) (any, error) {
	rv, m, err := s.objectOf("Merge", obj)
	if err != nil {
		return nil, err
	}
	src := rv.Elem()
	var target *instanceState
	zeroKey := true
	for _, f := range m.pk {
		if !src.FieldByIndex(f.index).IsZero() {
			zeroKey = false
		}
	}
	if !zeroKey {
		key := keyOf(m, src)
		if st, ok := s.identity[key]; ok {
			target = st
		} else {
			pkv := make([]any, len(m.pk))
			for i, f := range m.pk {
				pkv[i] = getValue(src.FieldByIndex(f.index), f.conv, f.elem)
			}
			holder := reflect.New(reflect.PointerTo(m.typ))
			err := s.Get(holder.Interface(), pkv...)
			if err != nil && !errors.Is(err, ErrNoResult) {
				return nil, err
			}
			if err == nil {
				target = lookupState(holder.Elem().UnsafePointer())
			}
		}
	}
	if target != nil {
		dst := target.value()
		for _, f := range m.fields {
			dst.FieldByIndex(f.index).Set(src.FieldByIndex(f.index))
		}
		if mergeHook != nil { // part 2: merge cascade along relationships (cascade.go)
			if err := mergeHook(s, m, src, target, false); err != nil {
				return nil, err
			}
		}
		return target.object(), nil
	}
	nv := reflect.New(m.typ)
	nv.Elem().Set(src)
	if err := s.add(nv, m); err != nil {
		return nil, err
	}
	if mergeHook != nil { // part 2: merge cascade along relationships (cascade.go)
		if err := mergeHook(s, m, src, lookupState(nv.UnsafePointer()), true); err != nil {
			return nil, err
		}
	}
	return nv.Interface(), nil
}

// ---- loading rows ----

// reserve grows the identity map (and the member set) ahead of n more
// objects, so that loading or inserting many rows allocates each map once
// instead of doubling it step by step.
func (s *Session) reserve(n int, members bool) {
	if n < 256 {
		return
	}
	if want := len(s.identity) + n; want > 2*len(s.identity) {
		m := make(map[identKey]*instanceState, want)
		for k, v := range s.identity {
			m[k] = v
		}
		s.identity = m
	}
	if members {
		s.reserveObjs(n)
	}
	if members && cap(s.memberList)-len(s.memberList) < n {
		s.memberList = append(make([]*instanceState, 0, len(s.memberList)+n), s.memberList...)
	}
}

// reservePending makes room for n objects about to be added (AddAll of a
// slice), so the member map and lists grow once rather than by doubling.
func (s *Session) reservePending(n int) {
	if n < 256 {
		return
	}
	s.reserveObjs(n)
	if cap(s.memberList)-len(s.memberList) < n {
		s.memberList = append(make([]*instanceState, 0, len(s.memberList)+n), s.memberList...)
	}
	if cap(s.pending)-len(s.pending) < n {
		s.pending = append(make([]*instanceState, 0, len(s.pending)+n), s.pending...)
	}
}

// loadRow turns a row (mapped columns in field order) into the session's
// object for it: the identity map's (refreshed if expired), or target, or
// a new one.
func (s *Session) loadRow(m *Mapper, row []any, target reflect.Value, overwrite bool) (*instanceState, error) {
	var key identKey
	if len(m.pk) == 1 {
		key = identKey{table: m.Table, v: normIdent(row[m.pk[0].pos])}
	} else {
		vals := make([]any, len(m.pk))
		for i, f := range m.pk {
			vals[i] = row[f.pos]
		}
		key = keyFromValues(m, vals)
	}
	if st, ok := s.identity[key]; ok {
		if st.expired || overwrite {
			if err := s.populate(st, row, overwrite); err != nil {
				return nil, err
			}
		}
		return st, nil
	}
	var obj reflect.Value
	var st *instanceState
	if target.IsValid() && target.CanAddr() {
		if tst := lookupLive(s, target.Addr().UnsafePointer()); tst == nil || tst.session == nil {
			obj, st = target.Addr(), tst
		}
	}
	if !obj.IsValid() {
		// A new allocation has no live state: a live state holds its
		// object's pointer, so no such object can share this address (a
		// stale retired record there is not believed: lookupStateTyped).
		obj = reflect.New(m.typ)
	}
	ov := obj.Elem()
	// The row itself becomes the snapshot when every value is already in
	// the form the field gives back (the usual case): no copy.
	snap := row[:len(m.fields):len(m.fields)]
	copied := false
	for _, f := range m.fields {
		fv := ov.FieldByIndex(f.index)
		if err := setValue(fv, f.conv, f.elem, row[f.pos]); err != nil {
			return nil, &QueryError{Model: m.Name, Reason: "column " + f.col.Name + " into field " + f.field, Err: err}
		}
		if !canonicalValue(fv, f.conv, f.elem, row[f.pos]) {
			if !copied {
				snap = append([]any(nil), snap...)
				copied = true
			}
			snap[f.pos] = snapValue(fv, f.conv, f.elem)
		}
	}
	addr := obj.Pointer()
	if st == nil {
		st = &instanceState{m: m, addr: addr}
	}
	st.m, st.ptr, st.session = m, obj.UnsafePointer(), s
	st.status, st.key, st.hasKey, st.snap, st.expired = Persistent, key, true, snap, false
	s.track(st)
	s.joined(st)
	s.identity[key] = st
	return st, nil
}

// populate refreshes st from a row. Without overwrite, fields the program
// changed since the snapshot keep their values.
func (s *Session) populate(st *instanceState, row []any, overwrite bool) error {
	m := st.m
	v := st.value()
	// Snapshots are shared with transaction frames: never write into one.
	if st.snap != nil {
		st.snap = append([]any(nil), st.snap...)
	}
	for _, f := range m.fields {
		fv := v.FieldByIndex(f.index)
		if !overwrite && st.snap != nil && !equalValues(getValue(fv, f.conv, f.elem), st.snap[f.pos]) {
			// keep the program's change; the new snapshot still sees it
			var tmp = reflect.New(fv.Type()).Elem()
			if err := setValue(tmp, f.conv, f.elem, row[f.pos]); err != nil {
				return &QueryError{Model: m.Name, Reason: "column " + f.col.Name + " into field " + f.field, Err: err}
			}
			st.snap[f.pos] = snapValue(tmp, f.conv, f.elem)
			continue
		}
		if err := setValue(fv, f.conv, f.elem, row[f.pos]); err != nil {
			return &QueryError{Model: m.Name, Reason: "column " + f.col.Name + " into field " + f.field, Err: err}
		}
		if st.snap == nil {
			st.snap = make([]any, len(m.fields))
		}
		st.snap[f.pos] = snapValue(fv, f.conv, f.elem)
	}
	st.expired = false
	return nil
}
