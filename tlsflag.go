package main

import (
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
)

// loadCAFile reads the --ca-file certificates (PEM) into a pool; "" is
// no file (nil: the system's authorities). The file only makes sense with
// a scheme that verifies certificates.
func loadCAFile(path, uri string) (*x509.CertPool, error) {
	if path == "" {
		return nil, nil
	}
	// Not url.Parse: its errors quote the whole URI, password included.
	scheme, _, _ := strings.Cut(uri, "://")
	if scheme != "neo4j+s" && scheme != "bolt+s" {
		return nil, fmt.Errorf("--ca-file needs a URI that verifies the server's certificate, neo4j+s:// or bolt+s:// (the URI's scheme is %q)", scheme)
	}
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read --ca-file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("--ca-file %s: %w", path, errNoCertificate)
	}
	return pool, nil
}

// errNoCertificate means the --ca-file holds no PEM certificate.
var errNoCertificate = errors.New("no PEM certificate in the file")
