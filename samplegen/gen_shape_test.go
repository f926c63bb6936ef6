package samplegen

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
)

// shape gathers what a file of good rows looks like.
type shape struct {
	rows, unsorted, skills, jobs, maxSkills, maxJobs int
	features                                         map[string]bool
	countries                                        map[string]int
	distinct                                         map[string]map[string]bool // kind -> ids
	names                                            map[string]string          // "kind id" -> name
	conflicts                                        []string                   // ids seen with two names
}

func newShape() *shape {
	return &shape{
		features:  map[string]bool{},
		countries: map[string]int{},
		distinct:  map[string]map[string]bool{},
		names:     map[string]string{},
	}
}

// name records that id of the given kind is called name, noting conflicts.
func (s *shape) name(kind, id, name string) {
	if id == "" {
		return
	}
	if s.distinct[kind] == nil {
		s.distinct[kind] = map[string]bool{}
	}
	s.distinct[kind][id] = true
	if name == "" {
		return
	}
	k := kind + " " + id
	if old, ok := s.names[k]; ok && old != name && len(s.conflicts) < 5 {
		s.conflicts = append(s.conflicts, fmt.Sprintf("%s: %q and %q", k, old, name))
	}
	s.names[k] = name
}

func (s *shape) see(feature string, cond bool) {
	if cond {
		s.features[feature] = true
	}
}

var sandIDPattern = regexp.MustCompile(`^S[0-9A-HJKMNP-TV-Z]{10}$`)

func (s *shape) add(raw []string, prevID string) {
	v := make([]string, len(raw))
	for i, f := range raw {
		v[i] = strings.TrimSpace(f)
		s.see("padded value", f != v[i])
		s.see("empty "+wantHeader[i], v[i] == "")
	}
	s.rows++
	s.see("sandId pattern broken", !sandIDPattern.MatchString(v[colSandID]))
	if v[colSandID] < prevID {
		s.unsorted++
	}
	name := v[colFullName]
	s.see("name with comma", strings.Contains(name, ","))
	s.see(`name with quote`, strings.Contains(name, `"`))
	s.see("name with line break", strings.Contains(name, "\n"))
	for _, script := range []*unicode.RangeTable{unicode.Han, unicode.Arabic, unicode.Cyrillic, unicode.Hangul} {
		s.see(fmt.Sprintf("name in script %p", script), strings.IndexFunc(name, func(r rune) bool { return unicode.Is(script, r) }) >= 0)
	}
	s.see("accented Latin name", strings.ContainsAny(name, "éüøłçñ"))
	s.countries[strings.ToUpper(v[colResCode])]++
	for _, c := range []int{colResCode, colOriginCode} {
		s.see("lower-case country code", v[c] != "" && v[c] == strings.ToLower(v[c]))
		s.name("country", strings.ToUpper(v[c]), v[c+1])
	}
	if v[colCityID] != "" {
		s.name("city", v[colCityID], v[colCityName])
		if v[colResCode] != "" {
			s.name("city-country", v[colCityID], strings.ToUpper(v[colResCode]))
		}
	}
	if v[colProgramID] != "" {
		s.name("program", v[colProgramID], v[colProgramName])
	}
	for _, c := range []int{colSkills, colEmployment, colLearning, colProfessional} {
		s.see("null "+wantHeader[c], v[c] == "null")
		s.see("[] "+wantHeader[c], v[c] == "[]")
	}
	s.addSkills(v[colSkills])
	s.addJobs(v[colEmployment])
	text := v[colLearning]
	s.see("details with a nested object", strings.Contains(text, `"exam":{`))
	s.see("details with a list of scalars", strings.Contains(text, `"tags":["`))
	s.see("details with a list of objects", strings.Contains(text, `"modules":[{`))
	s.see("float 1.0", strings.Contains(text, `"ratio":1.0`))
	s.see("loose JSON", strings.Contains(text, `"status": "`))
}

func (s *shape) addSkills(text string) {
	var skills []map[string]any
	_ = json.Unmarshal([]byte(text), &skills)
	s.skills += len(skills)
	s.maxSkills = max(s.maxSkills, len(skills))
	ids := map[string]bool{}
	for _, sk := range skills {
		id, _ := sk["id"].(string)
		name, _ := sk["name"].(string)
		s.see("same skill twice in a row", ids[id])
		ids[id] = true
		s.name("skill", id, name)
	}
}

func (s *shape) addJobs(text string) {
	var jobs []map[string]any
	_ = json.Unmarshal([]byte(text), &jobs)
	s.jobs += len(jobs)
	s.maxJobs = max(s.maxJobs, len(jobs))
	for _, j := range jobs {
		id, _ := j["companyId"].(string)
		name, _ := j["companyName"].(string)
		s.name("company", id, name)
		end, hasEnd := j["endDate"]
		s.see("null startDate", j["startDate"] == nil)
		s.see("null endDate", hasEnd && end == nil)
		s.see("absent endDate", !hasEnd)
	}
}

func TestGenerateShape(t *testing.T) {
	const rows = 20000
	_, _, parsed := genParse(t, GenOptions{Rows: rows, Seed: 9})
	s := newShape()
	first := map[string][]string{}
	prev := ""
	for _, p := range parsed {
		s.add(p.rec, prev)
		id := strings.TrimSpace(p.rec[colSandID])
		prev = id
		if !p.dup {
			first[id] = p.rec
			continue
		}
		for c, f := range p.rec {
			old := strings.TrimSpace(first[id][c])
			f = strings.TrimSpace(f)
			s.see("repeat changes a value", f != "" && old != "" && f != old)
			s.see("repeat empties a value", f == "" && old != "")
		}
	}
	top := 0
	for _, n := range s.countries {
		top = max(top, n)
	}
	t.Logf("rows %d: %.2f skills, %.2f jobs a row; top country %.1f%%; distinct %d countries, %d cities, %d skills, %d companies, %d programs",
		s.rows, float64(s.skills)/rows, float64(s.jobs)/rows, 100*float64(top)/rows, len(s.distinct["country"]),
		len(s.distinct["city"]), len(s.distinct["skill"]), len(s.distinct["company"]), len(s.distinct["program"]))

	s.see("sandIds unsorted", s.unsorted > rows/3)
	s.see("about 4 skills a row", within(float64(s.skills)/rows, 3.3, 4.3))
	s.see("about 1.5 jobs a row", within(float64(s.jobs)/rows, 1.1, 1.6))
	s.see("at most 8 skills, 4 jobs", s.maxSkills <= 8 && s.maxJobs <= 4)
	s.see("top country 10-40%", within(float64(top)/rows, 0.1, 0.4))
	s.see("many countries", len(s.distinct["country"]) >= 150)
	s.see("many cities", len(s.distinct["city"]) >= 1500)
	s.see("many skills", len(s.distinct["skill"]) >= 1000)
	s.see("many companies", len(s.distinct["company"]) >= 5000)
	s.see("all programs", len(s.distinct["program"]) == numPrograms)

	want := map[string]bool{}
	for f := range s.features {
		want[f] = true
	}
	for _, f := range []string{
		"padded value", "name with comma", `name with quote`, "name with line break",
		"accented Latin name", "lower-case country code", "same skill twice in a row",
		"null startDate", "null endDate", "absent endDate", "details with a nested object",
		"details with a list of scalars", "details with a list of objects", "float 1.0",
		"loose JSON", "repeat changes a value", "repeat empties a value", "sandIds unsorted",
		"about 4 skills a row", "about 1.5 jobs a row", "at most 8 skills, 4 jobs",
		"top country 10-40%", "many countries", "many cities", "many skills",
		"many companies", "all programs",
	} {
		want[f] = true
	}
	for _, script := range []*unicode.RangeTable{unicode.Han, unicode.Arabic, unicode.Cyrillic, unicode.Hangul} {
		want[fmt.Sprintf("name in script %p", script)] = true
	}
	for _, col := range wantHeader[1:] {
		want["empty "+col] = true
	}
	for _, c := range []int{colSkills, colEmployment, colLearning, colProfessional} {
		want["null "+wantHeader[c]], want["[] "+wantHeader[c]] = true, true
	}
	delete(want, "sandId pattern broken")
	if diff := cmp.Diff(want, s.features); diff != "" {
		t.Errorf("features (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string(nil), s.conflicts); diff != "" {
		t.Errorf("an id with two names (-want +got):\n%s", diff)
	}
}

func within(x, lo, hi float64) bool { return lo <= x && x <= hi }
