package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/learnergraph/importer/checkpoint"
)

// TestPassOf checks the throughput of a pass resumed once: the runs laid
// end to end (the pause between them is not working time), every sample's
// count spread over the time since the one before.
func TestPassOf(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	samples := []checkpoint.Sample{
		{At: at(0), Start: true}, {At: at(1), Rows: 100}, {At: at(2), Rows: 100, Retries: 2},
		{At: at(3600), Start: true}, {At: at(3601), Rows: 300},
	}
	got := passOf(samples, "rows")
	want := &Pass{Unit: "rows", Count: 500, Seconds: 3, Runs: 2, Batches: 3, Retries: 2, Window: 1,
		Points: []Point{{T: 1, Count: 100, Rate: 100}, {T: 2, Count: 100, Rate: 100}, {T: 3, Count: 300, Rate: 300}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pass (-want +got):\n%s", diff)
	}
	if p := passOf(nil, "rows"); p != nil {
		t.Errorf("pass of no samples: %+v, want nil", p)
	}
	// One sample over 10 s (an offline load): spread evenly.
	got = passOf([]checkpoint.Sample{{At: at(0), Start: true}, {At: at(10), Nodes: 40, Relationships: 60}}, "entities")
	for _, p := range got.Points {
		if p.Rate != 10 || p.Count != 10 {
			t.Errorf("offline load point %+v, want 10 entities/s in every 1 s bin", p)
		}
	}
}

func TestReasonKind(t *testing.T) {
	for in, want := range map[string]string{
		"wrong number of fields: 3, the header has 18":              "wrong number of fields: N, the header has N",
		`birthYear: "19x0" is not an integer`:                       "birthYear: … is not an integer",
		`skills[2]: missing required field "id"`:                    "skills[N]: missing required field …",
		"skills: malformed JSON: invalid character 'x' at offset 4": "skills: malformed JSON: invalid character … at offset N",
		"missing sandId": "missing sandId",
	} {
		if got := reasonKind(in); got != want {
			t.Errorf("reasonKind(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestComponentRows checks the grouping of components by shape: hubs from
// the union-find, learners from the final count, learners without hubs
// each alone.
func TestComponentRows(t *testing.T) {
	uf := unionFind{0, 1, 2, 3}
	uf.union(0, 2)
	uf.union(2, 1) // {0,1,2}, {3}
	rows := [][]any{{int64(0), int64(7)}, {nil, int64(4)}}
	want := [][]any{{int64(7), int64(3), int64(1)}, {int64(1), int64(0), int64(4)}, {int64(0), int64(1), int64(1)}}
	if diff := cmp.Diff(want, componentRows(uf, rows)); diff != "" {
		t.Errorf("component rows (-want +got):\n%s", diff)
	}
}

func TestDegreeBins(t *testing.T) {
	got := degreeBins([][]any{{"A", int64(0), int64(5)}, {"A", int64(2), int64(1)}, {"A", int64(3), int64(2)}, {"B", int64(1), int64(9)}})
	want := []Bin{{"A", 0, 0, 5}, {"A", 2, 3, 3}, {"B", 1, 1, 9}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("bins (-want +got):\n%s", diff)
	}
}

// TestPage checks that the page holds no script and nothing fetched, that
// labels are escaped, and that every section and failure shows.
func TestPage(t *testing.T) {
	var b bytes.Buffer
	if err := WriteHTML(&b, fixture()); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{"Brazil &lt;b&gt;", "The graph and the state file disagree", "This query failed: the transaction timed out",
		"Left out: x", "<details>", "14.4 rows/s", `id="shape"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, banned := range []string{"<script", "ZgotmplZ", "https://", "url("} {
		if strings.Contains(page, banned) {
			t.Errorf("page holds %q", banned)
		}
	}
}
