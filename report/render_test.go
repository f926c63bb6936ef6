package report

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/learnergraph/importer/checkpoint"
)

// screenshotWidth is the browser window's width for the screenshot.
const screenshotWidth = 1000

// fixture is a report with every kind of chart, for rendering without a
// Neo4j.
func fixture() *Report {
	t0 := time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
	var stage, load []checkpoint.Sample
	stage = append(stage, checkpoint.Sample{At: t0, Start: true})
	load = append(load, checkpoint.Sample{At: t0.Add(time.Hour), Start: true})
	for i := 1; i <= 40; i++ {
		stage = append(stage, checkpoint.Sample{At: t0.Add(time.Duration(i) * 300 * time.Millisecond), Rows: 5000})
		load = append(load, checkpoint.Sample{At: t0.Add(time.Hour + time.Duration(i)*time.Second), Nodes: 2000, Relationships: 3000 + int64(i*50), Bucket: "learners"})
	}
	return &Report{
		Generated: t0, State: "import.db", Neo4j: "neo4j://127.0.0.1:7687", Database: "neo4j", Seconds: 4.2,
		Import: Import{
			Phase: "loaded", Mode: "create", Rows: checkpoint.Rows{Read: 200000, Staged: 198000, Rejected: 2000, Duplicates: 3900},
			Entities: []EntityCount{{"nodes", "Learner", 194100, 194100, 194100}, {"relationships", "HAS_SKILL", 520000, 520000, 519000}},
			Disagree: []string{"relationships HAS_SKILL: 520000 staged, 519000 in Neo4j"},
			Rejects:  []RejectReason{{"wrong number of fields: N, the header has N", 900, 17, "L1", "wrong number of fields: 3, the header has 18"}, {"missing sandId", 400, 30, "", "missing sandId"}},
			Stage:    passOf(stage, "rows"), Load: passOf(load, "entities"),
			Baseline: &Baseline{RowsPerSec: 14.4, ImportRowsPSec: 2100},
		},
		Sections: []Section{
			{ID: "learners", Title: "The learners", Results: []Result{
				{Name: "residence", Title: "Learners by country", Chart: ChartBar, Columns: []string{"country", "code", "learners"},
					Rows: [][]any{{"India", "IN", int64(40000)}, {"Nigeria", "NG", int64(21000)}, {"Brazil <b>", "BR", int64(9000)}}},
				{Name: "birth", Title: "By decade", Chart: ChartStacked, Columns: []string{"decade", "gender", "learners"},
					Rows: [][]any{{"1980s", "female", int64(300)}, {"1980s", "male", int64(280)}, {"1990s", "female", int64(900)}, {"1990s", "male", int64(700)}}},
			}},
			{ID: "programs", Title: "Programs", Note: "Left out: x (the graph holds no Y).", Results: []Result{
				{Name: "cohorts", Title: "By month", Chart: ChartColumns, Columns: []string{"month", "enrolments"},
					Rows: [][]any{{"2024-01", int64(10)}, {"2024-02", int64(30)}, {"2024-03", int64(20)}}},
				{Name: "status", Title: "Status", Chart: ChartShares, Columns: []string{"program", "status", "learners"},
					Rows: [][]any{{"Data", "completed", int64(30)}, {"Data", "withdrawn", int64(10)}, {"Web", "completed", int64(5)}}},
				{Name: "employed-after", Title: "Employed after", Chart: ChartBarPart, Columns: []string{"program", "id", "enrolled", "employedAfter"},
					Rows: [][]any{{"Data", "P1", int64(40), int64(12)}, {"Web", "P2", int64(20), int64(9)}}},
				{Name: "failed", Title: "A failed query", Chart: ChartBar, Error: "the transaction timed out"},
			}},
			{ID: "shape", Title: "Graph shape", Results: []Result{
				{Name: "components", Title: "Components", Chart: ChartComponents, Columns: []string{"learners", "hubs", "components"},
					Rows: [][]any{{int64(190000), int64(2050), int64(1)}, {int64(1), int64(0), int64(4100)}}},
				{Name: "degrees-Learner", Title: "Degrees", Chart: ChartDegrees,
					Bins: degreeBins([][]any{{"HAS_SKILL →", int64(0), int64(5000)}, {"HAS_SKILL →", int64(3), int64(90000)}, {"→ HAS_SKILL", int64(700), int64(3)}})},
			}},
		},
	}
}

// TestRenderInChromium renders a report page with headless Chromium into
// a PNG and checks that it rendered: the window's width, and a page that
// is not blank (many rows of drawn pixels in several colours). The page
// is the fixture's, or the one REPORT_HTML names (make report-png); the
// PNG, cropped to the drawn page (and to REPORT_PNG_HEIGHT pixels, if
// set), goes to REPORT_PNG if set. Without
// Chromium the test is skipped, except under CI=true.
func TestRenderInChromium(t *testing.T) {
	browser := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no chromium: CI installs it (Debian package chromium)")
		}
		t.Skip("no chromium (apt-get install chromium)")
	}
	dir := t.TempDir()
	page := os.Getenv("REPORT_HTML")
	if page == "" {
		page = filepath.Join(dir, "report.html")
		var b bytes.Buffer
		if err := WriteHTML(&b, fixture()); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(page, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	abs, err := filepath.Abs(page)
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "shot.png")
	cmd := exec.Command(browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--window-size=1000,16000", "--screenshot="+shot, "file://"+abs)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if w := img.Bounds().Dx(); w != screenshotWidth {
		t.Errorf("screenshot is %d pixels wide, want %d", w, screenshotWidth)
	}
	drawn, colours := drawnRows(img)
	if drawn < 600 || colours < 8 {
		t.Errorf("the page looks blank: %d rows with drawing, %d colours", drawn, colours)
	}
	if out := os.Getenv("REPORT_PNG"); out != "" {
		writeCropped(t, img, out)
	}
}

// drawnRows counts the rows that differ from the page background, and the
// colours seen.
func drawnRows(img image.Image) (rows, colours int) {
	bg := img.At(2, img.Bounds().Max.Y-2)
	seen := map[[3]uint32]bool{}
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		row := false
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x += 3 {
			c := img.At(x, y)
			if c != bg {
				row = true
				r, g, b, _ := c.RGBA()
				if len(seen) < 1000 {
					seen[[3]uint32{r >> 12, g >> 12, b >> 12}] = true
				}
			}
		}
		if row {
			rows++
		}
	}
	return rows, len(seen)
}

// writeCropped writes img down to its last drawn row, as a PNG.
func writeCropped(t *testing.T, img image.Image, path string) {
	t.Helper()
	bg := img.At(2, img.Bounds().Max.Y-2)
	last := img.Bounds().Min.Y
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x += 3 {
			if img.At(x, y) != bg {
				last = y
				break
			}
		}
	}
	type subImager interface {
		SubImage(r image.Rectangle) image.Image
	}
	r := img.Bounds()
	r.Max.Y = min(r.Max.Y, last+24)
	if h, err := strconv.Atoi(os.Getenv("REPORT_PNG_HEIGHT")); err == nil && h > 0 {
		r.Max.Y = min(r.Max.Y, r.Min.Y+h)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img.(subImager).SubImage(r)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%dx%d)", path, r.Dx(), r.Dy())
}
