package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/passbookhq/passbook/api"
)

// validate checks v against an OpenAPI 3.0 schema: types, nullable, enum, required properties,
// array items, $ref; and it refuses properties the schema does not document.
func validate(doc map[string]any, schema map[string]any, v any, at string) error {
	if ref, ok := schema["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		s, ok := doc["components"].(map[string]any)["schemas"].(map[string]any)[name].(map[string]any)
		if !ok {
			return fmt.Errorf("%s: unknown $ref %s", at, ref)
		}
		return validate(doc, s, v, at)
	}
	if v == nil {
		if schema["nullable"] == true {
			return nil
		}
		return fmt.Errorf("%s: null where the schema does not allow it", at)
	}
	if enum, ok := schema["enum"].([]any); ok && !slices.Contains(enum, v) {
		return fmt.Errorf("%s: %v is not one of %v", at, v, enum)
	}
	switch schema["type"] {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: %T, want an object", at, v)
		}
		for _, r := range asList(schema["required"]) {
			if _, ok := m[r.(string)]; !ok {
				return fmt.Errorf("%s: required property %s missing", at, r)
			}
		}
		props, _ := schema["properties"].(map[string]any)
		extra, _ := schema["additionalProperties"].(map[string]any)
		for k, pv := range m {
			if ps, ok := props[k].(map[string]any); ok {
				if err := validate(doc, ps, pv, at+"."+k); err != nil {
					return err
				}
			} else if extra != nil {
				if err := validate(doc, extra, pv, at+"."+k); err != nil {
					return err
				}
			} else {
				return fmt.Errorf("%s: property %s is not documented", at, k)
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s: %T, want an array", at, v)
		}
		items, _ := schema["items"].(map[string]any)
		for i, x := range a {
			if err := validate(doc, items, x, at+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	case "string":
		if _, ok := v.(string); !ok {
			return fmt.Errorf("%s: %T, want a string", at, v)
		}
		if schema["format"] == "date-time" {
			if _, err := time.Parse(time.RFC3339Nano, v.(string)); err != nil {
				return fmt.Errorf("%s: %q is not a date-time", at, v)
			}
		}
	case "integer":
		f, ok := v.(float64)
		if !ok || f != math.Trunc(f) {
			return fmt.Errorf("%s: %v, want an integer", at, v)
		}
	case "number":
		if _, ok := v.(float64); !ok {
			return fmt.Errorf("%s: %T, want a number", at, v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%s: %T, want a boolean", at, v)
		}
	default:
		return fmt.Errorf("%s: schema without a type", at)
	}
	return nil
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

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
		if err := validate(doc, schema, body, fmt.Sprintf("%s %s %d", x.method, x.route, x.status)); err != nil {
			t.Error(err)
		}
	}
	for path, item := range doc["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			if !used[strings.ToUpper(method)+" "+path] {
				t.Errorf("%s %s was not exercised", method, path)
			}
		}
	}
	// The checker itself rejects what it should.
	var bad any
	_ = json.Unmarshal([]byte(`{"HttpStatusCode":200,"Token":"t","Extra":1}`), &bad)
	if validate(doc, map[string]any{"$ref": "#/components/schemas/TokenResponse"}, bad, "x") == nil {
		t.Fatal("an undocumented property passed")
	}
	_ = json.Unmarshal([]byte(`{"HttpStatusCode":"200","Token":"t"}`), &bad)
	if validate(doc, map[string]any{"$ref": "#/components/schemas/TokenResponse"}, bad, "x") == nil {
		t.Fatal("a string status passed")
	}
}
