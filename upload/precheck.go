package upload

import (
	"context"
	"errors"
	"fmt"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/engine"
	"github.com/passbookhq/passbook/pdf"
)

// The cheap checks at intake. Before an upload is recorded (and its quota unit charged), each
// PDF goes through the PDF engine's Precheck: the byte scan of the work budget, loading the file
// (which finds damage beyond repair and asks for a password) and counting its pages, without
// reading any page. A file those checks refuse would fail processing for the same reason, so the
// upload is refused now, naming the file, and nothing of it is kept or charged. Files they let
// through can still fail processing (a page over budget, a scan OCR cannot read): those cost the
// quota unit, since the work was done.

// Prechecker is the PDF engine's cheap check of a file (pdf.PDFium). Service.PDF is used for it
// when it has the method.
type Prechecker interface {
	Precheck(ctx context.Context, data []byte, password string) error
}

// precheckFile refuses file i (named name) when the cheap checks find it unreadable. Encryption
// is left to openProtected, which asks for the password or says it is wrong; a failure of the
// engine itself lets the file through to processing.
func (s *Service) precheckFile(ctx context.Context, i int, name string, data []byte, password string) error {
	p, ok := s.PDF.(Prechecker)
	if !ok {
		return nil
	}
	err := p.Precheck(ctx, data, password)
	switch {
	case err == nil, errors.Is(err, pdf.ErrEncrypted):
		return nil
	case ctx.Err() != nil:
		return &passbook.Error{Code: passbook.InvalidRequest, Message: "The upload was interrupted.", Err: err}
	case errors.Is(err, pdf.ErrDamaged), errors.Is(err, pdf.ErrTooLarge), errors.Is(err, pdf.ErrTooComplex), errors.Is(err, pdf.ErrNotPDF):
		return &passbook.Error{Code: passbook.UnsupportedFile, Err: err,
			Message: fmt.Sprintf("%q (file %d) cannot be read: %s. Nothing was kept or charged; send the upload again without it, or with a good copy of it.", name, i+1, engine.DocumentError(err))}
	}
	if s.Log != nil {
		s.Log.Warn("upload precheck failed; the file goes on to processing", "file", i, "err", err)
	}
	return nil
}
