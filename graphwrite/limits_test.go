package graphwrite

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/learnergraph/importer/staging"
)

// TestLoadMaxKeys confirms staging's documented limits against the real
// Neo4j: keys of exactly staging.MaxKeyBytes (in 3-byte runes, the worst
// case for an index) and a property name of staging.MaxPropertyNameBytes
// load in both modes and verify, while one byte past Neo4j's own RANGE
// index limit (8,164 bytes) is refused by Neo4j, so the maximum is below it.
func TestLoadMaxKeys(t *testing.T) {
	g := testGraph(t)
	ctx := context.Background()
	key := strings.Repeat("€", staging.MaxKeyBytes/3) + strings.Repeat("k", staging.MaxKeyBytes%3)
	name := strings.Repeat("n", staging.MaxPropertyNameBytes-len("details_"))
	csv := "sandId,cityId,programId,skills,employment,learningState\n" +
		key + "," + key + "," + key + `,"[{""id"":""` + key + `""}]","[{""companyId"":""` + key + `""}]",` +
		`"{""status"":""s"",""details"":{""` + name + `"":1}}"` + "\n"
	dir := t.TempDir()
	input := filepath.Join(dir, "learners.csv")
	if err := os.WriteFile(input, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(dir, "state.db")
	counts, err := staging.Stage(ctx, input, state, staging.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if counts.Rows.Staged != 1 {
		t.Fatalf("staged %d rows, want 1 (rows: %+v)", counts.Rows.Staged, counts.Rows)
	}
	for _, mode := range []Mode{ModeCreate, ModeMerge} {
		clearGraph(t, g)
		db := openState(t, state)
		loadAll(t, g, db, mode, LoadOptions{Workers: 1, BatchSize: 10})
		diffs, err := Verify(ctx, g, db, VerifyOptions{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(diffs) != 0 {
			t.Errorf("%s: verify: %v", mode, diffs)
		}
		db.Close()
	}
	_, err = g.exec(ctx, "CREATE (:Skill {id: $id})", map[string]any{"id": strings.Repeat("x", 8165)})
	if err == nil || !strings.Contains(err.Error(), "too large to index") {
		t.Errorf("an 8,165-byte Skill id: err = %v, want Neo4j's \"too large to index\"", err)
	}
	clearGraph(t, g)
}
