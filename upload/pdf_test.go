package upload

import (
	"context"
	"sync"
	"testing"

	"github.com/passbookhq/passbook/pdf"
)

var (
	engOnce sync.Once
	eng     *pdf.PDFium
	engErr  error
)

// testEngine is the real PDF engine, started once for the package's tests.
func testEngine(t testing.TB) *pdf.PDFium {
	engOnce.Do(func() { eng, engErr = pdf.New(context.Background(), pdf.Options{Workers: 1}) })
	if engErr != nil {
		t.Fatal(engErr)
	}
	return eng
}
