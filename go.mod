module github.com/learnergraph/importer

go 1.26.8

require (
	github.com/google/go-cmp v0.7.0
	github.com/neo4j/neo4j-go-driver/v5 v5.28.4
	github.com/peterbourgon/ff/v3 v3.4.0
	go.etcd.io/bbolt v1.4.3
)

require (
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	golang.org/x/sys v0.29.0 // indirect
)
