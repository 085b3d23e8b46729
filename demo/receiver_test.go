package demo_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/passbookhq/passbook/demo"
	"github.com/passbookhq/passbook/webhook"
)

// post sends body to the receiver signed with secret, as Passbook's sender signs it.
func post(t *testing.T, url, secret, id string, body []byte) int {
	t.Helper()
	req, _ := http.NewRequest("POST", url+demo.Path, bytes.NewReader(body))
	webhook.Sign(req.Header, secret, id, time.Now(), body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestReceiverVerifiesAndShows(t *testing.T) {
	r := demo.New(nil)
	r.SetSecret(webhook.NewSecret())
	endpoint := httptest.NewServer(r.Endpoint())
	defer endpoint.Close()
	mux := http.NewServeMux()
	r.Register(mux)
	page := httptest.NewServer(mux)
	defer page.Close()

	secret := webhook.NewSecret()
	r.SetSecret(secret)
	good := []byte(`{"ResponseType":"GetAccountsDetail","Login":{"Id":"login-1"},"Accounts":[]}`)
	if st := post(t, endpoint.URL, secret, "evt_1", good); st != http.StatusNoContent {
		t.Fatalf("signed delivery: %d", st)
	}
	if st := post(t, endpoint.URL, webhook.NewSecret(), "evt_2", []byte(`{"ResponseType":"UploadReceived","LoginId":"login-2"}`)); st != http.StatusUnauthorized {
		t.Fatalf("delivery signed with another secret: %d", st)
	}
	got := r.Deliveries()
	if len(got) != 2 || got[0].ID != "evt_2" || got[0].Verified || got[0].Problem == "" ||
		got[1].ID != "evt_1" || !got[1].Verified || got[1].ResponseType != "GetAccountsDetail" || got[1].LoginID != "login-1" {
		t.Fatalf("deliveries: %+v", got)
	}
	resp, err := http.Get(page.URL + "/demo/webhooks")
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"GetAccountsDetail", "signature verified", "NOT verified", "evt_1", "login-1"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("page lacks %q", want)
		}
	}
	resp, err = http.Get(page.URL + "/demo/webhooks.json")
	if err != nil {
		t.Fatal(err)
	}
	var list []demo.Delivery
	json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if len(list) != 2 {
		t.Fatalf("JSON lists %d deliveries", len(list))
	}
	// The receiver keeps the last 50 only.
	for i := range 60 {
		post(t, endpoint.URL, secret, "evt_more_"+string(rune('a'+i%26)), good)
	}
	if n := len(r.Deliveries()); n != 50 {
		t.Fatalf("kept %d deliveries", n)
	}
}
