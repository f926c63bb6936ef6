package graphwritetest

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// Bolt message signatures the proxy looks at (client to server).
const (
	sigRun      = 0x10
	sigBegin    = 0x11
	sigCommit   = 0x12
	sigRollback = 0x13
	sigReset    = 0x0F
)

// readMode is how BEGIN's extra map says "mode": "r" in PackStream: a
// transaction without it is a write transaction.
var readMode = []byte{0x84, 'm', 'o', 'd', 'e', 0x81, 'r'}

// Fault is what a Proxy does to a connection when its Plan fires.
type Fault int

const (
	// CutMidBatch forwards a RUN of a write transaction that the plan's
	// Query accepts, then resets the connection at once: the statement
	// is in flight and Neo4j rolls the transaction back.
	CutMidBatch Fault = iota + 1
	// CutBeforeCommit resets the connection instead of forwarding a write
	// transaction's COMMIT: Neo4j never commits.
	CutBeforeCommit
	// CutAfterCommit forwards a write transaction's COMMIT, waits for
	// Neo4j's answer and resets the connection instead of passing it on:
	// Neo4j committed and the client never hears (the unknown outcome).
	CutAfterCommit
	// Spike holds a write transaction's COMMIT for the plan's Spike
	// before forwarding it.
	Spike
	// Stall never forwards a write transaction's COMMIT, nor anything
	// after it on that connection, and keeps the connection open until
	// the client closes it: a Neo4j that stopped answering, or a hung
	// network. Neo4j never commits; it rolls back when the proxy then
	// closes its side.
	Stall
)

func (f Fault) String() string {
	switch f {
	case CutMidBatch:
		return "cut mid-batch"
	case CutBeforeCommit:
		return "cut before COMMIT"
	case CutAfterCommit:
		return "cut after COMMIT"
	case Spike:
		return "latency spike"
	case Stall:
		return "stall"
	}
	return "no fault"
}

// Plan says when a Proxy injects its fault: at every Every-th matching
// message (1: each), at most Times times.
type Plan struct {
	Fault Fault
	Every int
	Times int
	// Spike is how long Spike holds a COMMIT.
	Spike time.Duration
	// Query selects the RUN messages CutMidBatch counts, by their Cypher;
	// nil counts every RUN of a write transaction.
	Query func(cypher string) bool
}

// Proxy is a TCP proxy on the loopback address between a Bolt client and
// Neo4j that parses the client's Bolt messages and injects faults exactly
// where a Plan says. Use it with a bolt:// URI: through neo4j:// the
// driver would learn Neo4j's own address from the routing table and go
// around the proxy.
type Proxy struct {
	t      testing.TB
	ln     net.Listener
	target string

	mu    sync.Mutex
	plan  Plan
	seen  int
	fired int
	links map[*link]struct{}
	wg    sync.WaitGroup
}

// NewProxy starts a proxy to target (host:port) on 127.0.0.1, closed
// when the test ends.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("proxy: %v", err)
	}
	p := &Proxy{t: t, ln: ln, target: target, links: map[*link]struct{}{}}
	p.wg.Go(p.accept)
	t.Cleanup(p.close)
	return p
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Arm replaces the plan and resets the counts.
func (p *Proxy) Arm(plan Plan) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if plan.Every < 1 {
		plan.Every = 1
	}
	p.plan, p.seen, p.fired = plan, 0, 0
}

// Fired is how many times the armed fault was injected.
func (p *Proxy) Fired() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.fired
}

func (p *Proxy) close() {
	p.ln.Close()
	p.mu.Lock()
	for l := range p.links {
		l.cut()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

func (p *Proxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			p.t.Logf("proxy: dial %s: %v", p.target, err)
			c.Close()
			continue
		}
		l := &link{p: p, client: c.(*net.TCPConn), server: s.(*net.TCPConn), manifest: make(chan bool, 1)}
		p.mu.Lock()
		p.links[l] = struct{}{}
		p.mu.Unlock()
		p.wg.Go(l.up)
		p.wg.Go(l.down)
	}
}

// event is a message a fault can be injected on.
type event int

const (
	evNone        event = iota
	evWriteRun          // a RUN in a write transaction
	evWriteCommit       // the COMMIT of a write transaction
)

// decide counts a message against the plan and says whether to inject
// the fault on it.
func (p *Proxy) decide(ev event, cypher string) (Plan, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pl := p.plan
	var match bool
	switch pl.Fault {
	case CutMidBatch:
		match = ev == evWriteRun && (pl.Query == nil || pl.Query(cypher))
	case CutBeforeCommit, CutAfterCommit, Spike, Stall:
		match = ev == evWriteCommit
	}
	if !match || p.fired >= pl.Times {
		return pl, false
	}
	p.seen++
	if p.seen%pl.Every != 0 {
		return pl, false
	}
	p.fired++
	return pl, true
}

// link is one proxied connection.
type link struct {
	p              *Proxy
	client, server *net.TCPConn
	manifest       chan bool // the server chose manifest negotiation

	mu        sync.Mutex
	dropReply bool // cut when the server next sends anything
	stalled   bool // swallow everything the client sends
	closed    bool
	inTx      bool // between BEGIN and COMMIT, ROLLBACK or RESET
	writeTx   bool // that transaction is not read-only
}

// cut resets both connections (RST, not FIN) once.
func (l *link) cut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return
	}
	l.closed = true
	for _, c := range []*net.TCPConn{l.client, l.server} {
		c.SetLinger(0)
		c.Close()
	}
}

func (l *link) forget() {
	l.cut()
	l.p.mu.Lock()
	delete(l.p.links, l)
	l.p.mu.Unlock()
}

// up copies client to server message by message, injecting faults.
func (l *link) up() {
	defer l.forget()
	r := bufio.NewReaderSize(l.client, 64<<10)
	if err := l.handshake(r); err != nil {
		return
	}
	for {
		raw, data, err := readMessage(r)
		if err != nil {
			return
		}
		if !l.forward(raw, data) {
			return
		}
	}
}

// handshake forwards the magic and version proposals, and the client's
// choice when the server asks for manifest negotiation (Bolt 5.7+).
func (l *link) handshake(r *bufio.Reader) error {
	if err := l.copyN(r, 20); err != nil {
		return err
	}
	if !<-l.manifest {
		return nil
	}
	if err := l.copyN(r, 4); err != nil {
		return err
	}
	for { // the capabilities, a base-128 varint
		b, err := r.ReadByte()
		if err != nil {
			return err
		}
		if _, err := l.server.Write([]byte{b}); err != nil {
			return err
		}
		if b&0x80 == 0 {
			return nil
		}
	}
}

func (l *link) copyN(r io.Reader, n int64) error {
	_, err := io.CopyN(l.server, r, n)
	return err
}

// forward passes one message on, or injects the plan's fault. It reports
// whether the link lives on.
func (l *link) forward(raw, data []byte) bool {
	l.mu.Lock()
	stalled := l.stalled
	l.mu.Unlock()
	if stalled {
		return true
	}
	sig := -1
	if len(data) >= 2 {
		sig = int(data[1])
	}
	ev, cypher := l.track(sig, data)
	pl, fire := Plan{}, false
	if ev != evNone {
		pl, fire = l.p.decide(ev, cypher)
	}
	switch {
	case fire && pl.Fault == CutBeforeCommit:
		l.p.t.Logf("proxy: %s", pl.Fault)
		return false
	case fire && pl.Fault == CutAfterCommit:
		l.mu.Lock()
		l.dropReply = true
		l.mu.Unlock()
	case fire && pl.Fault == Spike:
		time.Sleep(pl.Spike)
	case fire && pl.Fault == Stall:
		l.p.t.Logf("proxy: %s (a COMMIT that is never answered)", pl.Fault)
		l.mu.Lock()
		l.stalled = true
		l.mu.Unlock()
		return true
	}
	if _, err := l.server.Write(raw); err != nil {
		return false
	}
	if fire && pl.Fault == CutMidBatch {
		l.p.t.Logf("proxy: %s", pl.Fault)
		return false
	}
	return true
}

// track follows the connection's transaction state through message sig
// and returns the event this message is, with the Cypher of a RUN.
func (l *link) track(sig int, data []byte) (event, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch sig {
	case sigBegin:
		l.inTx, l.writeTx = true, !bytes.Contains(data, readMode)
	case sigRun:
		if l.inTx && l.writeTx {
			return evWriteRun, runQuery(data)
		}
	case sigCommit:
		write := l.inTx && l.writeTx
		l.inTx = false
		if write {
			return evWriteCommit, ""
		}
	case sigRollback, sigReset:
		l.inTx = false
	}
	return evNone, ""
}

// down copies server to client, and cuts the link instead when a COMMIT
// it forwarded is being answered.
func (l *link) down() {
	defer l.forget()
	var hello [4]byte
	if _, err := io.ReadFull(l.server, hello[:]); err != nil {
		close(l.manifest)
		return
	}
	l.manifest <- hello == [4]byte{0, 0, 1, 0xFF}
	if _, err := l.client.Write(hello[:]); err != nil {
		return
	}
	buf := make([]byte, 64<<10)
	for {
		n, err := l.server.Read(buf)
		if n > 0 {
			l.mu.Lock()
			drop := l.dropReply
			l.mu.Unlock()
			if drop {
				l.p.t.Logf("proxy: %s (Neo4j answered it; the client never hears)", CutAfterCommit)
				return
			}
			if _, err := l.client.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// readMessage reads one chunked Bolt message: raw is what came over the
// wire (chunk headers and the end marker included), data the message
// itself. A lone end marker (a NOOP) is a message without data.
func readMessage(r *bufio.Reader) (raw, data []byte, err error) {
	var hdr [2]byte
	for {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return nil, nil, err
		}
		raw = append(raw, hdr[:]...)
		n := int(binary.BigEndian.Uint16(hdr[:]))
		if n == 0 {
			return raw, data, nil
		}
		start := len(raw)
		raw = append(raw, make([]byte, n)...)
		if _, err := io.ReadFull(r, raw[start:]); err != nil {
			return nil, nil, err
		}
		data = append(data, raw[start:]...)
	}
}

// runQuery extracts the Cypher text of a RUN message (a PackStream
// struct whose first field is the query string); "" if it cannot.
func runQuery(data []byte) string {
	if len(data) < 3 {
		return ""
	}
	b, rest := data[2], data[3:]
	var n int
	switch {
	case b >= 0x80 && b <= 0x8F:
		n = int(b - 0x80)
	case b == 0xD0 && len(rest) >= 1:
		n, rest = int(rest[0]), rest[1:]
	case b == 0xD1 && len(rest) >= 2:
		n, rest = int(binary.BigEndian.Uint16(rest)), rest[2:]
	case b == 0xD2 && len(rest) >= 4:
		n, rest = int(binary.BigEndian.Uint32(rest)), rest[4:]
	default:
		return ""
	}
	if n > len(rest) {
		return ""
	}
	return string(rest[:n])
}
