// Package progress shows how a long run is going, the way restic does: on
// a terminal one status line redrawn in place a few times a second; on
// anything else (a log file, CI, a pipe) a plain status line every few
// seconds. Stage, load, export and the offline load's bulk import all show
// their progress through a Reporter, so they look and behave alike.
//
// A Reporter is given a status function that renders the current line
// (or, from a run that hears of its progress, the line of its latest
// figures through Update); Start shows it on a ticker, Logf prints a
// message between status lines without tearing the live one, and Stop
// shows the last status as a whole line. Rate and ETA are the figures the
// status lines share.
//
// # Caveats
//
//   - Progress goes to the writer the Reporter is given, which the importer
//     sets to stderr: stdout stays clean for -json output and data. A nil
//     writer shows nothing (a quiet run).
//   - Whether the writer is a terminal is the caller's to say: the importer
//     wraps stderr (to redact URIs), so only it can look through the wrapper.
//   - The status function is called from the Reporter's goroutine while it
//     holds its lock: it must be safe to call concurrently with the work it
//     reports on, and must not call the Reporter.
//   - Each status line and message is one Write, so a writer that rewrites
//     whole writes (graphwrite.RedactingWriter) sees whole lines.
package progress
