package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Names of the files Write writes.
const (
	HTMLFile = "report.html"
	JSONFile = "report.json"
)

// Write writes report.html and report.json into dir (created if needed),
// each under a temporary name renamed into place when complete, and
// returns the page's path.
func Write(dir string, rep *Report) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create report directory: %w", err)
	}
	raw, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return "", fmt.Errorf("encode report: %w", err)
	}
	var page bytes.Buffer
	if err := WriteHTML(&page, rep); err != nil {
		return "", fmt.Errorf("render report: %w", err)
	}
	if err := writeFile(filepath.Join(dir, JSONFile), append(raw, '\n')); err != nil {
		return "", err
	}
	path := filepath.Join(dir, HTMLFile)
	return path, writeFile(path, page.Bytes())
}

// writeFile replaces path with data atomically.
func writeFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, werr := tmp.Write(data)
	if werr == nil {
		werr = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, werr)
	}
	return nil
}
