package main

import (
	"bytes"
	"database/sql"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/passbookhq/passbook/internal/pdfgen"
)

// rssKB returns a process's resident set size in kB, from /proc.
func rssKB(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

func pending(b *testing.B, db *sql.DB) int {
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM uploads WHERE status = 'received'`).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

// sampleRSS samples the resident size of process pid every interval until stop is called, which
// returns the highest in kB.
func sampleRSS(pid int, every time.Duration) (stop func() int64) {
	var high atomic.Int64
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			if r := rssKB(pid); r > high.Load() {
				high.Store(r)
			}
			select {
			case <-done:
				return
			case <-time.After(every):
			}
		}
	}()
	return func() int64 {
		close(done)
		<-sampled
		return high.Load()
	}
}

// paddedPDF is a reader of a one-page PDF of size bytes (size ≥ 1 KB): a small genuine document,
// then a comment of zeros to make up the size, which every reader skips.
func paddedPDF(size int64) io.Reader {
	d := pdfgen.New()
	d.AddPage(612, 792).Text(72, 700, "Helvetica", 12, "Padded")
	head := append(d.Bytes(), '%')
	return io.MultiReader(bytes.NewReader(head), io.LimitReader(zeroReader{}, size-int64(len(head))))
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// BenchmarkUpload180MBMemory starts the real binary and sends it a 180 MB upload (9 files of
// 20 MB) streamed from a generator, sampling the server's resident memory every 2 ms while the
// request runs. It reports the peak growth over the resident size before the upload.
//
//	go test ./cmd/passbook -run '^$' -bench Upload180MBMemory -benchtime 3x
func BenchmarkUpload180MBMemory(b *testing.B) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.Skip("needs /proc")
	}
	dir := b.TempDir()
	bin := filepath.Join(dir, "passbook")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("%v\n%s", err, out)
	}
	p := startBinary(b, bin, "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "data"), "--log-level", "warn")
	base, customerID, apiKey := p.find(b, reListening), p.find(b, reCustomerID), p.find(b, reAPIKey)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "data", "passbook.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	// Settle: the engine and the database are warm before the baseline is read.
	time.Sleep(500 * time.Millisecond)
	var peak int64
	for b.Loop() {
		before := rssKB(p.cmd.Process.Pid)
		stopRSS := sampleRSS(p.cmd.Process.Pid, 2*time.Millisecond)
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		go func() {
			for i := range 9 {
				w, err := mw.CreateFormFile("files", fmt.Sprintf("big-%d.pdf", i))
				if err == nil {
					_, err = io.Copy(w, paddedPDF(20<<20))
				}
				if err != nil {
					pw.CloseWithError(err)
					return
				}
			}
			pw.CloseWithError(mw.Close())
		}()
		req, _ := http.NewRequest("POST", base+"/v3/"+customerID+"/upload", pr)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("x-api-key", apiKey)
		resp, err := http.DefaultClient.Do(req)
		high := stopRSS()
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("upload: %d", resp.StatusCode)
		}
		peak = max(peak, high-before)
		// Let the processing of the files end before the next upload.
		deadline := time.Now().Add(2 * time.Minute)
		for pending(b, db) > 0 && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
	}
	b.ReportMetric(float64(peak)/1024, "peak-growth-MB")
}
