package graphwrite

// Config says how to reach Neo4j. Password is never logged or printed.
type Config struct {
	URI      string
	Username string
	Password string
	Database string
}
