package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/learnergraph/importer/graphwrite"
)

// connFlags are the Neo4j connection flags shared by every command that
// talks to Neo4j. Each falls back to the conventional NEO4J_* variable when
// neither the flag nor its IMPORTER_* variable is set. The password is never
// a flag: it comes from IMPORTER_NEO4J_PASSWORD or NEO4J_PASSWORD, or from
// the file named by --password-file.
type connFlags struct {
	uri          string
	username     string
	database     string
	passwordFile string
	caFile       string
}

// defaultURI is where `make neo4j-up` puts the local Neo4j.
const defaultURI = "neo4j://127.0.0.1:7687"

func (c *connFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&c.uri, "uri", orDefault(getenv("NEO4J_URI"), defaultURI), "Neo4j Bolt URI (env NEO4J_URI)")
	fs.StringVar(&c.username, "username", orDefault(getenv("NEO4J_USERNAME"), "neo4j"), "Neo4j user (env NEO4J_USERNAME)")
	fs.StringVar(&c.database, "database", orDefault(getenv("NEO4J_DATABASE"), "neo4j"), "Neo4j database name (env NEO4J_DATABASE)")
	fs.StringVar(&c.passwordFile, "password-file", "", "read the Neo4j password from this file (else env IMPORTER_NEO4J_PASSWORD or NEO4J_PASSWORD)")
	fs.StringVar(&c.caFile, "ca-file", "", "trust the CA certificates (PEM) in this file for neo4j+s:// and bolt+s:// (else the system's)")
}

// config resolves the flags into a connection configuration, reading the
// password from the environment or the password file.
func (c *connFlags) config(getenv func(string) string) (graphwrite.Config, error) {
	password := orDefault(getenv("IMPORTER_NEO4J_PASSWORD"), getenv("NEO4J_PASSWORD"))
	if c.passwordFile != "" {
		b, err := os.ReadFile(c.passwordFile)
		if err != nil {
			return graphwrite.Config{}, usageError{fmt.Errorf("read password file: %w", err)}
		}
		password = strings.TrimRight(string(b), "\r\n")
	}
	cas, err := loadCAFile(c.caFile, c.uri)
	if err != nil {
		return graphwrite.Config{}, usageError{err}
	}
	return graphwrite.Config{URI: c.uri, Username: c.username, Password: password, Database: c.database, RootCAs: cas}, nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
