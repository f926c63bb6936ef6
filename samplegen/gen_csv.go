package samplegen

import "bytes"

// appendRecord appends r as one CSV record and its line end.
func appendRecord(b []byte, r *row) []byte {
	for c := range min(r.fields, numCols) {
		if c > 0 {
			b = append(b, ',')
		}
		if c == r.raw {
			b = append(b, r.f[c]...)
			continue
		}
		b = appendField(b, r.f[c])
	}
	if r.fields > numCols {
		b = append(b, ",extra"...)
	}
	return append(b, '\n')
}

// appendField appends v as one RFC 4180 field: quoted when it holds a
// comma, a quote, CR or LF, with inner quotes doubled.
func appendField(b, v []byte) []byte {
	if !needsQuotes(v) {
		return append(b, v...)
	}
	b = append(b, '"')
	for {
		i := bytes.IndexByte(v, '"')
		if i < 0 {
			break
		}
		b = append(b, v[:i+1]...)
		b = append(b, '"')
		v = v[i+1:]
	}
	b = append(b, v...)
	return append(b, '"')
}

func needsQuotes(v []byte) bool {
	for _, c := range v {
		if c == ',' || c == '"' || c == '\n' || c == '\r' {
			return true
		}
	}
	return false
}
