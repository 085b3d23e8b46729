package connect

import (
	"bytes"
	"net/http"
	"net/url"
)

// demoView is what the demo page's template reads.
type demoView struct {
	Lang         string
	WidgetURL    string
	Other        string
	OtherLabel   string
	Listener     any // template.HTML: the snippet, verbatim, so that it runs
	ListenerText string
	TestUsers    []TestUser
}

// serveDemo is GET /: a sample lender page that embeds the widget in demo mode and shows the
// events it receives.
func (h *Handler) serveDemo(w http.ResponseWriter, r *http.Request) {
	lang := "en"
	if r.URL.Query().Get("language") == "fr" {
		lang = "fr"
	}
	q := url.Values{}
	q.Set("demo", "true")
	q.Set("customerName", "Northwind Lending")
	q.Set("institutionFilterEnable", "true")
	q.Set("consentEnable", "true")
	q.Set("closeEnable", "true")
	q.Set("language", lang)
	v := demoView{Lang: lang, WidgetURL: "/v2/?" + q.Encode(), Other: "/?language=fr", OtherLabel: "Voir la démo en français",
		Listener: h.listener, ListenerText: string(h.listener), TestUsers: h.cfg.TestUsers}
	if lang == "fr" {
		v.Other, v.OtherLabel = "/", "See the demo in English"
	}
	var buf bytes.Buffer
	if err := h.demo.Execute(&buf, v); err != nil {
		h.log.ErrorContext(r.Context(), "connect: demo page", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; script-src 'self' "+h.listenerHash+"; style-src 'self'; img-src 'self' data:; frame-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")
	w.Write(buf.Bytes())
}
