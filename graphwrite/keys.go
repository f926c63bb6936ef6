package graphwrite

import (
	"strconv"
	"strings"

	"github.com/learnergraph/importer/staging"
)

// Composite keys (staging/key.go): a label keyed by several properties is
// matched and merged on all of them. The staged key of such a node is one
// string; its parameter is the list of its values (keyParam), and the
// Cypher takes each property from its place in that list (keyMatch).
// Property names still come from the schema, values are still parameters.
// For a label keyed by one property, text and parameters are what they
// always were.

// keyMatch is the map literal that finds a node of spec by the key
// parameter in the Cypher expression from: " {`k`: from}", or for a
// composite key " {`k1`: from[0], `k2`: from[1], …}".
func keyMatch(spec staging.NodeSpec, from string) string {
	if !spec.Composite() {
		return " {" + quote(spec.Key) + ": " + from + "}"
	}
	parts := make([]string, len(spec.Keys))
	for i, k := range spec.Keys {
		parts[i] = quote(k) + ": " + from + "[" + strconv.Itoa(i) + "]"
	}
	return " {" + strings.Join(parts, ", ") + "}"
}

// keyParam is the parameter of a staged key of a node of spec: the key
// itself, or the list of a composite key's values. A key that does not
// split (a state file staged by a bug: every record is checksummed) is
// passed as it is, so its relationship finds no node and the batch fails
// its check.
func keyParam(spec staging.NodeSpec, key string) any {
	if !spec.Composite() {
		return key
	}
	parts, err := staging.KeyParts(spec, key)
	if err != nil {
		return key
	}
	return parts
}

// relEnds are the node specs of a relationship type's two ends.
type relEnds struct{ start, end staging.NodeSpec }

func endsOf(s *staging.Schema, spec staging.RelSpec) relEnds {
	start, _ := s.NodeSpecOf(spec.Start)
	end, _ := s.NodeSpecOf(spec.End)
	return relEnds{start: start, end: end}
}

// row is relRow with the ends' key parameters (keyParam).
func (e relEnds) row(r staging.Rel) map[string]any {
	row := relRow(r)
	if e.start.Composite() {
		row["s"] = keyParam(e.start, r.Start)
	}
	if e.end.Composite() {
		row["e"] = keyParam(e.end, r.End)
	}
	return row
}
