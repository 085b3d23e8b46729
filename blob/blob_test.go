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
	"strings"
	"testing"
	"testing/iotest"
	"time"
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

func TestSweepRemovesOrphansOnly(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	d, err := NewDisk(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"uploads/a/0.pdf", "uploads/a/1.pdf", "uploads/b/0.pdf", "uploads/new/0.pdf"} {
		if _, err := d.Put(ctx, k, strings.NewReader("x")); err != nil {
			t.Fatal(err)
		}
	}
	tmp := filepath.Join(root, ".tmp", "put-123")
	if err := os.WriteFile(tmp, []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-3 * time.Hour)
	for _, p := range []string{"uploads/a/0.pdf", "uploads/a/1.pdf", "uploads/b/0.pdf", ".tmp/put-123"} {
		if err := os.Chtimes(filepath.Join(root, p), old, old); err != nil {
			t.Fatal(err)
		}
	}
	// Only a/0.pdf is referenced; new/0.pdf is recent (an upload still being received).
	n, err := d.Sweep(ctx, time.Now().Add(-time.Hour), func(_ context.Context, key string) (bool, error) {
		return key == "uploads/a/0.pdf", nil
	})
	if err != nil || n != 3 {
		t.Fatalf("removed %d, %v; want 3", n, err)
	}
	for p, want := range map[string]bool{"uploads/a/0.pdf": true, "uploads/a/1.pdf": false, "uploads/b": false, "uploads/new/0.pdf": true, ".tmp/put-123": false, ".tmp": true} {
		_, err := os.Stat(filepath.Join(root, p))
		if got := err == nil; got != want {
			t.Errorf("%s exists: %v, want %v", p, got, want)
		}
	}
}

func TestFailedPutLeavesNoFolder(t *testing.T) {
	root := t.TempDir()
	d, err := NewDisk(root)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Put(context.Background(), "uploads/x/0.pdf", iotest.ErrReader(errors.New("cut off"))); err == nil {
		t.Fatal("a failed write succeeded")
	}
	if _, err := os.Stat(filepath.Join(root, "uploads")); !os.IsNotExist(err) {
		t.Fatalf("a failed write left a folder: %v", err)
	}
	if _, err := d.Put(context.Background(), "uploads/y/0.pdf", strings.NewReader("x")); err != nil {
		t.Fatal(err)
	}
	if err := d.Delete(context.Background(), "uploads/y/0.pdf"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "uploads")); !os.IsNotExist(err) {
		t.Fatalf("deleting the last blob left its folders: %v", err)
	}
}
