package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestDiskPutOpenDelete(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d, err := NewDisk(dir)
	if err != nil {
		t.Fatal(err)
	}
	body := bytes.Repeat([]byte("%PDF-1.7 statement "), 10000)
	info, err := d.Put(ctx, "uploads/abc/0.pdf", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	if info.Size != int64(len(body)) || info.SHA256 != hex.EncodeToString(sum[:]) || info.Key != "uploads/abc/0.pdf" {
		t.Fatalf("info = %+v", info)
	}
	rc, err := d.Open(ctx, "uploads/abc/0.pdf")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(got, body) {
		t.Fatal("content differs")
	}
	if err := d.Delete(ctx, "uploads/abc/0.pdf"); err != nil {
		t.Fatal(err)
	}
	if err := d.Delete(ctx, "uploads/abc/0.pdf"); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := d.Open(ctx, "uploads/abc/0.pdf"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("open deleted: %v", err)
	}
}

type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, io.ErrUnexpectedEOF
	}
	k := min(len(p), f.n)
	f.n -= k
	return k, nil
}

func TestDiskFailedPutLeavesNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d, _ := NewDisk(dir)
	if _, err := d.Put(ctx, "a/b", &failingReader{n: 100000}); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "a", "b")); !os.IsNotExist(err) {
		t.Fatalf("a failed put left a file: %v", err)
	}
	tmp, _ := os.ReadDir(filepath.Join(dir, ".tmp"))
	if len(tmp) != 0 {
		t.Fatalf("temporary files left: %d", len(tmp))
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := d.Put(cctx, "a/c", bytes.NewReader([]byte("x"))); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled put: %v", err)
	}
}

func TestValidKey(t *testing.T) {
	for key, want := range map[string]bool{
		"uploads/1/0.pdf": true, "a": true, "A-b_c.d": true,
		"": false, "../etc/passwd": false, "a//b": false, "/abs": false, "a/./b": false, "a b": false, "a\\b": false,
	} {
		if got := ValidKey(key); got != want {
			t.Errorf("ValidKey(%q) = %v", key, got)
		}
	}
	d, _ := NewDisk(t.TempDir())
	if _, err := d.Put(context.Background(), "../x", bytes.NewReader(nil)); err == nil {
		t.Fatal("put outside the store accepted")
	}
}
