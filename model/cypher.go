package model

import (
	"fmt"
	"strings"
)

// What `mapping check` can tell of a report query's Cypher without a
// server, conservatively: package report runs each query with no
// parameters, in a read transaction, so a parameter or a clause that
// writes can never work. Strings, comments, `quoted` names, property keys
// (n.set), labels (:Set) and map keys ({set: 1}) are not clauses. Not
// seen: a procedure or function that writes (CALL apoc.…), and anything
// only a parser of the full grammar or the server knows (EXPLAIN does).

// writeClauses are the Cypher keywords that begin a clause that writes
// data or schema.
var writeClauses = []string{"CREATE", "MERGE", "SET", "DELETE", "REMOVE", "DROP", "FOREACH"}

// cypherMistake is one thing wrong with a query, at a line of its text
// (0 for its first).
type cypherMistake struct {
	line int
	msg  string
}

// checkCypher returns what is wrong with a report query's Cypher, in the
// order of the text.
func checkCypher(text string) []cypherMistake {
	s := &cypherScan{text: text}
	s.run()
	return s.out
}

type cypherScan struct {
	text string
	i    int
	line int
	out  []cypherMistake
	// prev is the last significant character before the current token.
	prev byte
}

func (s *cypherScan) mistake(line int, format string, args ...any) {
	s.out = append(s.out, cypherMistake{line: line, msg: fmt.Sprintf(format, args...)})
}

func (s *cypherScan) run() {
	for s.i < len(s.text) {
		c := s.text[s.i]
		switch {
		case c == '\n':
			s.line++
			s.i++
			continue
		case c == ' ' || c == '\t' || c == '\r':
			s.i++
			continue
		case strings.HasPrefix(s.text[s.i:], "//"):
			for s.i < len(s.text) && s.text[s.i] != '\n' {
				s.i++
			}
			continue
		case strings.HasPrefix(s.text[s.i:], "/*"):
			s.skipUntil("*/", "comment")
		case c == '\'' || c == '"':
			s.quoted(c, "string")
		case c == '`':
			s.quoted(c, "quoted name")
		case c == '$':
			s.parameter()
		case isWordStart(c):
			s.word()
		default:
			s.i++
		}
		s.prev = c
	}
}

// skipUntil skips to the end of a token that ends with end.
func (s *cypherScan) skipUntil(end, what string) {
	start := s.line
	s.i += len(end)
	for s.i < len(s.text) {
		if strings.HasPrefix(s.text[s.i:], end) {
			s.i += len(end)
			return
		}
		if s.text[s.i] == '\n' {
			s.line++
		}
		s.i++
	}
	s.mistake(start, "unterminated %s", what)
}

// quoted skips a string ('…', "…", with backslash escapes) or a `quoted`
// name (a doubled backtick is one).
func (s *cypherScan) quoted(q byte, what string) {
	start := s.line
	s.i++
	for s.i < len(s.text) {
		c := s.text[s.i]
		switch {
		case c == '\\' && q != '`':
			s.i++
		case c == q && q == '`' && s.i+1 < len(s.text) && s.text[s.i+1] == '`':
			s.i++
		case c == q:
			s.i++
			return
		case c == '\n':
			s.line++
		}
		s.i++
	}
	s.mistake(start, "unterminated %s", what)
}

// parameter reads $name, $`name` or $0: report queries get none.
func (s *cypherScan) parameter() {
	start := s.i
	s.i++
	switch {
	case s.i < len(s.text) && s.text[s.i] == '`':
		s.quoted('`', "quoted name")
	default:
		for s.i < len(s.text) && isWordChar(s.text[s.i]) {
			s.i++
		}
	}
	if s.i == start+1 {
		return // a lone $ is the server's to refuse
	}
	s.mistake(s.line, "parameter %s: report queries run with no parameters", s.text[start:s.i])
}

// word reads a name or keyword; a write clause's keyword is a mistake
// unless the word is a property key, a label or a map key.
func (s *cypherScan) word() {
	start := s.i
	for s.i < len(s.text) && isWordChar(s.text[s.i]) {
		s.i++
	}
	w := strings.ToUpper(s.text[start:s.i])
	if s.prev == '.' || s.prev == ':' || s.nextSignificant() == ':' {
		return
	}
	for _, k := range writeClauses {
		if w == k {
			s.mistake(s.line, "%s writes: report queries are read-only", k)
			return
		}
	}
	if w == "TRANSACTIONS" && strings.EqualFold(s.lastWord(start), "IN") {
		s.mistake(s.line, "IN TRANSACTIONS: report queries run in one read transaction each")
	}
}

// nextSignificant returns the next character that is not blank, or 0.
func (s *cypherScan) nextSignificant() byte {
	for j := s.i; j < len(s.text); j++ {
		if c := s.text[j]; c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return c
		}
	}
	return 0
}

// lastWord returns the word that ends before offset end, past blanks.
func (s *cypherScan) lastWord(end int) string {
	j := end
	for j > 0 && strings.IndexByte(" \t\r\n", s.text[j-1]) >= 0 {
		j--
	}
	k := j
	for k > 0 && isWordChar(s.text[k-1]) {
		k--
	}
	return s.text[k:j]
}

func isWordStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isWordChar(c byte) bool { return isWordStart(c) || c >= '0' && c <= '9' }
