package staging

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// referenceCompact renders text the way compactJSON promises to, using
// encoding/json: numbers as written, object keys sorted, no HTML escaping.
func referenceCompact(t *testing.T, text string) string {
	d := json.NewDecoder(strings.NewReader(text))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("reference decode %q: %v", text, err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatalf("reference encode %q: %v", text, err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// FuzzParseJSON checks parseJSON against encoding/json: it accepts exactly
// the documents json.Valid accepts, and renders them as encoding/json does.
func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{
		`null`, `true`, `false`, `0`, `-0.5e+3`, `1.0`, `"a\"b\\c\/\u00e9\ud83d\ude00\n"`,
		`[]`, `{}`, `[1,"x",null,{"b":1,"a":[true]}]`, `{"a":1,"a":2}`, ` { "k" : [ 1 , 2 ] } `,
		`01`, `1.`, `.5`, `[1,]`, `{"a"}`, `"\x"`, "\"\x01\"", `"\ud800"`, `tru`, `[1] x`, `"<&>"`, "\"\u2028\"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !strings.HasPrefix(text, " ") && strings.Count(text, "[")+strings.Count(text, "{") > maxJSONDepth {
			t.Skip("deeper than the parser allows by design")
		}
		v, err := parseJSON(text)
		if valid := json.Valid([]byte(text)); valid != (err == nil) {
			t.Fatalf("parseJSON(%q) error %v, but json.Valid says %v", text, err, valid)
		}
		if err != nil {
			return
		}
		if got, want := compactJSON(v), referenceCompact(t, text); got != want {
			t.Fatalf("compactJSON(parseJSON(%q))\n got %s\nwant %s", text, got, want)
		}
	})
}

func TestParseJSONDepth(t *testing.T) {
	deep := strings.Repeat("[", maxJSONDepth+2) + strings.Repeat("]", maxJSONDepth+2)
	if _, err := parseJSON(deep); err == nil || !strings.Contains(err.Error(), "levels deep") {
		t.Fatalf("parseJSON of %d nested arrays: error %v, want a depth error", maxJSONDepth+2, err)
	}
}
