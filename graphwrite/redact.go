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
// every URI in text with "***". It is the one place that does so, and
// every path that can print a URI goes through it:
//
//   - the importer's stderr (logs, progress, prompts, warnings) is a
//     RedactingWriter, set once in main.go's run;
//   - its errors, printed by main.go's exitCode, and its help (cli.go's
//     usage, also on stdout) are passed through RedactURIs;
//   - Graph.Address and the errors of Connect hold the redacted URI, so
//     what a command prints on stdout (verify's report) has no password;
//   - bench/cmd/e2e wraps its stdout and stderr the same way and redacts
//     its final error.
//
// Data on stdout (status, rejects) is not redacted: it is the user's.
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
