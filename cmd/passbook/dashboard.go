package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"net/http"

	"github.com/passbookhq/passbook/dashboard"
	"github.com/passbookhq/passbook/webhook"
)

// newDashboard mounts the staff Dashboard on mux, on the same blob store, PDF engine, upload
// intake and webhook log as the rest of the server. Its session key is derived from the
// credentials key, so sessions survive a restart and no other secret needs managing.
func (s *server) newDashboard(mux *http.ServeMux, j *jobs, credKey []byte) error {
	mac := hmac.New(sha256.New, credKey)
	mac.Write([]byte("passbook dashboard sessions"))
	hooks := &webhook.API{DB: s.db, Queue: j.client, Log: s.log}
	d, err := dashboard.New(dashboard.Config{
		DB: s.db, Blobs: j.upload.Blobs, PDF: j.pdf, Key: mac.Sum(nil), Logger: s.log,
		Upload: j.upload.ReceiveStaff, Redeliver: hooks.Redeliver,
	})
	if err != nil {
		return err
	}
	d.Register(mux)
	return nil
}
