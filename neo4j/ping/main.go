// Command neo4j-ping exits 0 when Neo4j answers `RETURN 1` over Bolt, 2 when
// Neo4j answers but rejects the credentials, and 1 when it cannot be reached
// (the reason goes to stderr). neo4j/neo4j.sh uses it to wait for the local
// Neo4j to be ready.
//
// `neo4j-ping mark` also marks the database as the repo's test database:
// it creates the index named importer_test_database (on a label no data
// uses), which survives `importer clear-database`. The importer's tests
// clear only a database that carries it (see graphwritetest.Driver).
//
// Environment: NEO4J_URI (default neo4j://127.0.0.1:$NEO4J_PORT, port 7687),
// NEO4J_USERNAME (default neo4j), NEO4J_PASSWORD (default importer-local).
//
// It is its own Go module so that bringing Neo4j up never depends on the
// importer module compiling.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// markIndex names the index that marks the test database; graphwritetest
// looks for the same name.
const markIndex = "importer_test_database"

func main() {
	err := ping(len(os.Args) > 1 && os.Args[1] == "mark")
	if err != nil {
		fmt.Fprintln(os.Stderr, "neo4j-ping:", redact(err.Error(), uri()))
		var ne *neo4j.Neo4jError
		if errors.As(err, &ne) && strings.HasPrefix(ne.Code, "Neo.ClientError.Security.") {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

func uri() string { return env("NEO4J_URI", "neo4j://127.0.0.1:"+env("NEO4J_PORT", "7687")) }

// redact hides the userinfo of uri wherever msg repeats it (a driver error
// can quote the URI) and the password wherever it appears alone.
func redact(msg, uri string) string {
	if i := strings.Index(uri, "://"); i >= 0 {
		if j := strings.LastIndex(uri[i+3:], "@"); j >= 0 {
			msg = strings.ReplaceAll(msg, uri[i+3:i+3+j+1], "***@")
		}
	}
	if p := os.Getenv("NEO4J_PASSWORD"); p != "" {
		msg = strings.ReplaceAll(msg, p, "***")
	}
	return msg
}

func ping(mark bool) error {
	uri := uri()
	auth := neo4j.BasicAuth(env("NEO4J_USERNAME", "neo4j"), env("NEO4J_PASSWORD", "importer-local"), "")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	driver, err := neo4j.NewDriverWithContext(uri, auth)
	if err != nil {
		return err
	}
	defer driver.Close(ctx)
	// One auto-commit query, not ExecuteQuery: the caller does the retrying.
	session := driver.NewSession(ctx, neo4j.SessionConfig{})
	defer session.Close(ctx)
	res, err := session.Run(ctx, "RETURN 1 AS one", nil)
	if err != nil {
		return err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return err
	}
	if one, _ := rec.Get("one"); one != int64(1) {
		return fmt.Errorf("RETURN 1 gave %v", one)
	}
	if !mark {
		return nil
	}
	// Creating an index can take longer than a ping on a busy machine.
	markCtx, cancelMark := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancelMark()
	res, err = session.Run(markCtx, "CREATE INDEX "+markIndex+" IF NOT EXISTS FOR (n:ImporterTestDatabase) ON (n.marker)", nil)
	if err == nil {
		_, err = res.Consume(markCtx)
	}
	if err != nil {
		return fmt.Errorf("mark the test database: %w", err)
	}
	return nil
}

func env(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
