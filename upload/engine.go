package upload

import (
	"context"
	"errors"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/authenticity"
	"github.com/passbookhq/passbook/pdf"
	"github.com/passbookhq/passbook/statement"
)

// File is one file of an upload handed to the statement engine.
type File struct {
	Name   string
	SHA256 string
	Data   []byte
}

// Engine turns the files of one upload into statements: documents (with status, error and
// authenticity), holder, and accounts merged across the files.
type Engine interface {
	Statements(ctx context.Context, files []File) (passbook.Statements, error)
}

// PDFEngine is the statement engine on a PDF engine: each file is opened and parsed, the
// results are merged as one upload, and each document gets its authenticity verdict, on its own
// and against the other documents of the upload.
type PDFEngine struct {
	PDF pdf.Engine
}

// Document statuses.
const (
	DocumentRead   = "read"
	DocumentFailed = "failed"
)

// Statements reads the files one after the other (the PDF engine parallelises inside) and
// returns what they make. Only a cancelled context is an error: an unreadable file is a
// document with Status "failed" and an Error a person can act on.
func (e PDFEngine) Statements(ctx context.Context, files []File) (passbook.Statements, error) {
	docs := make([]passbook.Document, len(files))
	results := make([]*statement.Result, len(files))
	inputs := make([]authenticity.Input, len(files))
	for i, f := range files {
		if err := ctx.Err(); err != nil {
			return passbook.Statements{}, err
		}
		d := passbook.Document{Id: passbook.NewID(), FileName: f.Name, SHA256: f.SHA256, Status: DocumentFailed}
		doc, err := e.PDF.Open(ctx, f.Data)
		switch {
		case err != nil && ctx.Err() != nil:
			return passbook.Statements{}, ctx.Err()
		case err != nil:
			d.Error = documentError(err)
		default:
			d.Pages = len(doc.Pages)
			res, perr := statement.Parse(ctx, doc)
			if perr != nil && ctx.Err() != nil {
				return passbook.Statements{}, ctx.Err()
			}
			if res != nil && len(res.Accounts) > 0 {
				d.Status = DocumentRead
				results[i] = res
			} else {
				d.Error = "no bank statement was found in this file"
			}
			inputs[i] = authenticity.Input{Name: f.Name, Data: f.Data, Doc: doc, Statement: res}
		}
		docs[i] = d
	}
	for i, a := range authenticity.AnalyzeUpload(inputs, authenticity.Options{}) {
		if inputs[i].Doc != nil {
			docs[i].Authenticity = &a
		}
	}
	return statement.ToStatements(docs, results), nil
}

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
	}
	return "the PDF file cannot be read"
}
