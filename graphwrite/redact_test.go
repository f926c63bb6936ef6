package graphwrite

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRedactURIs(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"neo4j://bob:secret@host:7687", "neo4j://***@host:7687"},
		{"neo4j+s://bob:secret@host", "neo4j+s://***@host"},
		{"bolt://secret@host", "bolt://***@host"},
		{"neo4j://host:7687", "neo4j://host:7687"},
		{"neo4j://127.0.0.1:7687/db", "neo4j://127.0.0.1:7687/db"},
		// Malformed URIs, which url.Parse refuses: a slash, a percent
		// sign or an @ in the password, a bad port.
		{"neo4j://bob:se/cr%et@host:x", "neo4j://***@host:x"},
		{"neo4j://bob:p@ss@host", "neo4j://***@host"},
		// In a sentence, quoted, twice.
		{`parse "neo4j://bob:secret@host:x": invalid port; uri neo4j://a:b@h`, `parse "neo4j://***@host:x": invalid port; uri neo4j://***@h`},
		{"mail bob@example.com at http://example.com/x", "mail bob@example.com at http://example.com/x"},
	} {
		if diff := cmp.Diff(tt.want, RedactURIs(tt.in)); diff != "" {
			t.Errorf("RedactURIs(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

// TestConnectBadURIRedacted checks that a malformed URI with credentials
// is not echoed with its password (it was, twice, when the redaction
// parsed the URI and the driver's error quoted it).
func TestConnectBadURIRedacted(t *testing.T) {
	for _, uri := range []string{"neo4j://bob:s3cr/et@host:notaport", "neo4j://bob:s3cret@host:99999999", "nosuch://bob:s3cret@host"} {
		_, err := Connect(context.Background(), Config{URI: uri, Username: "bob", Password: "pw", Database: "neo4j"})
		if err == nil || !errors.Is(err, ErrBadURI) && !errors.Is(err, ErrUnreachable) {
			t.Fatalf("Connect(%q) = %v, want an invalid URI", uri, err)
		}
		if strings.Contains(err.Error(), "s3cr") {
			t.Errorf("Connect(%q): the error shows the password: %v", uri, err)
		}
	}
}

func TestRedactingWriter(t *testing.T) {
	var buf strings.Builder
	w := RedactingWriter{W: &buf}
	n, err := w.Write([]byte("uri neo4j://bob:s3cret@host\n"))
	if err != nil || n != 28 || buf.String() != "uri neo4j://***@host\n" {
		t.Errorf("Write = %d, %v; wrote %q", n, err, buf.String())
	}
}
