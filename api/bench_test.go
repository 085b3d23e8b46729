package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// FuzzRequestBodies sends arbitrary bodies to every endpoint that reads one: whatever comes in,
// the answer is JSON in the Flinks shape with a 2xx or 4xx status, never a 500 (except the
// sandbox user whose documented outcome is AGGREGATION_ERROR).
func FuzzRequestBodies(f *testing.F) {
	e := setup(f)
	rid, loginID := e.linkGreatday()
	for _, seed := range []string{
		``, `{}`, `null`, `[]`, `"x"`, `{"RequestId":` + js(rid) + `}`,
		`{"RequestId":` + js(rid) + `,"DaysOfTransactions":"Days365","AccountsFilter":["a"],"DateFrom":"2026/01/01","DateTo":"2026-02-01"}`,
		`{"RequestId":` + js(rid) + `,"WithTransactions":"true","WithBalance":0}`,
		`{"LoginId":` + js(loginID) + `,"MostRecentCached":true}`,
		`{"LoginIds":[` + js(loginID) + `,1]}`,
		`{"Institution":"FlinksCapital","Username":"Greatday","Password":"Everyday"}`,
		`{"RequestId":"x","SecurityResponses":{"a":["b"],"c":"d"}}`,
		`{"RequestId":"\u0000"}`, `{"RequestId":"x"}{`, `{"DateFrom":"9999/99/99"}`, "\xff\xfe",
	} {
		f.Add(seed)
	}
	headers := map[string]string{"x-api-key": e.apiKey, "flinks-auth-key": e.secret, "Content-Type": "application/json"}
	f.Fuzz(func(t *testing.T, body string) {
		for _, ep := range []string{"Authorize", "AuthorizeMultiple", "GetAccountsDetail", "GetAccountsSummary"} {
			req := httptest.NewRequest("POST", e.p(ep), strings.NewReader(body))
			for k, v := range headers {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			e.handler.ServeHTTP(rec, req)
			var m map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
				t.Fatalf("%s %q: not JSON: %s", ep, body, rec.Body)
			}
			if rec.Code >= 500 && m["FlinksCode"] != "AGGREGATION_ERROR" {
				t.Fatalf("%s %q: %d %s", ep, body, rec.Code, rec.Body)
			}
			if hs, _ := m["HttpStatusCode"].(float64); int(hs) != rec.Code {
				t.Fatalf("%s %q: HttpStatusCode %v in a %d", ep, body, m["HttpStatusCode"], rec.Code)
			}
			if rec.Code >= 400 && (m["FlinksCode"] == nil || m["Message"] == "") {
				t.Fatalf("%s %q: error without FlinksCode or Message: %s", ep, body, rec.Body)
			}
		}
	})
}

// BenchmarkGetAccountsDetail measures GetAccountsDetail on a cached login (Greatday, six
// accounts) over real HTTP on loopback, from parallel clients; it reports requests per second
// and the 99th-percentile latency.
func BenchmarkGetAccountsDetail(b *testing.B) {
	for _, days := range []string{"Days90", "Days365"} {
		b.Run(days, func(b *testing.B) {
			e := setup(b)
			e.record = false
			_, loginID := e.linkGreatday()
			_, m := e.authorize(js(map[string]any{"LoginId": loginID, "MostRecentCached": true}))
			body := []byte(js(map[string]any{"RequestId": m["RequestId"], "DaysOfTransactions": days}))
			url := e.url + e.p("GetAccountsDetail")
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			b.SetParallelism(4)
			measureRequests(b, func() (int64, bool) {
				req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
				req.Header.Set("x-api-key", e.apiKey)
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return 0, false
				}
				n, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Errorf("status %d", resp.StatusCode)
					return 0, false
				}
				return n, true
			})
		})
	}
}

// BenchmarkGetAccountsDetailHandler measures the server alone: the same cached-login request
// served by the router in process, without a network or an HTTP client.
func BenchmarkGetAccountsDetailHandler(b *testing.B) {
	e := setup(b)
	e.record = false
	_, loginID := e.linkGreatday()
	_, m := e.authorize(js(map[string]any{"LoginId": loginID, "MostRecentCached": true}))
	body := []byte(js(map[string]any{"RequestId": m["RequestId"]}))
	path := e.p("GetAccountsDetail")
	measureRequests(b, func() (int64, bool) {
		req := httptest.NewRequest("POST", path, bytes.NewReader(body))
		req.Header.Set("x-api-key", e.apiKey)
		rec := httptest.NewRecorder()
		e.handler.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Errorf("status %d", rec.Code)
			return 0, false
		}
		return int64(rec.Body.Len()), true
	})
}

// measureRequests runs one request per iteration from parallel goroutines and reports requests
// per second, the 99th-percentile latency, the response size and the CPU time per request
// (server and client together, as both run in this process: the machine's capacity is about
// cores × 1e6 / cpu-µs requests per second when it is not shared). do returns the response's
// size, and false to stop its goroutine after a failure it has reported.
func measureRequests(b *testing.B, do func() (int64, bool)) {
	var mu sync.Mutex
	var lat []time.Duration
	var size int64
	b.ResetTimer()
	cpu0 := cpuTime()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		local := make([]time.Duration, 0, 1024)
		var n int64
		for pb.Next() {
			t0 := time.Now()
			got, ok := do()
			if !ok {
				break
			}
			local = append(local, time.Since(t0))
			n = got
		}
		mu.Lock()
		lat = append(lat, local...)
		size = max(size, n)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	b.StopTimer()
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(size), "resp-bytes")
	b.ReportMetric(float64(cpu.Microseconds())/float64(len(lat)), "cpu-µs/req")
}
