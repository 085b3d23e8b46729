package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/passbookhq/passbook/internal/testenv"
)

// s3Store opens the test S3-compatible server (.ci/run starts one) under a key prefix of its own.
func s3Store(t testing.TB) *S3 {
	t.Helper()
	s, err := NewS3(context.Background(), testenv.S3(t))
	if err != nil {
		t.Fatal(err)
	}
	s.PartSize = 5 << 20
	return s
}

// TestStoreConformance runs the same contract against every Store: the local disk and a real
// S3-compatible server.
func TestStoreConformance(t *testing.T) {
	t.Run("disk", func(t *testing.T) {
		d, err := NewDisk(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		conformance(t, d, func() []string { return diskKeys(t, d) })
	})
	t.Run("s3", func(t *testing.T) {
		s := s3Store(t)
		conformance(t, s, func() []string {
			keys, err := s.keys(context.Background(), "")
			if err != nil {
				t.Fatal(err)
			}
			return keys
		})
		for u := range s.client.ListIncompleteUploads(context.Background(), s.bucket, s.prefix, true) {
			t.Errorf("multipart upload left open: %+v", u)
		}
	})
}

// BenchmarkS3Put180MB streams a 180 MB blob to the S3 server and reads it back, and reports the
// peak growth of the Go heap while it does (sampled every 2 ms): the blob must not be held.
func BenchmarkS3Put180MB(b *testing.B) {
	s := s3Store(b)
	s.PartSize = DefaultPartSize
	const size = 180 << 20
	ctx := context.Background()
	var peak uint64
	for b.Loop() {
		runtime.GC()
		base := heapBytes()
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			for {
				if h := heapBytes(); h > base && h-base > peak {
					peak = h - base
				}
				select {
				case <-stop:
					return
				case <-time.After(2 * time.Millisecond):
				}
			}
		}()
		if _, err := s.Put(ctx, "big/blob", pattern(size)); err != nil {
			b.Fatal(err)
		}
		rc, err := s.Open(ctx, "big/blob")
		if err != nil {
			b.Fatal(err)
		}
		if n, err := io.Copy(io.Discard, rc); err != nil || n != size {
			b.Fatalf("read %d, %v", n, err)
		}
		rc.Close()
		close(stop)
		<-done
	}
	s.Delete(ctx, "big/blob")
	b.SetBytes(size)
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

func heapBytes() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// diskKeys lists every file under the store's directory, temporary files included.
func diskKeys(t *testing.T, d *Disk) []string {
	t.Helper()
	var keys []string
	err := filepath.WalkDir(d.dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(d.dir, p)
		keys = append(keys, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// pattern yields n deterministic bytes without holding them.
func pattern(n int64) io.Reader {
	return io.LimitReader(&counter{}, n)
}

type counter struct{ i byte }

func (c *counter) Read(p []byte) (int, error) {
	for k := range p {
		p[k] = c.i
		c.i = c.i*31 + 7
	}
	return len(p), nil
}

func conformance(t *testing.T, s Store, stored func() []string) {
	ctx := context.Background()

	// A blob larger than one part goes through a multipart upload where the store has one.
	const size = 12<<20 + 12345
	h := sha256.New()
	io.Copy(h, pattern(size))
	want := hex.EncodeToString(h.Sum(nil))
	info, err := s.Put(ctx, "uploads/u1/0.pdf", pattern(size))
	if err != nil {
		t.Fatal(err)
	}
	if info.Key != "uploads/u1/0.pdf" || info.Size != size || info.SHA256 != want {
		t.Fatalf("info = %+v, want size %d sha %s", info, size, want)
	}
	rc, err := s.Open(ctx, "uploads/u1/0.pdf")
	if err != nil {
		t.Fatal(err)
	}
	h.Reset()
	if n, err := io.Copy(h, rc); err != nil || n != size || hex.EncodeToString(h.Sum(nil)) != want {
		t.Fatalf("read back %d bytes, err %v", n, err)
	}
	rc.Close()
	if got := stored(); len(got) != 1 || got[0] != "uploads/u1/0.pdf" {
		t.Fatalf("stored keys after one put: %v (no temporary object may remain)", got)
	}

	// Put replaces.
	if _, err := s.Put(ctx, "uploads/u1/0.pdf", strings.NewReader("%PDF-1.7 second")); err != nil {
		t.Fatal(err)
	}
	rc, err = s.Open(ctx, "uploads/u1/0.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if b, err := io.ReadAll(rc); err != nil || string(b) != "%PDF-1.7 second" {
		t.Fatalf("replaced blob reads %q, %v", b, err)
	}
	rc.Close()

	// A source that fails midway — after a first part was sent — stores nothing.
	if _, err := s.Put(ctx, "uploads/u2/0.pdf", io.MultiReader(pattern(6<<20), &failingReader{})); err == nil {
		t.Fatal("a failing source was stored")
	}
	// So does a cancelled context.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Put(cctx, "uploads/u3/0.pdf", bytes.NewReader([]byte("x"))); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled put: %v", err)
	}
	if got := stored(); len(got) != 1 {
		t.Fatalf("failed puts left %v", got)
	}
	if _, err := s.Open(ctx, "uploads/u2/0.pdf"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("open of a failed put: %v", err)
	}

	// Keys are checked before anything is sent.
	for _, k := range []string{"", "../x", "a//b", "a/./b", "a b"} {
		if _, err := s.Put(ctx, k, strings.NewReader("x")); err == nil {
			t.Errorf("key %q accepted", k)
		}
	}

	if err := s.Delete(ctx, "uploads/u1/0.pdf"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "uploads/u1/0.pdf"); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := s.Open(ctx, "uploads/u1/0.pdf"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("open deleted: %v", err)
	}
	if got := stored(); len(got) != 0 {
		t.Fatalf("left after delete: %v", got)
	}

	// The janitor removes what no record references, and only what is older than its bound.
	for _, k := range []string{"uploads/a/0.pdf", "uploads/a/1.pdf", "uploads/b/0.pdf"} {
		if _, err := s.Put(ctx, k, strings.NewReader("x")); err != nil {
			t.Fatal(err)
		}
	}
	ref := func(_ context.Context, key string) (bool, error) { return key == "uploads/a/0.pdf", nil }
	if n, err := s.Sweep(ctx, time.Now().Add(-time.Hour), ref); err != nil || n != 0 {
		t.Fatalf("a sweep of what is older than an hour removed %d, %v", n, err)
	}
	if n, err := s.Sweep(ctx, time.Now().Add(time.Hour), ref); err != nil || n != 2 {
		t.Fatalf("sweep removed %d, %v; want 2", n, err)
	}
	if got := stored(); len(got) != 1 || got[0] != "uploads/a/0.pdf" {
		t.Fatalf("after the sweep: %v", got)
	}
	if err := s.Delete(ctx, "uploads/a/0.pdf"); err != nil {
		t.Fatal(err)
	}
}

// TestS3SweepsWhatAKilledServerLeft: a temporary object and an open multipart upload, as a
// server killed in the middle of a Put leaves them, are removed by the janitor.
func TestS3SweepsWhatAKilledServerLeft(t *testing.T) {
	ctx := context.Background()
	s := s3Store(t)
	if _, err := s.client.PutObject(ctx, s.bucket, s.prefix+".tmp/0123abcd", strings.NewReader("half"), 4, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	core := minio.Core{Client: s.client}
	if _, err := core.NewMultipartUpload(ctx, s.bucket, s.prefix+".tmp/4567ef", minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	n, err := s.Sweep(ctx, time.Now().Add(time.Minute), func(context.Context, string) (bool, error) { return false, nil })
	if err != nil || n != 2 {
		t.Fatalf("sweep removed %d, %v; want the temporary object and the open upload", n, err)
	}
	for u := range s.client.ListIncompleteUploads(ctx, s.bucket, s.prefix, true) {
		t.Errorf("upload still open: %+v", u)
	}
	if keys, _ := s.keys(ctx, ""); len(keys) != 0 {
		t.Errorf("left: %v", keys)
	}
}

// TestS3DetectsChangedContent changes a stored object behind the store's back, keeping its
// recorded hash, as a corrupted disk or a tampering operator would: reading it fails.
func TestS3DetectsChangedContent(t *testing.T) {
	ctx := context.Background()
	s := s3Store(t)
	info, err := s.Put(ctx, "a/statement.pdf", strings.NewReader("%PDF-1.7 balance 100.00"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.client.PutObject(ctx, s.bucket, s.prefix+"a/statement.pdf", strings.NewReader("%PDF-1.7 balance 900.00"), -1,
		minio.PutObjectOptions{UserMetadata: map[string]string{sha256Meta: info.SHA256}})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := s.Open(ctx, "a/statement.pdf")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if _, err := io.ReadAll(rc); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("reading changed content: %v, want ErrCorrupt", err)
	}
	s.Delete(ctx, "a/statement.pdf")
}

func TestOpenNamesAStore(t *testing.T) {
	ctx := context.Background()
	if s, err := Open(ctx, t.TempDir()); err != nil {
		t.Fatal(err)
	} else if _, ok := s.(*Disk); !ok {
		t.Fatalf("a directory opened %T", s)
	}
	for _, bad := range []string{"ftp://x/y", "s3://", "s3://bucket?endpoint=ftp://h/x"} {
		if _, err := Open(ctx, bad); err == nil {
			t.Errorf("%q opened", bad)
		}
	}
}
