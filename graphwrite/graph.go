package graphwrite

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
)

// Connection tuning. The driver's own retry of transaction functions is
// kept short: the loader wraps it in a longer loop of its own (retry.go)
// that also covers what the driver does not retry, such as a connection
// lost during COMMIT.
const (
	connectTimeout   = 15 * time.Second
	socketTimeout    = 5 * time.Second
	driverRetryTime  = 15 * time.Second
	maxPoolSize      = 64
	acquireTimeout   = 30 * time.Second
	codeNoDatabase   = "Neo.ClientError.Database.DatabaseNotFound"
	codeUnauthorized = "Neo.ClientError.Security.Unauthorized"
)

// Graph is a connection to one Neo4j database. It is safe for concurrent
// use; sessions are not, so every goroutine opens its own.
type Graph struct {
	driver   neo4j.DriverWithContext
	database string
	address  string
}

// Connect opens a driver for cfg, checks that Neo4j answers, that the
// credentials are accepted and that the database exists. Its errors wrap
// ErrBadURI, ErrUnreachable, ErrTLS, ErrAuth or ErrNoDatabase and never
// contain the password.
func Connect(ctx context.Context, cfg Config) (*Graph, error) {
	address := RedactURIs(cfg.URI)
	driver, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.Username, cfg.Password, ""), configure, withTLS(cfg))
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w: %s (the URI looks like neo4j://host:7687)", address, ErrBadURI, uriProblem(cfg.URI, err))
	}
	g := &Graph{driver: driver, database: cfg.Database, address: address}
	ctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	if err := driver.VerifyConnectivity(ctx); err != nil {
		driver.Close(context.Background())
		return nil, g.connectError(cfg, err)
	}
	if _, err := g.query(ctx, "RETURN 1", nil); err != nil {
		driver.Close(context.Background())
		return nil, g.connectError(cfg, err)
	}
	return g, nil
}

// uriProblem is the driver's complaint about uri, unless uri carries user
// information: a malformed one can show pieces of the password in the
// complaint ("invalid port \":s3cr\"").
func uriProblem(uri string, err error) string {
	if RedactURIs(uri) != uri {
		return "malformed (the user information, not shown, may be the problem: give the user as --username and the password in NEO4J_PASSWORD)"
	}
	return err.Error()
}

func configure(c *config.Config) {
	c.MaxTransactionRetryTime = driverRetryTime
	c.SocketConnectTimeout = socketTimeout
	c.MaxConnectionPoolSize = maxPoolSize
	c.ConnectionAcquisitionTimeout = acquireTimeout
}

// connectError turns a driver error met while connecting into one line
// with a hint.
func (g *Graph) connectError(cfg Config, err error) error {
	var dbErr *neo4j.Neo4jError
	switch {
	case errors.As(err, &dbErr) && dbErr.Code == codeNoDatabase:
		return fmt.Errorf("connect to %s: %w: %q (check --database; Community Edition has only \"neo4j\" and \"system\")", g.address, ErrNoDatabase, cfg.Database)
	case errors.As(err, &dbErr) && dbErr.HasSecurityCode():
		return fmt.Errorf("connect to %s as %q: %w: %s (set NEO4J_PASSWORD or use --password-file)", g.address, cfg.Username, ErrAuth, dbErr.Msg)
	}
	if tlsErr, ok := g.tlsError(cfg, err); ok {
		return tlsErr
	}
	if plaintextRefused(cfg, err) {
		return fmt.Errorf("connect to %s: %w: %v (the server hung up on the Bolt handshake: if it requires TLS, use neo4j+s:// or neo4j+ssc://)", g.address, ErrUnreachable, err)
	}
	return fmt.Errorf("connect to %s: %w: %v (is Neo4j running? for the local one: make neo4j-up)", g.address, ErrUnreachable, err)
}

// Close closes the driver and its connections.
func (g *Graph) Close(ctx context.Context) error { return g.driver.Close(ctx) }

// Address is the Bolt URI of the graph, without any password.
func (g *Graph) Address() string { return g.address }

// Database is the name of the database every session uses.
func (g *Graph) Database() string { return g.database }

// session opens a session on the graph's database. Naming the database
// explicitly saves the driver a round trip to resolve the home database.
func (g *Graph) session(ctx context.Context, mode neo4j.AccessMode) neo4j.SessionWithContext {
	return g.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: g.database, AccessMode: mode})
}

// query runs one read query in a managed transaction and returns its
// records.
func (g *Graph) query(ctx context.Context, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	s := g.session(ctx, neo4j.AccessModeRead)
	defer s.Close(context.Background())
	out, err := s.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		res, err := tx.Run(ctx, cypher, params)
		if err != nil {
			return nil, err
		}
		return res.Collect(ctx)
	})
	if err != nil {
		return nil, err
	}
	return out.([]*neo4j.Record), nil
}

// Read runs one read-only query in a read transaction that Neo4j stops
// after timeout (a write in it fails), and returns its column names and
// rows. The driver does not retry a timed-out transaction.
func (g *Graph) Read(ctx context.Context, cypher string, params map[string]any, timeout time.Duration) (keys []string, rows [][]any, err error) {
	ctx, cancel := context.WithTimeout(ctx, timeout+connectTimeout)
	defer cancel()
	s := g.session(ctx, neo4j.AccessModeRead)
	defer s.Close(context.Background())
	_, err = s.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		res, err := tx.Run(ctx, cypher, params)
		if err != nil {
			return nil, err
		}
		recs, err := res.Collect(ctx)
		if err != nil {
			return nil, err
		}
		keys, rows = nil, make([][]any, len(recs))
		for i, r := range recs {
			keys, rows[i] = r.Keys, r.Values
		}
		if keys == nil {
			keys, err = res.Keys()
		}
		return nil, err
	}, neo4j.WithTxTimeout(timeout))
	return keys, rows, err
}

// exec runs one statement in an auto-commit transaction and returns its
// summary. Schema commands and CALL { ... } IN TRANSACTIONS need that.
func (g *Graph) exec(ctx context.Context, cypher string, params map[string]any) (neo4j.ResultSummary, error) {
	s := g.session(ctx, neo4j.AccessModeWrite)
	defer s.Close(context.Background())
	res, err := s.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	return res.Consume(ctx)
}
