package ocr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// ErrNotInstalled means no Tesseract could be run: scanned pages and image files cannot be read.
var ErrNotInstalled = errors.New("OCR is not installed on this server")

// ErrOCRFailed means Tesseract ran and failed on a page (it crashed, or wrote no output).
var ErrOCRFailed = errors.New("OCR failed on the page")

// tesseract runs the tesseract command, one process per page: a crash or a runaway page costs
// one process, which the context kills, and the build stays pure Go.
type tesseract struct {
	path  string
	langs string
	psm   int
}

// maxOutput bounds what one Tesseract run may write (a dense page's TSV is ~100 KB).
const maxOutput = 16 << 20

// findTesseract resolves the command and the languages it has, keeping those of want that are
// installed (eng is required).
func findTesseract(ctx context.Context, command, want string) (*tesseract, error) {
	if command == "" {
		command = "tesseract"
	}
	path, err := exec.LookPath(command)
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrNotInstalled, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "--list-langs")
	cmd.Env = tessEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%w (%s --list-langs: %v)", ErrNotInstalled, path, err)
	}
	have := map[string]bool{}
	for line := range strings.Lines(string(out)) {
		have[strings.TrimSpace(line)] = true
	}
	var langs []string
	for l := range strings.SplitSeq(want, "+") {
		if have[l] {
			langs = append(langs, l)
		}
	}
	if len(langs) == 0 {
		return nil, fmt.Errorf("%w (none of the languages %q is installed for %s)", ErrNotInstalled, want, path)
	}
	return &tesseract{path: path, langs: strings.Join(langs, "+")}, nil
}

// tessEnv is the environment of a Tesseract process: one thread each (pages run in parallel
// instead, which is faster than OpenMP inside one page on a busy machine).
func tessEnv() []string {
	env := []string{"OMP_THREAD_LIMIT=1"}
	for _, k := range []string{"PATH", "TESSDATA_PREFIX", "HOME", "TMPDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// run gives Tesseract the bitmap on its standard input (as PGM, which costs nothing to write)
// and returns what it wrote on its standard output.
func (t *tesseract) run(ctx context.Context, g *image.Gray, args ...string) ([]byte, error) {
	var in bytes.Buffer
	w, h := g.Rect.Dx(), g.Rect.Dy()
	in.Grow(w*h + 32)
	fmt.Fprintf(&in, "P5\n%d %d\n255\n", w, h)
	for y := range h {
		in.Write(g.Pix[y*g.Stride : y*g.Stride+w])
	}
	cmd := exec.CommandContext(ctx, t.path, append([]string{"stdin", "stdout"}, args...)...)
	cmd.Env = tessEnv()
	cmd.Stdin = &in
	var out, errb limitedBuffer
	out.max, errb.max = maxOutput, 4<<10
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.WaitDelay = 2 * time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("%w: tesseract: %v: %s", ErrOCRFailed, err, strings.TrimSpace(errb.String()))
	}
	if out.over {
		return nil, fmt.Errorf("%w: tesseract wrote more than %d bytes", ErrOCRFailed, maxOutput)
	}
	return out.Bytes(), nil
}

// words OCRs a page with the given page segmentation mode.
func (t *tesseract) words(ctx context.Context, g *image.Gray, dpi, psm int) ([]TSVWord, error) {
	out, err := t.run(ctx, g, "--dpi", strconv.Itoa(dpi), "--psm", strconv.Itoa(psm), "-l", t.langs, "tsv")
	if err != nil {
		return nil, err
	}
	ws, err := ParseTSV(bytes.NewReader(out))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrOCRFailed, err)
	}
	return ws, nil
}

// orientation asks Tesseract's orientation detection how many degrees clockwise the page must
// turn to be upright. A page OSD cannot judge (too little text) reads as upright.
func (t *tesseract) orientation(ctx context.Context, g *image.Gray, dpi int) (int, float64, error) {
	out, err := t.run(ctx, g, "--dpi", strconv.Itoa(dpi), "--psm", "0", "-l", "osd")
	if err != nil {
		if ctx.Err() != nil {
			return 0, 0, err
		}
		return 0, 0, nil
	}
	rot, conf, ok := parseOSD(out)
	if !ok {
		return 0, 0, nil
	}
	return rot, conf, nil
}

// limitedBuffer keeps at most max bytes and remembers whether more came.
type limitedBuffer struct {
	bytes.Buffer
	max  int
	over bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); len(p) > room {
		b.over = true
		if room > 0 {
			b.Buffer.Write(p[:room])
		}
		return len(p), nil
	}
	return b.Buffer.Write(p)
}
