package upload

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/blob"
	"github.com/passbookhq/passbook/pdf"
)

// Password-protected PDFs. Banks often send statements protected by a password (a date of
// birth, part of an account number). The upload carries the password of such a file in a form
// field — "password.N" for the file part at position N (0-based), or "password" for the file part
// just before it — and the intake uses it once: it opens the file with it, and stores what the PDF
// engine read (the pages' words and the file's structure) beside the file, under OpenedKey. The
// password itself is never stored, logged or put in a job: the processing job reads the stored
// reading. The stored file stays the encrypted original, byte for byte.
//
// A protected file sent without a password is refused with FILE_PASSWORD_REQUIRED, a wrong
// password with FILE_PASSWORD_INCORRECT; both name the file and its position, and nothing of the
// upload is kept, so the client sends it again with the password.

// openedSuffix ends the blob key of a protected file's reading.
const openedSuffix = ".opened.json"

// OpenedKey is the blob key of the reading of the protected file stored under key.
func OpenedKey(key string) string { return key + openedSuffix }

// OpenedOf is the key of the file whose reading is stored under key, or key itself when it is
// not a reading: the janitor keeps a reading as long as its file.
func OpenedOf(key string) string { return strings.TrimSuffix(key, openedSuffix) }

// passwordField reads a form field's name: "password.N" or "password[N]" names file N;
// "password" the last file part before it (files are numbered as they come, so that is files-1).
func passwordField(name string, files int) (int, bool) {
	if name == "password" {
		return files - 1, files > 0
	}
	for _, pre := range []string{"password.", "password["} {
		if rest, ok := strings.CutPrefix(name, pre); ok {
			rest = strings.TrimSuffix(rest, "]")
			n, err := strconv.Atoi(rest)
			return n, err == nil && n >= 0 && n < MaxFiles
		}
	}
	return 0, false
}

// openProtected runs the cheap checks on each PDF of up (precheck.go), then finds those that need
// a password and opens each with its password, storing the reading; it refuses the upload when
// one cannot be opened.
func (s *Service) openProtected(ctx context.Context, up *passbook.Upload, passwords map[int]string) error {
	if s.PDF == nil {
		return nil
	}
	for n := range passwords {
		if n >= len(up.Files) {
			return passbook.Errorf(passbook.InvalidRequest, "A password was sent for file %d, but the upload holds %d file(s).", n+1, len(up.Files))
		}
	}
	for i := range up.Files {
		f := &up.Files[i]
		if f.MediaType != TypePDF {
			continue
		}
		data, err := s.readBlob(ctx, f.BlobKey)
		if err != nil {
			return err
		}
		if err := s.precheckFile(ctx, i, f.FileName, data, passwords[i]); err != nil {
			return err // see precheck.go
		}
		if !bytes.Contains(data, []byte("/Encrypt")) {
			continue // not encrypted: the job reads it as it is
		}
		password := passwords[i]
		doc, err := s.PDF.OpenPassword(ctx, data, password)
		switch {
		case errors.Is(err, pdf.ErrWrongPassword):
			return &passbook.Error{Code: passbook.FilePasswordIncorrect,
				Message: fmt.Sprintf("The password of %q (file %d) is not correct; send it again with the right password in the form field \"password.%d\".", f.FileName, i+1, i)}
		case errors.Is(err, pdf.ErrEncrypted) && password == "":
			return &passbook.Error{Code: passbook.FilePasswordRequired,
				Message: fmt.Sprintf("%q (file %d) is protected by a password; send it again with its password in the form field \"password.%d\".", f.FileName, i+1, i)}
		case err != nil:
			continue // damaged, unsupported security, too complex…: the job says so for this file
		case password == "":
			continue // an owner password only: anyone can read it, and so can the job
		}
		b, err := json.Marshal(doc)
		if err != nil {
			return fmt.Errorf("upload: encode the reading of %q: %w", f.FileName, err)
		}
		if _, err := s.Blobs.Put(ctx, OpenedKey(f.BlobKey), bytes.NewReader(b)); err != nil {
			return fmt.Errorf("upload: store the reading of %q: %w", f.FileName, err)
		}
	}
	return nil
}

func (s *Service) readBlob(ctx context.Context, key string) ([]byte, error) {
	rc, err := s.Blobs.Open(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("upload: read back %s: %w", key, err)
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, MaxFileBytes+1))
}

// loadOpened returns the stored reading of the protected file under key; nil when there is none.
func loadOpened(ctx context.Context, blobs blob.Store, key string) (*pdf.Document, error) {
	rc, err := blobs.Open(ctx, OpenedKey(key))
	if errors.Is(err, blob.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var doc pdf.Document
	if err := json.NewDecoder(rc).Decode(&doc); err != nil {
		return nil, fmt.Errorf("upload: the stored reading %s: %w", OpenedKey(key), err)
	}
	return &doc, nil
}
