package model

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Propose writes a mapping file for a CSV from its header and a sample of
// its rows: one root label named after the file, keyed by column key (the
// first column when empty), every other column a property of the type its
// sampled values share. JSON columns stay strings, with a comment on how
// to make them entities. It is a start for the user to edit; it parses.
func Propose(file string, header []string, sample [][]string, key string) ([]byte, error) {
	cols := make([]string, len(header))
	for i, h := range header {
		cols[i] = strings.TrimSpace(h)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("propose a mapping: %s has no header", file)
	}
	keyCol := 0
	if key != "" {
		keyCol = -1
		for i, c := range cols {
			if c == key {
				keyCol = i
			}
		}
		if keyCol < 0 {
			return nil, fmt.Errorf("propose a mapping: %s has no column %q", file, key)
		}
	}
	label := labelFor(file)
	var b strings.Builder
	fmt.Fprintf(&b, "# A mapping proposed by `importer mapping init` for %s,\n", filepath.Base(file))
	fmt.Fprintf(&b, "# from its header and %d sampled rows. Edit it (see the README's \"Mapping\n", len(sample))
	b.WriteString("# files\"), then run `importer mapping check` on it.\nversion: 1\n")
	fmt.Fprintf(&b, "root: %s\ncolumns: [%s]\n", label, joinQuoted(cols))
	fmt.Fprintf(&b, "nodes:\n  - {label: %s, key: %s, partitioned: true, properties: [%s]}\n", label, quote(cols[keyCol]), joinQuoted(cols))
	b.WriteString("relationships: []\nentities:\n")
	fmt.Fprintf(&b, "  - node: %s\n    key: {column: %s, required: true}\n", label, quote(cols[keyCol]))
	if len(cols) > 1 {
		b.WriteString("    properties:\n")
	}
	for i, c := range cols {
		if i == keyCol {
			continue
		}
		typ, note := inferType(sample, i)
		fmt.Fprintf(&b, "      - {name: %s, column: %s", quote(c), quote(c))
		if typ != "string" {
			fmt.Fprintf(&b, ", type: %s", typ)
		}
		b.WriteString("}")
		if note != "" {
			b.WriteString("  # " + note)
		}
		b.WriteString("\n")
	}
	return []byte(b.String()), nil
}

// labelFor names the root label after the file: learners.csv → Learner.
func labelFor(file string) string {
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	var b strings.Builder
	upper := true
	for _, r := range base {
		if !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r))) {
			upper = true
			continue
		}
		if b.Len() == 0 && unicode.IsDigit(r) {
			b.WriteString("Row")
		}
		if upper {
			r = unicode.ToUpper(r)
			upper = false
		}
		b.WriteRune(r)
	}
	name := b.String()
	if len(name) > 3 && strings.HasSuffix(name, "s") && !strings.HasSuffix(name, "ss") {
		name = strings.TrimSuffix(name, "s")
	}
	if name == "" {
		return "Row"
	}
	return name
}

// inferType returns the narrowest type every non-blank sampled value of
// column i has, and a note for the user.
func inferType(sample [][]string, i int) (typ, note string) {
	is := map[string]bool{"int": true, "float": true, "bool": true, "date": true, "datetime": true, "json": true}
	seen := 0
	for _, row := range sample {
		if i >= len(row) {
			continue
		}
		s := strings.TrimSpace(row[i])
		if s == "" {
			continue
		}
		seen++
		_, err := strconv.ParseInt(s, 10, 64)
		is["int"] = is["int"] && err == nil
		_, err = strconv.ParseFloat(s, 64)
		is["float"] = is["float"] && err == nil
		is["bool"] = is["bool"] && (strings.EqualFold(s, "true") || strings.EqualFold(s, "false"))
		_, err = time.Parse(time.DateOnly, s)
		is["date"] = is["date"] && len(s) == 10 && err == nil
		t, err := time.Parse(time.RFC3339Nano, s)
		is["datetime"] = is["datetime"] && err == nil && t.Year() >= 1678 && t.Year() <= 2261 // staging's range
		is["json"] = is["json"] && (s[0] == '{' || s[0] == '[') && json.Valid([]byte(s))
	}
	switch {
	case seen == 0:
		return "string", "no value in the sample"
	case is["int"]:
		return "int", ""
	case is["float"]:
		return "float", ""
	case is["bool"]:
		return "bool", ""
	case is["date"]:
		return "date", ""
	case is["datetime"]:
		return "datetime", ""
	case is["json"]:
		return "string", "JSON in the sample: kept as text; to stage its objects, give it an entity with each: (array) or object:"
	}
	return "string", ""
}

// quote returns s as a YAML scalar: plain when it is a simple name,
// double-quoted otherwise.
func quote(s string) string {
	if validName(s) {
		return s
	}
	return strconv.Quote(s)
}

func joinQuoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	return strings.Join(q, ", ")
}
