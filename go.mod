module github.com/learnergraph/importer

go 1.26.8

require github.com/peterbourgon/ff/v3 v3.4.0

require (
	go.etcd.io/bbolt v1.4.3 // indirect
	golang.org/x/sys v0.29.0 // indirect
)
