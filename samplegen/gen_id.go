package samplegen

// sandIDAlphabet is Crockford's base32: no I, L, O or U.
const sandIDAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// idBits is the width of the learner number space: 10 base32 characters.
const (
	idBits = 50
	idMask = 1<<idBits - 1
)

// scramble maps a learner number to a 50-bit value by a keyed bijection of
// the 50-bit space (xor, odd multiplies and xorshifts, each invertible
// modulo 2^50), so distinct learners never share a sandId and sandIds come
// out in no particular order.
func scramble(n uint64, key uint64) uint64 {
	x := (n ^ key) & idMask
	x = x * 0x9E3779B97F4A7C15 & idMask
	x ^= x >> 23
	x = x * 0xBF58476D1CE4E5B9 & idMask
	x ^= x >> 27
	x = x * 0x94D049BB133111EB & idMask
	x ^= x >> 31
	return x
}

// appendSandID appends "S" and the 10 base32 characters of scramble(n, key).
func appendSandID(b []byte, n, key uint64) []byte {
	x := scramble(n, key)
	b = append(b, 'S')
	for shift := idBits - 5; shift >= 0; shift -= 5 {
		b = append(b, sandIDAlphabet[x>>uint(shift)&31])
	}
	return b
}
