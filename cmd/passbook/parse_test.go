package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/upload/uploadtest"
)

// encryptedPDF returns a one-page PDF protected by a password it does not know.
func encryptedPDF() []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
		fmt.Sprintf("<< /Filter /Standard /V 1 /R 2 /O <%064x> /U <%064x> /P -4 >>", 1, 2),
	}
	var offs []int
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}

func TestParseCommand(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join("..", "..", "statement", "testdata", "coop-00.pdf")
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"notes.txt":     []byte("hello, not a statement"),
		"truncated.pdf": data[:len(data)/4],
		"locked.pdf":    encryptedPDF(),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bad := []string{filepath.Join(dir, "notes.txt"), filepath.Join(dir, "truncated.pdf"), filepath.Join(dir, "locked.pdf"), filepath.Join(dir, "missing.pdf")}

	// Some files unreadable: the others are printed, each failure is named on stderr, and the
	// exit status says the result is partial.
	var out, errb bytes.Buffer
	err = run(context.Background(), append([]string{"parse", good, good}, bad...), &out, &errb)
	if exit := exitError(0); !errors.As(err, &exit) || exit != exitPartial {
		t.Fatalf("parse with unreadable files: %v, want exit status %d\n%s", err, exitPartial, errb.String())
	}
	for _, name := range []string{"notes.txt", "truncated.pdf", "locked.pdf", "missing.pdf"} {
		if !strings.Contains(errb.String(), "warning: "+name+": ") {
			t.Errorf("stderr does not name %s:\n%s", name, errb.String())
		}
	}
	var st passbook.Statements
	if err := json.Unmarshal(out.Bytes(), &st); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if len(st.Documents) != 6 {
		t.Fatalf("%d documents, want 6", len(st.Documents))
	}
	wantErr := []string{"", "", "not a PDF", "damaged", "password", "not found"}
	for i, d := range st.Documents {
		if (wantErr[i] == "") != (d.Error == "") || !strings.Contains(d.Error, wantErr[i]) {
			t.Errorf("document %s: error %q, want one containing %q", d.FileName, d.Error, wantErr[i])
		}
	}
	// The same statement twice is one upload: its accounts are merged and counted once.
	if len(st.Accounts) != 3 {
		t.Fatalf("%d accounts, want 3", len(st.Accounts))
	}
	var single bytes.Buffer
	if err := run(context.Background(), []string{"parse", good}, &single, &errb); err != nil {
		t.Fatal(err)
	}
	var one passbook.Statements
	_ = json.Unmarshal(single.Bytes(), &one)
	if n := len(st.Accounts[0].Transactions); n == 0 || n != len(one.Accounts[0].Transactions) {
		t.Errorf("merged account: %d transactions, want %d", n, len(one.Accounts[0].Transactions))
	}

	// Re-parsing gives the same ids.
	var again bytes.Buffer
	if err := run(context.Background(), []string{"parse", good, good}, &again, &errb); err != nil {
		t.Fatal(err)
	}
	var st2 passbook.Statements
	_ = json.Unmarshal(again.Bytes(), &st2)
	if st2.Accounts[0].Id != st.Accounts[0].Id || st2.Accounts[0].Transactions[3].Id != st.Accounts[0].Transactions[3].Id {
		t.Error("ids differ between two parses of the same files")
	}

	// A flag after the file names is refused, not read as a file.
	if err := run(context.Background(), []string{"parse", good, "--format", "csv"}, &out, &errb); !errors.Is(err, errUsage) {
		t.Errorf("flag after the files: %v", err)
	}

	// Nothing readable: a non-zero exit.
	err = run(context.Background(), append([]string{"parse"}, bad...), &out, &errb)
	var exit exitError
	if !errors.As(err, &exit) || exit != 1 {
		t.Errorf("all files unreadable: %v, want exit status 1", err)
	}
}

func TestParseFormats(t *testing.T) {
	good := filepath.Join("..", "..", "statement", "testdata", "aurora-00.pdf")
	var csvOut, ofxOut, errb bytes.Buffer
	if err := run(context.Background(), []string{"parse", "--format", "csv", good}, &csvOut, &errb); err != nil {
		t.Fatal(err)
	}
	var truth struct {
		Accounts []struct {
			Transactions []json.RawMessage `json:"transactions"`
		} `json:"accounts"`
	}
	b, _ := os.ReadFile(strings.TrimSuffix(good, ".pdf") + ".json")
	if err := json.Unmarshal(b, &truth); err != nil {
		t.Fatal(err)
	}
	n := len(truth.Accounts[0].Transactions)
	if lines := strings.Count(csvOut.String(), "\n"); lines != n+1 {
		t.Errorf("csv: %d lines, want %d", lines, n+1)
	}
	if err := run(context.Background(), []string{"parse", "--format", "ofx", good}, &ofxOut, &errb); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(ofxOut.String(), "<STMTTRN>"); got != n || !strings.Contains(ofxOut.String(), "<CREDITCARDMSGSRSV1>") {
		t.Errorf("ofx: %d transactions, want %d in a credit card statement", got, n)
	}
	if err := run(context.Background(), []string{"parse", "--format", "xml", good}, &ofxOut, &errb); !errors.Is(err, errUsage) {
		t.Errorf("unknown format: %v, want a usage error", err)
	}
}

// TestMain lets the benchmarks run this test binary as the passbook program
// (PASSBOOK_RUN_MAIN=1 test-binary parse FILE...), so that process start is measured too.
func TestMain(m *testing.M) {
	if os.Getenv("PASSBOOK_RUN_MAIN") == "1" {
		os.Args = append([]string{"passbook"}, os.Args[1:]...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// BenchmarkParseFolder compares `passbook parse` given every fixture in one call (one process,
// files in parallel) with `pdftotext -bbox` run once per file over the same files:
//
//	go test ./cmd/passbook -run '^$' -bench ParseFolder -benchtime 3x
func BenchmarkParseFolder(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "statement", "testdata", "*.pdf"))
	if len(files) == 0 {
		b.Skip("no fixtures")
	}
	self, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	pages := 0
	for _, f := range files {
		out, err := exec.Command("pdfinfo", f).Output()
		if err != nil {
			b.Skip("poppler-utils not installed")
		}
		for _, l := range strings.Split(string(out), "\n") {
			if v, ok := strings.CutPrefix(l, "Pages:"); ok {
				n, _ := strconv.Atoi(strings.TrimSpace(v))
				pages += n
			}
		}
	}
	var parse, poppler time.Duration
	b.Run("passbook", func(b *testing.B) {
		for b.Loop() {
			cmd := exec.Command(self, append([]string{"parse"}, files...)...)
			cmd.Env = append(os.Environ(), "PASSBOOK_RUN_MAIN=1")
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("%v: %s", err, out[:min(len(out), 300)])
			}
		}
		parse = b.Elapsed() / time.Duration(b.N)
		b.ReportMetric(float64(pages)/parse.Seconds(), "pages/s")
	})
	b.Run("pdftotext", func(b *testing.B) {
		for b.Loop() {
			for _, f := range files {
				if err := exec.Command("pdftotext", "-bbox", f, os.DevNull).Run(); err != nil {
					b.Fatal(err)
				}
			}
		}
		poppler = b.Elapsed() / time.Duration(b.N)
		b.ReportMetric(float64(pages)/poppler.Seconds(), "pages/s")
	})
	b.Run("one-file", func(b *testing.B) {
		for b.Loop() {
			cmd := exec.Command(self, "parse", files[0])
			cmd.Env = append(os.Environ(), "PASSBOOK_RUN_MAIN=1")
			if err := cmd.Run(); err != nil {
				b.Fatal(err)
			}
		}
	})
	if poppler > 0 {
		b.Logf("%d files, %d pages: passbook %v, pdftotext %v, ratio %.2f", len(files), pages, parse, poppler, float64(parse)/float64(poppler))
	}
}

// TestParsePassword reads a password-protected statement with --password, and says so when the
// password is wrong or missing.
func TestParsePassword(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "locked.pdf")
	if err := os.WriteFile(path, uploadtest.New("00123-4567890", 3, 8).ProtectedPDF(20, "1985-04-12"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args    []string
		rows    int
		wantErr string
	}{
		{[]string{"parse", "--password", "1985-04-12", path}, 8, ""},
		{[]string{"parse", "--password", "12-04-1985", path}, 0, "password sent with the PDF file does not open it"},
		{[]string{"parse", path}, 0, "password-protected"},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		err := run(context.Background(), c.args, &out, &errb)
		var st passbook.Statements
		json.Unmarshal(out.Bytes(), &st)
		if c.wantErr == "" {
			if err != nil || len(st.Accounts) != 1 || len(st.Accounts[0].Transactions) != c.rows {
				t.Errorf("%v: %v, %+v\n%s", c.args, err, st.Accounts, errb.String())
			}
			continue
		}
		if err == nil || len(st.Documents) != 1 || !strings.Contains(st.Documents[0].Error, c.wantErr) {
			t.Errorf("%v: %v, documents %+v, want an error with %q", c.args, err, st.Documents, c.wantErr)
		}
	}
}

// TestParseWithoutTesseract: Tesseract is looked for only when a file needs it; when it is not
// there, text PDFs still read and scans and images say OCR is missing.
func TestParseWithoutTesseract(t *testing.T) {
	text := filepath.Join("..", "..", "statement", "testdata", "coop-00.pdf")
	scan := filepath.Join("..", "..", "ocr", "testdata", "quartz-01-scan.pdf")
	img := filepath.Join("..", "..", "ocr", "testdata", "riviere-00-png.png")
	missing := filepath.Join(t.TempDir(), "no-tesseract")
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"parse", "--tesseract", missing, text, scan, img}, &out, &errb)
	if exit := exitError(0); !errors.As(err, &exit) || exit != exitPartial {
		t.Fatalf("parse without Tesseract: %v, want exit status %d\n%s", err, exitPartial, errb.String())
	}
	for _, name := range []string{"quartz-01-scan.pdf", "riviere-00-png.png"} {
		if !strings.Contains(errb.String(), "warning: "+name+": OCR is not installed") {
			t.Errorf("stderr does not say %s needs OCR:\n%s", name, errb.String())
		}
	}
	if strings.Contains(errb.String(), "coop-00.pdf") {
		t.Errorf("the text PDF was not read:\n%s", errb.String())
	}
}
