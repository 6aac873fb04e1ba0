package pool

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeServer stands in for a database: it counts open connections and can
// refuse connects or drop every connection, like a restarted server.
type fakeServer struct {
	mu        sync.Mutex
	open      int
	peak      int
	dials     int
	failDials int // refuse this many next connects
	conns     []*fakeConn
	latency   time.Duration
	clock     Clock
}

type fakeConn struct {
	s         *fakeServer
	n         int
	closed    bool
	dead      bool
	rollbacks int
	commits   int
}

var errRefused = errors.New("connection refused")

func (s *fakeServer) dial(ctx context.Context) (io.Closer, error) {
	if s.latency > 0 {
		s.clock.Sleep(s.latency)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failDials > 0 {
		s.failDials--
		return nil, errRefused
	}
	s.dials++
	s.open++
	if s.open > s.peak {
		s.peak = s.open
	}
	c := &fakeConn{s: s, n: s.dials}
	s.conns = append(s.conns, c)
	return c, nil
}

func (c *fakeConn) Close() error {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	if c.closed {
		return errors.New("double close")
	}
	c.closed = true
	c.s.open--
	return nil
}

// dropAll simulates the server going away: every open connection is dead.
func (s *fakeServer) dropAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		c.dead = true
	}
}

func (s *fakeServer) counts() (open, peak, dials int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.open, s.peak, s.dials
}

func ping(ctx context.Context, raw io.Closer) error {
	c := raw.(*fakeConn)
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	if c.dead || c.closed {
		return fmt.Errorf("server closed the connection unexpectedly: %w", ErrDisconnect)
	}
	return nil
}

func reset(ctx context.Context, raw io.Closer, mode ResetMode) error {
	c := raw.(*fakeConn)
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	if c.dead {
		return errors.New("rollback on a dead connection")
	}
	if mode == ResetCommit {
		c.commits++
	} else {
		c.rollbacks++
	}
	return nil
}

// recorder collects a pool's events.
type recorder struct {
	mu     sync.Mutex
	events []Event
}

func (r *recorder) add(e Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

func (r *recorder) lines() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		out = append(out, fmtEvent(e))
	}
	return out
}

func (r *recorder) kinds(kind string) []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Event
	for _, e := range r.events {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

func fmtEvent(e Event) string {
	s := fmt.Sprintf("%s %s #%d out=%d ov=%d idle=%d", e.At, e.Kind, e.Conn, e.CheckedOut, e.Overflow, e.Idle)
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

// setup returns a virtual clock, a fake server on it, and a config on it
// with a recorder attached.
func setup(size, overflow int) (*VirtualClock, *fakeServer, Config, *recorder) {
	vc := NewVirtualClock()
	srv := &fakeServer{clock: vc}
	rec := &recorder{}
	cfg := DefaultConfig()
	cfg.Size, cfg.MaxOverflow = size, overflow
	cfg.Clock = vc
	cfg.Listener = rec.add
	cfg.Ping = ping
	cfg.Reset = reset
	return vc, srv, cfg, rec
}

func mustQueue(t *testing.T, srv *fakeServer, cfg Config) *QueuePool {
	t.Helper()
	p, err := NewQueuePool(srv.dial, cfg)
	if err != nil {
		t.Fatalf("NewQueuePool: %v", err)
	}
	return p
}

func mustGet(t *testing.T, p Pool) *Conn {
	t.Helper()
	c, err := p.Get(context.Background())
	if err != nil {
		t.Fatalf("Get: %v (%s)", err, p.Status())
	}
	return c
}

func wantStatus(t *testing.T, p Pool, want string) {
	t.Helper()
	if got := p.Status(); got != want {
		t.Fatalf("Status()\n got: %s\nwant: %s", got, want)
	}
}

func ids(cs ...*Conn) string {
	var s []string
	for _, c := range cs {
		s = append(s, fmt.Sprint(c.ID()))
	}
	return strings.Join(s, ",")
}
