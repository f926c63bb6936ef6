package graphwrite

import (
	"context"
	"fmt"
	"strings"
)

// ServerInfo describes the Neo4j server a Graph talks to.
type ServerInfo struct {
	Address  string // Bolt URI, without any password
	Database string
	Agent    string // e.g. "Neo4j/5.26.19"
	Edition  string // "community" or "enterprise"
}

func (s ServerInfo) String() string {
	return fmt.Sprintf("%s (%s edition) at %s, database %q", s.Agent, s.Edition, s.Address, s.Database)
}

// Ping runs RETURN 1 on the graph's database and reports the server's
// version and edition.
func (g *Graph) Ping(ctx context.Context) (ServerInfo, error) {
	info := ServerInfo{Address: g.address, Database: g.database}
	recs, err := g.query(ctx, "RETURN 1 AS one", nil)
	if err != nil || len(recs) != 1 {
		return info, fmt.Errorf("ping %s: RETURN 1: %w", g.address, firstErr(err, fmt.Errorf("got %d records", len(recs))))
	}
	recs, err = g.query(ctx, "CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition", nil)
	if err != nil {
		return info, fmt.Errorf("ping %s: server version: %w", g.address, err)
	}
	for _, r := range recs {
		name, _ := r.Get("name")
		if name != "Neo4j Kernel" {
			continue
		}
		versions, _ := r.Get("versions")
		edition, _ := r.Get("edition")
		info.Edition, _ = edition.(string)
		if vs, ok := versions.([]any); ok {
			var parts []string
			for _, v := range vs {
				parts = append(parts, fmt.Sprint(v))
			}
			info.Agent = "Neo4j/" + strings.Join(parts, ",")
		}
	}
	return info, nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
