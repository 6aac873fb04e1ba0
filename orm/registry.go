package orm

import (
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// The registry: from an object's address to its state. Go gives no place
// on the learner's struct to hang the ORM's bookkeeping (SQLAlchemy's
// obj._sa_instance_state), so the state is found by address.
//
//   - An object in a session is in that session's objs map (its member
//     set). Sessions holding objects are listed in openSessions, so that an
//     object can be found from another session (to refuse adding it twice)
//     and by Inspect. While it is in a session the state holds the object's
//     pointer, so the address cannot be reused by another object.
//   - An object that leaves a session with an identity stays known as
//     "detached" (SQLAlchemy reattaches it on Add; Inspect reports it). Its
//     state is retired: a closing session hands its whole member map over
//     as one generation (no per-object work but setting a filter bit), a
//     single Expunge puts it in the loose generation. A filter of address
//     bits answers "never retired" (the usual case for a new object) without
//     looking in the generations. The oldest generations are dropped once
//     they hold more than retiredMax records: such objects then report
//     transient.
//   - An address can be reused by a new object after the old one is freed,
//     so a retired record is believed only for an object of the same model
//     with the same primary key (lookupStateTyped).
//
// Lock order: regMu before a session's objMu. A session's owner reads its
// own map without locking (it is the only writer) and writes under objMu,
// which other goroutines take to read it.

// leaveEra counts objects leaving a session (the only time a state's ptr
// changes, to nil): relationship shadows taken in an earlier era are
// not trusted (relSlot).
var leaveEra atomic.Uint64

// Records kept in retired generations, trimmed down to retiredKeep
// (newest first) past retiredMax. Variables for the tests.
var (
	retiredMax  = 200000
	retiredKeep = 100000
)

const retiredFilter = 1 << 20 // bits in the address filter

var (
	regMu        sync.RWMutex
	openSessions []*Session // sessions with objects; Session.openIdx (guarded by regMu) is the index
	retired      retiredStore
)

type retiredStore struct {
	gens  []retiredGen // oldest first
	loose retiredGen   // single expunges since the last close
	n     int          // records across gens and loose
	bits  []uint64     // address filter over gens and loose
	// zeroKeys counts records whose key is all zero values (an explicit
	// key 0 or ""): without any, a new object (zero key) needs no look-up
	// here — the freed objects whose addresses new ones reuse all have
	// real keys.
	zeroKeys int
}

// retiredGen is one closed session's member map (or the loose records),
// with the number of its records whose key is all zero values.
type retiredGen struct {
	objs  map[uintptr]*instanceState
	zeros int
}

func filterBit(addr uintptr) (int, uint64) {
	h := uint64(addr>>3) * 0x9E3779B97F4A7C15
	i := h >> (64 - 20) // retiredFilter = 1<<20 bits
	return int(i >> 6), 1 << (i & 63)
}

func (r *retiredStore) mark(addr uintptr) {
	if r.bits == nil {
		r.bits = make([]uint64, retiredFilter/64)
	}
	w, b := filterBit(addr)
	r.bits[w] |= b
}

func (r *retiredStore) maybe(addr uintptr) bool {
	if r.bits == nil {
		return false
	}
	w, b := filterBit(addr)
	return r.bits[w]&b != 0
}

// addGen retires a whole map of states (those with an identity count);
// list holds the same states (a slice walk is cheaper than the map's).
func (r *retiredStore) addGen(g map[uintptr]*instanceState, list []*instanceState) {
	r.closeLoose()
	gen := retiredGen{objs: g}
	n := 0
	for _, st := range list {
		if st.hasKey {
			r.mark(st.addr)
			n++
			if zeroIdent(st.key.v) {
				gen.zeros++
			}
		}
	}
	if n == 0 {
		return
	}
	r.gens = append(r.gens, gen)
	r.n += len(g)
	r.zeroKeys += gen.zeros
	r.trim()
}

// closeLoose makes the loose records a generation of their own.
func (r *retiredStore) closeLoose() {
	if r.loose.objs != nil {
		r.gens = append(r.gens, r.loose)
		r.loose = retiredGen{}
	}
}

func (r *retiredStore) addOne(st *instanceState) {
	if r.loose.objs == nil {
		r.loose.objs = map[uintptr]*instanceState{}
	}
	r.loose.objs[st.addr] = st
	r.mark(st.addr)
	if zeroIdent(st.key.v) {
		r.loose.zeros++
		r.zeroKeys++
	}
	r.n++
	r.trim()
}

// trim drops the oldest generations past retiredMax records and rebuilds
// the filter from what is left (every address: a superset is harmless).
func (r *retiredStore) trim() {
	if r.n <= retiredMax {
		return
	}
	r.closeLoose()
	for len(r.gens) > 0 && r.n > retiredKeep {
		r.n -= len(r.gens[0].objs)
		r.zeroKeys -= r.gens[0].zeros
		r.gens[0] = retiredGen{}
		r.gens = r.gens[1:]
	}
	clear(r.bits)
	for _, g := range r.gens {
		for addr := range g.objs {
			r.mark(addr)
		}
	}
}

// find returns the newest retired record at addr still out of any session.
// zeroKey says the object there has an all-zero key.
func (r *retiredStore) find(addr uintptr, zeroKey bool) *instanceState {
	if (zeroKey && r.zeroKeys == 0) || !r.maybe(addr) {
		return nil
	}
	if st := r.loose.objs[addr]; st != nil && st.ptr == nil && st.hasKey {
		return st
	}
	for i := len(r.gens) - 1; i >= 0; i-- {
		if st := r.gens[i].objs[addr]; st != nil && st.ptr == nil && st.hasKey {
			return st
		}
	}
	return nil
}

// ---- a session's member map ----

// own returns the state of the object at p if it is in s.
func (s *Session) own(p unsafe.Pointer) *instanceState {
	if st := s.objs[uintptr(p)]; st != nil && st.ptr == p {
		return st
	}
	return nil
}

// track puts st (its ptr and session set) in s's member map.
func (s *Session) track(st *instanceState) {
	if len(s.objs) == 0 {
		// openIdx is read under regMu: another session's unregister moves
		// this one in openSessions and writes its index.
		regMu.Lock()
		if s.openIdx < 0 {
			s.openIdx = len(openSessions)
			openSessions = append(openSessions, s)
		}
		regMu.Unlock()
	}
	s.objMu.Lock()
	s.objs[st.addr] = st
	s.objMu.Unlock()
}

// untrackOne takes st out of s's member map; with an identity it is
// retired (detached).
func (s *Session) untrackOne(st *instanceState) {
	regMu.Lock()
	s.objMu.Lock()
	if s.objs[st.addr] == st {
		delete(s.objs, st.addr)
	}
	s.objMu.Unlock()
	if st.hasKey {
		retired.addOne(st)
	}
	if len(s.objs) == 0 {
		s.unregisterLocked()
	}
	regMu.Unlock()
}

// untrackAll empties s's member map (every member, in list, has left),
// retiring it.
func (s *Session) untrackAll(list []*instanceState) {
	regMu.Lock()
	s.objMu.Lock()
	g := s.objs
	s.objs = map[uintptr]*instanceState{}
	s.objMu.Unlock()
	if len(g) > 0 {
		retired.addGen(g, list)
	}
	s.unregisterLocked()
	regMu.Unlock()
}

func (s *Session) unregisterLocked() {
	i := s.openIdx
	if i < 0 || i >= len(openSessions) || openSessions[i] != s {
		return
	}
	last := len(openSessions) - 1
	openSessions[i] = openSessions[last]
	openSessions[i].openIdx = i
	openSessions[last] = nil
	openSessions = openSessions[:last]
	s.openIdx = -1
}

// reserveObjs grows the member map ahead of n more objects.
func (s *Session) reserveObjs(n int) {
	if want := len(s.objs) + n; want > 2*len(s.objs) {
		m := make(map[uintptr]*instanceState, want)
		for k, v := range s.objs {
			m[k] = v
		}
		s.objMu.Lock()
		s.objs = m
		s.objMu.Unlock()
	}
}

// ---- look-ups ----

// lookupState returns the state of the object at p if it is in a session.
func lookupState(p unsafe.Pointer) *instanceState {
	return lookupLive(nil, p)
}

// lookupLive looks in s's map first (without locking: s is the caller's
// own session), then in every other open session's.
func lookupLive(s *Session, p unsafe.Pointer) *instanceState {
	if s != nil {
		if st := s.own(p); st != nil {
			return st
		}
	}
	regMu.RLock()
	defer regMu.RUnlock()
	for _, o := range openSessions {
		if o == s {
			continue
		}
		o.objMu.RLock()
		st := o.objs[uintptr(p)]
		o.objMu.RUnlock()
		if st != nil && st.ptr == p {
			return st
		}
	}
	return nil
}

// lookupStateTyped also finds a detached object's record; rv is a non-nil
// pointer to a struct.
func lookupStateTyped(rv reflect.Value) *instanceState {
	return lookupTypedFrom(nil, rv, nil)
}

// lookupTypedFrom is lookupStateTyped from session s (looked in first),
// for an object of model m (nil if not known).
func lookupTypedFrom(s *Session, rv reflect.Value, m *Mapper) *instanceState {
	p := rv.UnsafePointer()
	if st := lookupLive(s, p); st != nil {
		return st
	}
	zero := m != nil && sameType(rv.Type().Elem(), m) && zeroKeyFields(m, rv.Elem())
	regMu.RLock()
	st := retired.find(uintptr(p), zero)
	regMu.RUnlock()
	if st == nil {
		return nil
	}
	if sameType(rv.Type().Elem(), st.m) && keyOf(st.m, rv.Elem()) == st.key {
		return st
	}
	return nil
}

// sameType: t is m's type, or a structurally identical one (yaegi makes a
// new reflect type for a recursive struct each time it evaluates it).
func sameType(t reflect.Type, m *Mapper) bool {
	if t == m.typ {
		return true
	}
	if t.Kind() != reflect.Struct || t.NumField() != m.typ.NumField() {
		return false
	}
	mapMu.RLock()
	sig, ok := typeSig[t]
	mapMu.RUnlock()
	if !ok {
		sig = structSig(t)
	}
	return sig == m.sig
}

// zeroIdent: a normalized identity value (normIdent's, or a composite
// key's joined parts) whose every part is a zero value, as an object's
// zero key fields would give.
func zeroIdent(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case compositeString:
		for _, part := range strings.Split(strings.TrimSuffix(string(x), "\x00"), "\x00") {
			if !zeroIdentPart(part) {
				return false
			}
		}
		return true
	case string:
		return zeroIdentPart(x)
	}
	return isZeroValue(v)
}

// zeroIdentPart: a key part as text (a composite key's, a string key, a
// time key in RFC 3339) that a zero value gives. Over-counting only turns
// the shortcut off.
func zeroIdentPart(s string) bool {
	return s == "" || s == "0" || s == "false" || s == "<nil>" || s == zeroTimeIdent
}

var zeroTimeIdent = normIdent(time.Time{}).(string)

// zeroKeyFields: every primary-key field of the object v is a zero value.
func zeroKeyFields(m *Mapper, v reflect.Value) bool {
	for _, f := range m.pk {
		if !isZeroValue(getValue(v.FieldByIndex(f.index), f.conv, f.elem)) {
			return false
		}
	}
	return len(m.pk) > 0
}
