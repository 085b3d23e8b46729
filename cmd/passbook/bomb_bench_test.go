package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passbookhq/passbook/internal/pdfgen"
	"github.com/passbookhq/passbook/upload/uploadtest"
)

// BenchmarkBombUpload starts the real binary and uploads PDF bombs, each beside a genuine
// statement: first those the intake's cheap checks find — the three of issue 11 (5 million filled
// rectangles in one content stream, 10 million text objects, 1 GiB of blanks in a file of about a
// megabyte) and the same behind LZW, RunLength, in an unused object or an image XObject — each
// upload refused with 415 naming the bomb and its reason; then one only reading its page finds,
// in an upload that is processed: the bomb fails with its reason and the statement is read. It
// reports, from the server's /proc RSS sampled every 5 ms: the peak growth over the idle server,
// the RSS a few seconds after the job ended, the slowest refusal, the job's duration from the
// upload's answer to its end, and the p99 of GetAccountsDetail called in a loop meanwhile.
//
//	go test ./cmd/passbook -run '^$' -bench BombUpload -benchtime 1x
func BenchmarkBombUpload(b *testing.B) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.Skip("needs /proc")
	}
	dir := b.TempDir()
	bin := filepath.Join(dir, "passbook")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("%v\n%s", err, out)
	}
	p := startBinary(b, bin, "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "data"), "--log-level", "warn", "--demo-receiver=false")
	base, cid, apiKey, authKey := p.find(b, reListening), p.find(b, reCustomerID), p.find(b, reAPIKey), p.find(b, reAuthKey)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "data", "passbook.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()

	// A sandbox login whose accounts GetAccountsDetail serves while the bombs are read.
	bs := base + "/v3/" + cid + "/BankingServices/"
	var tok struct{ Token string }
	if st := postJSON(b, bs+"GenerateAuthorizeToken", map[string]string{"flinks-auth-key": authKey}, "", &tok); st != 200 {
		b.Fatalf("GenerateAuthorizeToken: %d", st)
	}
	var auth struct{ RequestId string }
	if st := postJSON(b, bs+"Authorize", map[string]string{"flinks-auth-key": tok.Token},
		`{"Institution":"FlinksCapital","Username":"greatday_nomfa","Password":"Everyday","Save":true}`, &auth); st != 200 {
		b.Fatalf("Authorize: %d", st)
	}
	detail := func() (time.Duration, error) {
		start := time.Now()
		req, _ := http.NewRequest("POST", bs+"GetAccountsDetail", strings.NewReader(`{"RequestId":"`+auth.RequestId+`"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("x-api-key", apiKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return 0, fmt.Errorf("GetAccountsDetail: %d", resp.StatusCode)
		}
		return time.Since(start), nil
	}
	if _, err := detail(); err != nil {
		b.Fatal(err)
	}

	type file struct {
		name string
		data []byte
		want string // in the refusal or the document's error; "" for the statement, which must be read
	}
	statement := file{"statement.pdf", uploadtest.New("004-55501", time.March, 120).PDF(45), ""}
	// Bombs the intake's cheap checks find: an upload holding one beside the statement is refused
	// before anything is stored or charged.
	refused := []file{
		{"rectangles.pdf", pdfgen.RectBomb(5_000_000), "objects"},
		{"text.pdf", pdfgen.TextBomb(10_000_000), "text objects"},
		{"blanks.pdf", pdfgen.SpaceBomb(1 << 30), "inflates to more than"},
		{"lzw-rectangles.pdf", pdfgen.Bomb(pdfgen.LZW, pdfgen.AsContent, pdfgen.Rects(5_000_000)), "objects"},
		{"runlength-unused.pdf", pdfgen.Bomb(pdfgen.RunLength, pdfgen.Unused, pdfgen.Spaces(100<<20)), "inflates to more than"},
		{"image.pdf", pdfgen.Bomb(pdfgen.Flate, pdfgen.AsImage, pdfgen.Spaces(400<<20)), "pixels hold"},
	}
	// A bomb only reading its page finds (two content streams of 150,000 rectangles each: each
	// under the byte scan's budget, the page over the objects it may hold): the upload is
	// accepted, the bomb fails in processing, the statement is read.
	processed := []file{{"objects.pdf", pdfgen.Bomb(pdfgen.Flate, pdfgen.TwoStreams, pdfgen.Rects(150_000)), "holds more than 200000 objects"}, statement}
	form := func(files ...file) (*bytes.Buffer, string) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for _, f := range files {
			w, _ := mw.CreateFormFile("files", f.name)
			w.Write(f.data)
		}
		mw.Close()
		return &body, mw.FormDataContentType()
	}
	post := func(files ...file) (int, []byte) {
		body, ct := form(files...)
		req, _ := http.NewRequest("POST", base+"/v3/"+cid+"/upload", body)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("x-api-key", apiKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, out
	}

	time.Sleep(time.Second) // settle: the engine and the database are warm
	var peak, after int64
	var took, refuseTook time.Duration
	var lat []time.Duration
	for b.Loop() {
		idle := rssKB(p.cmd.Process.Pid)
		stopRSS := sampleRSS(p.cmd.Process.Pid, 5*time.Millisecond)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		var mu sync.Mutex
		go func() { // GetAccountsDetail, one client in a loop
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				d, err := detail()
				if err != nil {
					b.Error(err)
					return
				}
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
				time.Sleep(5 * time.Millisecond)
			}
		}()
		for _, f := range refused {
			start := time.Now()
			status, msg := post(f, statement)
			refuseTook = max(refuseTook, time.Since(start))
			if status != http.StatusUnsupportedMediaType || !bytes.Contains(msg, []byte(f.name)) || !bytes.Contains(msg, []byte(f.want)) {
				b.Errorf("%s: %d %s; want 415 naming it (%s)", f.name, status, msg, f.want)
			}
		}
		status, msg := post(processed...)
		var rc struct{ LoginId, UploadId string }
		json.Unmarshal(msg, &rc)
		if status != 200 {
			b.Fatalf("upload: %d %s", status, msg)
		}
		start := time.Now()
		for {
			var status string
			db.QueryRow(`SELECT status FROM uploads WHERE id = ?`, rc.UploadId).Scan(&status)
			if status != "" && status != "received" {
				break
			}
			if time.Since(start) > 5*time.Minute {
				b.Fatal("the upload was not processed in 5 minutes")
			}
			time.Sleep(10 * time.Millisecond)
		}
		took = max(took, time.Since(start))
		close(stop)
		wg.Wait()
		peak = max(peak, stopRSS()-idle)
		time.Sleep(5 * time.Second)
		after = max(after, rssKB(p.cmd.Process.Pid)-idle)

		rows, err := db.Query(`SELECT data FROM login_documents WHERE login_id = ? ORDER BY position`, rc.LoginId)
		if err != nil {
			b.Fatal(err)
		}
		i := 0
		for ; rows.Next(); i++ {
			var data string
			var doc struct{ FileName, Status, Error string }
			if err := rows.Scan(&data); err != nil || json.Unmarshal([]byte(data), &doc) != nil || i >= len(processed) {
				b.Fatalf("document %d: %v %s", i, err, data)
			}
			f := processed[i]
			switch {
			case f.want == "" && doc.Status != "read":
				b.Errorf("%s: %s, %s; want it read", f.name, doc.Status, doc.Error)
			case f.want != "" && (doc.Status != "failed" || !strings.Contains(doc.Error, "too complex to read") || !strings.Contains(doc.Error, f.want)):
				b.Errorf("%s: %s, %q; want failed, too complex (%s)", f.name, doc.Status, doc.Error, f.want)
			}
		}
		rows.Close()
		if i != len(processed) {
			b.Fatalf("%d documents stored, want %d", i, len(processed))
		}
	}
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "detail-p99-ms")
		b.ReportMetric(float64(len(lat)), "detail-calls")
	}
	b.ReportMetric(refuseTook.Seconds(), "refuse-max-s")
	b.ReportMetric(took.Seconds(), "job-s")
	b.ReportMetric(float64(peak)/1024, "peak-growth-MB")
	b.ReportMetric(float64(after)/1024, "after-MB")
}
