package graphwrite

import "crypto/x509"

// Config says how to reach Neo4j. Password is never logged or printed.
type Config struct {
	URI      string
	Username string
	Password string
	Database string
	// RootCAs are the certificate authorities trusted for neo4j+s:// and
	// bolt+s://; nil trusts the system's.
	RootCAs *x509.CertPool
}
