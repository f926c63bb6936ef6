package staging

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// ErrNotRegular is returned when the input is not a regular file: a pipe,
// a FIFO, a terminal or another device, a directory. Staging reads its
// input by offset and resume seeks back into it, which only a regular
// file allows; a FIFO without a writer would also block the open forever.
var ErrNotRegular = errors.New("input is not a regular file (a pipe, FIFO, device or directory cannot be staged or resumed: save it to a file first)")

// openInput opens path for reading if it is a regular file. It opens
// without blocking, so a FIFO that no process writes is refused at once
// instead of hanging (and ignoring signals) in open(2).
func openInput(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("open input: %w", err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open input: %w", err)
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("open input %s (a %s): %w", path, kind(info.Mode()), ErrNotRegular)
	}
	return f, nil
}

// kind names a file mode's type for a message.
func kind(m os.FileMode) string {
	switch {
	case m&os.ModeNamedPipe != 0:
		return "FIFO or pipe"
	case m.IsDir():
		return "directory"
	case m&os.ModeSocket != 0:
		return "socket"
	case m&os.ModeDevice != 0:
		return "device"
	default:
		return "special file"
	}
}
