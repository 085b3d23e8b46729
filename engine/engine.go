// Package engine is Passbook's pure reading pipeline: files in (PDF or images), documents,
// statements and authenticity verdicts out — pdf → (ocr) → statement → authenticity → merge. It
// touches no database, queue or HTTP: `passbook parse`, the eval command and the upload job all
// run it.
package engine

import (
	"context"
	"crypto/sha256"
	"errors"
	"runtime"
	"strings"
	"sync"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/authenticity"
	"github.com/passbookhq/passbook/ocr"
	"github.com/passbookhq/passbook/pdf"
	"github.com/passbookhq/passbook/statement"
)

// File is one file handed to the engine (one file of an upload).
type File struct {
	Name   string
	SHA256 string
	Data   []byte
	// Load, when Data is nil, reads the file's bytes when its turn comes; they are let go once
	// the file is read, so an upload's memory is bounded by the files read at once, not by its
	// total size.
	Load func(ctx context.Context) ([]byte, error)
	// Error, when set, says why the file's bytes could not be had (not found, too large): the
	// file becomes a failed document with this error and is not read.
	Error string
	// Opened, for a password-protected PDF, returns the reading the intake made with its
	// password (nil when there is none); see package upload.
	Opened func(ctx context.Context) (*pdf.Document, error)
}

// Engine is the statement engine on a PDF engine: each file is opened and parsed, the
// results are merged as one upload, and each document gets its authenticity verdict, on its own
// and against the other documents of the upload. `passbook parse` and the upload job both use it.
type Engine struct {
	PDF pdf.Engine
	// OCR reads image files and the PDF pages that have no usable text layer; nil means OCR is
	// not installed, and such files fail with "OCR is not installed on this server".
	OCR OCR
	// Workers is how many files are read at once; 0 means one per CPU, at most 4.
	Workers int
}

// OCR is what the engine needs of the OCR reader (ocr.Reader).
type OCR interface {
	// ReadImage OCRs an image file (JPEG, PNG, BMP, TIFF) into a document.
	ReadImage(ctx context.Context, data []byte) (*pdf.Document, error)
	// ReadPDF OCRs the pages of an opened PDF that have no usable text layer, in place.
	ReadPDF(ctx context.Context, data []byte, doc *pdf.Document) (int, error)
}

// Document statuses.
const (
	DocumentRead   = "read"
	DocumentFailed = "failed"
)

// Statements reads the files, a few at a time, and returns what they make, documents in the
// files' order. Only a cancelled context is an error: an unreadable file is a document with
// Status "failed" and an Error a person can act on.
//
// Each file is read, parsed and checked on its own, then its bytes and its pdf.Document are let
// go: what the cross-document checks need (the file's digest and its parsed statement) is all that
// stays, so the memory of an upload is that of the files in flight, whatever its size.
func (e Engine) Statements(ctx context.Context, files []File) (passbook.Statements, error) {
	docs := make([]passbook.Document, len(files))
	results := make([]*statement.Result, len(files))
	own := make([][]passbook.Signal, len(files)) // each document's own signals; nil: no verdict
	light := make([]authenticity.Input, len(files))
	workers := e.Workers
	if workers <= 0 {
		workers = min(runtime.NumCPU(), 4)
	}
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if f.Data == nil && f.Load != nil && f.Error == "" && ctx.Err() == nil {
				data, err := f.Load(ctx)
				if err != nil {
					f.Error = "the file could not be read back from storage"
				}
				f.Data = data
			}
			var in authenticity.Input
			docs[i], results[i], in = e.read(ctx, f)
			if in.Doc != nil {
				own[i] = authenticity.Analyze(in, authenticity.Options{}).Signals
				if own[i] == nil {
					own[i] = []passbook.Signal{} // a verdict with no signal
				}
			}
			light[i] = authenticity.Input{Name: in.Name, Statement: in.Statement}
			if len(in.Data) > 0 {
				sum := sha256.Sum256(in.Data)
				light[i].Data = sum[:]
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return passbook.Statements{}, err
	}
	for i, cross := range authenticity.CrossSignals(light) {
		if own[i] != nil {
			a := authenticity.Verdict(append(own[i], cross...))
			a.Reading = authenticity.ReadingOf(light[i].Statement)
			docs[i].Authenticity = &a
		}
	}
	return statement.ToStatements(docs, results), nil
}

// read opens and parses one file. The authenticity.Input it returns carries the file's bytes,
// its pdf.Document and its Result, for the checks Statements runs across the whole upload.
func (e Engine) read(ctx context.Context, f File) (passbook.Document, *statement.Result, authenticity.Input) {
	d := passbook.Document{Id: passbook.NewID(), FileName: f.Name, SHA256: f.SHA256, Status: DocumentFailed}
	in := authenticity.Input{Name: f.Name}
	if f.Error != "" {
		d.Error = f.Error
		return d, nil, in
	}
	in.Data = f.Data
	if ctx.Err() != nil {
		return d, nil, in
	}
	doc, err := e.open(ctx, f.Data)
	if errors.Is(err, pdf.ErrEncrypted) && f.Opened != nil {
		switch opened, oerr := f.Opened(ctx); {
		case oerr == nil && opened != nil:
			doc, err = opened, nil // read with the password sent with the file
		case oerr != nil:
			err = oerr // a wrong password, or a reading that could not be had
		}
	}
	if err != nil {
		d.Error = DocumentError(err)
		return d, nil, in
	}
	in.Doc = doc
	d.Pages = len(doc.Pages)
	res, err := statement.Parse(ctx, doc)
	if res == nil || len(res.Accounts) == 0 {
		d.Error = "no bank statement was found in this file"
		if err != nil && !errors.Is(err, statement.ErrNoStatement) {
			d.Error += ": " + err.Error()
		}
		return d, nil, in
	}
	d.Status = DocumentRead
	in.Statement = res
	return d, res, in
}

// open reads a file into words on pages: an image file through OCR; a PDF through the PDF
// engine, then its pages without a usable text layer through OCR.
func (e Engine) open(ctx context.Context, data []byte) (*pdf.Document, error) {
	if ocr.Format(data) != "" {
		if e.OCR == nil {
			return nil, ocr.ErrNotInstalled
		}
		return e.OCR.ReadImage(ctx, data)
	}
	doc, err := e.PDF.Open(ctx, data)
	if err != nil {
		return nil, err
	}
	scanned := 0
	for _, p := range doc.Pages {
		if l := ocr.NeedsOCR(p); l == ocr.LayerPoor || l == ocr.LayerNone {
			scanned++
		}
	}
	if scanned == 0 {
		return doc, nil
	}
	if e.OCR == nil {
		if scanned == len(doc.Pages) {
			return nil, ocr.ErrNotInstalled
		}
		return doc, nil // the pages with text still read
	}
	if _, err := e.OCR.ReadPDF(ctx, data, doc); err != nil {
		return nil, err
	}
	return doc, nil
}

// DocumentError says what is wrong with a file in words a person can act on.
func DocumentError(err error) string {
	switch {
	case errors.Is(err, ocr.ErrNotInstalled):
		return "OCR is not installed on this server: scanned statements and images cannot be read"
	case errors.Is(err, ocr.ErrImageTooBig):
		return "the image is too large to read: " + strings.TrimPrefix(err.Error(), ocr.ErrImageTooBig.Error()+": ")
	case errors.Is(err, ocr.ErrImageDamaged):
		return "the image file is damaged or truncated and cannot be read"
	case errors.Is(err, ocr.ErrTimeout):
		return "reading the scanned pages took too long"
	case errors.Is(err, ocr.ErrOCRFailed):
		return "OCR failed on a scanned page of the file"
	case errors.Is(err, pdf.ErrNotPDF):
		return "not a PDF file"
	case errors.Is(err, pdf.ErrWrongPassword):
		return "the password sent with the PDF file does not open it"
	case errors.Is(err, pdf.ErrEncrypted):
		return "the PDF file is password-protected and no password was sent with it"
	case errors.Is(err, pdf.ErrDamaged):
		return "the PDF file is damaged or truncated and cannot be read"
	case errors.Is(err, pdf.ErrTooLarge):
		return "the PDF file has too many pages or objects to read"
	case errors.Is(err, pdf.ErrTooComplex):
		// The reason after the sentinel's text says which budget the file went over.
		return err.Error()
	case errors.Is(err, context.DeadlineExceeded):
		return "reading the PDF file took too long"
	}
	return "the PDF file cannot be read"
}
