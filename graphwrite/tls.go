package graphwrite

import (
	"crypto/tls"
	"fmt"
	"net/url"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
)

// withTLS makes the driver trust cfg.RootCAs (when set) for the
// certificate-checking schemes, neo4j+s:// and bolt+s://.
func withTLS(cfg Config) func(*config.Config) {
	return func(c *config.Config) {
		if cfg.RootCAs != nil {
			c.TlsConfig = &tls.Config{RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12}
		}
	}
}

// tlsScheme reports whether uri asks for TLS (neo4j+s, neo4j+ssc,
// bolt+s, bolt+ssc).
func tlsScheme(uri string) bool {
	u, err := url.Parse(uri)
	return err == nil && strings.Contains(u.Scheme, "+s")
}

// tlsError recognises a failed TLS handshake in a driver error and says
// what failed. The driver keeps only the text of errors met while reading
// a routing table, so this goes by the text of Go's tls and x509 errors
// and of the driver's own message for a server that closed the
// connection on a TLS hello.
func (g *Graph) tlsError(cfg Config, err error) (error, bool) {
	msg := err.Error()
	host := hostOf(cfg.URI)
	var reason, hint string
	switch i := max(strings.LastIndex(msg, "x509: "), strings.LastIndex(msg, "tls: ")); {
	case strings.Contains(msg, "check that TLS is enabled on the server"):
		reason = "the server closed the connection"
		hint = "does it speak TLS? for a plaintext server use neo4j:// or bolt://"
	case i >= 0:
		reason = msg[i+strings.Index(msg[i:], ": ")+2:]
		switch {
		case strings.Contains(reason, "unknown authority"):
			hint = "trust the CA that signed the server's certificate with --ca-file, or accept any certificate with neo4j+ssc://"
		case strings.Contains(reason, "not valid for") || strings.Contains(reason, "is valid for"):
			hint = "connect by a name or address the certificate is for"
		default:
			hint = "check the server's certificate and --ca-file"
		}
	default:
		return nil, false
	}
	return fmt.Errorf("connect to %s: %w with %s: %s (%s)", g.address, ErrTLS, host, reason, hint), true
}

// plaintextRefused reports whether err looks like a TLS-only server
// hanging up on a plaintext Bolt handshake.
func plaintextRefused(cfg Config, err error) bool {
	return !tlsScheme(cfg.URI) && strings.HasSuffix(err.Error(), "EOF")
}

func hostOf(uri string) string {
	u, err := url.Parse(uri)
	if err != nil {
		return "the server"
	}
	return u.Host
}
