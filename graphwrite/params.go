package graphwrite

import (
	"sort"
	"time"

	"github.com/learnergraph/importer/staging"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

// Parameters are built from []any and map[string]any, which the driver's
// packer writes without reflection. staging.Date becomes a Neo4j Date,
// staging.DateTime a DateTime at offset Z,
// int64 stays an integer, float64 a float, and lists stay lists ([]string,
// []int64 and []float64 have fast paths of their own; []bool goes as []any).

// offsetZ is the driver's zone for a DateTime with an offset (here 0),
// not a zone name.
var offsetZ = time.FixedZone("Offset", 0)

// nodeRow is the parameter row of a node: its property map.
func nodeRow(n staging.Node) map[string]any { return Params(n.Props) }

// relRow is the parameter row of a relationship.
func relRow(r staging.Rel) map[string]any {
	return map[string]any{"s": r.Start, "e": r.End, "p": Params(r.Props)}
}

// Params converts staged properties into a driver parameter map.
func Params(p staging.Props) map[string]any {
	m := make(map[string]any, len(p))
	for _, q := range p {
		m[q.Name] = Param(q.Value)
	}
	return m
}

// Param converts a staged property value into a driver parameter value.
func Param(v any) any {
	switch v := v.(type) {
	case staging.Date:
		return dbtype.Date(v.Time())
	case staging.DateTime:
		return v.Time().In(offsetZ) // a DateTime at offset Z, as the import tool makes it
	case []bool:
		out := make([]any, len(v))
		for i, b := range v {
			out[i] = b
		}
		return out
	}
	return v
}

// fromNeo4j converts a property value read from Neo4j back into the staged
// representation, so staged and loaded entities compare with cmp.Diff.
func fromNeo4j(v any) any {
	switch v := v.(type) {
	case dbtype.Date:
		t := time.Time(v)
		return staging.Date(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400)
	case time.Time:
		return staging.DateTime(v.UnixNano())
	case []any:
		return fromList(v)
	}
	return v
}

// fromList turns a Neo4j list into the typed slice staging uses; Neo4j
// lists of properties hold one type.
func fromList(v []any) any {
	if len(v) == 0 {
		return v
	}
	switch v[0].(type) {
	case string:
		return typed[string](v)
	case int64:
		return typed[int64](v)
	case float64:
		return typed[float64](v)
	case bool:
		return typed[bool](v)
	}
	return v
}

func typed[T any](v []any) any {
	out := make([]T, len(v))
	for i, e := range v {
		t, ok := e.(T)
		if !ok {
			return v
		}
		out[i] = t
	}
	return out
}

// propsFromNeo4j turns a Neo4j property map into sorted staging.Props.
func propsFromNeo4j(m map[string]any) staging.Props {
	p := make(staging.Props, 0, len(m))
	for k, v := range m {
		p = append(p, staging.Prop{Name: k, Value: fromNeo4j(v)})
	}
	sort.Slice(p, func(i, j int) bool { return p[i].Name < p[j].Name })
	return p
}
