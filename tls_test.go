package main

import (
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/learnergraph/importer/graphwrite/graphwritetest"
)

// TestTLS starts a Neo4j that requires TLS, with a certificate signed by a
// CA made for the test, and connects to it every way a user would:
// neo4j+ssc:// (any certificate), neo4j+s:// and bolt+s:// with --ca-file
// (verified), and the failures, which must say TLS. Then a small load
// and a verify over TLS. One Neo4j for the whole test: starting one costs
// ~20 s.
func TestTLS(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Neo4j with TLS (~20 s); not with -short")
	}
	dir := t.TempDir()
	ca := newTestCA(t, "importer test CA")
	ca.writeServerCert(t, filepath.Join(dir, "tls"))
	caFile := filepath.Join(dir, "ca.pem")
	writeBytes(t, caFile, ca.pem)
	wrongCA := filepath.Join(dir, "other-ca.pem")
	writeBytes(t, wrongCA, newTestCA(t, "another CA").pem)
	addr := startTLSNeo4j(t, filepath.Join(dir, "home"), filepath.Join(dir, "tls"))

	untrusted := "TLS handshake failed with " + addr + ": certificate signed by unknown authority"
	tests := []struct {
		name string
		args []string
		code int
		want string // in stdout on success, in stderr on failure
	}{
		{"neo4j+ssc accepts the certificate", []string{"--uri", "neo4j+ssc://" + addr}, exitOK, "Neo4j/5"},
		{"neo4j+s verifies against --ca-file", []string{"--uri", "neo4j+s://" + addr, "--ca-file", caFile}, exitOK, "Neo4j/5"},
		{"bolt+s verifies against --ca-file", []string{"--uri", "bolt+s://" + addr, "--ca-file", caFile}, exitOK, "Neo4j/5"},
		{"localhost is in the certificate", []string{"--uri", "neo4j+s://localhost:" + port(addr), "--ca-file", caFile}, exitOK, "Neo4j/5"},
		{"neo4j+s without the CA", []string{"--uri", "neo4j+s://" + addr}, exitFailure, untrusted},
		{"neo4j+s with another CA", []string{"--uri", "neo4j+s://" + addr, "--ca-file", wrongCA}, exitFailure, untrusted},
		{"plaintext to a TLS server", []string{"--uri", "neo4j://" + addr}, exitFailure, "if it requires TLS, use neo4j+s:// or neo4j+ssc://"},
		{"--ca-file with a plaintext URI", []string{"--uri", "neo4j://" + addr, "--ca-file", caFile}, exitUsage, "--ca-file needs a URI that verifies"},
		{"--ca-file without a certificate", []string{"--uri", "neo4j+s://" + addr, "--ca-file", filepath.Join(dir, "tls", "private.key")}, exitUsage, "no PEM certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, "", append([]string{"ping"}, tt.args...)...)
			out := stdout
			if tt.code != exitOK {
				out = stderr
			}
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Fatalf("importer ping %v: status %d, stdout %q, stderr %q; want status %d and %q", tt.args, code, stdout, stderr, tt.code, tt.want)
			}
			if code == exitFailure && (strings.Count(stderr, "\n") != 1 || strings.Contains(stderr, "is Neo4j running")) {
				t.Errorf("want one line that does not ask whether Neo4j runs: %q", stderr)
			}
		})
	}

	t.Run("neo4j+s to a plaintext server", func(t *testing.T) {
		graphwritetest.Lock(t)   // the graphwrite tests restart it under this lock
		graphwritetest.Driver(t) // the test Neo4j, plaintext; only pinged
		u, err := url.Parse(neo4jEnv("NEO4J_URI"))
		if err != nil || u.Host == "" {
			u = &url.URL{Host: "127.0.0.1:7687"}
		}
		code, _, stderr := runCmd(t, "", "ping", "--uri", "neo4j+s://"+u.Host)
		want := "TLS handshake failed with " + u.Host + ": the server closed the connection"
		if code != exitFailure || !strings.Contains(stderr, want) || strings.Contains(stderr, "is Neo4j running") {
			t.Fatalf("status %d, %q; want %d and %q", code, stderr, exitFailure, want)
		}
	})

	t.Run("load and verify over TLS", func(t *testing.T) {
		state := stagedState(t, 200)
		conn := []string{"--uri", "neo4j+s://" + addr, "--ca-file", caFile}
		code, _, stderr := runCmd(t, "", append([]string{"load", "--state", state, "--workers", "2", "--batch-size", "100"}, conn...)...)
		if code != exitOK {
			t.Fatalf("load over TLS: status %d: %s", code, stderr)
		}
		code, stdout, stderr := runCmd(t, "", append([]string{"verify", "--state", state}, conn...)...)
		if code != exitOK || !strings.Contains(stdout, "matches") {
			t.Fatalf("verify over TLS: status %d: %s %s", code, stdout, stderr)
		}
	})
}

// port is the port of host:port.
func port(addr string) string {
	_, p, _ := strings.Cut(addr, ":")
	return p
}
