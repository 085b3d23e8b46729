package upload

import (
	"bytes"
	"encoding/json"
	"sort"
	"testing"
	"time"

	"github.com/passbookhq/passbook"
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
