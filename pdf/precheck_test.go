package pdf

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/passbookhq/passbook/internal/pdfgen"
)

// TestPrecheck: each cheap check refuses what a full read would refuse, for the same reason, and
// lets through what a full read reads.
func TestPrecheck(t *testing.T) {
	doc := func(pages int, user string) []byte {
		d := pdfgen.New()
		for i := range pages {
			d.AddPage(612, 792).Text(72, 700, "Helvetica", 12, "Page "+string(rune('1'+i)))
		}
		if user != "" {
			d.Protect(user, "owner")
		}
		return d.Bytes()
	}
	genuine, err := os.ReadFile(fixturePDFs(t)[0])
	if err != nil {
		t.Fatal(err)
	}
	truncated := doc(1, "")
	truncated = append([]byte("%PDF-1.7\n"), truncated[len(truncated)/2:]...)
	dir, _ := os.UserCacheDir()
	e, err := New(context.Background(), Options{CacheDir: filepath.Join(dir, "passbook", "wazero-test"), Workers: 1, MaxPages: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	tests := []struct {
		name     string
		data     []byte
		password string
		want     error // nil: passes
	}{
		{"a genuine statement", genuine, "", nil},
		{"three pages", doc(3, ""), "", nil},
		{"four pages, over MaxPages", doc(4, ""), "", ErrTooLarge},
		{"a bomb", pdfgen.RectBomb(3_000_000), "", ErrTooComplex},
		{"protected, no password", doc(1, "secret"), "", ErrEncrypted},
		{"protected, wrong password", doc(1, "secret"), "guess", ErrWrongPassword},
		{"protected, its password", doc(1, "secret"), "secret", nil},
		{"the second half of a file", truncated, "", ErrDamaged},
		{"not a PDF", []byte("hello"), "", ErrNotPDF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.Precheck(context.Background(), tt.data, tt.password)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("Precheck = %v, want %v", err, tt.want)
			}
			// A full read agrees.
			_, oerr := e.OpenPassword(context.Background(), tt.data, tt.password)
			if (err == nil) != (oerr == nil) || tt.want != nil && !errors.Is(oerr, tt.want) {
				t.Fatalf("Precheck = %v but OpenPassword = %v", err, oerr)
			}
		})
	}
}
