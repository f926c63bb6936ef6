package export

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"os"
)

// tmpSuffix marks a file still being written. A file gets its final name
// only once complete, so a crash leaves at most files with this suffix,
// which the next run overwrites.
const tmpSuffix = ".tmp"

// sink is one output file being written under a temporary name.
type sink struct {
	final string
	f     *os.File
	bw    *bufio.Writer
	gz    *gzip.Writer
}

func newSink(path string, gz bool) (*sink, error) {
	f, err := os.Create(path + tmpSuffix)
	if err != nil {
		return nil, err
	}
	s := &sink{final: path, f: f}
	s.bw = bufio.NewWriterSize(f, 256<<10)
	if gz {
		// BestSpeed: the export is meant to take seconds. The header
		// carries no name or time, so reruns are byte-identical.
		s.gz, _ = gzip.NewWriterLevel(s.bw, gzip.BestSpeed)
	}
	return s, nil
}

func (s *sink) write(b []byte) error {
	var err error
	if s.gz != nil {
		_, err = s.gz.Write(b)
	} else {
		_, err = s.bw.Write(b)
	}
	return err // an *fs.PathError: it names the file
}

// finish flushes and closes the file under its temporary name; rename
// then gives it its final name.
func (s *sink) finish() error {
	var err error
	if s.gz != nil {
		err = s.gz.Close()
	}
	if err == nil {
		err = s.bw.Flush()
	}
	if err == nil {
		err = s.f.Sync()
	}
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", s.final, err)
	}
	return nil
}

func (s *sink) rename() error {
	if err := os.Rename(s.final+tmpSuffix, s.final); err != nil {
		return fmt.Errorf("rename %s: %w", s.final, err)
	}
	return nil
}

// abort closes and removes the temporary file.
func (s *sink) abort() {
	s.f.Close()
	os.Remove(s.final + tmpSuffix)
}
