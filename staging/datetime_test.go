package staging

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestParseDateTime: RFC 3339 with an offset or Z, or without one (UTC);
// anything else, or an instant DateTime cannot hold, is not a datetime.
func TestParseDateTime(t *testing.T) {
	type result struct {
		UTC string
		OK  bool
	}
	got := map[string]result{}
	for _, s := range []string{
		"2013-01-01T05:17:00Z", "2013-01-01T05:17:00.123-05:00", "2013-01-01T05:17:00+01:30",
		"2013-01-01T05:17:00", "2013-01-01T05:17:00.5",
		"2013-01-01", "2013-01-01 05:17:00", "05:17:00", "2013-02-30T00:00:00Z", "1600-01-01T00:00:00Z", "", "soon",
	} {
		d, ok := ParseDateTime(s)
		r := result{OK: ok}
		if ok {
			r.UTC = d.String()
		}
		got[s] = r
	}
	want := map[string]result{
		"2013-01-01T05:17:00Z":          {"2013-01-01T05:17:00Z", true},
		"2013-01-01T05:17:00.123-05:00": {"2013-01-01T10:17:00.123Z", true},
		"2013-01-01T05:17:00+01:30":     {"2013-01-01T03:47:00Z", true},
		"2013-01-01T05:17:00":           {"2013-01-01T05:17:00Z", true},
		"2013-01-01T05:17:00.5":         {"2013-01-01T05:17:00.5Z", true},
		"2013-01-01":                    {}, "2013-01-01 05:17:00": {}, "05:17:00": {}, "2013-02-30T00:00:00Z": {},
		"1600-01-01T00:00:00Z": {}, "": {}, "soon": {},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseDateTime (-want +got):\n%s", diff)
	}
	if d, _ := ParseDateTime("2013-01-01T05:17:00Z"); !d.Time().Equal(time.Date(2013, 1, 1, 5, 17, 0, 0, time.UTC)) {
		t.Errorf("DateTime.Time() = %v", d.Time())
	}
}
