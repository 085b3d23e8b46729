package upload

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/engine"
	"github.com/passbookhq/passbook/upload/uploadtest"
)

// BenchmarkUploadToWebhook measures the time from sending a 3-page statement to the API to its
// completed webhook arriving at a receiver, through real HTTP, SQLite, River and the PDF engine.
// It reports the p50 and p95 of that latency.
//
//	go test ./upload -run '^$' -bench UploadToWebhook -benchtime 30x
func BenchmarkUploadToWebhook(b *testing.B) {
	e := newEnv(b, passbook.CustomerSettings{})
	h := newHookReceiver()
	e.addEndpoint(b, h)
	pdf := uploadtest.New("00123-9876543", 3, 66).PDF(25)
	if n := countPages(b, pdf); n != 3 {
		b.Fatalf("the statement has %d pages", n)
	}
	var lat []time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		status, body := e.upload(b, []part{{"march.pdf", bytes.NewReader(pdf)}})
		if status != 200 {
			b.Fatalf("upload: %d %s", status, body)
		}
		var rc Receipt
		json.Unmarshal(body, &rc)
		id := "evt_" + rc.UploadId + "_completed"
		waitFor(b, "the webhook", 30*time.Second, func() bool { _, ok := h.get(id); return ok })
		h.mu.Lock()
		lat = append(lat, h.at[id].Sub(start))
		h.mu.Unlock()
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*95/100)].Microseconds())/1000, "p95-ms")
}

func countPages(b *testing.B, pdf []byte) int {
	doc, err := testEngine(b).Open(b.Context(), pdf)
	if err != nil {
		b.Fatal(err)
	}
	return len(doc.Pages)
}

// BenchmarkProcess180MB runs the statement engine over an upload of 24 statements of about 90
// pages and 7.5 MB each (180 MB, 2,160 pages; each file padded after its end with incompressible
// comment lines), the files loaded when the engine comes to them, as the processing job does. It
// samples this process's resident memory every 5 ms and reports the peak growth over the
// resident size before the run, and the growth left a second after it (the job returns memory to
// the system).
//
//	go test ./upload -run '^$' -bench Process180MB -benchtime 1x
func BenchmarkProcess180MB(b *testing.B) {
	e := engine.Engine{PDF: testEngine(b)}
	const files, size = 24, 180 << 20 / 24
	file := func(i int) []byte {
		s := uploadtest.New(fmt.Sprintf("00%d-55501", i), time.Month(1+i%12), 4000).PDF(45)
		var pad bytes.Buffer
		pad.Write(s)
		rnd := rand.New(rand.NewPCG(uint64(i), 1))
		line := make([]byte, 96)
		for pad.Len() < size {
			for k := range line {
				line[k] = 'A' + byte(rnd.IntN(26))
			}
			pad.WriteString("% ")
			pad.Write(line)
			pad.WriteByte('\n')
		}
		return pad.Bytes()
	}
	in := make([]engine.File, files)
	for i := range in {
		in[i] = engine.File{Name: fmt.Sprintf("statement-%02d.pdf", i), Load: func(context.Context) ([]byte, error) { return file(i), nil }}
	}
	debug.FreeOSMemory()
	var peak, after int64
	for b.Loop() {
		before := selfRSS()
		var high atomic.Int64
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			for {
				high.Store(max(high.Load(), selfRSS()))
				select {
				case <-stop:
					return
				case <-time.After(5 * time.Millisecond):
				}
			}
		}()
		st, err := e.Statements(b.Context(), in)
		close(stop)
		<-done
		if err != nil {
			b.Fatal(err)
		}
		read := 0
		for _, d := range st.Documents {
			if d.Status == engine.DocumentRead {
				read++
			}
		}
		if read != files {
			b.Fatalf("%d of %d documents read", read, files)
		}
		peak = max(peak, high.Load()-before)
		debug.FreeOSMemory()
		time.Sleep(time.Second)
		after = max(after, selfRSS()-before)
	}
	b.ReportMetric(float64(peak)/1024, "peak-growth-MB")
	b.ReportMetric(float64(after)/1024, "after-MB")
}

// selfRSS is this process's resident set size in kB, from /proc (0 elsewhere).
func selfRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for l := range strings.SplitSeq(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}
