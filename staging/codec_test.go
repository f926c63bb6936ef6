package staging

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/learnergraph/importer/checkpoint"
)

var codecOpts = []cmp.Option{cmpopts.EquateEmpty(), cmpopts.EquateNaNs()}

// allTypes holds one property of every documented type, edge values
// included.
func allTypes(t testing.TB) Props {
	return props(
		"s", "naïve, \"quoted\"\n\x00", "empty", "",
		"i", int64(math.MinInt64), "j", int64(math.MaxInt64), "k", int64(0),
		"f", 1.0, "g", -0.5e-300, "inf", math.Inf(-1), "nan", math.NaN(),
		"t", true, "u", false,
		"d", date(t, "2024-02-29"), "old", date(t, "1900-01-01"), "epoch", Date(0),
		"dt", DateTime(math.MinInt64), "dt0", DateTime(0), "dt1", DateTime(1356998400123456789),
		"ss", []string{"a", "", "ü"}, "is", []int64{-1, 0, math.MaxInt64}, "fs", []float64{1.5, -2, math.SmallestNonzeroFloat64},
		"bs", []bool{true, false, true}, "none", []string{}, "noints", []int64{}, "nofloats", []float64{}, "nobools", []bool{},
	)
}

func TestCodecRoundTrip(t *testing.T) {
	for _, p := range []Props{nil, props("id", "x"), allTypes(t)} {
		got, err := decodeNode(encodeNode(p))
		if err != nil {
			t.Fatalf("decodeNode: %v", err)
		}
		if diff := cmp.Diff(p, got, codecOpts...); diff != "" {
			t.Errorf("node (-encoded +decoded):\n%s", diff)
		}
		start, end, got, err := decodeRel(encodeRel("from ü", "", p))
		if err != nil {
			t.Fatalf("decodeRel: %v", err)
		}
		if diff := cmp.Diff(p, got, codecOpts...); diff != "" || start != "from ü" || end != "" {
			t.Errorf("rel %q->%q (-encoded +decoded):\n%s", start, end, diff)
		}
		for _, name := range []string{Learner, HasSkill} {
			got, err := DefaultSchema().decodeProps(name, map[bool][]byte{true: encodeNode(p), false: encodeRel("a", "b", p)}[name == Learner])
			if diff := cmp.Diff(p, got, codecOpts...); diff != "" || err != nil {
				t.Errorf("DefaultSchema().decodeProps(%s): %v (-encoded +decoded):\n%s", name, err, diff)
			}
		}
	}
	rej := Reject{Line: 1 << 40, SandID: "L\xff", Reason: "why", Record: "a,\"b\nc\""}
	got, err := decodeReject(1<<40, encodeReject(rej))
	if diff := cmp.Diff(rej, got); diff != "" || err != nil {
		t.Errorf("reject: %v (-encoded +decoded):\n%s", err, diff)
	}
}

// TestCodecCorrupt: every truncation, a wrong version, trailing bytes and
// an unknown tag are errors, never panics or wrong values.
func TestCodecCorrupt(t *testing.T) {
	full := encodeRel("s", "e", allTypes(t))
	for n := range len(full) {
		if _, _, _, err := decodeRel(full[:n]); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("decodeRel of %d of %d bytes: %v, want ErrCorrupt", n, len(full), err)
		}
	}
	node := encodeNode(props("a", "b"))
	body := node[:len(node)-4] // without its checksum
	sealed := checkpoint.Seal
	bad := map[string][]byte{
		"empty":            {},
		"no checksum":      body,
		"version 2":        sealed(append([]byte{2}, body[1:]...)),
		"trailing bytes":   sealed(append(append([]byte(nil), body...), 0)),
		"unknown tag":      sealed([]byte{recordVersion, 1, 1, 'a', 99}),
		"huge count":       sealed([]byte{recordVersion, 0xff, 0xff, 0xff, 0xff, 0x0f}),
		"huge list":        sealed([]byte{recordVersion, 1, 1, 'a', tagStrings, 0xff, 0xff, 0x7f}),
		"short float":      sealed([]byte{recordVersion, 1, 1, 'a', tagFloat, 1, 2, 3}),
		"bad varint":       sealed([]byte{recordVersion, 1, 1, 'a', tagInt, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}),
		"checksum changed": append(append([]byte(nil), body...), 0, 0, 0, 0),
	}
	for name, b := range bad {
		if _, err := decodeNode(b); !errors.Is(err, ErrCorrupt) || !errors.Is(err, checkpoint.ErrDamaged) {
			t.Errorf("%s: decodeNode(%x) = %v, want ErrCorrupt and checkpoint.ErrDamaged", name, b, err)
		}
	}
	if _, err := decodeReject(1, sealed([]byte{recordVersion, 2, 5, 'a'})); !errors.Is(err, ErrCorrupt) {
		t.Errorf("truncated reject: %v, want ErrCorrupt", err)
	}
	if _, err := decodeReject(2, encodeReject(Reject{Line: 3})); !errors.Is(err, ErrCorrupt) {
		t.Errorf("a reject under another line's key: %v, want ErrCorrupt", err)
	}
}

// learnerBytes is an encoded learner record with a node and a
// relationship, encoded after other bytes (as batches share a buffer).
func learnerBytes(t *testing.T) []byte {
	t.Helper()
	row := Row{
		SandID: "L1",
		Nodes:  []Node{{Learner, "L1", props("sandId", "L1", "fullName", "Ada")}},
		Rels:   []Rel{{HasSkill, "L1", "go", props("level", int64(3))}},
	}
	b := batch{s: DefaultSchema()}
	rec := b.s.newLearnerRecord("")
	b.add(row, &rec, []byte("other bytes"))
	if len(b.rows) != 1 {
		t.Fatalf("%d learner rows, want 1", len(b.rows))
	}
	return b.rows[0].value
}

// TestCodecFlips: every flipped bit of every kind of record is caught by
// its checksum: never a decoded record with other values.
func TestCodecFlips(t *testing.T) {
	records := map[string][]byte{
		"node":    encodeNode(allTypes(t)),
		"rel":     encodeRel("start", "end", allTypes(t)),
		"reject":  encodeReject(Reject{Line: 12, SandID: "L1", Reason: "why", Record: "L1,x"}),
		"learner": learnerBytes(t),
	}
	decode := map[string]func([]byte) error{
		"node":    func(b []byte) error { _, err := decodeNode(b); return err },
		"rel":     func(b []byte) error { _, _, _, err := decodeRel(b); return err },
		"reject":  func(b []byte) error { _, err := decodeReject(12, b); return err },
		"learner": func(b []byte) error { _, err := DefaultSchema().decodeLearner(b); return err },
	}
	for name, rec := range records {
		if err := decode[name](rec); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for i := range len(rec) * 8 {
			b := append([]byte(nil), rec...)
			b[i/8] ^= 1 << (i % 8)
			if err := decode[name](b); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("%s with bit %d flipped: %v, want ErrCorrupt", name, i, err)
			}
		}
	}
}

// FuzzCodec: fuzzed property values survive the codec, and decoding any
// bytes either fails with ErrCorrupt or gives records that encode and
// decode to themselves.
func FuzzCodec(f *testing.F) {
	f.Add([]byte(nil), "x", int64(1), 1.5, true, int32(0))
	f.Add(encodeRel("a", "b", allTypes(f)), "", int64(math.MinInt64), math.Inf(1), false, int32(-1))
	f.Add(encodeReject(Reject{SandID: "L", Reason: "r", Record: "x"}), "ü", int64(-1), math.Copysign(0, -1), true, int32(math.MaxInt32))
	f.Fuzz(func(t *testing.T, raw []byte, s string, i int64, fl float64, b bool, d int32) {
		p := props("s", s, "i", i, "f", fl, "b", b, "d", Date(d),
			"ss", []string{s, s}, "is", []int64{i}, "fs", []float64{fl, -fl}, "bs", []bool{b, !b})
		got, err := decodeNode(encodeNode(p))
		if diff := cmp.Diff(p, got, codecOpts...); diff != "" || err != nil {
			t.Fatalf("round trip: %v (-encoded +decoded):\n%s", err, diff)
		}
		if p, err := decodeNode(raw); err == nil {
			again, err := decodeNode(encodeNode(p))
			if diff := cmp.Diff(p, again, codecOpts...); diff != "" || err != nil {
				t.Fatalf("node %x: %v (-decoded +again):\n%s", raw, err, diff)
			}
		} else if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("decodeNode(%x): %v, want ErrCorrupt", raw, err)
		}
		if s, e, p, err := decodeRel(raw); err == nil {
			s2, e2, again, err := decodeRel(encodeRel(s, e, p))
			if diff := cmp.Diff(p, again, codecOpts...); diff != "" || err != nil || s2 != s || e2 != e {
				t.Fatalf("rel %x: %v (-decoded +again):\n%s", raw, err, diff)
			}
		} else if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("decodeRel(%x): %v, want ErrCorrupt", raw, err)
		}
		if r, err := decodeReject(7, raw); err == nil {
			again, err := decodeReject(7, encodeReject(r))
			if diff := cmp.Diff(r, again); diff != "" || err != nil {
				t.Fatalf("reject %x: %v (-decoded +again):\n%s", raw, err, diff)
			}
		} else if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("decodeReject(%x): %v, want ErrCorrupt", raw, err)
		}
	})
}

// TestProps: the merge rule of the contract on property sets.
func TestProps(t *testing.T) {
	p := props("b", "2", "a", int64(1), "c", nil)
	if diff := cmp.Diff(Props{{"a", int64(1)}, {"b", "2"}}, p); diff != "" {
		t.Errorf("props sorted, null left out (-want +got):\n%s", diff)
	}
	if p.Get("c") != nil || p.Get("a") != int64(1) || p.Get("0") != nil || p.Get("z") != nil {
		t.Errorf("Get: %v %v %v %v", p.Get("c"), p.Get("a"), p.Get("0"), p.Get("z"))
	}
	merged := p.Merge(props("a", nil, "b", "later", "d", true))
	if diff := cmp.Diff(Props{{"a", int64(1)}, {"b", "later"}, {"d", true}}, merged); diff != "" {
		t.Errorf("Merge: later non-null replaces, later null never erases (-want +got):\n%s", diff)
	}
}

func TestParseDate(t *testing.T) {
	for s, ok := range map[string]bool{
		"2024-02-29": true, "1970-01-01": true, "1899-12-31": true, "9999-12-31": true,
		"2023-02-29": false, "2024-13-01": false, "2024-00-10": false, "2024-1-01": false, "2024-01-1": false,
		"24-01-01": false, "2024/01/01": false, "2024-01-01T00:00:00Z": false, " 2024-01-01": false, "": false,
	} {
		d, got := ParseDate(s)
		if got != ok {
			t.Errorf("ParseDate(%q) ok = %v, want %v", s, got, ok)
			continue
		}
		if ok && d.String() != s {
			t.Errorf("ParseDate(%q).String() = %q", s, d.String())
		}
	}
	if d, _ := ParseDate("1969-12-31"); d != -1 || d.Time().Unix() != -86400 {
		t.Errorf("1969-12-31 = %d days, %v", d, d.Time())
	}
}
