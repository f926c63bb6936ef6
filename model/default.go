package model

import (
	_ "embed"
	"fmt"
)

// learnersYAML is the learner contract's mapping.
//
//go:embed learners.yaml
var learnersYAML []byte

// DefaultName names the embedded mapping in errors and in status.
const DefaultName = "learners.yaml (built in)"

// defaultModel is the parsed embedded mapping. Read-only.
var defaultModel = func() *Model {
	m, err := Parse(DefaultName, learnersYAML)
	if err != nil {
		panic(fmt.Sprintf("the built-in mapping is invalid: %v", err)) // a test proves it is not
	}
	return m
}()

// Default returns the learner contract's mapping, learners.yaml, which the
// importer uses when no mapping file is given. Do not change it.
func Default() *Model { return defaultModel }
