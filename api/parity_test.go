package api_test

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"
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

// GetAccountsDetail and GetAccountsSummary carry the fields Flinks sends, null where unknown.
func TestDataFieldsAsFlinksSendsThem(t *testing.T) {
	e := setup(t)
	st, m := e.authorize(`{"Institution":"FlinksCapital","Username":"greatday_nomfa","Password":"Everyday","Tag":"crm-42"}`)
	if st != 200 {
		t.Fatalf("Authorize: %d %v", st, m)
	}
	// A later session on the login, without a Tag, still echoes the login's Tag.
	loginID := m["Login"].(map[string]any)["Id"].(string)
	st, m = e.authorize(js(map[string]any{"LoginId": loginID, "MostRecentCached": true}))
	if st != 200 {
		t.Fatalf("cached Authorize: %d %v", st, m)
	}
	links := map[string]bool{}
	for _, l := range m["Links"].([]any) {
		links[l.(map[string]any)["rel"].(string)] = true
	}
	if !links["Statements"] || !links["AccountsDetail"] {
		t.Fatalf("Authorize Links: %v", m["Links"])
	}
	rid := m["RequestId"].(string)
	st, m = e.data("GetAccountsDetail", js(map[string]any{"RequestId": rid}))
	if st != 200 || m["InstitutionName"] != "FlinksCapital" || m["InstitutionId"] != 14.0 || m["Tag"] != "crm-42" {
		t.Fatalf("detail: %d InstitutionName %v InstitutionId %v Tag %v", st, m["InstitutionName"], m["InstitutionId"], m["Tag"])
	}
	for _, a := range accounts(m) {
		for _, f := range []string{"LastFourDigits", "OverdraftLimit", "TransitNumber", "InstitutionNumber", "Holder", "AccountType"} {
			if _, ok := a[f]; !ok {
				t.Fatalf("account %v lacks %s (it must be present, null when unknown)", a["Title"], f)
			}
		}
		if a["AccountType"] != "Personal" {
			t.Fatalf("AccountType %v", a["AccountType"])
		}
		addr := a["Holder"].(map[string]any)["Address"].(map[string]any)
		if v, ok := addr["POBox"]; !ok || v != nil {
			t.Fatalf("Address.POBox %v present %v, want null", v, ok)
		}
	}
	chq := accounts(m)[0]
	if chq["TransitNumber"] == nil || chq["InstitutionNumber"] == nil || strings.Contains(chq["AccountNumber"].(string), "*") {
		t.Fatalf("identity: %v", chq)
	}
	// WithAccountIdentity false hides the identity; WithKYC false hides the holder.
	_, m = e.data("GetAccountsDetail", js(map[string]any{"RequestId": rid, "WithAccountIdentity": false}))
	a := accounts(m)[0]
	if a["TransitNumber"] != nil || a["InstitutionNumber"] != nil || !strings.HasPrefix(a["AccountNumber"].(string), "*") || a["Holder"] == nil {
		t.Fatalf("WithAccountIdentity false: %v", a)
	}
	_, m = e.data("GetAccountsDetail", js(map[string]any{"RequestId": rid, "WithKYC": false}))
	if a := accounts(m)[0]; a["Holder"] != nil || a["TransitNumber"] == nil {
		t.Fatalf("WithKYC false: %v", a)
	}
	// Summary.
	st, m = e.data("GetAccountsSummary", js(map[string]any{"RequestId": rid}))
	if st != 200 || m["Tag"] != "crm-42" || m["InstitutionId"] != 14.0 || m["InstitutionName"] != "FlinksCapital" || len(m["Links"].([]any)) == 0 {
		t.Fatalf("summary: %d %v", st, m)
	}
	for _, a := range accounts(m) {
		eft, etr := a["EftEligibleRatio"].(float64), a["ETransferEligibleRatio"].(float64)
		if a["Holder"] == nil || a["AccountType"] != "Personal" || eft < 0 || eft > 1 || etr < 0 || etr > 1 {
			t.Fatalf("summary account: %v", a)
		}
		if a["Category"] == "Operations" && a["TransitNumber"] != nil && eft != 1 {
			t.Fatalf("an operations account with its numbers is EFT-eligible: %v", a)
		}
		if a["Category"] == "Credits" && (eft != 0 || etr != 0) {
			t.Fatalf("a credit account is not EFT-eligible: %v", a)
		}
	}
	// A login without a Tag answers null.
	rid2, _ := e.linkGreatday()
	if _, m = e.data("GetAccountsDetail", js(map[string]any{"RequestId": rid2})); m["Tag"] != nil {
		t.Fatalf("Tag %v, want null", m["Tag"])
	}
}

// GetStatements returns each account's monthly statement PDFs, base64, as many as asked; it
// answers 202 while the login is not ready and refuses a login linked without statements.
func TestGetStatements(t *testing.T) {
	e := setup(t)
	rid, loginID := e.linkGreatday()
	st, m := e.data("GetStatements", js(map[string]any{"RequestId": rid}))
	if st != 200 || m["Login"].(map[string]any)["Id"] != loginID || m["InstitutionId"] != 14.0 {
		t.Fatalf("GetStatements: %d %v", st, m)
	}
	groups := m["StatementsByAccount"].([]any)
	if len(groups) != 6 {
		t.Fatalf("%d accounts", len(groups))
	}
	for _, g := range groups {
		sts := g.(map[string]any)["Statements"].([]any)
		if len(sts) != 3 { // Months3 by default
			t.Fatalf("%v: %d statements, want 3", g.(map[string]any)["AccountNumber"], len(sts))
		}
		s0 := sts[0].(map[string]any)
		pdf, err := base64.StdEncoding.DecodeString(s0["Base64Bytes"].(string))
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) || s0["FileType"] != "PDF" || s0["UniqueId"] == "" {
			t.Fatalf("statement %v…: %v", s0["UniqueId"], err)
		}
	}
	first := groups[0].(map[string]any)["AccountId"].(string)
	_, m = e.data("GetStatements", js(map[string]any{"RequestId": rid, "NumberOfStatements": "MostRecent", "AccountsFilter": []string{first}}))
	if g := m["StatementsByAccount"].([]any); len(g) != 1 || len(g[0].(map[string]any)["Statements"].([]any)) != 1 {
		t.Fatalf("MostRecent of one account: %v", g)
	}
	_, m = e.data("GetStatements", js(map[string]any{"RequestId": rid, "NumberOfStatements": "Months12", "AccountsFilter": []string{first}}))
	if n := len(m["StatementsByAccount"].([]any)[0].(map[string]any)["Statements"].([]any)); n < 11 || n > 12 {
		t.Fatalf("Months12: %d statements", n)
	}
	if st, m := e.data("GetStatements", js(map[string]any{"RequestId": rid, "NumberOfStatements": "Weekly"})); st != 400 || m["FlinksCode"] != "INVALID_REQUEST" {
		t.Fatalf("bad NumberOfStatements: %d %v", st, m)
	}
	// Async, GET and POST, answers the same.
	for _, method := range []string{"GET", "POST"} {
		if st, m := e.call(method, "", e.p("GetStatementsAsync/"+rid), map[string]string{"x-api-key": e.apiKey}, ""); st != 200 || len(m["StatementsByAccount"].([]any)) != 6 {
			t.Fatalf("%s GetStatementsAsync: %d", method, st)
		}
	}
	// A pending login: 202 with the Async link.
	_, m = e.authorize(`{"Institution":"FlinksCapital","Username":"test_pending","Password":"Everyday"}`)
	prid := m["RequestId"].(string)
	if st, m := e.data("GetStatements", js(map[string]any{"RequestId": prid})); st != 202 || m["FlinksCode"] != "OPERATION_PENDING" ||
		!strings.Contains(m["Links"].([]any)[0].(map[string]any)["href"].(string), "GetStatementsAsync/"+prid) {
		t.Fatalf("pending: %d %v", st, m)
	}
	// A login linked in Connect without detailsAndStatementEnable has no statements.
	if _, err := e.db.Write.Exec(`UPDATE logins SET statements = 'off' WHERE id = ?`, loginID); err != nil {
		t.Fatal(err)
	}
	if st, m := e.data("GetStatements", js(map[string]any{"RequestId": rid})); st != 400 || !strings.Contains(m["Message"].(string), "detailsAndStatementEnable") {
		t.Fatalf("statements off: %d %v", st, m)
	}
}

// SecurityResponses must answer exactly the questions asked: an unknown key is
// UNKNOWN_CHALLENGE_KEY, a missing answer SECURITYRESPONSES_INCOMPLETE; the RequestId stays
// usable after either.
func TestSecurityResponseCodes(t *testing.T) {
	e := setup(t)
	st, m := e.authorize(`{"Institution":"FlinksCapital","Username":"Greatday","Password":"Everyday"}`)
	if st != 203 {
		t.Fatalf("Greatday: %d", st)
	}
	rid := m["RequestId"].(string)
	st, m = e.authorize(js(map[string]any{"RequestId": rid, "SecurityResponses": map[string][]string{"What is your name?": {"x"}}}))
	if st != 401 || m["FlinksCode"] != "UNKNOWN_CHALLENGE_KEY" {
		t.Fatalf("unknown key: %d %v", st, m)
	}
	st, m = e.authorize(js(map[string]any{"RequestId": rid, "SecurityResponses": map[string][]string{"What city were you born in?": {" "}}}))
	if st != 401 || m["FlinksCode"] != "SECURITYRESPONSES_INCOMPLETE" {
		t.Fatalf("blank answer: %d %v", st, m)
	}
	st, m = e.authorize(js(map[string]any{"RequestId": rid, "SecurityResponses": map[string][]string{"What city were you born in?": {"Montreal"}}}))
	if st != 203 || len(m["SecurityChallenges"].([]any)) != 2 {
		t.Fatalf("after the errors the question is still answerable: %d %v", st, m)
	}
	// The second step asks two questions: answering one is incomplete.
	st, m = e.authorize(js(map[string]any{"RequestId": rid, "SecurityResponses": map[string][]string{"What is the best country on earth?": {"Canada"}}}))
	if st != 401 || m["FlinksCode"] != "SECURITYRESPONSES_INCOMPLETE" || !strings.Contains(m["Message"].(string), "shape") {
		t.Fatalf("one of two: %d %v", st, m)
	}
	// Keys match prompts without regard to case, spaces and punctuation, as a client that
	// PascalCases its keys sends them.
	st, m = e.authorize(js(map[string]any{"RequestId": rid, "SecurityResponses": map[string][]string{"WhatIsTheBestCountryOnEarth?": {"Canada"}, "what shape do people like most": {"Triangle"}}}))
	if st != 200 {
		t.Fatalf("both: %d %v", st, m)
	}
}

// DeleteCard on a login whose data is still being gathered is CARD_IN_USE; once ready it deletes.
func TestDeleteCardInUse(t *testing.T) {
	e := setup(t)
	st, m := e.authorize(`{"Institution":"FlinksCapital","Username":"test_pending","Password":"Everyday"}`)
	if st != 202 {
		t.Fatalf("test_pending: %d", st)
	}
	loginID := m["Login"].(map[string]any)["Id"].(string)
	key := map[string]string{"x-api-key": e.apiKey}
	st, m = e.call("DELETE", bs+"DeleteCard/{loginId}", e.p("DeleteCard/"+loginID), key, "")
	if st != 400 || m["FlinksCode"] != "CARD_IN_USE" {
		t.Fatalf("DeleteCard while processing: %d %v", st, m)
	}
	e.clock.Add(6 * time.Second) // the sandbox's pending delay is 5 s here
	if st, m := e.call("DELETE", bs+"DeleteCard/{loginId}", e.p("DeleteCard/"+loginID), key, ""); st != 200 {
		t.Fatalf("DeleteCard once ready: %d %v", st, m)
	}
	if st, m := e.call("DELETE", bs+"DeleteCard/{loginId}", e.p("DeleteCard/"+loginID), key, ""); st != 401 || m["FlinksCode"] != "INVALID_LOGIN" {
		t.Fatalf("DeleteCard again: %d %v", st, m)
	}
}
