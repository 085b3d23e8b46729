package main

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/passbookhq/passbook/dashboard"
	"github.com/passbookhq/passbook/webhook"
)

// newDashboard mounts the staff Dashboard on mux, on the same blob store, PDF engine, upload
// intake, queue and webhook log as the rest of the server. Its session cookie is Secure when the
// public URL is https (behind a TLS proxy the server itself sees plain HTTP).
func (s *server) newDashboard(mux *http.ServeMux, j *jobs) error {
	hooks := &webhook.API{DB: s.db, Queue: j.client, Log: s.log}
	d, err := dashboard.New(dashboard.Config{
		DB: s.db, Blobs: j.upload.Blobs, PDF: j.pdf, Logger: s.log, Queue: j.client,
		SecureCookies: strings.HasPrefix(strings.ToLower(s.cfg.PublicURL), "https://"),
		Upload:        j.upload.ReceiveStaff, Redeliver: hooks.Redeliver,
	})
	if err != nil {
		return err
	}
	d.Register(mux)
	return nil
}

// firstAdminLink creates, while the default customer has no staff user, a one-time link that
// creates its first admin; "" once one exists.
func (s *server) firstAdminLink(ctx context.Context, customerID string) (string, error) {
	return dashboard.FirstAdminLink(ctx, s.db, customerID, time.Now())
}
