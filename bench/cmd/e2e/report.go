package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
)

// Phase is what one phase cost.
type Phase struct {
	Seconds  float64 `json:"seconds"`
	PeakHeap uint64  `json:"peakHeapBytes"` // /memory/classes/heap/objects:bytes, sampled every 100 ms
	PeakRSS  uint64  `json:"peakRSSBytes"`  // VmHWM, reset at the phase start
	// PeakAnon is the highest RssAnon sampled: RSS without mapped files
	// (the state file bbolt maps), the process's own memory.
	PeakAnon uint64  `json:"peakRSSAnonBytes"`
	CPU      float64 `json:"cpuSeconds"` // this process, user + system
	Neo4jCPU float64 `json:"neo4jCPUSeconds"`
	// LoadAvg is the machine's 1-minute load average at the start and end.
	LoadAvg [2]float64 `json:"loadAvg"`
}

// Baseline is the seed's way of writing, measured on a slice of the file:
// one transaction per node and per relationship.
type Baseline struct {
	Rows          int64   `json:"rows"` // rows of the slice (read, rejects included)
	Bytes         int64   `json:"bytes"`
	Nodes         int64   `json:"nodes"`
	Relationships int64   `json:"relationships"`
	NodeSeconds   float64 `json:"nodeSeconds"`
	RelSeconds    float64 `json:"relSeconds"`
	Transactions  int64   `json:"transactions"` // started on the database, -1 unknown
	Differences   int     `json:"differences"`  // graphwrite.Verify of the slice
	Phase         Phase   `json:"phase"`
}

// Seconds is the baseline's write time.
func (b Baseline) Seconds() float64 { return b.NodeSeconds + b.RelSeconds }

// RowsPerSec is the baseline's measured throughput.
func (b Baseline) RowsPerSec() float64 { return div(float64(b.Rows), b.Seconds()) }

// Result is everything one end-to-end run measured.
type Result struct {
	Machine       Machine          `json:"machine"`
	Rows          int64            `json:"rows"` // generated, rejects included
	Bytes         int64            `json:"bytes"`
	Staged        int64            `json:"staged"`
	Rejected      int64            `json:"rejected"`
	Nodes         int64            `json:"nodes"`
	Relationships int64            `json:"relationships"`
	Mode          string           `json:"mode"`
	Workers       int              `json:"workers"`
	BatchSize     int              `json:"batchSize"`
	Generate      Phase            `json:"generate"`
	Stage         Phase            `json:"stage"`
	Clear         Phase            `json:"clear"`
	Load          Phase            `json:"load"`
	NodeSeconds   float64          `json:"nodeSeconds"` // of Load: until the last node was written
	Batches       int64            `json:"batches"`
	Transactions  int64            `json:"transactions"` // started during Load, -1 unknown
	Retries       map[string]int64 `json:"retries"`
	Verify        Phase            `json:"verify"`
	ClearLoaded   Phase            `json:"clearLoaded"`  // "wipe": clear-database of the loaded graph
	ClearRetries  int64            `json:"clearRetries"` // its batches retried after a deadlock
	VerifyTx      int64            `json:"verifyTransactions"`
	Differences   int              `json:"differences"`
	Buckets       []BucketRate     `json:"buckets"` // the load, bucket by bucket
	Baseline      *Baseline        `json:"baseline,omitempty"`
	Offline       *Offline         `json:"offline,omitempty"`
	Report        *ReportPhase     `json:"report,omitempty"`
	staged        map[string]int64 // entities staged by label and type
}

// RelSeconds is the part of the load after the last node.
func (r Result) RelSeconds() float64 { return r.Load.Seconds - r.NodeSeconds }

// RowsPerSec is the end-to-end throughput: rows over stage + load.
func (r Result) RowsPerSec() float64 { return div(float64(r.Rows), r.Stage.Seconds+r.Load.Seconds) }

// NodesPerSec and RelsPerSec are the rates of the two halves of the load.
func (r Result) NodesPerSec() float64 { return div(float64(r.Nodes), r.NodeSeconds) }
func (r Result) RelsPerSec() float64  { return div(float64(r.Relationships), r.RelSeconds()) }

// SpeedUp is the importer's rows/s over the baseline's (0 without one).
func (r Result) SpeedUp() float64 {
	if r.Baseline == nil {
		return 0
	}
	return div(r.RowsPerSec(), r.Baseline.RowsPerSec())
}

// MarshalJSON adds the derived figures.
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	out := struct {
		plain
		RowsPerSec  float64 `json:"rowsPerSec"`
		NodesPerSec float64 `json:"nodesPerSec"`
		RelsPerSec  float64 `json:"relsPerSec"`
		RelSeconds  float64 `json:"relSeconds"`
		SpeedUp     float64 `json:"speedUp,omitempty"`
		BaselineRPS float64 `json:"baselineRowsPerSec,omitempty"`
		BaselineExt float64 `json:"baselineSecondsExtrapolated,omitempty"`
	}{plain: plain(r), RowsPerSec: round(r.RowsPerSec(), 1), NodesPerSec: round(r.NodesPerSec(), 1),
		RelsPerSec: round(r.RelsPerSec(), 1), RelSeconds: round(r.RelSeconds(), 3), SpeedUp: round(r.SpeedUp(), 1)}
	if b := r.Baseline; b != nil {
		out.BaselineRPS = round(b.RowsPerSec(), 2)
		out.BaselineExt = round(div(float64(r.Rows), b.RowsPerSec()), 0)
	}
	return json.Marshal(out)
}

// table renders the result as one markdown table, the seed's baseline
// first, followed by the machine and the figures behind the table.
func table(r Result) string {
	var b strings.Builder
	b.WriteString("| run | rows | input | stage s | load s | rows/s (stage+load) | nodes/s | rels/s | Neo4j transactions | peak Go heap stage / load | peak RSS stage / load | speed-up |\n")
	b.WriteString("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	if bl := r.Baseline; bl != nil {
		rps := bl.RowsPerSec()
		ext := div(float64(r.Rows), rps)
		tx := "–"
		if bl.Transactions >= 0 {
			tx = "≈ " + count(int64(math.Round(float64(bl.Transactions)*float64(r.Rows)/float64(bl.Rows))))
		}
		fmt.Fprintf(&b, "| seed's way: 1 transaction per entity (measured on the first %s rows, extrapolated) | %s | %s | – | %s (%s) | %s | %s | %s | %s | – / %s | – / %s | 1× |\n",
			count(bl.Rows), count(r.Rows), mb(r.Bytes), secs(ext), hours(ext), rate(rps),
			rate(div(float64(bl.Nodes), bl.NodeSeconds)), rate(div(float64(bl.Relationships), bl.RelSeconds)),
			tx, mib(bl.Phase.PeakHeap), mib(bl.Phase.PeakRSS))
	}
	tx := count(r.Batches) + " batches"
	if r.Transactions >= 0 {
		tx = count(r.Transactions) + " (" + tx + ")"
	}
	speed := "–"
	if s := r.SpeedUp(); s > 0 {
		speed = strconv.FormatFloat(round(s, 0), 'f', -1, 64) + "×"
	}
	nodeRate, relRate := rate(r.NodesPerSec()), rate(r.RelsPerSec())
	if r.Mode == "create" {
		nodeRate, relRate = "–", "–" // written together, learner by learner
	}
	fmt.Fprintf(&b, "| importer: stage, then load (%s, %d workers × %s) | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s | %s / %s | %s |\n",
		r.Mode, r.Workers, count(int64(r.BatchSize)), count(r.Rows), mb(r.Bytes), secs(r.Stage.Seconds), secs(r.Load.Seconds),
		rate(r.RowsPerSec()), nodeRate, relRate, tx,
		mib(r.Stage.PeakHeap), mib(r.Load.PeakHeap), mib(r.Stage.PeakRSS), mib(r.Load.PeakRSS), speed)
	b.WriteString("\n")
	fmt.Fprintf(&b, "Machine: %s.\n", r.Machine)
	fmt.Fprintf(&b, "Graph: %s rows read, %s staged, %s rejected; %s nodes and %s relationships (%s entities).\n",
		count(r.Rows), count(r.Staged), count(r.Rejected), count(r.Nodes), count(r.Relationships), count(r.Nodes+r.Relationships))
	if r.Mode == "create" {
		fmt.Fprintf(&b, "Load: learners with their state nodes and relationships written together (nodes/s and rels/s do not apply); %s; verify: %s in %s s.\n",
			retries(r.Retries), differences(r.Differences), secs(r.Verify.Seconds))
	} else {
		fmt.Fprintf(&b, "Load: nodes in %s s, relationships in %s s; %s; verify: %s in %s s.\n",
			secs(r.NodeSeconds), secs(r.RelSeconds()), retries(r.Retries), differences(r.Differences), secs(r.Verify.Seconds))
	}
	entities := float64(r.Nodes + r.Relationships)
	fmt.Fprintf(&b, "CPU cost: stage %s µs of importer CPU per row; load %s µs of Neo4j CPU and %s µs of importer CPU per entity.\n",
		micros(r.Stage.CPU, float64(r.Rows)), micros(r.Load.Neo4jCPU, entities), micros(r.Load.CPU, entities))
	for _, p := range []struct {
		name string
		ph   Phase
	}{{"generate", r.Generate}, {"stage", r.Stage}, {"clear", r.Clear}, {"load", r.Load}, {"verify", r.Verify}, {"wipe", r.ClearLoaded}} {
		fmt.Fprintf(&b, "- %-8s %8s s  importer CPU %s cores, Neo4j CPU %s cores, load average %.1f → %.1f, peak RSS without mapped files %s\n",
			p.name, secs(p.ph.Seconds), cores(p.ph.CPU, p.ph.Seconds), cores(p.ph.Neo4jCPU, p.ph.Seconds), p.ph.LoadAvg[0], p.ph.LoadAvg[1], mib(p.ph.PeakAnon))
	}
	if rp := r.Report; rp != nil {
		fmt.Fprintf(&b, "- report   %8s s  importer CPU %s cores, Neo4j CPU %s cores, load average %.1f → %.1f; %d failed queries; slowest: %s\n",
			secs(rp.Seconds), cores(rp.CPU, rp.Seconds), cores(rp.Neo4jCPU, rp.Seconds), rp.LoadAvg[0], rp.LoadAvg[1], rp.Failed, slowest(rp.Slowest))
	}
	if bl := r.Baseline; bl != nil {
		fmt.Fprintf(&b, "- baseline %8s s  for %s rows (%s, %s nodes, %s relationships, %s), importer CPU %s cores, Neo4j CPU %s cores, load average %.1f → %.1f\n",
			secs(bl.Seconds()), count(bl.Rows), mb(bl.Bytes), count(bl.Nodes), count(bl.Relationships), differences(bl.Differences),
			cores(bl.Phase.CPU, bl.Phase.Seconds), cores(bl.Phase.Neo4jCPU, bl.Phase.Seconds), bl.Phase.LoadAvg[0], bl.Phase.LoadAvg[1])
	}
	return b.String()
}

func retries(m map[string]int64) string {
	var n int64
	var parts []string
	for code, c := range m {
		n += c
		parts = append(parts, fmt.Sprintf("%s×%d", code[strings.LastIndex(code, ".")+1:], c))
	}
	if n == 0 {
		return "no retries"
	}
	sort.Strings(parts)
	return fmt.Sprintf("%d retries (%s)", n, strings.Join(parts, ", "))
}

func differences(n int) string {
	if n == 0 {
		return "no differences"
	}
	return fmt.Sprintf("%d differences", n)
}

func div(a, b float64) float64 {
	if b <= 0 {
		return 0
	}
	return a / b
}

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}

// count formats an integer with thousands separators.
func count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func rate(v float64) string { return count(int64(math.Round(v))) }

func secs(v float64) string {
	if v >= 100 {
		return count(int64(math.Round(v)))
	}
	return strconv.FormatFloat(round(v, 1), 'f', 1, 64)
}

func hours(s float64) string {
	if s >= 3600 {
		return strconv.FormatFloat(round(s/3600, 1), 'f', 1, 64) + " h"
	}
	return strconv.FormatFloat(round(s/60, 1), 'f', 1, 64) + " min"
}

func mb(n int64) string {
	if n >= 1e9 {
		return strconv.FormatFloat(round(float64(n)/1e9, 2), 'f', 2, 64) + " GB"
	}
	return strconv.FormatFloat(round(float64(n)/1e6, 1), 'f', 1, 64) + " MB"
}

func mib(n uint64) string {
	if n == 0 {
		return "–"
	}
	return strconv.FormatUint((n+1<<19)>>20, 10) + " MiB"
}

// micros is cpu seconds per n things, in microseconds.
func micros(cpu, n float64) string {
	if cpu <= 0 || n <= 0 {
		return "–"
	}
	return strconv.FormatFloat(round(cpu/n*1e6, 1), 'f', 1, 64)
}

func cores(cpu, wall float64) string {
	if cpu <= 0 {
		return "–"
	}
	return strconv.FormatFloat(round(div(cpu, wall), 2), 'f', 2, 64)
}

// writeJSON writes v, indented, to path.
func writeJSON(path string, v any) error {
	raw, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	if err := os.WriteFile(path, append(raw, '\n'), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
