package main

import "testing"

// TestRedact: a driver error that quotes the URI, or the password alone,
// never reaches stderr with the password.
func TestRedact(t *testing.T) {
	t.Setenv("NEO4J_PASSWORD", "pw-in-env")
	cases := []struct{ msg, uri, want string }{
		{`parse "neo4j://bob:s3cret@[bad": missing ']' in host`, "neo4j://bob:s3cret@[bad", `parse "neo4j://***@[bad": missing ']' in host`},
		{"auth failed for pw-in-env", "neo4j://127.0.0.1:7687", "auth failed for ***"},
		{"dial tcp 127.0.0.1:1: refused", "neo4j://127.0.0.1:1", "dial tcp 127.0.0.1:1: refused"},
	}
	for _, c := range cases {
		if got := redact(c.msg, c.uri); got != c.want {
			t.Errorf("redact(%q, %q) = %q, want %q", c.msg, c.uri, got, c.want)
		}
	}
}
