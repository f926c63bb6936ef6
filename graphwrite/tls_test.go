package graphwrite

import (
	"errors"
	"strings"
	"testing"
)

// TestConnectErrorSaysTLS classifies the driver's errors as met against
// the local Neo4j with and without TLS (the texts are the driver's); the
// TLS Neo4j itself is tested in the importer's TestTLS.
func TestConnectErrorSaysTLS(t *testing.T) {
	tests := []struct {
		uri, driverErr string
		is             error
		want           string
	}{
		{"neo4j+s://127.0.0.1:7695", "ConnectivityError: Unable to retrieve routing table from 127.0.0.1:7695: tls: failed to verify certificate: x509: certificate signed by unknown authority",
			ErrTLS, "TLS handshake failed with 127.0.0.1:7695: certificate signed by unknown authority (trust the CA"},
		{"bolt+s://db.example:7687", "ConnectivityError: tls: failed to verify certificate: x509: certificate is valid for 127.0.0.1, not db.example",
			ErrTLS, "TLS handshake failed with db.example:7687: certificate is valid for 127.0.0.1, not db.example (connect by a name"},
		{"neo4j+s://127.0.0.1:7693", "ConnectivityError: Unable to retrieve routing table from 127.0.0.1:7693: remote end closed the connection, check that TLS is enabled on the server",
			ErrTLS, "TLS handshake failed with 127.0.0.1:7693: the server closed the connection (does it speak TLS?"},
		{"neo4j+ssc://127.0.0.1:7693", "ConnectivityError: tls: first record does not look like a TLS handshake",
			ErrTLS, "TLS handshake failed with 127.0.0.1:7693: first record does not look like a TLS handshake (check the server's certificate"},
		{"neo4j://127.0.0.1:7695", "ConnectivityError: Unable to retrieve routing table from 127.0.0.1:7695: EOF",
			ErrUnreachable, "if it requires TLS, use neo4j+s:// or neo4j+ssc://"},
		{"neo4j+s://127.0.0.1:1", "ConnectivityError: Unable to retrieve routing table from 127.0.0.1:1: dial tcp 127.0.0.1:1: connect: connection refused",
			ErrUnreachable, "is Neo4j running?"},
	}
	for _, tt := range tests {
		cfg := Config{URI: tt.uri}
		g := &Graph{address: tt.uri}
		err := g.connectError(cfg, errors.New(tt.driverErr))
		if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v\nwant %v and %q", tt.uri, err, tt.is, tt.want)
		}
	}
}
