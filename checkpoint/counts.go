package checkpoint

// Rows counts the data rows of the input. Every row read is either staged
// or rejected: Read == Staged + Rejected at every checkpoint.
type Rows struct {
	Read       int64 `json:"read"`
	Staged     int64 `json:"staged"`
	Rejected   int64 `json:"rejected"`
	Duplicates int64 `json:"duplicates"`
}

// Counts are the staging counters: rows, and unique node and relationship
// keys staged per label and type.
type Counts struct {
	Rows          Rows             `json:"rows"`
	Nodes         map[string]int64 `json:"nodes"`
	Relationships map[string]int64 `json:"relationships"`
}

// NewCounts returns zero counters with an entry for every label and type
// given, so reports list them all even before anything was staged.
func NewCounts(labels, types []string) Counts {
	c := Counts{Nodes: map[string]int64{}, Relationships: map[string]int64{}}
	for _, l := range labels {
		c.Nodes[l] = 0
	}
	for _, t := range types {
		c.Relationships[t] = 0
	}
	return c
}

// Clone returns a deep copy, so a snapshot can outlive further counting.
func (c Counts) Clone() Counts {
	out := Counts{Rows: c.Rows, Nodes: make(map[string]int64, len(c.Nodes)), Relationships: make(map[string]int64, len(c.Relationships))}
	for k, v := range c.Nodes {
		out.Nodes[k] = v
	}
	for k, v := range c.Relationships {
		out.Relationships[k] = v
	}
	return out
}
