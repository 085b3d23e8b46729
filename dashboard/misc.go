package dashboard

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/passbookhq/passbook"
)

func (h *Handler) uploadForm(w http.ResponseWriter, r *request) (string, view, error) {
	if h.cfg.Upload == nil {
		return "", view{}, passbook.Errorf(passbook.NotFound, "uploads are not enabled")
	}
	return "upload.html", view{Title: "Upload statements"}, nil
}

func (h *Handler) staffUpload(w http.ResponseWriter, r *http.Request) {
	secureHeaders(w)
	req, err := h.signedIn(r)
	if err == nil && !sameOrigin(r) {
		err = errForbidden("cross-origin upload refused")
	}
	if err == nil {
		err = allowed(req.User, roleAnalyst)
	}
	if err == nil && h.cfg.Upload == nil {
		err = passbook.Errorf(passbook.NotFound, "uploads are not enabled")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// The upload answers with its JSON receipt; a person gets the new login's page instead.
	rec := &captured{header: http.Header{}}
	if err := h.cfg.Upload(rec, r, req.Customer); err != nil {
		h.fail(w, r, err)
		return
	}
	var receipt struct{ LoginId string }
	if rec.status >= 300 || json.Unmarshal(rec.body.Bytes(), &receipt) != nil || receipt.LoginId == "" {
		w.Header().Set("Content-Type", rec.header.Get("Content-Type"))
		w.WriteHeader(max(rec.status, 200))
		w.Write(rec.body.Bytes())
		return
	}
	req.audit(h, "upload", receipt.LoginId, -1, "")
	http.Redirect(w, r, "/dashboard/logins/"+url.PathEscape(receipt.LoginId), http.StatusSeeOther)
}

// captured keeps a small response in memory.
type captured struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (c *captured) Header() http.Header { return c.header }
func (c *captured) WriteHeader(s int) {
	if c.status == 0 {
		c.status = s
	}
}
func (c *captured) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	if c.body.Len()+len(b) > 1<<20 {
		return 0, errors.New("dashboard: response too large")
	}
	return c.body.Write(b)
}

func (h *Handler) webhooks(w http.ResponseWriter, r *request) (string, view, error) {
	eps, err := h.cfg.DB.WebhookEndpoints(r.Context(), r.Customer.Id)
	if err != nil {
		return "", view{}, err
	}
	type endpoint struct {
		passbook.WebhookEndpoint
		Deliveries []passbook.WebhookDelivery
	}
	out := make([]endpoint, 0, len(eps))
	for _, e := range eps {
		ds, err := h.cfg.DB.WebhookDeliveries(r.Context(), r.Customer.Id, e.Id, 100)
		if err != nil {
			return "", view{}, err
		}
		out = append(out, endpoint{WebhookEndpoint: e, Deliveries: ds})
	}
	return "webhooks.html", view{Title: "Webhooks", Data: map[string]any{"Endpoints": out,
		"CanRedeliver": h.cfg.Redeliver != nil && roleRank[r.User.Role] >= roleAnalyst}}, nil
}

func (h *Handler) redeliver(w http.ResponseWriter, r *request) (string, view, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return "", view{}, passbook.Errorf(passbook.InvalidRequest, "bad delivery id")
	}
	if h.cfg.Redeliver == nil {
		return "", view{}, passbook.Errorf(passbook.NotFound, "redelivery is not enabled")
	}
	if err := h.cfg.Redeliver(r.Context(), r.Customer.Id, id); err != nil {
		return "", view{}, err
	}
	http.Redirect(w, r.Request, "/dashboard/webhooks", http.StatusSeeOther)
	return "", view{}, nil
}

// auditPage shows the audit log, newest first, 100 entries a page.
func (h *Handler) auditPage(w http.ResponseWriter, r *request) (string, view, error) {
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	login := r.URL.Query().Get("login")
	entries, err := h.cfg.DB.AuditLog(r.Context(), r.Customer.Id, login, before, 100)
	if err != nil {
		return "", view{}, err
	}
	data := map[string]any{"Entries": entries, "Login": login}
	if len(entries) == 100 {
		v := url.Values{"before": {strconv.FormatInt(entries[99].Id, 10)}}
		if login != "" {
			v.Set("login", login)
		}
		data["Next"] = "/dashboard/audit?" + v.Encode()
	}
	return "audit.html", view{Title: "Audit log", Data: data}, nil
}
