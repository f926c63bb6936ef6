package samplegen

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// checkRecord applies the data contract to one parsed record, written
// independently of the generator, and returns every rule it breaks as a
// BadKinds kind, in a fixed order.
func checkRecord(rec []string) []string {
	if len(rec) != numCols {
		return []string{badFieldCount}
	}
	v := make([]string, len(rec))
	var bad []string
	for i, f := range rec {
		v[i] = strings.TrimSpace(f)
		if !utf8.ValidString(f) && !slices.Contains(bad, badUTF8) {
			bad = append(bad, badUTF8)
		}
	}
	if v[colSandID] == "" {
		bad = append(bad, badSandID)
	}
	if y := v[colBirthYear]; y != "" {
		if n, err := strconv.Atoi(y); err != nil || n < 1900 || n > 2100 {
			bad = append(bad, badBirthYear)
		}
	}
	for _, c := range []int{colResCode, colOriginCode} {
		if code := v[c]; code != "" && !twoLetters(code) {
			bad = append(bad, badCountry)
		}
	}
	if d := v[colEnrollment]; d != "" && !isDate(d) {
		bad = append(bad, badDate)
	}
	for _, c := range []int{colSkills, colEmployment, colLearning, colProfessional} {
		bad = append(bad, checkJSON(c, v[c])...)
	}
	return bad
}

// checkJSON checks one JSON column's text.
func checkJSON(col int, text string) []string {
	if text == "" {
		return nil
	}
	var x any
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	if err := dec.Decode(&x); err != nil || dec.More() {
		return []string{badJSON}
	}
	var bad []string
	switch col {
	case colSkills:
		for _, o := range objects(x) {
			bad = appendIf(bad, !isString(o["id"]), badMissing)
		}
	case colEmployment:
		for _, o := range objects(x) {
			bad = appendIf(bad, !isString(o["companyId"]), badMissing)
			bad = appendIf(bad, !dateOrNull(o["startDate"]) || !dateOrNull(o["endDate"]), badDate)
		}
	default:
		if o, ok := x.(map[string]any); ok {
			bad = appendIf(bad, !isString(o["status"]), badMissing)
			bad = appendIf(bad, !dateOrNull(o["since"]), badDate)
		}
	}
	return bad
}

// objects returns the objects of a JSON array; null and [] have none.
func objects(x any) []map[string]any {
	arr, _ := x.([]any)
	var out []map[string]any
	for _, e := range arr {
		o, _ := e.(map[string]any)
		out = append(out, o)
	}
	return out
}

func appendIf(bad []string, cond bool, kind string) []string {
	if cond && !slices.Contains(bad, kind) {
		return append(bad, kind)
	}
	return bad
}

func isString(x any) bool {
	_, ok := x.(string)
	return ok
}

func dateOrNull(x any) bool {
	if x == nil {
		return true
	}
	s, ok := x.(string)
	return ok && isDate(s)
}

func isDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

func twoLetters(s string) bool {
	if len(s) != 2 {
		return false
	}
	for _, c := range []byte(s) {
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}
