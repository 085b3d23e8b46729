package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"testing"
)

// TestAdminAPI manages customers over the admin API of a real server, and checks through it that
// a second customer's keys cannot reach the first's logins.
func TestAdminAPI(t *testing.T) {
	dir := t.TempDir()
	base, out := startServer(t, "--data", dir)
	first := keysFrom(t, out.String())
	call := func(method, path, key, body string, v any) int {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, bytes.NewReader([]byte(body)))
		req.Header.Set("Content-Type", "application/json")
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if v != nil {
			if err := json.Unmarshal(b, v); err != nil {
				t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
			}
		}
		return resp.StatusCode
	}

	// No admin key made yet: everything is refused, whatever is sent.
	for _, key := range []string{"", "pbadm_guess", first.APIKey} {
		if st := call("GET", "/v3/admin/customers", key, "", nil); st != 401 {
			t.Fatalf("no admin key yet, sent %q: %d", key, st)
		}
	}
	var cli bytes.Buffer
	if err := runCustomer(context.Background(), []string{"admin-key", "--data", dir}, &cli, io.Discard); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`\n  (pbadm_\S+)\n`).FindStringSubmatch(cli.String())
	if m == nil {
		t.Fatalf("admin-key printed %q", cli.String())
	}
	admin := m[1]
	for _, key := range []string{"", "pbadm_guess", first.APIKey} {
		if st := call("POST", "/v3/admin/customers", key, `{"Name":"Intruder"}`, nil); st != 401 {
			t.Fatalf("wrong admin key %q: %d", key, st)
		}
	}

	// Create a second customer; the list shows both.
	type customer struct {
		CustomerId, Name, ApiKey, AuthKey string
		Disabled, Default                 bool
	}
	var second customer
	if st := call("POST", "/v3/admin/customers", admin, `{"Name":"Second Lender"}`, &second); st != 201 || second.CustomerId == "" || second.ApiKey == "" || second.AuthKey == "" {
		t.Fatalf("create: %d %+v", st, second)
	}
	if st := call("POST", "/v3/admin/customers", admin, `{"Name":"  "}`, nil); st != 400 {
		t.Fatalf("create without a name: %d", st)
	}
	var list struct{ Customers []customer }
	if st := call("GET", "/v3/admin/customers", admin, "", &list); st != 200 || len(list.Customers) != 2 ||
		list.Customers[0].CustomerId != first.CustomerID || !list.Customers[0].Default || list.Customers[1].Name != "Second Lender" || list.Customers[1].ApiKey != "" {
		t.Fatalf("list: %d %+v", st, list)
	}

	// A login of the first customer (the sandbox institution).
	login := func(cid, authKey string) (requestID, loginID string) {
		bs := base + "/v3/" + cid + "/BankingServices/"
		var tok struct{ Token string }
		if st := postJSON(t, bs+"GenerateAuthorizeToken", map[string]string{"flinks-auth-key": authKey}, "", &tok); st != 200 {
			t.Fatalf("GenerateAuthorizeToken: %d", st)
		}
		var auth struct {
			RequestId string
			Login     struct{ Id string }
		}
		if st := postJSON(t, bs+"Authorize", map[string]string{"flinks-auth-key": tok.Token},
			`{"Institution":"FlinksCapital","Username":"greatday_nomfa","Password":"Everyday","Save":true}`, &auth); st != 200 {
			t.Fatalf("Authorize: %d", st)
		}
		return auth.RequestId, auth.Login.Id
	}
	requestID, loginID := login(first.CustomerID, first.AuthKey)
	detail := func(cid, apiKey, requestID string) int {
		var v any
		return postJSON(t, base+"/v3/"+cid+"/BankingServices/GetAccountsDetail", map[string]string{"x-api-key": apiKey}, `{"RequestId":"`+requestID+`"}`, &v)
	}
	if st := detail(first.CustomerID, first.APIKey, requestID); st != 200 {
		t.Fatalf("the first customer's own login: %d", st)
	}
	// The second customer's keys reach none of it: not under the first's id, not under its own.
	if st := detail(first.CustomerID, second.ApiKey, requestID); st != 401 {
		t.Fatalf("second key on the first customer's path: %d", st)
	}
	if st := detail(second.CustomerId, second.ApiKey, requestID); st == 200 {
		t.Fatal("second customer read the first's login by its RequestId")
	}
	var tok struct{ Token string }
	postJSON(t, base+"/v3/"+second.CustomerId+"/BankingServices/GenerateAuthorizeToken", map[string]string{"flinks-auth-key": second.AuthKey}, "", &tok)
	var v any
	if st := postJSON(t, base+"/v3/"+second.CustomerId+"/BankingServices/Authorize", map[string]string{"flinks-auth-key": tok.Token},
		`{"LoginId":"`+loginID+`","MostRecentCached":true}`, &v); st == 200 || loginID == "" {
		t.Fatalf("second customer authorized the first's login %q: %d", loginID, st)
	}
	// Its own login works.
	r2, _ := login(second.CustomerId, second.AuthKey)
	if st := detail(second.CustomerId, second.ApiKey, r2); st != 200 {
		t.Fatalf("the second customer's own login: %d", st)
	}

	// Rotate its keys: the old one stops working, the new one works.
	var rotated customer
	if st := call("POST", "/v3/admin/customers/"+second.CustomerId+"/rotate-keys", admin, "", &rotated); st != 200 || rotated.ApiKey == "" || rotated.ApiKey == second.ApiKey {
		t.Fatalf("rotate: %d %+v", st, rotated)
	}
	if st := detail(second.CustomerId, second.ApiKey, r2); st != 401 {
		t.Fatalf("old key after rotation: %d", st)
	}
	if st := detail(second.CustomerId, rotated.ApiKey, r2); st != 200 {
		t.Fatalf("new key after rotation: %d", st)
	}
	// Disable, enable.
	if st := call("POST", "/v3/admin/customers/"+second.CustomerId+"/disable", admin, "", &v); st != 200 {
		t.Fatalf("disable: %d", st)
	}
	if st := detail(second.CustomerId, rotated.ApiKey, r2); st == 200 {
		t.Fatal("a disabled customer's key still works")
	}
	if st := call("GET", "/v3/admin/customers", admin, "", &list); st != 200 || !list.Customers[1].Disabled {
		t.Fatalf("list after disable: %+v", list)
	}
	if st := call("POST", "/v3/admin/customers/"+second.CustomerId+"/enable", admin, "", &v); st != 200 {
		t.Fatalf("enable: %d", st)
	}
	if st := detail(second.CustomerId, rotated.ApiKey, r2); st != 200 {
		t.Fatalf("after enable: %d", st)
	}
	if st := call("POST", "/v3/admin/customers/nobody/disable", admin, "", &v); st != 404 {
		t.Fatalf("an unknown customer: %d", st)
	}
	// A new admin key replaces the old.
	cli.Reset()
	runCustomer(context.Background(), []string{"admin-key", "--data", dir}, &cli, io.Discard)
	if st := call("GET", "/v3/admin/customers", admin, "", nil); st != 401 {
		t.Fatalf("the replaced admin key: %d", st)
	}
}
