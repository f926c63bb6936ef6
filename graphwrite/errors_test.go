package graphwrite

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/learnergraph/importer/staging"
	bolt "go.etcd.io/bbolt"
)

func TestConnectErrorsSayWhatAndWhatToDo(t *testing.T) {
	testGraph(t) // skips without Neo4j
	good := testConfig()
	wrongPassword, noDB, unreachable := good, good, good
	wrongPassword.Password = "not-the-password"
	noDB.Database = "nosuchdatabase"
	unreachable.URI = "neo4j://127.0.0.1:1"
	tests := []struct {
		name string
		cfg  Config
		want error
		hint string
	}{
		{"auth", wrongPassword, ErrAuth, "NEO4J_PASSWORD"},
		{"database", noDB, ErrNoDatabase, `"nosuchdatabase"`},
		{"unreachable", unreachable, ErrUnreachable, "make neo4j-up"},
	}
	for _, tt := range tests {
		_, err := Connect(context.Background(), tt.cfg)
		if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.hint) {
			t.Errorf("%s: Connect = %v; want %v with %q", tt.name, err, tt.want, tt.hint)
		}
		if err != nil && strings.Contains(err.Error(), tt.cfg.Password) {
			t.Errorf("%s: the error shows the password: %v", tt.name, err)
		}
	}
}

func TestPing(t *testing.T) {
	g := testGraph(t)
	info, err := g.Ping(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(info.Agent, "Neo4j/5.") || info.Edition == "" || info.Database != g.Database() || info.Address != g.Address() {
		t.Errorf("Ping = %+v", info)
	}
	if s := info.String(); !strings.Contains(s, info.Agent) || !strings.Contains(s, info.Address) {
		t.Errorf("String = %q", s)
	}
}

// TestConstraintTheTargetBreaks puts two countries with one code into the
// target: the constraint cannot be created, and the error says which and
// what to do.
func TestConstraintTheTargetBreaks(t *testing.T) {
	g := testGraph(t)
	ctx := context.Background()
	clearGraph(t, g)
	if _, err := g.exec(ctx, "DROP CONSTRAINT "+quote(constraintName("Country", "code"))+" IF EXISTS", nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		clearGraph(t, g)
		if err := g.EnsureConstraints(ctx, staging.DefaultSchema()); err != nil {
			t.Error(err)
		}
	})
	if _, err := g.exec(ctx, "CREATE (:Country {code: 'DE'}), (:Country {code: 'DE'})", nil); err != nil {
		t.Fatal(err)
	}
	err := g.EnsureConstraints(ctx, staging.DefaultSchema())
	if !errors.Is(err, ErrConstraint) || !strings.Contains(err.Error(), ":Country(code)") || !strings.Contains(err.Error(), "remove the duplicates") {
		t.Fatalf("EnsureConstraints = %v; want ErrConstraint naming :Country(code) with a hint", err)
	}
}

// TestCreateModeIntoATargetWithData fails with ErrKeyExists and a hint.
func TestCreateModeIntoATargetWithData(t *testing.T) {
	g := testGraph(t)
	ctx := context.Background()
	clearGraph(t, g)
	db := openState(t, stagedFile(t, 300, 2))
	if err := g.EnsureConstraints(ctx, staging.DefaultSchema()); err != nil {
		t.Fatal(err)
	}
	if _, err := Begin(ctx, g, db, ModeCreate, 1); err != nil {
		t.Fatal(err)
	}
	// A country the state file also has, put there by someone else.
	code, err := firstCountry(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.exec(ctx, "CREATE (:Country {code: $c})", map[string]any{"c": code}); err != nil {
		t.Fatal(err)
	}
	_, err = Load(ctx, g, db, LoadOptions{})
	if !errors.Is(err, ErrKeyExists) || !strings.Contains(err.Error(), "--mode merge") {
		t.Fatalf("Load = %v; want ErrKeyExists with a hint", err)
	}
}

// firstCountry returns the key of the first staged country.
func firstCountry(db *bolt.DB) (string, error) {
	var key string
	err := db.View(func(tx *bolt.Tx) error {
		nodes, _, err := staging.ReadNodes(tx, staging.DefaultSchema(), staging.Country, staging.Range{}, nil, 1)
		if err == nil && len(nodes) == 1 {
			key = nodes[0].Key
		}
		return err
	})
	return key, err
}
