package staging

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	graphmodel "github.com/learnergraph/importer/model"
)

// ErrMapping is returned for a mapping that parses but that staging cannot
// stage (yet): it is refused whole, never staged in part.
var ErrMapping = errors.New("mapping not supported by staging")

// Plan is a mapping compiled for staging, once per run: per entity, which
// column (by its position in the mapping's columns) or JSON member each
// value comes from and how it is converted and checked, so that no row
// interprets the mapping.
type Plan struct {
	model   *graphmodel.Model
	schema  *Schema
	columns []string // the file's columns; a column's id is its index
	// rootCols are the columns of the root's key, in its key order, or in
	// a file without the root those of its first entity's key (-1 for a
	// value not from a column).
	rootCols []int
	hasRoot  bool     // the file's first entity is the root's
	nulls    []string // values that mean null (model.Nulls), besides blank
	entities []entityPlan
	// name is the file's name in a mapping that reads several files;
	// files are their plans, in staging order, in the mapping's plan
	// (nil for a mapping of one file, whose plan is its file's).
	name  string
	files []*Plan
}

// entity sources.
const (
	fromColumns = iota // the key and values come from columns
	fromArray          // one entity per element of a JSON array column
	fromObject         // one entity from a JSON object column
)

type entityPlan struct {
	label   string
	first   bool   // the label's merge rule is first wins
	keyProp string // the label's key property (one)
	source  int
	json    int       // the JSON column (fromArray, fromObject)
	key     valuePlan // of a label keyed by one property
	// keyProps and parts are a composite key's properties, in the label's
	// key order, and their values; nil for a label keyed by one property.
	keyProps []string
	parts    []valuePlan
	props    []valuePlan
	links    []linkPlan
}

// linkPlan is a relationship between an entity and an earlier one.
type linkPlan struct {
	typ     string
	other   int         // the earlier entity's index
	reverse bool        // the earlier entity is the end (to:), not the start
	first   bool        // the type's merge rule is first wins
	keys    []string    // the type's key properties, if any
	props   []valuePlan // nil: the relationship has no properties
}

// valuePlan is one compiled value.
type valuePlan struct {
	name     string // property name
	col      int    // column id; -1 for a JSON member or the root's key
	field    string // JSON member
	root     bool
	typ      string
	trim     bool
	def      string
	delim    string
	upper    bool
	lower    bool
	required bool
	pattern  *regexp.Regexp
	reason   string
	min, max *float64
	values   []string
}

// defaultPlan is learners.yaml compiled. Read-only.
var defaultPlan = func() *Plan {
	p, err := Compile(graphmodel.Default())
	if err != nil {
		panic(fmt.Sprintf("compile the built-in mapping: %v", err)) // a test proves it compiles
	}
	return p
}()

// Model returns the mapping p was compiled from.
func (p *Plan) Model() *graphmodel.Model { return p.model }

// Compile turns a validated mapping into a staging plan. It refuses what
// staging cannot stage yet, with ErrMapping: a relationship to an entity
// of a JSON array.
func Compile(m *graphmodel.Model) (*Plan, error) {
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	p := &Plan{model: m, schema: newSchema(m), columns: m.Columns, nulls: m.Nulls}
	labels := map[string]graphmodel.Node{}
	for _, n := range m.Nodes {
		labels[n.Label] = n
	}
	rels := map[string]graphmodel.Rel{}
	for _, r := range m.Rels {
		rels[r.Type] = r
	}
	if len(m.Files) == 0 {
		p.compileEntities(m.Entities, labels, rels, fail)
	}
	for _, f := range m.Files {
		fp := &Plan{model: m, schema: p.schema, columns: f.Columns, name: f.Name, nulls: m.Nulls}
		fp.compileEntities(f.Entities, labels, rels, fail)
		p.files = append(p.files, fp)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w: %s: %s", ErrMapping, m.Source, strings.Join(errs, "; "))
	}
	return p, nil
}

// compileEntities compiles a file's entities into p.
func (p *Plan) compileEntities(ents []graphmodel.Entity, labels map[string]graphmodel.Node, rels map[string]graphmodel.Rel, fail func(string, ...any)) {
	index := map[string]int{}
	for i, e := range ents {
		n := labels[e.Node]
		ep := entityPlan{label: e.Node, first: n.Merge == graphmodel.MergeFirst, keyProp: n.Key[0], json: -1}
		switch {
		case e.Each != "":
			ep.source, ep.json = fromArray, p.column(e.Each)
		case e.Object != "":
			ep.source, ep.json = fromObject, p.column(e.Object)
		}
		if len(n.Key) == 1 {
			ep.key = p.value(e.Key[0])
		} else {
			ep.keyProps = n.Key
			for _, k := range n.Key {
				for _, v := range e.Key {
					if v.Name == k {
						ep.parts = append(ep.parts, p.value(v))
					}
				}
			}
		}
		for _, v := range e.Properties {
			ep.props = append(ep.props, p.value(v))
		}
		for _, l := range e.Links {
			other := l.From
			if l.To != "" {
				other = l.To
			}
			lp := linkPlan{typ: l.Type, other: index[other], reverse: l.To != "", first: rels[l.Type].Merge == graphmodel.MergeFirst}
			if k := rels[l.Type].Key; len(k) > 0 {
				lp.keys = k
			}
			if p.entities[lp.other].source == fromArray {
				fail("entity %d: relationship %s to %q, an entity of a JSON array: which element is meant is not staged yet", i+1, l.Type, other)
			}
			for _, v := range l.Properties {
				lp.props = append(lp.props, p.value(v))
			}
			ep.links = append(ep.links, lp)
		}
		index[e.EntityName()] = i
		p.entities = append(p.entities, ep)
	}
	if first := p.entities[0]; first.parts == nil {
		p.rootCols = []int{first.key.col}
	} else {
		for _, v := range first.parts {
			p.rootCols = append(p.rootCols, v.col)
		}
	}
	p.hasRoot = p.entities[0].label == p.model.Root
}

// Files returns the plans of the mapping's input files, in staging order.
func (p *Plan) Files() []*Plan {
	if p.files == nil {
		return []*Plan{p}
	}
	return p.files
}

func (p *Plan) column(name string) int { return slices.Index(p.columns, name) }

// value compiles a validated value.
func (p *Plan) value(v graphmodel.Value) valuePlan {
	vp := valuePlan{
		name: v.Name, col: -1, field: v.Field, root: v.Root, typ: v.TypeOf(), trim: v.Trimmed(),
		def: v.Default, delim: v.Delimiter, upper: v.Case == "upper", lower: v.Case == "lower",
		required: v.Required, reason: v.Reason, min: v.Min, max: v.Max, values: v.Values,
	}
	if v.Column != "" {
		vp.col = p.column(v.Column)
	}
	if v.Pattern != "" {
		vp.pattern = regexp.MustCompile(v.Pattern) // validated by graphmodel.Parse
	}
	return vp
}
