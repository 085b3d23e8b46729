package main

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestServeAnswersTheAPI starts the real program and uses the keys it prints on first start to
// link a sandbox login and read its accounts.
func TestServeAnswersTheAPI(t *testing.T) {
	base, out := startServer(t)
	field := func(label string) string {
		m := regexp.MustCompile(regexp.QuoteMeta(label) + `[^:\n]*:\s+(\S+)`).FindStringSubmatch(out.String())
		if m == nil {
			t.Fatalf("%s not printed:\n%s", label, out)
		}
		return m[1]
	}
	cid, apiKey, secret := field("CustomerId"), field("x-api-key"), field("flinks-auth-key")
	bs := base + "/v3/" + cid + "/BankingServices/"
	post := func(endpoint string, headers map[string]string, body string) (int, map[string]any) {
		req, _ := http.NewRequest("POST", bs+endpoint, strings.NewReader(body))
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatalf("%s: %v", endpoint, err)
		}
		return resp.StatusCode, m
	}
	st, m := post("GenerateAuthorizeToken", map[string]string{"flinks-auth-key": secret}, "")
	if st != 200 {
		t.Fatalf("GenerateAuthorizeToken: %d %v", st, m)
	}
	st, m = post("Authorize", map[string]string{"flinks-auth-key": m["Token"].(string)},
		`{"Institution":"FlinksCapital","Username":"greatday_nomfa","Password":"Everyday","Save":true}`)
	if st != 200 {
		t.Fatalf("Authorize: %d %v", st, m)
	}
	st, m = post("GetAccountsDetail", map[string]string{"x-api-key": apiKey}, `{"RequestId":"`+m["RequestId"].(string)+`"}`)
	if accts, _ := m["Accounts"].([]any); st != 200 || len(accts) != 6 {
		t.Fatalf("GetAccountsDetail: %d %v", st, m)
	}
	resp, err := http.Get(base + "/openapi.json")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("/openapi.json: %v", err)
	}
	resp.Body.Close()
}
