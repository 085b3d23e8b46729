package main

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/engine"
	"github.com/passbookhq/passbook/ocr"
	"github.com/passbookhq/passbook/pdf"
	"github.com/passbookhq/passbook/statement"
)

// maxStatementFile is the largest file `parse` reads (the upload limit of one file).
const maxStatementFile = 64 << 20

func runParse(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "json", "output format: json (Flinks GetAccountsDetail shape), csv or ofx")
	tess := fs.String("tesseract", "tesseract", "OCR `command` for scanned statements and images (Debian package tesseract-ocr); \"off\" disables OCR")
	langs := fs.String("ocr-languages", "eng+fra", "Tesseract `languages` joined by +, those installed used")
	password := fs.String("password", "", "the `password` that opens the password-protected PDFs among the files (used to read them, never kept)")
	psm := fs.Int("ocr-psm", 0, "Tesseract page segmentation `mode` (0: the reader's default)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: passbook parse [--format json|csv|ofx] [--password P] FILE...\n\nReads bank statements — PDFs, scanned PDFs and images (JPEG, PNG, BMP, TIFF) — as one upload, and prints their accounts and transactions.\nFlags go before the file names. Each file that cannot be read is named on stderr.\n\nExit status: 0 every file read; %d some files could not be read (the others are printed); 1 none could be read; 2 a mistake in the command line.\n\n", exitPartial)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	// A flag after the file names would be read as a file name: refuse it (after "--", names
	// starting with "-" are files).
	if !slices.Contains(args[:len(args)-fs.NArg()], "--") {
		for _, a := range fs.Args() {
			if strings.HasPrefix(a, "-") && a != "-" {
				fmt.Fprintf(stderr, "passbook parse: flag %s after the file names: put flags first (or \"--\" before a file whose name starts with \"-\")\n", a)
				return errUsage
			}
		}
	}
	switch *format {
	case "json", "csv", "ofx":
	default:
		fmt.Fprintf(stderr, "passbook parse: unknown format %q (want json, csv or ofx)\n", *format)
		return errUsage
	}
	if path := os.Getenv("PASSBOOK_CPUPROFILE"); path != "" {
		stopProfile, err := cpuProfile(path)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	eng, err := pdf.New(ctx, pdf.Options{})
	if err != nil {
		return err
	}
	defer eng.Close()
	var reader engine.OCR
	if *tess != "off" {
		reader = &lazyOCR{start: func() engine.OCR {
			return startOCR(ctx, eng, ocr.Options{Command: *tess, Languages: *langs, PSM: *psm}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		}}
	}
	stop := progress(stderr, fs.NArg())
	out, read := parseFiles(ctx, engine.Engine{PDF: eng, OCR: reader}, fs.Args(), func(data []byte) func(context.Context) (*pdf.Document, error) {
		if *password == "" {
			return nil
		}
		return func(ctx context.Context) (*pdf.Document, error) { return eng.OpenPassword(ctx, data, *password) }
	})
	stop()
	switch *format {
	case "csv":
		err = statement.WriteCSV(stdout, out)
	case "ofx":
		err = statement.WriteOFX(stdout, out, time.Now())
	default:
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", " ")
		err = enc.Encode(out)
	}
	if err != nil {
		return err
	}
	for _, d := range out.Documents {
		if d.Status != engine.DocumentRead {
			fmt.Fprintf(stderr, "passbook parse: warning: %s: %s\n", d.FileName, cmp.Or(d.Error, "could not be read"))
		}
	}
	switch {
	case read == 0:
		return exitError(1)
	case read < len(out.Documents):
		return exitError(exitPartial)
	}
	return nil
}

// lazyOCR looks for Tesseract when the first scanned page or image needs it, so that reading
// text PDFs does not start a process to list its languages.
type lazyOCR struct {
	once   sync.Once
	start  func() engine.OCR
	reader engine.OCR // nil: Tesseract is not installed
}

func (l *lazyOCR) get() engine.OCR {
	l.once.Do(func() { l.reader = l.start() })
	return l.reader
}

func (l *lazyOCR) ReadImage(ctx context.Context, data []byte) (*pdf.Document, error) {
	r := l.get()
	if r == nil {
		return nil, ocr.ErrNotInstalled
	}
	return r.ReadImage(ctx, data)
}

// ReadPDF without Tesseract behaves as the engine does without OCR: a PDF with no page of text
// fails as needing OCR, one with some text is read from those pages.
func (l *lazyOCR) ReadPDF(ctx context.Context, data []byte, doc *pdf.Document) (int, error) {
	r := l.get()
	if r == nil {
		for _, p := range doc.Pages {
			if l := ocr.NeedsOCR(p); l != ocr.LayerPoor && l != ocr.LayerNone {
				return 0, nil
			}
		}
		return 0, ocr.ErrNotInstalled
	}
	return r.ReadPDF(ctx, data, doc)
}

// cpuProfile writes a CPU profile of the command to path (PASSBOOK_CPUPROFILE, for measuring
// where `passbook parse` spends its time: `go tool pprof passbook path`) until the returned
// function is called.
func cpuProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("PASSBOOK_CPUPROFILE: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("PASSBOOK_CPUPROFILE: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// exitPartial is parse's exit status when some files were read and others were not.
const exitPartial = 3

// progress shows, on a terminal, how long the reading has taken, once a second after the first
// two, and returns the function that clears it. Elsewhere (a pipe, a file) it shows nothing.
func progress(w io.Writer, files int) (stop func()) {
	f, ok := w.(*os.File)
	if !ok {
		return func() {}
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(finished)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		shown := false
		for {
			select {
			case <-done:
				if shown {
					fmt.Fprint(f, "\r\033[K")
				}
				return
			case now := <-t.C:
				if el := now.Sub(start); el >= 2*time.Second {
					fmt.Fprintf(f, "\rReading %d file(s)… %s", files, el.Round(time.Second))
					shown = true
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}

// parseFiles reads the files as one upload, in parallel on the available cores with one PDF
// engine (the pipeline the upload job runs), and returns the Flinks-shaped result and how many
// files could be read.
//
// opened, when not nil, gives each file the reading of its password-protected PDF (engine.File.Opened).
func parseFiles(ctx context.Context, eng engine.Engine, paths []string, opened func([]byte) func(context.Context) (*pdf.Document, error)) (passbook.Statements, int) {
	files := make([]engine.File, len(paths))
	for i, path := range paths {
		files[i] = engine.File{Name: filepath.Base(path)}
		data, err := readLimited(path)
		if err != nil {
			files[i].Error = err.Error()
			continue
		}
		sum := sha256.Sum256(data)
		files[i].Data, files[i].SHA256 = data, hex.EncodeToString(sum[:])
		if opened != nil {
			files[i].Opened = opened(data)
		}
	}
	out, err := eng.Statements(ctx, files)
	if err != nil { // only a cancelled context
		return passbook.Statements{}, 0
	}
	read := 0
	for _, d := range out.Documents {
		if d.Status == engine.DocumentRead {
			read++
		}
	}
	return out, read
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, errors.New("file not found")
		}
		return nil, fmt.Errorf("cannot read the file: %v", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxStatementFile+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read the file: %v", err)
	}
	if len(data) > maxStatementFile {
		return nil, fmt.Errorf("the file is larger than %d MB", maxStatementFile>>20)
	}
	return data, nil
}
