package metrics

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestExposition(t *testing.T) {
	r := New()
	c := r.Counter("passbook_documents_total", "Documents read, by outcome.", "outcome")
	c.Inc("read")
	c.Add(2, "read")
	c.Inc(`fail"ed` + "\n")
	h := r.Histogram("passbook_page_seconds", "Time per page.", []float64{1, 0.1}, "kind")
	for _, v := range []float64{0.05, 0.1, 0.5, 3} {
		h.Observe(v, "pdf")
	}
	r.Gauge("passbook_jobs", "Jobs by state.", []string{"state"}, func(context.Context) ([]Sample, error) {
		return []Sample{{Labels: []string{"available"}, Value: 4}}, nil
	})
	r.Gauge("passbook_broken", "A gauge whose source is down.", nil, func(context.Context) ([]Sample, error) {
		return nil, errors.New("database unreachable")
	})
	var b strings.Builder
	if err := r.Write(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	want := `# HELP passbook_documents_total Documents read, by outcome.
# TYPE passbook_documents_total counter
passbook_documents_total{outcome="fail\"ed\n"} 1
passbook_documents_total{outcome="read"} 3
# HELP passbook_page_seconds Time per page.
# TYPE passbook_page_seconds histogram
passbook_page_seconds_bucket{kind="pdf",le="0.1"} 2
passbook_page_seconds_bucket{kind="pdf",le="1"} 3
passbook_page_seconds_bucket{kind="pdf",le="+Inf"} 4
passbook_page_seconds_sum{kind="pdf"} 3.65
passbook_page_seconds_count{kind="pdf"} 4
# HELP passbook_jobs Jobs by state.
# TYPE passbook_jobs gauge
passbook_jobs{state="available"} 4
# HELP passbook_metrics_gauge_errors Gauges that could not be read at this scrape.
# TYPE passbook_metrics_gauge_errors gauge
passbook_metrics_gauge_errors 1
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestRequestsByRoute(t *testing.T) {
	r := New()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v3/{customerId}/BankingServices/GetAccountsDetail", func(w http.ResponseWriter, req *http.Request) {
		w.WriteHeader(http.StatusAccepted)
	})
	mux.Handle("GET /metrics", r)
	h := r.Requests(mux)
	for _, p := range []string{"/v3/a/BankingServices/GetAccountsDetail", "/v3/b/BankingServices/GetAccountsDetail", "/nowhere"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", p, nil))
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("content type %q", ct)
	}
	for _, want := range []string{
		`passbook_http_request_duration_seconds_count{method="GET",route="/v3/{customerId}/BankingServices/GetAccountsDetail",code="2xx"} 2`,
		`passbook_http_request_duration_seconds_count{method="GET",route="unmatched",code="4xx"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %s in\n%s", want, body)
		}
	}
}

func TestWrongLabelCountPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a wrong number of label values was accepted")
		}
	}()
	New().Counter("x", "x", "a", "b").Inc("only-one")
}
