// Package demo is the webhook receiver that `passbook serve` runs for a newcomer: it plays the
// lender's server, receiving the default customer's webhooks on a loopback listener of its own,
// verifying their signatures as a lender would (package webhook's Verify), and showing what it
// received at /demo/webhooks on the main server. It keeps the last deliveries in memory only.
package demo

import (
	"bytes"
	"encoding/json"
	"html/template"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/passbookhq/passbook/webhook"
)

// Path is the path the receiver listens at on its own listener, which marks its endpoint.
const Path = "/passbook-demo-receiver"

// keep is how many deliveries the page shows.
const keep = 50

// Delivery is one request the receiver got.
type Delivery struct {
	ID           string // webhook-id: the event's stable id
	ResponseType string // the body's ResponseType (the event)
	LoginID      string
	At           time.Time
	Verified     bool
	Problem      string // why verification failed
	Body         string // indented JSON, cut at 64 KB
}

// Receiver receives and lists webhook deliveries. Its zero value is not usable; use New.
type Receiver struct {
	mu     sync.Mutex
	secret string
	got    []Delivery // newest first
	now    func() time.Time
	page   *template.Template
}

// New returns a receiver; now is the clock (nil: time.Now).
func New(now func() time.Time) *Receiver {
	if now == nil {
		now = time.Now
	}
	return &Receiver{now: now, page: template.Must(template.New("page").Parse(pageHTML))}
}

// SetSecret sets the signing secret of the receiver's endpoint.
func (r *Receiver) SetSecret(secret string) {
	r.mu.Lock()
	r.secret = secret
	r.mu.Unlock()
}

// Deliveries returns what the receiver got, newest first.
func (r *Receiver) Deliveries() []Delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Delivery(nil), r.got...)
}

// Endpoint is the handler of the receiver's own listener: POST Path receives a delivery and
// answers 204 when its signatures verify, 401 when they do not.
func (r *Receiver) Endpoint() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+Path, func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(io.LimitReader(req.Body, 8<<20))
		if err != nil {
			http.Error(w, "cannot read the body", http.StatusBadRequest)
			return
		}
		r.mu.Lock()
		secret := r.secret
		r.mu.Unlock()
		d := Delivery{ID: req.Header.Get(webhook.HeaderID), At: r.now()}
		if err := webhook.Verify(secret, req.Header, body, d.At, webhook.DefaultTolerance); err != nil {
			d.Problem = err.Error()
		} else {
			d.Verified = true
		}
		var head struct {
			ResponseType string
			LoginId      string
			Login        struct{ Id string }
		}
		if json.Unmarshal(body, &head) == nil {
			d.ResponseType, d.LoginID = head.ResponseType, head.LoginId
			if d.LoginID == "" {
				d.LoginID = head.Login.Id
			}
		}
		var pretty bytes.Buffer
		if json.Indent(&pretty, body, "", "  ") != nil {
			pretty.Reset()
			pretty.Write(body)
		}
		d.Body = pretty.String()
		if len(d.Body) > 64<<10 {
			d.Body = d.Body[:64<<10] + "\n…"
		}
		r.mu.Lock()
		r.got = append([]Delivery{d}, r.got...)
		if len(r.got) > keep {
			r.got = r.got[:keep]
		}
		r.mu.Unlock()
		if !d.Verified {
			http.Error(w, "signature does not verify", http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

// Register mounts the page (GET /demo/webhooks) and its JSON (GET /demo/webhooks.json) on mux.
func (r *Receiver) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /demo/webhooks", func(w http.ResponseWriter, req *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; base-uri 'none'; frame-ancestors 'self'")
		var buf bytes.Buffer
		if err := r.page.Execute(&buf, r.Deliveries()); err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		w.Write(buf.Bytes())
	})
	mux.HandleFunc("GET /demo/webhooks.json", func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		json.NewEncoder(w).Encode(r.Deliveries())
	})
}

const pageHTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="3">
<title>Webhooks received · Passbook demo</title>
<link rel="stylesheet" href="/v2/assets/demo.css">
</head>
<body>
<main>
<h1>Webhooks received by the demo receiver</h1>
<p>This page plays the lender's server: Passbook sends the default customer's webhooks to it,
and it checks both signatures (<code>flinks-authenticity-key</code> and Standard Webhooks) as
your server would. It refreshes every 3 seconds. <a href="/">Back to the demo</a>.</p>
{{- if not .}}
<p id="none">Nothing yet. In the demo, fail a login (for example <code>test_invalid_password</code>),
choose “Upload bank statements instead” and send a PDF statement.</p>
{{- end}}
<ol id="deliveries">
{{- range .}}
<li>
  <p><strong>{{if .ResponseType}}{{.ResponseType}}{{else}}(no ResponseType){{end}}</strong>
  {{if .Verified}}<span class="verified">signature verified</span>{{else}}<span class="bad">NOT verified: {{.Problem}}</span>{{end}}
  · <code>{{.ID}}</code> · {{.At.Format "15:04:05.000"}}{{with .LoginID}} · LoginId <code>{{.}}</code>{{end}}</p>
  <details><summary>Body</summary><pre>{{.Body}}</pre></details>
</li>
{{- end}}
</ol>
</main>
</body>
</html>
`
