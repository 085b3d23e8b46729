package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/authenticity"
	"github.com/passbookhq/passbook/pdf"
	"github.com/passbookhq/passbook/statement"
)

// maxStatementFile is the largest file `parse` reads (the upload limit of one file).
const maxStatementFile = 64 << 20

func runParse(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "json", "output format: json (Flinks GetAccountsDetail shape), csv or ofx")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: passbook parse [--format json|csv|ofx] FILE...\n\nReads bank-statement PDFs (one upload) and prints their accounts and transactions.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	switch *format {
	case "json", "csv", "ofx":
	default:
		fmt.Fprintf(stderr, "passbook parse: unknown format %q (want json, csv or ofx)\n", *format)
		return errUsage
	}
	eng, err := pdf.New(ctx, pdf.Options{})
	if err != nil {
		return err
	}
	defer eng.Close()
	out, read := parseFiles(ctx, eng, fs.Args())
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
	if read == 0 {
		for _, d := range out.Documents {
			fmt.Fprintf(stderr, "passbook parse: %s: %s\n", d.FileName, d.Error)
		}
		return exitError(1)
	}
	return nil
}

// parseFiles reads the files of one upload in parallel on the available cores with one PDF
// engine, and returns the Flinks-shaped result and how many files could be read.
func parseFiles(ctx context.Context, eng pdf.Engine, files []string) (passbook.Statements, int) {
	docs := make([]passbook.Document, len(files))
	results := make([]*statement.Result, len(files))
	inputs := make([]authenticity.Input, len(files))
	sem := make(chan struct{}, runtime.NumCPU())
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			docs[i], results[i], inputs[i] = parseFile(ctx, eng, f)
		}()
	}
	wg.Wait()
	// Authenticity: each document on its own and against the others of the upload.
	for i, a := range authenticity.AnalyzeUpload(inputs, authenticity.Options{}) {
		if inputs[i].Doc != nil {
			docs[i].Authenticity = &a
		}
	}
	read := 0
	for _, r := range results {
		if r != nil {
			read++
		}
	}
	return statement.ToStatements(docs, results), read
}

// parseFile reads one statement; a file that cannot be read gets a clear Error and no result.
// The authenticity.Input it returns carries the file's bytes, its pdf.Document and its Result
// for the authenticity checks, which parseFiles runs across the whole upload.
func parseFile(ctx context.Context, eng pdf.Engine, path string) (passbook.Document, *statement.Result, authenticity.Input) {
	d := passbook.Document{FileName: filepath.Base(path)}
	data, err := readLimited(path)
	if err != nil {
		d.Error = err.Error()
		return d, nil, authenticity.Input{Name: d.FileName}
	}
	sum := sha256.Sum256(data)
	d.SHA256 = hex.EncodeToString(sum[:])
	in := authenticity.Input{Name: d.FileName, Data: data}
	doc, err := eng.Open(ctx, data)
	if err != nil {
		d.Error = documentError(err)
		return d, nil, in
	}
	in.Doc = doc
	d.Pages = len(doc.Pages)
	res, err := statement.Parse(ctx, doc)
	if err != nil && res == nil {
		d.Error = err.Error()
		return d, nil, in
	}
	if err != nil {
		d.Error = err.Error()
	}
	in.Statement = res
	return d, res, in
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

// documentError says what is wrong with a file in words a person can act on.
func documentError(err error) string {
	switch {
	case errors.Is(err, pdf.ErrNotPDF):
		return "not a PDF file"
	case errors.Is(err, pdf.ErrEncrypted):
		return "the PDF file is password-protected; upload a copy without a password"
	case errors.Is(err, pdf.ErrDamaged):
		return "the PDF file is damaged or truncated and cannot be read"
	case errors.Is(err, pdf.ErrTooLarge):
		return "the PDF file has too many pages or objects to read"
	case errors.Is(err, context.DeadlineExceeded):
		return "reading the PDF file took too long"
	}
	return "the PDF file cannot be read: " + err.Error()
}
