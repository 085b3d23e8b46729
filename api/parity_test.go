package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// Flinks matches paths and customer ids without regard to case.
func TestPathsAndCustomerIdIgnoreCase(t *testing.T) {
	e := setup(t)
	rid, _ := e.linkGreatday()
	path := "/V3/" + strings.ToUpper(e.customer) + "/bankingservices/getaccountsdetail"
	st, m := e.call("POST", "", path, map[string]string{"x-api-key": e.apiKey}, js(map[string]string{"RequestId": rid}))
	if st != 200 || len(accounts(m)) == 0 {
		t.Fatalf("%s: %d %v", path, st, m)
	}
	path = "/v3/" + e.customer + "/BANKINGSERVICES/GetAccountsSummaryAsync/" + rid
	if st, m := e.call("GET", "", path, map[string]string{"x-api-key": e.apiKey}, ""); st != 200 || len(accounts(m)) == 0 {
		t.Fatalf("%s: %d %v", path, st, m)
	}
	// An unknown endpoint in any case is still NOT_FOUND.
	if st, m := e.call("POST", "", "/v3/"+e.customer+"/bankingservices/GetNothing", nil, "{}"); st != 404 || m["FlinksCode"] != "NOT_FOUND" {
		t.Fatalf("unknown: %d %v", st, m)
	}
}

// A known path asked with another method answers 405 with Allow, in the Flinks error shape.
func TestWrongMethodIs405WithAllow(t *testing.T) {
	e := setup(t)
	for _, c := range []struct{ method, path, allow string }{
		{"GET", e.p("GetAccountsDetail"), "POST"},
		{"DELETE", e.p("Authorize"), "POST"},
		{"PUT", e.p("GetAccountsDetailAsync/x"), "GET, POST"},
		{"POST", e.p("DeleteCard/x"), "DELETE"},
		{"get", strings.ToLower(e.p("GetAccountsSummary")), "POST"},
	} {
		req, _ := http.NewRequest(c.method, e.url+c.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 405 || resp.Header.Get("Allow") != c.allow || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s %s: %d Allow %q, want 405 Allow %q", c.method, c.path, resp.StatusCode, resp.Header.Get("Allow"), c.allow)
		}
	}
}

// The Async endpoints answer POST (as published clients call them) like GET.
func TestAsyncEndpointsAcceptPost(t *testing.T) {
	e := setup(t)
	rid, _ := e.linkGreatday()
	for _, ep := range []string{"GetAccountsDetailAsync", "GetAccountsSummaryAsync"} {
		st, m := e.call("POST", bs+ep+"/{requestId}", e.p(ep+"/"+rid), map[string]string{"x-api-key": e.apiKey}, "")
		if st != 200 || len(accounts(m)) == 0 {
			t.Fatalf("POST %s: %d %v", ep, st, m)
		}
	}
}

// Token exchanges the secret for an access token that Authorization: Bearer carries to
// Authorize and to the data endpoints; wrong secrets and tokens are ACCESS_DENIED.
func TestTokenAndBearer(t *testing.T) {
	e := setup(t)
	st, m := e.call("POST", bs+"Token", e.p("Token"), nil, js(map[string]string{"client_id": strings.ToUpper(e.customer), "secret": e.secret}))
	if st != 200 || m["token_type"] != "Bearer" || m["expires_in"].(float64) != 1800 {
		t.Fatalf("Token: %d %v", st, m)
	}
	bearer := map[string]string{"Authorization": "Bearer " + m["access_token"].(string)}
	st, m = e.call("POST", bs+"Authorize", e.p("Authorize"), bearer, `{"Institution":"FlinksCapital","Username":"greatday_nomfa","Password":"Everyday"}`)
	if st != 200 {
		t.Fatalf("Authorize with Bearer: %d %v", st, m)
	}
	rid := m["RequestId"].(string)
	// The token is reusable until it expires, on the data endpoints too.
	if st, m := e.call("POST", bs+"GetAccountsDetail", e.p("GetAccountsDetail"), bearer, js(map[string]string{"RequestId": rid})); st != 200 || len(accounts(m)) == 0 {
		t.Fatalf("GetAccountsDetail with Bearer: %d %v", st, m)
	}
	// The secret itself is a Bearer token (FraudAnalysis documents it so); GenerateAuthorizeToken takes it too.
	if st, m := e.call("POST", bs+"GenerateAuthorizeToken", e.p("GenerateAuthorizeToken"), map[string]string{"Authorization": "Bearer " + e.secret}, ""); st != 200 {
		t.Fatalf("GenerateAuthorizeToken with Bearer secret: %d %v", st, m)
	}
	for _, c := range []struct {
		name, endpoint string
		headers        map[string]string
		body           string
	}{
		{"wrong secret", "Token", nil, js(map[string]string{"secret": e.apiKey})},
		{"other client_id", "Token", nil, js(map[string]string{"client_id": "someone", "secret": e.secret})},
		{"bad bearer on data", "GetAccountsSummary", map[string]string{"Authorization": "Bearer nope"}, js(map[string]string{"RequestId": rid})},
		{"API key as bearer on Authorize", "Authorize", map[string]string{"Authorization": "Bearer " + e.apiKey}, `{"LoginId":"x"}`},
	} {
		st, m := e.call("POST", bs+c.endpoint, e.p(c.endpoint), c.headers, c.body)
		if st != 401 || m["FlinksCode"] != "ACCESS_DENIED" {
			t.Errorf("%s: %d %v, want 401 ACCESS_DENIED", c.name, st, m)
		}
	}
	// Expired after 30 minutes.
	e.clock.Add(31 * 60e9)
	if st, m := e.call("POST", bs+"GetAccountsSummary", e.p("GetAccountsSummary"), bearer, js(map[string]string{"RequestId": rid})); st != 401 || m["FlinksCode"] != "ACCESS_DENIED" {
		t.Fatalf("expired bearer: %d %v", st, m)
	}
}
