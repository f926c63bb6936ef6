module github.com/learnergraph/importer/neo4j/ping

go 1.26.8

require github.com/neo4j/neo4j-go-driver/v5 v5.28.4
