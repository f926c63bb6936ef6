package graphwrite

import (
	"io"
	"regexp"
)

// userinfo matches the user information of a URI in free text: the scheme,
// then everything up to the last "@" before the next space or quote. It
// does not parse the URI, so a malformed one (a password with a slash or a
// percent sign, a bad port) is redacted too.
var userinfo = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*://)[^\s"'<>]*@`)

// RedactURIs replaces the user information (user name and password) of
// every URI in text with "***". It is the one place that does so: the
// importer passes its help, errors, logs and reports through it, and so do
// the benchmark tools.
func RedactURIs(text string) string {
	return userinfo.ReplaceAllString(text, "${1}***@")
}

// RedactingWriter passes everything written through RedactURIs. Each Write
// must hold whole URIs, as every fmt.Fprintf call does.
type RedactingWriter struct{ W io.Writer }

func (r RedactingWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(r.W, RedactURIs(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
