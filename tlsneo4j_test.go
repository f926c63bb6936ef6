package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// testCA is a certificate authority made for one test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

func newTestCA(t *testing.T, name string) testCA {
	t.Helper()
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return testCA{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// writeServerCert writes private.key and public.crt for 127.0.0.1 and
// localhost, signed by ca, into dir: what the launcher's NEO4J_TLS_DIR
// holds.
func (ca testCA) writeServerCert(t *testing.T, dir string) {
	t.Helper()
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	writeBytes(t, filepath.Join(dir, "public.crt"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	writeBytes(t, filepath.Join(dir, "private.key"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}))
}

func writeBytes(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// freePort is a TCP port on the loopback address that nothing listens
// on right now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// requireLauncher skips the test when the local Neo4j cannot be started
// here (no java or mvn), except under CI=true, where it fails.
func requireLauncher(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"java", "mvn"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is required under CI=true to start a second Neo4j: %v", tool, err)
			}
			t.Skipf("no %s to start a second Neo4j with (neo4j/README.md): %v", tool, err)
		}
	}
}

// startTLSNeo4j starts a second local Neo4j with Bolt over TLS (required)
// with the certificate in tlsDir, on its own port and its own home under
// home, with neo4j/neo4j.sh; it is stopped when the test ends. It
// returns the Bolt address, host:port.
func startTLSNeo4j(t *testing.T, home, tlsDir string) string {
	t.Helper()
	addr, _ := startSecondNeo4j(t, home, "NEO4J_TLS_DIR="+tlsDir)
	return addr
}

// startSecondNeo4j starts a second local Neo4j on its own port, with its
// own home (NEO4J_HOME_DIR=home), with neo4j/neo4j.sh and the settings in
// extra (NAME=value); it is stopped when the test ends. It returns the
// Bolt address, host:port, and the environment neo4j.sh ran with (the
// NEO4J_* variables point at the second Neo4j).
func startSecondNeo4j(t *testing.T, home string, extra ...string) (string, []string) {
	t.Helper()
	requireLauncher(t)
	port := strconv.Itoa(freePort(t))
	// The classpath the repo's Neo4j resolved saves a Maven run.
	if cp, err := os.ReadFile(filepath.Join(orDefault(os.Getenv("NEO4J_HOME_DIR"), ".neo4j"), "classpath.txt")); err == nil {
		writeBytes(t, filepath.Join(home, "classpath.txt"), cp)
	}
	env := []string{
		"NEO4J_PORT=" + port, "NEO4J_HOME_DIR=" + home,
		"NEO4J_PASSWORD=" + neo4jEnv("NEO4J_PASSWORD"),
		"NEO4J_HEAP=1g", "NEO4J_PAGECACHE_MB=128", "NEO4J_TX_MEMORY_MB=256",
		// A second JVM starting on a busy machine can take minutes.
		"NEO4J_START_TIMEOUT=" + orDefault(os.Getenv("NEO4J_START_TIMEOUT"), "600"),
	}
	env = append(env, extra...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NEO4J_") {
			env = append(env, kv)
		}
	}
	launcher := func(verb string) error {
		cmd := exec.Command("bash", filepath.Join("neo4j", "neo4j.sh"), verb)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		t.Logf("second Neo4j (%s): neo4j.sh %s: %s", home, verb, strings.TrimSpace(string(out)))
		return err
	}
	t.Cleanup(func() {
		if err := launcher("down"); err != nil {
			t.Errorf("stop the second Neo4j: %v", err)
		}
	})
	if err := launcher("up"); err != nil {
		t.Fatalf("start a second Neo4j: %v", err)
	}
	return "127.0.0.1:" + port, env
}
