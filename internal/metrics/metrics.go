// Package metrics keeps a server's counters and histograms and writes them in Prometheus' text
// exposition format (version 0.0.4) at /metrics. It has no dependency: Passbook exposes a few
// dozen series, and a client library would bring more code than the metrics themselves.
//
// Values that live in the database (jobs by state, webhook deliveries by outcome) are read when
// the page is scraped, by Gauge functions, so that every replica reports the same truth.
package metrics

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Registry holds the metric families of one server.
type Registry struct {
	mu       sync.Mutex
	families map[string]*family
	gauges   []gaugeFunc
}

type kind int

const (
	counter kind = iota
	histogram
)

type family struct {
	name, help string
	kind       kind
	labels     []string
	buckets    []float64 // histograms: upper bounds, ascending, +Inf implied
	series     map[string]*series
}

type series struct {
	values []string // label values, in the family's label order
	sum    float64  // counters: the value
	count  uint64
	counts []uint64 // histograms: per bucket (not cumulative)
}

// Sample is one value of a gauge read at scrape time.
type Sample struct {
	Labels []string // values, in the order of the gauge's label names
	Value  float64
}

type gaugeFunc struct {
	name, help string
	labels     []string
	read       func(ctx context.Context) ([]Sample, error)
}

// New returns an empty registry.
func New() *Registry {
	return &Registry{families: map[string]*family{}}
}

// Counter is a monotonically increasing value per label set.
type Counter struct {
	r *Registry
	f *family
}

// Histogram counts observations into buckets per label set.
type Histogram struct {
	r *Registry
	f *family
}

func (r *Registry) family(name, help string, k kind, buckets []float64, labels []string) *family {
	r.mu.Lock()
	defer r.mu.Unlock()
	if f, ok := r.families[name]; ok {
		return f
	}
	f := &family{name: name, help: help, kind: k, labels: labels, buckets: buckets, series: map[string]*series{}}
	r.families[name] = f
	return f
}

// Counter returns the counter family name (created on first use).
func (r *Registry) Counter(name, help string, labels ...string) *Counter {
	return &Counter{r: r, f: r.family(name, help, counter, nil, labels)}
}

// Histogram returns the histogram family name with the given bucket upper bounds.
func (r *Registry) Histogram(name, help string, buckets []float64, labels ...string) *Histogram {
	b := slices.Clone(buckets)
	slices.Sort(b)
	return &Histogram{r: r, f: r.family(name, help, histogram, b, labels)}
}

// Gauge registers a value read from elsewhere (the database) each time the metrics are scraped.
func (r *Registry) Gauge(name, help string, labels []string, read func(ctx context.Context) ([]Sample, error)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gauges = append(r.gauges, gaugeFunc{name: name, help: help, labels: labels, read: read})
}

// at returns the series of f for the label values; the registry's lock is held.
func (f *family) at(values []string) *series {
	if len(values) != len(f.labels) {
		panic(fmt.Sprintf("metrics: %s takes %d label values, got %d", f.name, len(f.labels), len(values)))
	}
	key := strings.Join(values, "\xff")
	s := f.series[key]
	if s == nil {
		s = &series{values: slices.Clone(values)}
		if f.kind == histogram {
			s.counts = make([]uint64, len(f.buckets)+1)
		}
		f.series[key] = s
	}
	return s
}

// Add adds v (≥ 0) to the counter of the label values.
func (c *Counter) Add(v float64, values ...string) {
	c.r.mu.Lock()
	defer c.r.mu.Unlock()
	c.f.at(values).sum += v
}

// Inc adds one.
func (c *Counter) Inc(values ...string) { c.Add(1, values...) }

// Observe records v in the histogram of the label values.
func (h *Histogram) Observe(v float64, values ...string) {
	h.r.mu.Lock()
	defer h.r.mu.Unlock()
	s := h.f.at(values)
	i, _ := slices.BinarySearch(h.f.buckets, v)
	s.counts[i]++
	s.count++
	s.sum += v
}

// ServeHTTP writes every metric in the text exposition format.
func (r *Registry) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	r.Write(req.Context(), w)
}

// Write writes every metric, families sorted by name. A gauge that cannot be read is left out
// and counted in passbook_metrics_gauge_errors_total.
func (r *Registry) Write(ctx context.Context, w io.Writer) error {
	r.mu.Lock()
	gauges := slices.Clone(r.gauges)
	r.mu.Unlock()
	type read struct {
		g       gaugeFunc
		samples []Sample
	}
	var reads []read
	failed := 0
	for _, g := range gauges {
		s, err := g.read(ctx)
		if err != nil {
			failed++
			continue
		}
		reads = append(reads, read{g, s})
	}

	var b strings.Builder
	r.mu.Lock()
	names := make([]string, 0, len(r.families))
	for n := range r.families {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		r.families[n].write(&b)
	}
	r.mu.Unlock()
	for _, rd := range reads {
		header(&b, rd.g.name, rd.g.help, "gauge")
		for _, s := range rd.samples {
			sample(&b, rd.g.name, rd.g.labels, s.Labels, "", "", s.Value)
		}
	}
	header(&b, "passbook_metrics_gauge_errors", "Gauges that could not be read at this scrape.", "gauge")
	sample(&b, "passbook_metrics_gauge_errors", nil, nil, "", "", float64(failed))
	_, err := io.WriteString(w, b.String())
	return err
}

func (f *family) write(b *strings.Builder) {
	keys := make([]string, 0, len(f.series))
	for k := range f.series {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	switch f.kind {
	case counter:
		header(b, f.name, f.help, "counter")
		for _, k := range keys {
			s := f.series[k]
			sample(b, f.name, f.labels, s.values, "", "", s.sum)
		}
	case histogram:
		header(b, f.name, f.help, "histogram")
		for _, k := range keys {
			s := f.series[k]
			var cum uint64
			for i, ub := range f.buckets {
				cum += s.counts[i]
				sample(b, f.name+"_bucket", f.labels, s.values, "le", formatFloat(ub), float64(cum))
			}
			sample(b, f.name+"_bucket", f.labels, s.values, "le", "+Inf", float64(s.count))
			sample(b, f.name+"_sum", f.labels, s.values, "", "", s.sum)
			sample(b, f.name+"_count", f.labels, s.values, "", "", float64(s.count))
		}
	}
}

func header(b *strings.Builder, name, help, typ string) {
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s %s\n", name, escapeHelp(help), name, typ)
}

// sample writes one line; extra/extraValue is one more label (le for buckets).
func sample(b *strings.Builder, name string, labels, values []string, extra, extraValue string, v float64) {
	b.WriteString(name)
	if len(labels) > 0 || extra != "" {
		b.WriteByte('{')
		for i, l := range labels {
			if i > 0 {
				b.WriteByte(',')
			}
			val := ""
			if i < len(values) {
				val = values[i]
			}
			fmt.Fprintf(b, "%s=\"%s\"", l, escapeLabel(val))
		}
		if extra != "" {
			if len(labels) > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(b, "%s=\"%s\"", extra, extraValue)
		}
		b.WriteByte('}')
	}
	b.WriteByte(' ')
	b.WriteString(formatFloat(v))
	b.WriteByte('\n')
}

func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

var (
	labelEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
)

func escapeLabel(s string) string { return labelEscaper.Replace(s) }
func escapeHelp(s string) string  { return helpEscaper.Replace(s) }

// LatencyBuckets are the upper bounds, in seconds, for request and job durations.
var LatencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// Requests measures every request handled by next: passbook_http_request_duration_seconds by
// method, route (the ServeMux pattern that matched, so that ids in paths do not make a series
// each) and status class.
func (r *Registry) Requests(next http.Handler) http.Handler {
	h := r.Histogram("passbook_http_request_duration_seconds", "Time to answer HTTP requests, by route and status class.",
		LatencyBuckets, "method", "route", "code")
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, req)
		route := req.Pattern
		if route == "" {
			route = "unmatched"
		} else if _, path, ok := strings.Cut(route, " "); ok {
			route = path // the method is its own label
		}
		h.Observe(time.Since(start).Seconds(), req.Method, route, strconv.Itoa(sw.status/100)+"xx")
	})
}

// statusWriter remembers the status a handler answered with.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusWriter) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(p []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer (flushes, deadlines).
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
