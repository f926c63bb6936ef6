package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Machine describes where the benchmark ran.
type Machine struct {
	Cores    int    `json:"cores"`
	MemBytes uint64 `json:"memBytes"`
	CPU      string `json:"cpu"`
	Kernel   string `json:"kernel"`
	Go       string `json:"go"`
	Neo4j    string `json:"neo4j"`
}

func (m Machine) String() string {
	s := fmt.Sprintf("%d cores (%s), %.1f GiB memory, Linux %s, %s", m.Cores, m.CPU, float64(m.MemBytes)/(1<<30), m.Kernel, m.Go)
	if m.Neo4j != "" {
		s += ", Neo4j " + m.Neo4j + " on the same machine"
	}
	return s
}

func machine() Machine {
	m := Machine{Cores: runtime.NumCPU(), Go: runtime.Version()}
	if kb, ok := procField("/proc/meminfo", "MemTotal:"); ok {
		m.MemBytes = kb << 10
	}
	if raw, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(raw)) {
			if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "model name" {
				m.CPU = strings.TrimSpace(value)
				break
			}
		}
	}
	if raw, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(raw))
	}
	return m
}

// procField reads a "Name: value kB" line of a /proc file such as
// /proc/meminfo or /proc/self/status.
func procField(path, name string) (uint64, bool) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	return statusField(raw, name)
}

// statusField finds a "Name: value kB" line in the text of a /proc file.
func statusField(raw []byte, name string) (uint64, bool) {
	for line := range strings.Lines(string(raw)) {
		if rest, ok := strings.CutPrefix(line, name); ok {
			f := strings.Fields(rest)
			if len(f) == 0 {
				return 0, false
			}
			n, err := strconv.ParseUint(f[0], 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

func loadAvg() float64 {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(raw))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat's times: 100 on every
// Linux this runs on (getconf CLK_TCK).
const clockTicks = 100

// procCPU returns the user + system CPU seconds of process pid so far.
func procCPU(pid int) (float64, bool) {
	if pid <= 0 {
		return 0, false
	}
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The command name, in parentheses, may hold spaces: count fields
	// after its closing parenthesis. utime and stime are fields 14 and 15.
	i := bytes.LastIndexByte(raw, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(raw[i+1:]))
	if len(f) < 13 {
		return 0, false
	}
	u, err1 := strconv.ParseUint(f[11], 10, 64)
	s, err2 := strconv.ParseUint(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return float64(u+s) / clockTicks, true
}

func selfCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// neo4jPID finds the local Neo4j's process: the flag's value, else the pid
// file `make neo4j-up` writes ($NEO4J_HOME_DIR/neo4j.pid, default
// .neo4j/neo4j.pid). 0 means unknown: Neo4j's CPU is then not reported.
func neo4jPID(flagPID int) int {
	if flagPID > 0 {
		return flagPID
	}
	home := os.Getenv("NEO4J_HOME_DIR")
	if home == "" {
		home = ".neo4j"
	}
	raw, err := os.ReadFile(filepath.Join(home, "neo4j.pid"))
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(raw)))
	if _, ok := procCPU(pid); err != nil || !ok {
		return 0
	}
	return pid
}

// meter measures one phase: wall time, CPU of this process and of Neo4j,
// the Go heap (sampled every 100 ms) and the peak RSS.
type meter struct {
	start    time.Time
	cpu0     float64
	neoPID   int
	neo0     float64
	load0    float64
	hwmReset bool
	stop     chan struct{}
	wg       sync.WaitGroup
	peakHeap uint64 // written by the sampler until stop
	peakRSS  uint64 // sampled VmRSS, for when VmHWM cannot be reset
	peakAnon uint64 // sampled RssAnon
}

const heapMetric = "/memory/classes/heap/objects:bytes"

func startMeter(neoPID int) *meter {
	// Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+),
	// so each phase reports its own peak.
	reset := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	m := &meter{start: time.Now(), cpu0: selfCPU(), neoPID: neoPID, load0: loadAvg(), hwmReset: reset, stop: make(chan struct{})}
	m.neo0, _ = procCPU(neoPID)
	s := []metrics.Sample{{Name: heapMetric}}
	m.sample(s)
	m.wg.Go(func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-m.stop:
				m.sample(s)
				return
			case <-t.C:
				m.sample(s)
			}
		}
	})
	return m
}

func (m *meter) sample(s []metrics.Sample) {
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 {
		m.peakHeap = max(m.peakHeap, s[0].Value.Uint64())
	}
	raw, _ := os.ReadFile("/proc/self/status")
	if kb, ok := statusField(raw, "VmRSS:"); ok {
		m.peakRSS = max(m.peakRSS, kb<<10)
	}
	if kb, ok := statusField(raw, "RssAnon:"); ok {
		m.peakAnon = max(m.peakAnon, kb<<10)
	}
}

// Stop ends the phase and returns its figures.
func (m *meter) Stop() Phase {
	close(m.stop)
	m.wg.Wait()
	p := Phase{Seconds: time.Since(m.start).Seconds(), PeakHeap: m.peakHeap, PeakRSS: m.peakRSS, PeakAnon: m.peakAnon,
		CPU: selfCPU() - m.cpu0, LoadAvg: [2]float64{m.load0, loadAvg()}}
	if kb, ok := procField("/proc/self/status", "VmHWM:"); ok && m.hwmReset {
		p.PeakRSS = max(p.PeakRSS, kb<<10)
	}
	if neo, ok := procCPU(m.neoPID); ok {
		p.Neo4jCPU = neo - m.neo0
	}
	return p
}

// lockNeo4j takes the lock that graphwritetest.Lock takes for the tests
// that write the shared test database, so that this run and those tests
// never clear or load it at the same time: an exclusive flock on
// $TMPDIR/importer-neo4j-tests.lock, held until unlock. It waits for the
// lock until ctx is done.
func lockNeo4j(ctx context.Context, logf func(string, ...any)) (unlock func(), err error) {
	path := filepath.Join(os.TempDir(), "importer-neo4j-tests.lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return nil, fmt.Errorf("lock neo4j: %w", err)
	}
	fd := int(f.Fd())
	if err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB); err == nil {
		return func() { f.Close() }, nil
	}
	logf("waiting for %s (tests are using the database)", path)
	// Wait in the kernel, queued like the tests' own Lock, not by polling,
	// which a test binary taking the lock test after test would starve.
	got := make(chan error, 1)
	go func() { got <- syscall.Flock(fd, syscall.LOCK_EX) }()
	select {
	case err := <-got:
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock neo4j: %w", err)
		}
		return func() { f.Close() }, nil
	case <-ctx.Done():
		go func() { <-got; f.Close() }() // release it if it comes after all
		return nil, ctx.Err()
	}
}

// waitReady waits, for up to five minutes, until Neo4j answers a query:
// other tests restart the shared Neo4j (graphwrite's restart test), and
// the lock may come free while it is still starting.
func waitReady(ctx context.Context, ping func(context.Context) error, logf func(string, ...any)) error {
	deadline := time.Now().Add(5 * time.Minute)
	for logged := false; ; logged = true {
		err := ping(ctx)
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("wait for neo4j: %w", err)
		}
		if !logged {
			logf("waiting for Neo4j to answer: %v", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(2 * time.Second):
		}
	}
}

// writeFile creates path with what write writes, buffered.
func writeFile(path string, write func(*bufio.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	w := bufio.NewWriter(f)
	err = write(w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close %s: %w", path, cerr)
	}
	return err
}
