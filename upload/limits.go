// Package upload receives bank statements sent by the Connect widget or through the API, streams
// them to the blob store, and processes them on the durable queue into an Upload login whose
// accounts the API serves and whose outcome the webhooks announce.
package upload

import (
	"bufio"
	"bytes"
	"errors"
	"strings"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/ocr"
)

// Limits of one upload, enforced by the server; the widget checks them too, for its messages.
const (
	MaxFiles     = 24
	MaxFileBytes = 20 << 20  // 20 MB per file
	MaxTotal     = 180 << 20 // 180 MB per upload
	// maxFormOverhead is what a multipart body may add to its files (boundaries, headers, fields).
	maxFormOverhead = 4 << 20
	maxFieldBytes   = 4 << 10
)

// Media types by content.
const (
	TypePDF  = "application/pdf"
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
	TypeBMP  = "image/bmp"
	TypeTIFF = "image/tiff"
)

// sniffLen is how many bytes Sniff needs: PDF allows junk before its header in the first 1024.
const sniffLen = 1024

// Sniff returns the media type of a file from its first bytes, or "" when it is none Passbook
// knows. It reads nothing from the file but peeks into br.
func Sniff(head []byte) string {
	switch {
	case len(head) >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF:
		return TypeJPEG
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return TypePNG
	case bytes.HasPrefix(head, []byte("II*\x00")) || bytes.HasPrefix(head, []byte("MM\x00*")):
		return TypeTIFF
	case len(head) >= 14 && head[0] == 'B' && head[1] == 'M':
		return TypeBMP
	case bytes.Contains(head[:min(len(head), sniffLen)], []byte("%PDF-")):
		return TypePDF
	}
	return ""
}

// peek returns up to sniffLen first bytes of br without consuming them.
func peek(br *bufio.Reader) ([]byte, error) {
	head, err := br.Peek(sniffLen)
	if errors.Is(err, bufio.ErrBufferFull) || err != nil && len(head) > 0 {
		return head, nil
	}
	return head, err
}

// checkPixels refuses an image whose header, within the first bytes, claims more pixels than
// OCR decodes (a decompression bomb: a small file claiming 100000×100000 pixels). A header
// beyond the first bytes (a JPEG after a large EXIF block) is checked when the file is read.
func checkPixels(head []byte, name string) error {
	if _, err := ocr.Inspect(head, ocr.Limits{}); errors.Is(err, ocr.ErrImageTooBig) {
		return passbook.Errorf(passbook.PayloadTooLarge, "%q is too large an image to read (%s).", name, strings.TrimPrefix(err.Error(), ocr.ErrImageTooBig.Error()+": "))
	}
	return nil
}
