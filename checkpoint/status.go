package checkpoint

import (
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Status is the report of `importer status --json`; its field names are
// the data contract's "Reporting contract".
type Status struct {
	Phase         Phase            `json:"phase"`
	Rows          Rows             `json:"rows"`
	Nodes         map[string]int64 `json:"nodes"`
	Relationships map[string]int64 `json:"relationships"`
	Loaded        Loaded           `json:"loaded"`
	Input         string           `json:"input,omitempty"`
	// Files is the progress of each input file of a mapping that reads
	// several (Input is then empty).
	Files []FileStatus `json:"files,omitempty"`
	// Mapping names the mapping file the state file was staged with.
	Mapping *MappingStatus `json:"mapping,omitempty"`
	Mode    string         `json:"mode,omitempty"`
	// ETA is the time a running load still needs, by its rate so far; only
	// in a running process's snapshot.
	ETA string `json:"eta,omitempty"`
	// Export is the progress of `importer export`, once one started.
	Export *ExportStatus `json:"export,omitempty"`
	Live   *Live         `json:"live,omitempty"`
	// Offline is an offline load (load --offline) in progress: the last
	// step it finished, and what resume needs to go on.
	Offline *OfflineRun `json:"offline,omitempty"`
}

// MappingStatus names a state file's mapping (its text is in the file).
type MappingStatus struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
}

// Loaded counts what has been committed to Neo4j so far.
type Loaded struct {
	Nodes         map[string]int64 `json:"nodes"`
	Relationships map[string]int64 `json:"relationships"`
}

// Live says that the report comes from a running process's snapshot rather
// than from the state file itself.
type Live struct {
	PID     int    `json:"pid"`
	Command string `json:"command"`
	Updated string `json:"updated"`
}

// ReadStatus assembles the status report from the state file.
func ReadStatus(tx *bolt.Tx) (Status, error) {
	counts, err := ReadCounts(tx)
	if err != nil {
		return Status{}, err
	}
	stage, err := ReadStageMark(tx)
	if err != nil {
		return Status{}, err
	}
	plan, planned, err := ReadLoadPlan(tx)
	if err != nil {
		return Status{}, err
	}
	in, staged, err := ReadInput(tx)
	if err != nil {
		return Status{}, err
	}
	files, multi, err := ReadFiles(tx)
	if err != nil {
		return Status{}, err
	}
	staged = staged || multi
	marks, err := ReadLoadMarks(tx)
	if err != nil {
		return Status{}, err
	}
	mapping, mapped, err := ReadMapping(tx)
	if err != nil {
		return Status{}, err
	}
	if missing := missingFirstRecords(staged, hasCounts(tx), mapped); missing != "" {
		return Status{}, &DamagedError{Path: tx.DB().Path(), Detail: missing}
	}
	export, err := readExportStatus(tx)
	if err != nil {
		return Status{}, err
	}
	run, offline, err := ReadOfflineRun(tx)
	if err != nil {
		return Status{}, err
	}
	s := Status{
		Phase:         phase(stage, plan, planned),
		Rows:          counts.Rows,
		Nodes:         counts.Nodes,
		Relationships: counts.Relationships,
		Loaded:        sumMarks(counts, marks),
		Input:         in.Path,
		Mode:          plan.Mode,
		Export:        export,
	}
	if multi {
		s.Files = FileStatuses(files, stage, counts.Rows.Read)
	}
	if mapped {
		s.Mapping = &MappingStatus{Name: mapping.Name, SHA256: mapping.SHA256}
	}
	if offline {
		s.Offline = &run
	}
	return s, nil
}

func phase(stage StageMark, plan LoadPlan, planned bool) Phase {
	switch {
	case !stage.Done:
		return PhaseStaging
	case !planned:
		return PhaseStaged
	case !plan.Done:
		return PhaseLoading
	default:
		return PhaseLoaded
	}
}

// sumMarks adds up the partitions' written counts per label and type, with
// a zero for every staged label and type.
func sumMarks(counts Counts, marks []LoadMark) Loaded {
	l := Loaded{Nodes: map[string]int64{}, Relationships: map[string]int64{}}
	for name := range counts.Nodes {
		l.Nodes[name] = 0
	}
	for name := range counts.Relationships {
		l.Relationships[name] = 0
	}
	for _, m := range marks {
		if m.Kind == KindNodes {
			l.Nodes[m.Name] += m.Written
		} else {
			l.Relationships[m.Name] += m.Written
		}
	}
	return l
}

// missingFirstRecords names the records missing of those stage writes
// together in the state file's first transaction — the input record, the
// counters, the mapping (format 3) — when the input record (or the files
// record, format 4) or the mapping
// is there: such a file lost a page's entries (a damaged page header),
// which the read-only status must not show as a smaller import. "" when
// nothing is missing, or when neither is there (not staged; unit tests'
// files hold counters alone).
func missingFirstRecords(input, counts, mapping bool) string {
	if !input && !mapping || input && counts && mapping {
		return ""
	}
	var missing []string
	for _, r := range []struct {
		there bool
		name  string
	}{{input, "the input record"}, {counts, "the counters"}, {mapping, "the mapping record"}} {
		if !r.there {
			missing = append(missing, r.name)
		}
	}
	return strings.Join(missing, " and ") + " missing"
}

func hasCounts(tx *bolt.Tx) bool {
	var c Counts
	ok, err := getJSON(tx, keyCounts, &c)
	return ok && err == nil
}
