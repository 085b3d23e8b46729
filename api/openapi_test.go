package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/passbookhq/passbook/api"
	"github.com/passbookhq/passbook/internal/openapicheck"
)

func TestOpenAPIMatchesResponses(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(api.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc["openapi"].(string), "3.") {
		t.Fatalf("openapi %v", doc["openapi"])
	}
	e := setup(t)
	resp, err := http.Get(e.url + "/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	served, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var again map[string]any
	if resp.StatusCode != 200 || json.Unmarshal(served, &again) != nil || len(again["paths"].(map[string]any)) != len(doc["paths"].(map[string]any)) {
		t.Fatalf("/openapi.json: %d", resp.StatusCode)
	}

	// Exercise every endpoint: successes, 203, 202 and errors.
	rid, loginID := e.linkGreatday()
	e.data("GetAccountsDetail", js(map[string]any{"RequestId": rid, "DaysOfTransactions": "Days365"}))
	e.data("GetAccountsSummary", js(map[string]any{"RequestId": rid}))
	e.async("GetAccountsDetailAsync", rid)
	e.async("GetAccountsSummaryAsync", rid)
	e.call("POST", bs+"GetAccountsDetailAsync/{requestId}", e.p("GetAccountsDetailAsync/"+rid), map[string]string{"x-api-key": e.apiKey}, "")
	e.call("POST", bs+"GetAccountsSummaryAsync/{requestId}", e.p("GetAccountsSummaryAsync/"+rid), map[string]string{"x-api-key": e.apiKey}, "")
	e.call("POST", bs+"Token", e.p("Token"), nil, js(map[string]string{"client_id": e.customer, "secret": e.secret}))
	e.data("GetStatements", js(map[string]any{"RequestId": rid, "NumberOfStatements": "MostRecent"}))
	e.data("GetStatements", js(map[string]any{"RequestId": rid, "NumberOfStatements": "Weekly"}))
	e.call("GET", bs+"GetStatementsAsync/{requestId}", e.p("GetStatementsAsync/"+rid), map[string]string{"x-api-key": e.apiKey}, "")
	e.call("POST", bs+"GetStatementsAsync/{requestId}", e.p("GetStatementsAsync/"+rid), map[string]string{"x-api-key": e.apiKey}, "")
	e.call("POST", bs+"Token", e.p("Token"), nil, js(map[string]string{"secret": e.apiKey}))
	e.call("PUT", bs+"Token", e.p("Token"), nil, "")
	e.call("POST", bs+"AuthorizeMultiple", e.p("AuthorizeMultiple"), map[string]string{"flinks-auth-key": e.secret}, js(map[string]any{"LoginIds": []string{loginID, "nope"}}))
	_, m := e.authorize(`{"Institution":"FlinksCapital","Username":"test_pending","Password":"Everyday"}`)
	prid := m["RequestId"].(string)
	e.data("GetAccountsDetail", js(map[string]any{"RequestId": prid}))
	e.async("GetAccountsDetailAsync", prid)
	e.data("GetAccountsSummary", js(map[string]any{"RequestId": prid}))
	e.async("GetAccountsSummaryAsync", prid)
	e.authorize(`{"Institution":"FlinksCapital","Username":"test_disabled_institution","Password":"x"}`)
	e.authorize(`{"Institution":"FlinksCapital","Username":"test_aggregation_error","Password":"x"}`)
	e.authorize(`{"Institution":"FlinksCapital","Username":"Greatday","Password":"wrong"}`)
	e.data("GetAccountsDetail", `{"RequestId":`)
	e.data("GetAccountsDetail", `{"RequestId":"`+strings.Repeat("x", 2<<20)+`"}`)
	e.call("DELETE", bs+"DeleteCard/{loginId}", e.p("DeleteCard/"+loginID), map[string]string{"x-api-key": e.apiKey}, "")

	used := map[string]bool{}
	for _, x := range e.seen {
		item, _ := doc["paths"].(map[string]any)[x.route].(map[string]any)
		op, ok := item[strings.ToLower(x.method)].(map[string]any)
		if !ok && x.status == http.StatusMethodNotAllowed {
			for _, o := range item {
				op, ok = o.(map[string]any), true // a 405 is documented on each operation of its path
			}
		}
		if !ok {
			t.Fatalf("%s %s is not documented", x.method, x.route)
		}
		if x.status != http.StatusMethodNotAllowed {
			used[x.method+" "+x.route] = true
		}
		r, ok := op["responses"].(map[string]any)[strconv.Itoa(x.status)].(map[string]any)
		if !ok {
			t.Errorf("%s %s: status %d is not documented", x.method, x.route, x.status)
			continue
		}
		schema := r["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
		var body any
		if err := json.Unmarshal(x.body, &body); err != nil {
			t.Fatal(err)
		}
		if err := openapicheck.Validate(doc, schema, body, fmt.Sprintf("%s %s %d", x.method, x.route, x.status)); err != nil {
			t.Error(err)
		}
	}
	for path, item := range doc["paths"].(map[string]any) {
		if !strings.Contains(path, "/BankingServices/") {
			continue // uploads, fraud analysis and webhooks: TestFlinksConformance checks them against the binary
		}
		for method := range item.(map[string]any) {
			if !used[strings.ToUpper(method)+" "+path] {
				t.Errorf("%s %s was not exercised", method, path)
			}
		}
	}
	// The checker itself rejects what it should.
	var bad any
	_ = json.Unmarshal([]byte(`{"HttpStatusCode":200,"Token":"t","Extra":1}`), &bad)
	if openapicheck.Validate(doc, map[string]any{"$ref": "#/components/schemas/TokenResponse"}, bad, "x") == nil {
		t.Fatal("an undocumented property passed")
	}
	_ = json.Unmarshal([]byte(`{"HttpStatusCode":"200","Token":"t"}`), &bad)
	if openapicheck.Validate(doc, map[string]any{"$ref": "#/components/schemas/TokenResponse"}, bad, "x") == nil {
		t.Fatal("a string status passed")
	}
}
