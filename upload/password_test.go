package upload

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"mime/multipart"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/engine"
	"github.com/passbookhq/passbook/pdf"
	"github.com/passbookhq/passbook/upload/uploadtest"
)

// formPart is a file (name set) or a plain field of a multipart body.
type formPart struct {
	field, file string
	data        []byte
}

func form(t *testing.T, parts []formPart) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		var err error
		if p.file != "" {
			w, e := mw.CreateFormFile("files", p.file)
			if e == nil {
				_, e = w.Write(p.data)
			}
			err = e
		} else {
			err = mw.WriteField(p.field, string(p.data))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

// TestUploadProtected checks password-protected statements: refused with a clear error without
// their password or with a wrong one (nothing kept), read with the right one, whose text is then
// nowhere on disk; the stored file is the encrypted original.
func TestUploadProtected(t *testing.T) {
	const password = "1985-04-12"
	e := newEnv(t, passbook.CustomerSettings{})
	h := newHookReceiver()
	e.addEndpoint(t, h)
	fx := uploadtest.New("00999-1234567", 1, 9)
	locked := fx.ProtectedPDF(6, password)
	plain := uploadtest.New("00999-7654321", 1, 4).PDF(6)
	if _, err := testEngine(t).Open(context.Background(), locked); !errors.Is(err, pdf.ErrEncrypted) {
		t.Fatalf("the fixture opens without its password: %v", err)
	}
	path := "/v3/" + e.customer.Id + "/upload?institution=Maple+Test+Bank"
	refusals := []struct {
		name  string
		parts []formPart
		code  passbook.Code
	}{
		{"no password", []formPart{{file: "locked.pdf", data: locked}}, passbook.FilePasswordRequired},
		{"wrong password", []formPart{{file: "locked.pdf", data: locked}, {field: "password", data: []byte("1985-12-04")}}, passbook.FilePasswordIncorrect},
		{"the password of another file", []formPart{{file: "plain.pdf", data: plain}, {file: "locked.pdf", data: locked}, {field: "password.0", data: []byte(password)}}, passbook.FilePasswordRequired},
		{"a password for no file", []formPart{{file: "locked.pdf", data: locked}, {field: "password.3", data: []byte(password)}}, passbook.InvalidRequest},
	}
	for _, c := range refusals {
		b, ct := form(t, c.parts)
		status, body := e.post(t, path, b, ct)
		var eb errorBody
		json.Unmarshal(body, &eb)
		if status != 400 || eb.FlinksCode != c.code || eb.HttpStatusCode != 400 || eb.Message == "" {
			t.Errorf("%s: %d %s, want 400 %s", c.name, status, body, c.code)
		}
		if bytes.Contains(body, []byte(password)) {
			t.Errorf("%s: the answer repeats the password: %s", c.name, body)
		}
	}
	if files, uploads, logins := e.stored(t); files != 0 || uploads != 0 || logins != 0 {
		t.Fatalf("refused uploads left %d files, %d uploads, %d logins", files, uploads, logins)
	}

	b, ct := form(t, []formPart{{file: "plain.pdf", data: plain}, {file: "locked.pdf", data: locked}, {field: "password.1", data: []byte(password)}})
	status, body := e.post(t, path, b, ct)
	if status != 200 {
		t.Fatalf("upload with the password: %d %s", status, body)
	}
	var rc Receipt
	json.Unmarshal(body, &rc)
	completed := "evt_" + rc.UploadId + "_completed"
	waitFor(t, "the completed webhook", 30*time.Second, func() bool { _, ok := h.get(completed); return ok })
	cb, _ := h.get(completed)
	var payload struct {
		Accounts  []passbook.Account
		Documents []passbook.Document
	}
	if err := json.Unmarshal(cb, &payload); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, a := range payload.Accounts {
		got[a.AccountNumber] = len(a.Transactions)
	}
	if got["00999-1234567"] != 9 || got["00999-7654321"] != 4 {
		t.Fatalf("transactions per account: %v; documents %+v", got, payload.Documents)
	}
	// The stored file is the encrypted original; the password is in no file Passbook wrote.
	var original bool
	filepath.WalkDir(filepath.Dir(e.blobDir), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		data, _ := os.ReadFile(p)
		if bytes.Equal(data, locked) {
			original = true
		}
		if bytes.Contains(data, []byte(password)) {
			t.Errorf("%s holds the password", p)
		}
		return nil
	})
	if !original {
		t.Error("the encrypted original is not stored as it came")
	}
	docs, _ := e.db.LoginDocuments(context.Background(), rc.LoginId)
	for _, d := range docs {
		if d.Status != engine.DocumentRead {
			t.Errorf("%s: %s %s", d.FileName, d.Status, d.Error)
		}
	}
}

func TestPasswordField(t *testing.T) {
	cases := []struct {
		name  string
		files int // file parts before the field
		want  int
		ok    bool
	}{
		{"password", 1, 0, true},
		{"password", 3, 2, true},
		{"password", 0, 0, false},
		{"password.0", 0, 0, true},
		{"password.5", 2, 5, true},
		{"password[2]", 1, 2, true},
		{"password.-1", 1, 0, false},
		{"password.24", 1, 0, false},
		{"password.x", 1, 0, false},
		{"passwords", 1, 0, false},
		{"institution", 1, 0, false},
	}
	for _, c := range cases {
		got, ok := passwordField(c.name, c.files)
		if ok != c.ok || ok && got != c.want {
			t.Errorf("passwordField(%q, %d) = %d, %v; want %d, %v", c.name, c.files, got, ok, c.want, c.ok)
		}
	}
	if k := OpenedKey("uploads/u/1.pdf"); OpenedOf(k) != "uploads/u/1.pdf" || OpenedOf("uploads/u/1.pdf") != "uploads/u/1.pdf" {
		t.Errorf("OpenedKey/OpenedOf do not round-trip: %s", k)
	}
}
