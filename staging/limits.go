package staging

import (
	"strings"
	"unicode/utf8"
)

// Size limits on what a row may stage. A row past one is rejected with a
// reason, like any other bad row, so that it can never fail a batch (and
// with it every resume) in bbolt or in Neo4j.
const (
	// MaxKeyBytes is the longest key value, in UTF-8 bytes: a sandId, a
	// skill, city, program or company id (a country code is two letters).
	// Neo4j 5.26 refuses a string longer than 8,164 bytes in a RANGE index
	// (the index behind every uniqueness constraint of the schema: "Property
	// value is too large to index"), and bbolt a bucket key longer than
	// 32 KiB; relationship bucket keys add at most a few dozen bytes to two
	// keys. 4 KiB leaves room under both and is far longer than any real id.
	MaxKeyBytes = 4096
	// MaxPropertyNameBytes is the longest property name, in UTF-8 bytes: the
	// flattened details_* names come from the data. Neo4j 5.26 accepts far
	// longer names (a 1 MiB one was stored in our probe), but every name
	// becomes a token forever; 1 KiB keeps them usable in Cypher.
	MaxPropertyNameBytes = 1024
)

// checkKey rejects a key value longer than MaxKeyBytes.
func checkKey(field, v string) error {
	if len(v) > MaxKeyBytes {
		return reject("%s: %d bytes, longer than the %d-byte maximum for a key", field, len(v), MaxKeyBytes)
	}
	return nil
}

// checkRelKey rejects a relationship whose key property values (keys, its
// type's) take more than MaxKeyBytes together: a relationship between
// shared nodes is staged under its two ends' keys and these values
// (sharedRelKey), and bbolt refuses a key over 32 KiB.
func checkRelKey(typ string, keys []string, p Props) error {
	n := 0
	for _, k := range keys {
		n += valueBytes(p.Get(k))
	}
	if n > MaxKeyBytes {
		return reject("key of %s (%s): %d bytes, longer than the %d-byte maximum for a key", typ, strings.Join(keys, ", "), n, MaxKeyBytes)
	}
	return nil
}

// valueBytes is about the size of a staged value: exact for text, an upper
// bound for lists of numbers, 0 for a single number, date or boolean.
func valueBytes(v any) int {
	n := 0
	switch v := v.(type) {
	case string:
		n = len(v)
	case []string:
		for _, s := range v {
			n += len(s)
		}
	case []int64:
		n = 10 * len(v)
	case []float64:
		n = 8 * len(v)
	case []bool:
		n = len(v)
	}
	return n
}

// checkPropertyName rejects a property name longer than MaxPropertyNameBytes.
func checkPropertyName(name string) error {
	if len(name) > MaxPropertyNameBytes {
		return reject("%s…: a property name of %d bytes, longer than the %d-byte maximum", abbrev(name, 40), len(name), MaxPropertyNameBytes)
	}
	return nil
}

// abbrev returns at most the first n bytes of s, cut at a rune boundary.
func abbrev(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
