package main

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/blob"
	"github.com/passbookhq/passbook/engine"
	"github.com/passbookhq/passbook/internal/metrics"
	"github.com/passbookhq/passbook/upload"
)

// newMetrics makes the server's registry: request latency by route (recorded by the handler
// Serve wraps around the mux), jobs by state and age and webhook deliveries by outcome (read
// from the database at each scrape, so every replica reports the same), and documents read
// with their time per page (recorded by measuredEngine).
func newMetrics(db *sql.DB, postgres bool) *metrics.Registry {
	oldest := `SELECT queue, MAX(unixepoch('now', 'subsec') - unixepoch(created_at, 'subsec'))
				FROM river_job WHERE state IN ('available', 'retryable') GROUP BY queue`
	if postgres {
		oldest = `SELECT queue, EXTRACT(EPOCH FROM now() - MIN(created_at))::float8
				FROM river_job WHERE state IN ('available', 'retryable') GROUP BY queue`
	}
	reg := metrics.New()
	reg.Gauge("passbook_jobs", "Background jobs by queue and state.", []string{"queue", "state"},
		func(ctx context.Context) ([]metrics.Sample, error) {
			return groupCounts(ctx, db, `SELECT queue, state, COUNT(*) FROM river_job GROUP BY queue, state`)
		})
	reg.Gauge("passbook_jobs_oldest_age_seconds", "Age of the oldest job waiting to run (available or retryable), by queue.", []string{"queue"},
		func(ctx context.Context) ([]metrics.Sample, error) {
			return groupCounts(ctx, db, oldest)
		})
	reg.Gauge("passbook_webhook_deliveries", "Webhook deliveries by outcome (pending, delivered, failed).", []string{"outcome"},
		func(ctx context.Context) ([]metrics.Sample, error) {
			return groupCounts(ctx, db, `SELECT status, COUNT(*) FROM webhook_deliveries GROUP BY status`)
		})
	return reg
}

// groupCounts runs a query whose rows are label values followed by one number.
func groupCounts(ctx context.Context, db *sql.DB, query string) ([]metrics.Sample, error) {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []metrics.Sample
	for rows.Next() {
		labels := make([]string, len(cols)-1)
		var v sql.NullFloat64
		dest := make([]any, len(cols))
		for i := range labels {
			dest[i] = &labels[i]
		}
		dest[len(cols)-1] = &v
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		out = append(out, metrics.Sample{Labels: labels, Value: v.Float64})
	}
	return out, rows.Err()
}

// measuredEngine records what the statement engine reads: documents by status, pages, and the
// time an upload took per page.
type measuredEngine struct {
	upload.Engine
	docs    *metrics.Counter
	pages   *metrics.Counter
	perPage *metrics.Histogram
}

func newMeasuredEngine(e upload.Engine, reg *metrics.Registry) measuredEngine {
	return measuredEngine{Engine: e,
		docs:  reg.Counter("passbook_documents_total", "Documents read by the statement engine, by status (read, failed).", "status"),
		pages: reg.Counter("passbook_document_pages_total", "Pages of the documents read by the statement engine."),
		perPage: reg.Histogram("passbook_upload_seconds_per_page", "Time to read an upload divided by its pages.",
			[]float64{0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}),
	}
}

func (m measuredEngine) Statements(ctx context.Context, files []engine.File) (passbook.Statements, error) {
	start := time.Now()
	st, err := m.Engine.Statements(ctx, files)
	if err != nil {
		return st, err
	}
	pages := 0
	for _, d := range st.Documents {
		m.docs.Inc(d.Status)
		pages += d.Pages
	}
	m.pages.Add(float64(pages))
	if pages > 0 {
		m.perPage.Observe(time.Since(start).Seconds() / float64(pages))
	}
	return st, nil
}

// readyz answers 200 while the server can do its work: the database answers and the blob store
// is reachable; 503 naming what is not, for load balancers and orchestrators.
func readyz(db *sql.DB, blobs blob.Store) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		var errs []error
		if err := db.PingContext(ctx); err != nil {
			errs = append(errs, errors.New("database unavailable"))
		}
		if err := blobs.Ping(ctx); err != nil {
			errs = append(errs, errors.New("blob store unavailable"))
		}
		if err := errors.Join(errs...); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ready\n"))
	}
}
