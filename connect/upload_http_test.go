package connect_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/institution/sandbox"
)

// The finish step refuses what is not an upload login of the session's customer, with the
// widget's error screen, never a 500.
func TestUploadFinishRefusals(t *testing.T) {
	e := uploadEnv(t)
	_, body, _ := do(t, e.mux, "GET", "/v2/upload/FlinksCapital", nil)
	s := state(t, body)
	res, err := e.svc.Authorize(context.Background(), e.customer, passbook.AuthorizeRequest{Institution: sandbox.FlinksCapital, Username: "greatday_nomfa", Password: sandbox.Password})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		form url.Values
		code int
	}{
		{"no session", url.Values{"loginId": {"x"}}, 401},
		{"forged session", url.Values{"s": {"forged"}, "loginId": {"x"}}, 401},
		{"no loginId", url.Values{"s": {s}}, 400},
		{"unknown loginId", url.Values{"s": {s}, "loginId": {"00000000-0000-0000-0000-000000000000"}}, 401},
		{"a linked login", url.Values{"s": {s}, "loginId": {res.Login.Id}}, 400},
	} {
		code, body, _ := do(t, e.mux, "POST", "/v2/upload/finish", tc.form)
		if code != tc.code || !strings.Contains(body, `id="pb-error"`) || strings.Contains(body, `"step":"REDIRECT"`) {
			t.Errorf("%s: %d (want %d)\n%s", tc.name, code, tc.code, body)
		}
	}
	// Uploads off for the visit: the screens say so.
	for _, path := range []string{"/v2/upload?uploadMode=off", "/v2/upload/FlinksCapital?uploadMode=off"} {
		if code, body, _ := do(t, e.mux, "GET", path, nil); code != 403 || !strings.Contains(body, "pb-upload-off") {
			t.Errorf("GET %s: %d", path, code)
		}
	}
	// An unknown institution is a screen of the widget, not a 404 page.
	if code, body, _ := do(t, e.mux, "GET", "/v2/upload/Nowhere%20Bank", nil); code != 200 || !strings.Contains(body, "Nowhere Bank") || !strings.Contains(body, `id="pb-choose"`) {
		t.Errorf("unknown institution: %d", code)
	}
}
