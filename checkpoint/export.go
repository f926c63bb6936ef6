package checkpoint

import (
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

var (
	keyExport         = []byte("export")
	exportUnitsBucket = []byte("export-units")
)

// ExportPlan is fixed when an export starts and kept by every resume of it:
// where the files go and how they are encoded. Units is how many units the
// export has in all.
type ExportPlan struct {
	Dir            string `json:"dir"`
	IDType         string `json:"idType"` // the import tool's --id-type
	Gzip           bool   `json:"gzip"`
	ArrayDelimiter string `json:"arrayDelimiter"`
	Partitions     int    `json:"partitions"`
	Units          int    `json:"units"`
	Done           bool   `json:"done"`
}

// ExportFile is one group of a unit: a header file and a data file (names
// relative to the export directory) for one label or type, with the number
// of entities and whether a value spans lines.
type ExportFile struct {
	Header string `json:"header"`
	Data   string `json:"data"`
	Rows   int64  `json:"rows"`
	// Bytes is the data file's size before compression (0: not recorded,
	// by an older export).
	Bytes     int64 `json:"bytes,omitempty"`
	Multiline bool  `json:"multiline,omitempty"`
}

// ExportUnit is one finished piece of an export: one partition of one
// staged bucket, all its files renamed into place.
type ExportUnit struct {
	Kind     string       `json:"kind"`
	Name     string       `json:"name"`
	Part     int          `json:"part"`
	Files    []ExportFile `json:"files"`
	Entities int64        `json:"entities"`
}

// Key names the unit, as in the state file.
func (u ExportUnit) Key() string { return u.Kind + "/" + u.Name + "/" + strconv.Itoa(u.Part) }

// ReadExportPlan returns the export plan; ok is false before an export
// started.
func ReadExportPlan(tx *bolt.Tx) (p ExportPlan, ok bool, err error) {
	ok, err = getJSON(tx, keyExport, &p)
	return p, ok, err
}

// WriteExportPlan stores the export plan.
func WriteExportPlan(tx *bolt.Tx, p ExportPlan) error { return putJSON(tx, keyExport, p) }

// WriteExportUnit records u as finished.
func WriteExportUnit(tx *bolt.Tx, u ExportUnit) error {
	b, err := tx.CreateBucketIfNotExists(exportUnitsBucket)
	if err != nil {
		return fmt.Errorf("write export unit: %w", err)
	}
	raw, err := sealJSON(u)
	if err != nil {
		return fmt.Errorf("write export unit: %w", err)
	}
	return b.Put([]byte(u.Key()), raw)
}

// ReadExportUnits returns every finished unit, by key.
func ReadExportUnits(tx *bolt.Tx) (map[string]ExportUnit, error) {
	units := map[string]ExportUnit{}
	b := tx.Bucket(exportUnitsBucket)
	if b == nil {
		return units, nil
	}
	err := Guard(tx.DB().Path(), func() error {
		return b.ForEach(func(k, v []byte) error {
			var u ExportUnit
			if err := unsealJSON(v, &u); err != nil {
				return fmt.Errorf("read export unit %s: %w", k, err)
			}
			units[string(k)] = u
			return nil
		})
	})
	return units, err
}

// ClearExport forgets the export plan and every finished unit, so the next
// export starts from the beginning.
func ClearExport(tx *bolt.Tx) error {
	if tx.Bucket(exportUnitsBucket) != nil {
		if err := tx.DeleteBucket(exportUnitsBucket); err != nil {
			return fmt.Errorf("clear export: %w", err)
		}
	}
	return tx.Bucket(metaBucket).Delete(keyExport)
}

// ExportStatus is the export's part of the status report.
type ExportStatus struct {
	Dir       string `json:"dir"`
	Done      bool   `json:"done"`
	Units     int    `json:"units"`
	UnitsDone int    `json:"unitsDone"`
	Entities  int64  `json:"entities"`
}

func readExportStatus(tx *bolt.Tx) (*ExportStatus, error) {
	plan, ok, err := ReadExportPlan(tx)
	if err != nil || !ok {
		return nil, err
	}
	units, err := ReadExportUnits(tx)
	if err != nil {
		return nil, err
	}
	s := &ExportStatus{Dir: plan.Dir, Done: plan.Done, Units: plan.Units, UnitsDone: len(units)}
	for _, u := range units {
		s.Entities += u.Entities
	}
	return s, nil
}
