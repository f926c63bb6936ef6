package checkpoint

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
)

// headBytes is how much of the input's beginning the fingerprint hashes.
const headBytes = 1 << 20

// Fingerprint identifies an input file well enough to refuse resuming a
// staging pass on a file that changed: its size, modification time and a
// hash of its first MiB.
type Fingerprint struct {
	Size    int64  `json:"size"`
	ModTime int64  `json:"modTimeUnixNano"`
	Head    string `json:"headSha256"`
}

// FingerprintOf computes the fingerprint of an open file. The hash covers
// no more than the size it reports, even if the file grows meanwhile.
func FingerprintOf(f *os.File) (Fingerprint, error) {
	info, err := f.Stat()
	if err != nil {
		return Fingerprint{}, fmt.Errorf("fingerprint input: %w", err)
	}
	h := sha256.New()
	if _, err := io.CopyN(h, io.NewSectionReader(f, 0, info.Size()), headBytes); err != nil && err != io.EOF {
		return Fingerprint{}, fmt.Errorf("fingerprint input: %w", err)
	}
	return Fingerprint{Size: info.Size(), ModTime: info.ModTime().UnixNano(), Head: hex.EncodeToString(h.Sum(nil))}, nil
}
