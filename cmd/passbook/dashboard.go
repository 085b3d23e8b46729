package main

import (
	"bytes"
	"image"
	"image/png"

	"context"
	"github.com/passbookhq/passbook/pdf"
	"net/http"
	"strings"
	"time"

	"github.com/passbookhq/passbook/api"
	"github.com/passbookhq/passbook/dashboard"
	"github.com/passbookhq/passbook/webhook"
)

// newDashboard mounts the staff Dashboard on mux, on the same blob store, PDF engine, upload
// intake, queue and webhook log as the rest of the server. Its session cookie is Secure when the
// public URL is https (behind a TLS proxy the server itself sees plain HTTP).
func (s *server) newDashboard(mux *http.ServeMux, j *jobs) error {
	hooks := &webhook.API{DB: s.db, Queue: j.client, Log: s.log}
	d, err := dashboard.New(dashboard.Config{
		DB: s.db, Blobs: j.upload.Blobs, PDF: j.pdf, Render: pngRenderer(j.pdf), Logger: s.log, Queue: j.client,
		SecureCookies: strings.HasPrefix(strings.ToLower(s.cfg.PublicURL), "https://"),
		ClientAddr:    func(r *http.Request) string { return api.ClientAddr(r, s.cfg.TrustedProxies) },
		Upload:        j.upload.ReceiveStaff, Redeliver: hooks.Redeliver,
	})
	if err != nil {
		return err
	}
	d.Register(mux)
	if s.demo != nil {
		// What the demo receiver got is the default customer's data: staff only.
		mux.Handle("/demo/", d.RequireStaff(s.demo.pages))
	}
	return nil
}

// firstAdminLink creates, while the default customer has no staff user, a one-time link that
// creates its first admin; "" once one exists.
func (s *server) firstAdminLink(ctx context.Context, customerID string) (string, error) {
	return dashboard.FirstAdminLink(ctx, s.db, customerID, time.Now())
}

// pngRenderer draws one page of a PDF with the server's PDFium engine, as a PNG, for the
// Dashboard's evidence view.
func pngRenderer(eng *pdf.PDFium) dashboard.Renderer {
	return func(ctx context.Context, data []byte, page int, dpi float64) ([]byte, error) {
		var buf bytes.Buffer
		err := eng.Render(ctx, data, []int{page}, dpi, func(_ int, g *image.Gray) error {
			return (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, g)
		})
		return buf.Bytes(), err
	}
}
