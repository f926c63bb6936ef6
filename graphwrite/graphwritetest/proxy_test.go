package graphwritetest

import (
	"bufio"
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// runMessage is a RUN message's data: struct marker, signature, the
// query as a PackStream string, an empty map of parameters.
func runMessage(query string) []byte {
	b := []byte{0xB3, sigRun}
	switch n := len(query); {
	case n < 16:
		b = append(b, 0x80+byte(n))
	case n < 256:
		b = append(b, 0xD0, byte(n))
	default:
		b = append(b, 0xD1, byte(n>>8), byte(n))
	}
	return append(append(b, query...), 0xA0, 0xA0)
}

// chunk splits data into chunks of at most size bytes and ends it.
func chunk(data []byte, size int) []byte {
	var out []byte
	for len(data) > 0 {
		n := min(size, len(data))
		out = append(out, byte(n>>8), byte(n))
		out = append(out, data[:n]...)
		data = data[n:]
	}
	return append(out, 0, 0)
}

func TestReadMessageAndRunQuery(t *testing.T) {
	for _, query := range []string{"RETURN 1", "UNWIND $rows AS r CREATE (n:Learner) SET n = r", strings.Repeat("x", 300)} {
		data := runMessage(query)
		wire := append(chunk(data, 7), chunk([]byte{0xB0, sigCommit}, 100)...)
		r := bufio.NewReader(bytes.NewReader(wire))
		raw, got, err := readMessage(r)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(data, got); diff != "" || !bytes.Equal(raw, wire[:len(raw)]) {
			t.Fatalf("message data differs (-want +got):\n%s", diff)
		}
		if q := runQuery(got); q != query {
			t.Errorf("runQuery = %q, want %q", q, query)
		}
		_, next, err := readMessage(r)
		if err != nil || len(next) != 2 || next[1] != sigCommit {
			t.Fatalf("the next message: %x, %v; want COMMIT", next, err)
		}
	}
}
