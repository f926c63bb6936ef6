package main

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCommandsHoldNoBoltHandle checks that no command file imports bbolt:
// the commands reach the state file through checkpoint.State's typed
// operations and the library packages that take it, never through a raw
// *bolt.DB or transaction of their own (test files may).
func TestCommandsHoldNoBoltHandle(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); strings.HasPrefix(path, "go.etcd.io/bbolt") {
				got = append(got, name+" imports "+path)
			}
		}
	}
	if diff := cmp.Diff([]string(nil), got); diff != "" {
		t.Errorf("command files importing bbolt (-want +got):\n%s", diff)
	}
}
